"""NUL characters in API input are refused with a 422 naming the field, never a 500."""

from __future__ import annotations

import pytest

from nominee.accounts.models import ApiToken
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_json_field_is_refused_and_named(bob: object) -> None:
    response = client_for(bob).post(  # type: ignore[arg-type]
        "/api/v1/tokens", {"name": "a\x00b"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"name": ["must not contain a NUL character"]}
    assert not ApiToken.objects.exists()


def test_a_nul_in_a_nested_field_names_its_path() -> None:
    document = {"stream": "masters", "languages": {"english": 9}, "education": {"field": "x\x00"}}
    response = client_for(None).post("/api/v1/score", document, content_type="application/json")
    assert response.status_code == 422
    assert "education.field" in response.json()["fields"]


def test_a_nul_in_the_query_string_is_refused() -> None:
    response = client_for(None).get("/api/v1/draws", {"stream": "foreign\x00worker"})
    assert response.status_code == 422
    assert "stream" in response.json()["fields"]


def test_pages_keep_djangos_own_refusal() -> None:
    response = client_for(None).get("/calculator/", {"stream": "masters", "noc": "2\x00"})
    assert response.status_code == 400
