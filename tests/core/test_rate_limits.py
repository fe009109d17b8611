"""Rate limits (Decision 78): each costly request has a rate per client or per account.

Before issue 14 nothing was limited (30 sign-ups in 6.6 s, 30 reset mails to one address in
1.5 s, 300 scores in 0.8 s); each test lowers the rate it checks and goes one over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from nominee.accounts.models import OutgoingEmail, User
from nominee.eois.models import Candidate
from tests.personas import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings: Any) -> Iterator[Callable[..., None]]:
    """Lower some of the rates for one test (``rates(signup_ip="2/h")``), the clock
    standing still meanwhile: django-ratelimit counts in fixed windows, and a test that
    crossed a window's end would see its count start again (it did, once a minute)."""

    def lower(**scopes: str) -> None:
        settings.NOMINEE_RATE_LIMITS = {**settings.NOMINEE_RATE_LIMITS, **scopes}

    with time_machine.travel(timezone.now(), tick=False):
        yield lower


def _signup(client: Client, email: str) -> Any:
    return client.post(
        "/accounts/signup/",
        {
            "role": "employer",
            "full_name": "Erin Employer",
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )


def _assert_limited_page(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()


def _assert_limited_api(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["message"].startswith("too many requests: try again in")
    assert body["fields"] == {}


def test_sign_ups_from_one_address_are_limited(rates: Callable[..., None]) -> None:
    rates(signup_ip="2/h")
    client = Client()
    for n in range(2):
        assert _signup(Client(), f"erin{n}@example.com").status_code == 302
    _assert_limited_page(_signup(client, "erin9@example.com"))
    assert User.objects.count() == 2


def test_sign_ups_with_one_e_mail_address_are_limited(rates: Callable[..., None]) -> None:
    rates(signup_email="1/h")
    assert _signup(Client(), "erin@example.com").status_code == 302
    # The case of the address does not make it another one.
    _assert_limited_page(_signup(Client(), "ERIN@example.com"))


def test_reset_requests_for_one_address_are_limited(bob: User, rates: Callable[..., None]) -> None:
    rates(password_reset_email="2/h")
    for _ in range(2):
        response = Client().post("/accounts/password_reset/", {"email": "bob@example.com"})
        assert response.status_code == 302
    _assert_limited_page(Client().post("/accounts/password_reset/", {"email": "Bob@Example.com"}))
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PASSWORD_RESET).count() == 2


def test_reset_requests_from_one_client_are_limited(rates: Callable[..., None]) -> None:
    rates(password_reset_ip="2/h")
    client = Client()
    for n in range(2):
        client.post("/accounts/password_reset/", {"email": f"x{n}@example.com"})
    _assert_limited_page(client.post("/accounts/password_reset/", {"email": "y@example.com"}))


def test_confirmation_resends_are_limited(ursula: User, rates: Callable[..., None]) -> None:
    rates(confirmation_resend="1/h")
    client = client_for(ursula)
    assert client.post("/accounts/confirm/resend/").status_code == 302
    _assert_limited_page(client.post("/accounts/confirm/resend/"))


def test_login_attempts_on_one_account_are_limited(bob: User, rates: Callable[..., None]) -> None:
    rates(login_account="2/15m")
    for _ in range(2):
        Client().post("/accounts/login/", {"username": "bob@example.com", "password": "wrong"})
    # Another client, another case: the same account.
    _assert_limited_page(
        Client().post("/accounts/login/", {"username": "BOB@example.com", "password": PASSWORD})
    )


def test_login_attempts_from_one_client_are_limited(rates: Callable[..., None]) -> None:
    rates(login_ip="2/15m")
    client = Client()
    for n in range(2):
        client.post("/accounts/login/", {"username": f"u{n}@example.com", "password": "x"})
    _assert_limited_page(
        client.post("/accounts/login/", {"username": "u9@example.com", "password": "x"})
    )


def test_the_page_says_it_in_french(rates: Callable[..., None]) -> None:
    rates(login_ip="1/15m")
    client = Client()
    client.post("/fr/accounts/login/", {"username": "u@example.com", "password": "x"})
    response = client.post("/fr/accounts/login/", {"username": "u@example.com", "password": "x"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_token_creation_is_limited_on_the_page_and_in_the_api(
    bob: User, rates: Callable[..., None]
) -> None:
    rates(api_token="2/h")
    client = client_for(bob)
    assert client.post("/accounts/tokens/", {"name": "one"}).status_code == 200
    created = client.post("/api/v1/tokens", {"name": "two"}, content_type="application/json")
    assert created.status_code == 201
    _assert_limited_page(client.post("/accounts/tokens/", {"name": "three"}))
    _assert_limited_api(
        client.post("/api/v1/tokens", {"name": "four"}, content_type="application/json")
    )


def test_eoi_registration_is_limited_on_the_wizard_and_in_the_api(
    alice: User, rates: Callable[..., None]
) -> None:
    rates(eoi_register="2/h")
    client = client_for(alice)
    candidate = Candidate.objects.get(user=alice)
    wizard = f"/candidate/{candidate.pk}/eoi/new/stream/"
    assert client.post(wizard, {}).status_code == 400
    refused = client.post("/api/v1/eois", {"document": {}}, content_type="application/json")
    assert refused.status_code == 422
    _assert_limited_page(client.post(wizard, {}))
    _assert_limited_api(
        client.post("/api/v1/eois", {"document": {}}, content_type="application/json")
    )


def test_the_public_score_is_limited_per_client(rates: Callable[..., None]) -> None:
    rates(score_ip="2/m")
    client = Client()
    assert client.post("/api/v1/score", {}, content_type="application/json").status_code == 422
    assert client.get("/calculator/", {"stream": "nowhere"}).status_code == 400
    _assert_limited_api(client.post("/api/v1/score", {}, content_type="application/json"))
    _assert_limited_page(client.get("/calculator/", {"stream": "nowhere"}))
    # Another client address is counted apart.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post("/api/v1/score", {}, content_type="application/json").status_code == 422


def test_a_rate_set_off_is_not_limited(rates: Callable[..., None], settings: Any) -> None:
    settings.NOMINEE_RATE_LIMITS = {**settings.NOMINEE_RATE_LIMITS, "score_ip": None}
    client = Client()
    for _ in range(70):
        assert client.post("/api/v1/score", {}, content_type="application/json").status_code == 422


def test_the_openapi_document_names_the_429() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert "429" in document["paths"]["/api/v1/score"]["post"]["responses"]
