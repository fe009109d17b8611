"""The admin's changes to people are checked and audited; tokens are read-only (Decision 79).

Users (flags and groups, old and new), groups (permissions), a password an administrator
sets, a representative's licence: each save leaves an audit event naming who changed what.
API tokens cannot be added, edited or deleted through the admin at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from nominee.accounts.models import ApiToken, RepresentativeProfile, User
from nominee.accounts.services import create_api_token, revoke_api_token
from nominee.audit.models import AuditEvent
from tests.personas import PASSWORD, client_for

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another long passphrase 7"


@pytest.fixture
def root(db: None) -> User:
    """A superuser: the only account that edits people in the admin."""
    user = User.objects.create_superuser(
        email="root@example.com", password=PASSWORD, full_name="Root Admin"
    )
    user.email_confirmed_at = user.date_joined
    user.save(update_fields=["email_confirmed_at"])
    return user


def _when(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    local = timezone.localtime(value)  # the admin's form shows the site's time zone
    return {"0": local.strftime("%Y-%m-%d"), "1": local.strftime("%H:%M:%S")}


def _form(user: User, **changes: Any) -> dict[str, Any]:
    """The change form as the admin posts it, with ``changes`` applied."""
    values: dict[str, Any] = {
        "email": user.email,
        "username": user.username,
        "full_name": user.full_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": list(user.groups.values_list("pk", flat=True)),
        **changes,
    }
    data: dict[str, Any] = {k: v for k, v in values.items() if not isinstance(v, bool)}
    data.update({k: "on" for k, v in values.items() if v is True})
    for name in ("email_confirmed_at",):
        for part, text in _when(getattr(user, name)).items():
            data[f"{name}_{part}"] = text
    return data


def _change(client: Client, user: User, **changes: Any) -> Any:
    return client.post(f"/admin/accounts/user/{user.pk}/change/", _form(user, **changes))


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_making_someone_superuser_is_audited_old_to_new(root: User, oscar: User) -> None:
    answer = _change(client_for(root), oscar, is_superuser=True, is_staff=True)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert User.objects.get(pk=oscar.pk).is_superuser
    [event] = _events("accounts.user_changed_by_admin")
    assert event.actor_id == root.pk
    assert event.subject_id == str(oscar.pk)
    assert event.before == {"is_staff": False, "is_superuser": False}
    assert event.after == {"is_staff": True, "is_superuser": True}


def test_a_group_given_in_the_admin_is_audited_old_to_new(root: User, olivia: User) -> None:
    auditor = Group.objects.get(name="auditor")
    officer = Group.objects.get(name="officer")
    answer = _change(client_for(root), olivia, groups=[officer.pk, auditor.pk])
    assert answer.status_code == 302
    assert set(olivia.groups.values_list("name", flat=True)) == {"officer", "auditor"}
    [event] = _events("accounts.user_changed_by_admin")
    assert event.before == {"groups": ["officer"]}
    assert event.after == {"groups": ["auditor", "officer"]}


def test_an_unchanged_save_records_nothing(root: User, oscar: User) -> None:
    assert _change(client_for(root), oscar).status_code == 302
    assert _events("accounts.user_changed_by_admin") == []


def test_no_staff_role_in_the_admin_for_an_account_that_takes_part(root: User, alice: User) -> None:
    officer = Group.objects.get(name="officer")
    answer = _change(client_for(root), alice, groups=[officer.pk])
    assert answer.status_code == 200  # the form again, the refusal next to the field
    assert "takes part in the program" in answer.content.decode()
    answer = _change(client_for(root), alice, is_superuser=True)
    assert "takes part in the program" in answer.content.decode()
    alice.refresh_from_db()
    assert not alice.groups.exists()
    assert not alice.is_superuser
    assert _events("accounts.user_changed_by_admin") == []


def test_nobody_changes_their_own_flags_in_the_admin(root: User) -> None:
    answer = _change(client_for(root), root, is_superuser=False)
    assert answer.status_code == 200
    assert "nobody may change their own staff roles" in answer.content.decode()
    assert User.objects.get(pk=root.pk).is_superuser


def test_an_account_added_in_the_admin_is_audited(root: User) -> None:
    answer = client_for(root).post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.com",
            "username": "new",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    [event] = _events("accounts.user_added_by_admin")
    assert event.after["email"] == "new@example.com"
    assert "password" not in event.after


@pytest.mark.parametrize("persona", ["martin", "olivia", "audrey"])
def test_staff_roles_do_not_edit_users_in_the_admin(
    persona: str, oscar: User, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    answer = _change(client_for(user), oscar, is_superuser=True)
    assert answer.status_code == 403
    assert not User.objects.get(pk=oscar.pk).is_superuser


def test_users_are_not_deleted_in_the_admin(root: User, oscar: User) -> None:
    client = client_for(root)
    assert (
        client.post(f"/admin/accounts/user/{oscar.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert User.objects.filter(pk=oscar.pk).exists()


def test_a_password_set_in_the_admin_is_audited_and_revokes_tokens(root: User, bob: User) -> None:
    token, _secret = create_api_token(user=bob, name="script")
    answer = client_for(root).post(
        f"/admin/accounts/user/{bob.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    [event] = _events("accounts.password_set_by_admin")
    assert event.actor_id == root.pk
    assert event.after == {"usable_password": True, "tokens_revoked": [token.pk]}
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


# ---- groups -----------------------------------------------------------------------------


def _group_form(group: Group, **changes: Any) -> dict[str, Any]:
    return {
        "name": group.name,
        "permissions": list(group.permissions.values_list("pk", flat=True)),
        **changes,
    }


def test_a_groups_permissions_changed_in_the_admin_are_audited(root: User) -> None:
    group = Group.objects.create(name="support")
    view_user = Permission.objects.get(codename="view_user")
    answer = client_for(root).post(
        f"/admin/auth/group/{group.pk}/change/", _group_form(group, permissions=[view_user.pk])
    )
    assert answer.status_code == 302
    [event] = _events("accounts.group_changed_by_admin")
    assert event.before == {"permissions": []}
    assert event.after == {"permissions": ["accounts.view_user"]}


def test_a_group_deleted_in_the_admin_is_audited(root: User, oscar: User) -> None:
    group = Group.objects.create(name="support")
    oscar.groups.add(group)
    answer = client_for(root).post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302
    [event] = _events("accounts.group_deleted_by_admin")
    assert event.before == {"name": "support", "permissions": [], "members": [oscar.email]}


def test_a_staff_roles_group_is_neither_renamed_nor_deleted(root: User) -> None:
    officer = Group.objects.get(name="officer")
    client = client_for(root)
    renamed = client.post(
        f"/admin/auth/group/{officer.pk}/change/", _group_form(officer, name="officers")
    )
    assert renamed.status_code == 200
    assert (
        client.post(f"/admin/auth/group/{officer.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Group.objects.filter(name="officer").exists()


# ---- tokens and representatives --------------------------------------------------------


def test_a_token_cannot_be_edited_added_or_deleted_in_the_admin(
    root: User, bob: User, oscar: User
) -> None:
    token, _secret = create_api_token(user=bob, name="script")
    revoke_api_token(actor=bob, token=token)
    client = client_for(root)
    base = "/admin/accounts/apitoken/"
    edit = client.post(
        f"{base}{token.pk}/change/",
        {"user": oscar.pk, "name": "script", "revoked_at_0": "", "revoked_at_1": ""},
    )
    assert edit.status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    token.refresh_from_db()
    assert token.user_id == bob.pk
    assert token.revoked_at is not None
    # The list and the row still open, read-only, for support.
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{token.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_representatives_licence_corrected_in_the_admin_is_audited(
    root: User, carol: User, oscar: User
) -> None:
    profile = RepresentativeProfile.objects.get(user=carol)
    answer = client_for(root).post(
        f"/admin/accounts/representativeprofile/{profile.pk}/change/",
        {"user": oscar.pk, "kind": profile.kind, "licence_number": "R599999", "organisation": ""},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.user_id == carol.pk
    assert profile.licence_number == "R599999"
    [event] = _events("accounts.representative_changed_by_admin")
    assert event.before == {"licence_number": "R512345"}
    assert event.after == {"licence_number": "R599999"}
    assert client_for(root).get("/admin/accounts/representativeprofile/add/").status_code == 403
