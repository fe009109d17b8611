"""Sign-up does not tell whether an address has an account (issue 14, Decision 78).

Before, a known address came back with "An account with this e-mail address exists
already": anyone could test addresses. Now both get the "we sent you a link" page, nobody
signed in; the owner of a known address is e-mailed instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nominee.accounts import services
from nominee.accounts.models import OutgoingEmail, User
from nominee.audit.models import AuditEvent
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _post(email: str, **extra: str) -> Any:
    return Client().post(
        "/accounts/signup/",
        {
            "role": "employer",
            "full_name": "Someone",
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
            **extra,
        },
    )


def _answer(response: Any) -> tuple[int, str, list[str]]:
    return response.status_code, response.get("Location", ""), sorted(response.cookies)


def test_a_known_and_a_new_address_get_the_same_answer(bob: User) -> None:
    known = _post("Bob@example.com")
    new = _post("nobody@example.com")
    assert _answer(known) == _answer(new) == (302, "/accounts/confirm/sent/", [])
    page = Client().get(known["Location"])
    assert page.status_code == 200
    assert "We sent an e-mail to the address you gave" in page.content.decode()
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1


def test_the_owner_of_a_known_address_is_told_how_to_sign_in_or_reset(bob: User) -> None:
    _post("bob@example.com")
    mail = OutgoingEmail.objects.get(recipient=bob)
    assert mail.kind == OutgoingEmail.Kind.SIGNUP_ATTEMPT
    assert "/accounts/login/" in mail.body
    assert "/accounts/password_reset/" in mail.body
    event = AuditEvent.objects.get(action="accounts.sign_up_refused")
    assert (event.subject_id, event.data["reason"]) == (str(bob.pk), "email_taken")
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CONFIRM_EMAIL).exists()


def test_the_other_fields_errors_do_not_mention_the_address(bob: User) -> None:
    weak = {"password": "12345678", "password_again": "12345678"}
    known = _post("bob@example.com", **weak)
    new = _post("nobody@example.com", **weak)
    assert known.status_code == new.status_code == 400
    assert known.context["form"].errors == new.context["form"].errors
    assert "email" not in known.context["form"].errors
    assert "password" in known.context["form"].errors


def test_the_service_makes_nothing_for_a_known_address(bob: User) -> None:
    made = services.sign_up(
        email="BOB@example.com", password=PASSWORD, full_name="Bob Again", role="candidate"
    )
    assert made is None
    assert User.objects.count() == 1


def test_a_new_account_is_not_signed_in_by_sign_up() -> None:
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "role": "candidate",
            "full_name": "Nina New",
            "email": "nina@example.com",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert "_auth_user_id" not in client.session
    assert User.objects.get().email == "nina@example.com"
