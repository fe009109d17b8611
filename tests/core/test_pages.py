"""Site-wide pages: home, health, the dashboard switch and the staff hub."""

from __future__ import annotations

import pytest

from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_the_home_page_is_public() -> None:
    response = client_for(None).get("/")
    assert response.status_code == 200
    assert b"Nominee" in response.content


def test_healthz_answers_ok() -> None:
    assert client_for(None).get("/healthz").json() == {"status": "ok"}


def test_the_dashboard_needs_an_account() -> None:
    response = client_for(None).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_dashboard_sends_staff_to_the_program_office(olivia: object) -> None:
    response = client_for(olivia).get("/dashboard/")  # type: ignore[arg-type]
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_the_dashboard_offers_a_choice_to_an_account_without_a_role(oscar: object) -> None:
    response = client_for(oscar).get("/dashboard/")  # type: ignore[arg-type]
    assert response.status_code == 200
    assert b"/employer/" in response.content


@pytest.mark.parametrize("persona", ["olivia", "martin", "audrey"])
def test_staff_see_the_program_office(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/staff/").status_code == 200


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "oscar"])
def test_others_do_not_learn_the_program_office_exists(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/staff/").status_code == 404


def test_an_unknown_page_is_a_404_page() -> None:
    response = client_for(None).get("/no/such/page/")
    assert response.status_code == 404


def test_pages_carry_a_strict_content_security_policy() -> None:
    policy = client_for(None).get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_a_french_browser_gets_one_language_that_the_page_declares(db: None) -> None:
    """The page's language is the one it declares (WCAG 3.1.1): French, Django's messages
    included (Decision 69)."""
    from django.test import Client

    refused = Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").post("/accounts/signup/", {})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert '<html lang="fr"' in page
    assert "Ce champ est obligatoire." in page
    assert "This field is required." not in page
