"""Staff roles granted by managers only, never to themselves; personal API tokens."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from nominee.accounts.models import ApiToken
from nominee.accounts.roles import Role, has_role
from nominee.accounts.services import create_api_token, grant_role, revoke_role
from nominee.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_a_manager_grants_and_revokes_a_staff_role(martin: Any, oscar: Any) -> None:
    grant_role(manager=martin, user=oscar, role="officer")
    oscar.refresh_from_db()
    assert has_role(oscar, Role.OFFICER)
    assert oscar.is_staff
    with pytest.raises(Conflict):
        grant_role(manager=martin, user=oscar, role=Role.OFFICER)
    revoke_role(manager=martin, user=oscar, role="officer")
    oscar.refresh_from_db()
    assert not has_role(oscar, Role.OFFICER)
    assert not oscar.is_staff


def test_nobody_grants_a_role_to_themself(martin: Any) -> None:
    with pytest.raises(PermissionDenied):
        grant_role(manager=martin, user=martin, role="auditor")
    with pytest.raises(PermissionDenied):
        revoke_role(manager=martin, user=martin, role="manager")


@pytest.mark.parametrize("persona", ["olivia", "audrey", "bob", "oscar"])
def test_only_managers_grant_roles(
    persona: str, request: pytest.FixtureRequest, alice: Any
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        grant_role(manager=user, user=alice, role="officer")
    assert client_for(user).get("/staff/roles/").status_code == 404


def test_candidate_roles_are_not_staff_roles(martin: Any, oscar: Any) -> None:
    with pytest.raises(ValidationFailed):
        grant_role(manager=martin, user=oscar, role="candidate")


def test_the_staff_roles_page_grants_a_role(martin: Any, oscar: Any) -> None:
    client = client_for(martin)
    assert client.get("/staff/roles/").status_code == 200
    response = client.post(
        "/staff/roles/", {"email": "oscar@example.com", "role": "auditor", "action": "grant"}
    )
    assert response.status_code == 302
    assert has_role(oscar, Role.AUDITOR)
    self_grant = client.post(
        "/staff/roles/", {"email": "martin@example.com", "role": "officer", "action": "grant"}
    )
    assert self_grant.status_code == 400


def test_a_token_is_shown_once_and_authenticates_the_api(bob: Any) -> None:
    client = client_for(bob)
    page = client.post("/accounts/tokens/", {"name": "nightly export"})
    assert page.status_code == 200
    token = page.context["new_token"]
    assert token.startswith("nom_")
    assert token not in client.get("/accounts/tokens/").content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me").json()["email"] == "bob@example.com"
    assert api.get("/api/v1/employers").json()["items"][0]["legal_name"] == "Bob's Bakery Inc."
    row = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/employers").status_code == 401


def test_tokens_through_the_api_and_someone_elses_token_is_404(bob: Any, dave: Any) -> None:
    client = client_for(bob)
    created = client.post("/api/v1/tokens", {"name": "ci"}, content_type="application/json")
    assert created.status_code == 201
    token_id = created.json()["id"]
    assert [t["name"] for t in client.get("/api/v1/tokens").json()] == ["ci"]
    assert client_for(dave).delete(f"/api/v1/tokens/{token_id}").status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}").json()["revoked_at"] is not None
    duplicate = client.post("/api/v1/tokens", {"name": ""}, content_type="application/json")
    assert duplicate.status_code == 400


def test_the_token_command_creates_lists_and_revokes(bob: Any) -> None:
    out = StringIO()
    call_command("token", "create", "bob@example.com", "script", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("nom_")
    prefix = ApiToken.objects.get().prefix
    out = StringIO()
    call_command("token", "list", "bob@example.com", stdout=out)
    assert prefix in out.getvalue()
    call_command("token", "revoke", "bob@example.com", prefix, stdout=StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    create_api_token(user=bob, name="script")  # the revoked one's name is free again
    with pytest.raises(Conflict):
        create_api_token(user=bob, name="script")
