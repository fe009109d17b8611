"""E-mail addresses compare case-insensitively on every path (issue 14).

Addresses are stored in lower case whoever writes them, and looked up ignoring case:
``Bob@Example.COM`` is Bob everywhere (signing in, axes' lockout, sign-up, address change,
password reset, contact invitations, Job Offer IDs).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from nominee.accounts import services
from nominee.accounts.models import OutgoingEmail, User
from nominee.core.errors import ValidationFailed
from nominee.employers.models import Employer, EmployerContact
from nominee.employers.services import invite_contact
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_ignores_the_case_of_the_address(bob: User) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "Bob@Example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert Client().login(username=" BOB@example.com ", password=PASSWORD)


def test_axes_counts_the_failures_of_every_case_as_one_account(bob: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    for n in range(settings.AXES_FAILURE_LIMIT):
        typed = "bob@example.com" if n % 2 else "BOB@example.com"
        Client().post("/accounts/login/", {"username": typed, "password": "wrong"})
    locked = Client().post(
        "/accounts/login/", {"username": "bob@example.com", "password": PASSWORD}
    )
    assert locked.status_code == 429  # axes' lockout page


def test_an_address_is_stored_in_lower_case_whoever_writes_it() -> None:
    user = User(email="Dan@Example.COM", username="Dan@Example.COM")
    user.set_password(PASSWORD)
    user.save()
    user.refresh_from_db()
    assert (user.email, user.username) == ("dan@example.com", "dan@example.com")


def test_two_accounts_cannot_differ_only_by_case(bob: User, oscar: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=oscar.pk).update(email="BOB@example.com")


def test_the_admin_creates_an_account_in_lower_case(martin: User) -> None:
    admin = Client()
    admin.force_login(User.objects.create_superuser(email="root@example.com", password=PASSWORD))
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "email": "Nina@Example.com",
            "username": "nina",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="nina@example.com").exists()


def test_a_sign_up_with_a_known_address_in_another_case_makes_no_account(bob: User) -> None:
    Client().post(
        "/accounts/signup/",
        {
            "role": "employer",
            "full_name": "Someone Else",
            "email": "BOB@Example.com",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1


def test_an_address_change_to_anothers_address_in_another_case_is_refused(
    alice: User, bob: User
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.request_email_change(user=alice, password=PASSWORD, new_email="BOB@Example.com")
    assert "email" in refused.value.fields
    with pytest.raises(ValidationFailed):
        services.request_email_change(user=alice, password=PASSWORD, new_email="ALICE@example.com")


def test_a_reset_request_in_another_case_reaches_the_account(bob: User) -> None:
    assert services.request_password_reset(email="  Bob@EXAMPLE.com") is not None
    assert OutgoingEmail.objects.get().to_email == "bob@example.com"


def test_a_contact_invitation_in_another_case_finds_the_account(bob: User, alice: User) -> None:
    employer = Employer.objects.get(contacts__user=bob)
    contact = invite_contact(actor=bob, employer=employer, email="Alice@Example.COM")
    assert contact.user == alice
    assert EmployerContact.objects.filter(employer=employer).count() == 2
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
