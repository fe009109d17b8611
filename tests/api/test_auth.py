"""API authentication: personal tokens (hashed at rest, revocable) and browser sessions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nominee.accounts.models import ApiToken
from nominee.api.auth import digest, new_token

pytestmark = pytest.mark.django_db


def _token_for(user: object) -> tuple[str, ApiToken]:
    token, prefix, hashed = new_token()
    row = ApiToken.objects.create(user=user, name="script", prefix=prefix, digest=hashed)
    return token, row


def test_only_the_digest_of_a_token_is_stored(alice: object) -> None:
    token, row = _token_for(alice)
    assert token not in (row.digest, row.prefix)
    assert row.digest == digest(token)


def test_the_openapi_document_is_public() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Nominee API"


def test_a_revoked_token_no_longer_authenticates(alice: object) -> None:
    from django.test import RequestFactory

    from nominee.api.auth import TokenAuth

    token, row = _token_for(alice)
    request = RequestFactory().get("/api/v1/")
    assert TokenAuth().authenticate(request, token) == alice
    row.revoked_at = timezone.now()
    row.save()
    assert TokenAuth().authenticate(RequestFactory().get("/api/v1/"), token) is None
    assert TokenAuth().authenticate(RequestFactory().get("/api/v1/"), "nom_bad_token") is None
