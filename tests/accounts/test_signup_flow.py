"""Sign-up, e-mail confirmation, and the employer's whole first visit through the pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nominee.accounts.models import OutgoingEmail, RepresentativeProfile, User
from nominee.employers.models import Employer, JobOffer
from tests.dates import IN_2025
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client: Client, **extra: str) -> Any:
    """Sign up, then sign in as a new account does (sign-up alone signs nobody in)."""
    data = {
        "role": "employer",
        "full_name": "Erin Employer",
        "email": "Erin@Example.com",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **extra,
    }
    response = client.post("/accounts/signup/", data)
    if response.status_code == 302:
        client.login(username=data["email"], password=data["password"])
    return response


def _link(body: str) -> str:
    match = re.search(r"http://[^/\s]+(/\S+)", body)
    assert match is not None, body
    return match.group(1)


@IN_2025
def test_an_employer_signs_up_registers_a_business_and_gets_a_job_offer_id(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="erin@example.com")
    assert user.email_confirmed_at is None
    assert mailoutbox[0].to == ["erin@example.com"]

    # Unconfirmed: the registration is refused with the reason, and nothing is written.
    business = {
        "legal_name": "Erin's Engines Inc.",
        "cra_business_number": "123456782",
        "street_address": "1 Main St",
        "municipality": "Toronto",
        "postal_code": "M5H 2N2",
        "years_in_business": "4",
        "gross_revenue": "1500000",
        "location_census_division": "3520",
        "location_municipality": "Toronto",
        "location_full_time_employees": "9",
    }
    refused = client.post("/employer/register/", business)
    assert refused.status_code == 403
    assert "Confirm your e-mail address first" in refused.content.decode()
    assert not Employer.objects.exists()

    confirmed = client.get(_link(mailoutbox[0].body))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/en/employer/register/"  # the link carries the language
    user.refresh_from_db()
    assert user.email_confirmed_at is not None

    response = client.post("/employer/register/", business)
    assert response.status_code == 302
    employer_url = response["Location"]
    page = client.get(employer_url).content.decode()
    assert "Meets the employer requirements" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{employer_url}job-offers/new/",
            {
                "stream": "foreign-worker",
                "location": user.employer_contacts.get().employer.locations.get().pk,
                "noc": "software engineers",
                "job_title": "Engine software engineer",
                "hourly_wage": "60",
                "hours_per_week": "40",
                "permanent": "yes",
                "candidate_name": "Cai Candidate",
                "candidate_email": "cai@example.com",
            },
        )
    assert response.status_code == 302, response.content.decode()
    offer = JobOffer.objects.get()
    assert offer.noc_id == "21231"
    offer_page = client.get(response["Location"]).content.decode()
    assert offer.public_id in offer_page
    assert mailoutbox[-1].to == ["cai@example.com"]
    assert offer.public_id in mailoutbox[-1].body

    emails = client.get(f"{employer_url}emails/").content.decode()
    assert offer.public_id in emails
    assert "What to do next" in emails
    assert client.get("/employer/").status_code == 302


def test_a_form_with_bad_input_comes_back_with_a_message_per_field() -> None:
    client = Client()
    response = _signup(client, email="not-an-address", password_again="different", role="")
    assert response.status_code == 400
    assert not User.objects.exists()
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "The two passwords differ." in page


def test_a_weak_password_or_a_taken_address_is_refused(bob: Any) -> None:
    response = _signup(
        Client(), email="bob@example.com", password="12345678", password_again="12345678"
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The weak password is refused; the address is not said to have an account.
    assert "exists already" not in page
    assert "entirely numeric" in page


def test_a_representative_signs_up_with_a_licence() -> None:
    client = Client()
    missing = _signup(client, role="representative")
    assert missing.status_code == 400
    response = _signup(
        client, role="representative", representative_kind="lawyer", licence_number="LSO-1"
    )
    assert response.status_code == 302
    profile = RepresentativeProfile.objects.get()
    assert profile.licence_number == "LSO-1"
    # The dashboard opens once the address is confirmed.
    assert client.get("/representative/")["Location"] == "/accounts/confirm/sent/"
    profile.user.email_confirmed_at = profile.created_at
    profile.user.save(update_fields=["email_confirmed_at"])
    assert client.get("/representative/").status_code == 200


def test_a_candidate_sign_up_creates_the_candidate_profile() -> None:
    from nominee.eois.models import Candidate

    assert _signup(Client(), role="candidate").status_code == 302
    assert Candidate.objects.get().email == "erin@example.com"


def test_a_forged_or_stale_confirmation_link_is_refused(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    assert client.get("/accounts/confirm/not-a-token/").status_code == 400
    user = User.objects.get()
    user.email = "changed@example.com"
    user.save()
    assert client.get(_link(mailoutbox[0].body)).status_code == 400


def test_the_confirmation_can_be_sent_again(
    django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    client = Client()
    _signup(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/confirm/resend/").status_code == 302
    assert len(mailoutbox) == 1  # the first one was not committed in this test
    assert OutgoingEmail.objects.filter(kind="confirm_email").count() == 2
    assert client.get(_link(mailoutbox[0].body)).status_code == 302
    assert User.objects.get().email_confirmed_at is not None


def test_password_reset_sends_a_link_that_sets_a_new_password(
    bob: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    assert client.get("/accounts/password_reset/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "bob@example.com"})
    assert response.status_code == 302
    link = _link(mailoutbox[0].body)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "another fine passphrase 9",
            "new_password2": "another fine passphrase 9",
        },
    )
    assert done.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("another fine passphrase 9")


def test_login_is_throttled_after_repeated_failures(settings: Any, bob: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    # Until settings.py sets it: axes defaults to USERNAME_FIELD ("email"), which the
    # login form does not post, so attempts were counted per address only.
    settings.AXES_USERNAME_FORM_FIELD = "username"
    client = Client()
    for _attempt in range(3):
        client.post("/accounts/login/", {"username": "bob@example.com", "password": "wrong"})
    blocked = client.post("/accounts/login/", {"username": "bob@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_login_page_links_to_sign_up_and_reset() -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/signup/" in page
    assert "/accounts/password_reset/" in page
