"""The candidate pages and the staff pool pages, and who may see them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from nominee.accounts.models import Appointment, User
from nominee.accounts.services import appoint_representative
from nominee.employers.models import JobOffer
from nominee.eois.models import EOI, Candidate
from tests.dates import IN_2025
from tests.factories import make_eoi
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db


def walk_registration(client: object, candidate: Candidate, offer: JobOffer) -> object:
    base = f"/candidate/{candidate.pk}/eoi/new/"
    c = client  # type: ignore[assignment]
    r = c.post(base + "stream/", {"stream": "foreign-worker", "job_offer_id": offer.public_id})
    assert r.status_code == 302, r.content
    r = c.post(
        base + "profile/",
        {
            "permit": "work",
            "job_tenure_months": "7",
            "highest_annual_earnings": "52000",
            "education_level": "masters",
            "education_field": "stem",
            "canadian_credentials": "2",
            "english": "9",
        },
    )
    assert r.status_code == 302, r.content
    r = c.post(
        base + "eligibility/", {"experience_months_in_noc_last_5y": "36", "ontario_licence": "no"}
    )
    assert r.status_code == 302, r.content
    review = c.get(base + "review/")
    assert review.status_code == 200
    assert b"Score" in review.content
    return c.post(base + "review/", {"confirm": "on"})


@IN_2025
def test_a_candidate_registers_sees_the_score_updates_and_withdraws(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    client = client_for(alice)
    offer = offer_for()
    response = walk_registration(client, alice_candidate, offer)
    eoi = EOI.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/eoi/{eoi.external_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"{eoi.score} of {eoi.max_score}".encode() in page.content
    assert b"Job offer: TEER" in page.content
    assert b"job_offer_teer" not in page.content
    assert client.get("/candidate/").status_code == 200
    update = client.post(
        f"/eoi/{eoi.external_id}/update/",
        {
            "p-permit": "work",
            "p-job_tenure_months": "7",
            "p-highest_annual_earnings": "52000",
            "p-english": "9",
            "p-french": "7",
            "f-experience_months_in_noc_last_5y": "36",
            "f-ontario_licence": "no",
        },
    )
    assert update.status_code == 302, update.content
    eoi.refresh_from_db()
    assert eoi.french_clb == 7
    assert client.post(f"/eoi/{eoi.external_id}/withdraw/", {}).status_code == 400
    assert client.post(f"/eoi/{eoi.external_id}/withdraw/", {"confirm": "on"}).status_code == 302
    eoi.refresh_from_db()
    assert eoi.status == EOI.Status.WITHDRAWN


@IN_2025
def test_a_refused_registration_says_which_rule(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    client = client_for(alice)
    offer = offer_for(candidate_email="someone-else@example.com")
    # The Job Offer ID is checked in the first step, before any step shows the offer.
    response = client.post(
        f"/candidate/{alice_candidate.pk}/eoi/new/stream/",
        {"stream": "foreign-worker", "job_offer_id": offer.public_id},
    )
    assert response.status_code == 400
    assert b"No job offer with this ID is addressed to you." in response.content
    assert offer.job_title.encode() not in response.content
    assert not EOI.objects.exists()


def test_a_bad_step_redisplays_with_400(alice: User, alice_candidate: Candidate) -> None:
    client = client_for(alice)
    response = client.post(
        f"/candidate/{alice_candidate.pk}/eoi/new/stream/", {"stream": "foreign-worker"}
    )
    assert response.status_code == 400
    assert b"Job Offer ID" in response.content


def test_an_account_without_a_candidate_profile_is_offered_one(oscar: User) -> None:
    client = client_for(oscar)
    page = client.get("/candidate/")
    assert page.status_code == 200
    assert b"Create my candidate profile" in page.content
    assert client.post("/candidate/", {"full_name": ""}).status_code == 400
    assert client.post("/candidate/", {"full_name": "Oscar Outsider"}).status_code == 302
    assert Candidate.objects.get(user=oscar).email == "oscar@example.com"


def test_a_legacy_eoi_shows_the_resubmission_instructions(
    alice: User, alice_candidate: Candidate, at: Callable[..., object]
) -> None:
    eoi = make_eoi(registered_at=at(2025, 6, 1, 10), is_legacy=True, candidate=alice_candidate)
    page = client_for(alice).get(f"/eoi/{eoi.external_id}/")
    assert page.status_code == 200
    assert b"submit the job offer again" in page.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("olivia", 200),
        ("martin", 200),
        ("audrey", 200),
        ("carol", 404),
        ("bob", 404),
        ("oscar", 404),
    ],
)
def test_who_sees_an_eoi(
    request: pytest.FixtureRequest,
    alice_candidate: Candidate,
    persona: str,
    status: int,
) -> None:
    eoi = make_eoi(registered_at=timezone.now() - timedelta(days=1), candidate=alice_candidate)
    user: User = request.getfixturevalue(persona)
    assert client_for(user).get(f"/eoi/{eoi.external_id}/").status_code == status
    assert client_for(None).get(f"/eoi/{eoi.external_id}/").status_code == 302


@pytest.mark.parametrize("persona", ["olivia", "audrey", "martin"])
def test_staff_may_read_but_not_change_an_eoi(
    request: pytest.FixtureRequest, alice_candidate: Candidate, persona: str
) -> None:
    eoi = make_eoi(registered_at=timezone.now() - timedelta(days=1), candidate=alice_candidate)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/eoi/{eoi.external_id}/withdraw/").status_code == 404
    assert client.post(f"/eoi/{eoi.external_id}/withdraw/", {"confirm": "on"}).status_code == 404
    eoi.refresh_from_db()
    assert eoi.status == EOI.Status.ACTIVE


def test_a_representative_sees_the_file_once_appointed(
    alice: User, carol: User, alice_candidate: Candidate
) -> None:
    eoi = make_eoi(registered_at=timezone.now() - timedelta(days=1), candidate=alice_candidate)
    client = client_for(carol)
    assert client.get(f"/candidate/{alice_candidate.pk}/").status_code == 404
    appoint_representative(actor=alice, representative=carol, candidate=alice_candidate)
    assert client.get(f"/eoi/{eoi.external_id}/").status_code == 200
    assert client.get(f"/candidate/{alice_candidate.pk}/").status_code == 200


def test_the_wizard_goes_back_to_the_page_it_was_started_from(
    alice: User, carol: User, alice_candidate: Candidate
) -> None:
    appoint_representative(actor=alice, representative=carol, candidate=alice_candidate)
    first_step = f"/candidate/{alice_candidate.pk}/eoi/new/stream/"
    own = client_for(alice).get(first_step).context["back_url"]
    theirs = client_for(carol).get(first_step).context["back_url"]
    assert (own, theirs) == ("/candidate/", f"/candidate/{alice_candidate.pk}/")


def test_a_refused_appointment_keeps_the_address_and_names_the_problem_next_to_it(
    alice: User, carol: User, oscar: User, alice_candidate: Candidate
) -> None:
    """The form used to redirect with a page message only: what was typed was lost."""
    client = client_for(alice)
    refused = client.post("/candidate/representatives/", {"representative": oscar.email})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'value="oscar@example.com"' in page
    assert 'id="id_representative_error"' in page
    assert not Appointment.objects.exists()
    assert client.post("/candidate/representatives/", {"representative": ""}).status_code == 400
    appointed = client.post("/candidate/representatives/", {"representative": carol.email})
    assert appointed.status_code == 302
    assert appointed["Location"] == "/candidate/"
    assert Appointment.objects.get().candidate == alice_candidate
    again = client.post("/candidate/representatives/", {"representative": carol.email})
    assert again.status_code == 400
    assert "appointed already" in again.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("olivia", 200),
        ("martin", 200),
        ("audrey", 200),
        ("alice", 404),
        ("bob", 404),
        ("oscar", 404),
    ],
)
def test_only_staff_see_the_pool(
    request: pytest.FixtureRequest, persona: str, status: int, at: Callable[..., object]
) -> None:
    make_eoi(registered_at=at(2025, 8, 1, 9), noc="21231", region="toronto")
    make_eoi(registered_at=at(2025, 8, 2, 9), noc="31102", region="northern", score=60)
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/staff/pool/").status_code == status
    listing = client.get("/staff/pool/eois/?noc=31102&registered_from=2025-08-02")
    assert listing.status_code == status
    if status == 200:
        assert listing.content.count(b"/eoi/") == 1


def test_the_pool_filters_refuse_bad_input(olivia: User) -> None:
    assert client_for(olivia).get("/staff/pool/eois/?noc=abc").status_code == 400


def test_a_new_account_can_be_made_a_candidate_by_signup_too() -> None:
    user = make_user("new@example.com")
    assert client_for(user).get("/candidate/").status_code == 200
