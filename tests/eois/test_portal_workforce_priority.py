"""Workforce Priority EOIs in the portal (issue 12): the three pathways through the
registration wizard and the API, the physician's facts, the OHIP billing number never
shown in full, and the carry-over of an EOI withdrawn by its stream's closing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from nominee.accounts.models import User
from nominee.accounts.services import appoint_representative
from nominee.audit.models import AuditEvent
from nominee.core.timeutil import PROGRAM_TZ
from nominee.employers.models import JobOffer
from nominee.eois.models import EOI, Candidate
from tests.eois.conftest import PHYSICIAN, WORKER
from tests.factories import make_eoi
from tests.personas import client_for

pytestmark = pytest.mark.django_db

OHIP = "123456"
PHYSICIAN_FACTS = {"cpso_class": "independent-practice", "ohip_billing_number": OHIP}
TEER_0_3_FACTS = {
    "position_months_last_12": "8",
    "experience_months_in_noc_last_5y": "30",
    "ontario_licence": "no",
    "post_secondary": "canadian",
    "credential_in_ontario": "no",
}
TEER_4_5_FACTS = {"ontario_position_months_last_24": "12", "high_school_equivalent": "yes"}
PROFILE = {
    "permit": "work",
    "job_tenure_months": "14",
    "ontario_work_months": "30",
    "highest_annual_earnings": "72000",
    "education_level": "professional-degree",
    "canadian_credentials": "1",
    "english": "9",
}


def base(candidate: Candidate) -> str:
    return f"/candidate/{candidate.pk}/eoi/new/"


def walk(
    client: Client,
    candidate: Candidate,
    *,
    pathway: str,
    job_offer_id: str = "",
    profile: dict[str, str] | None = None,
    facts: dict[str, str] | None = None,
) -> Any:
    """The four steps of the wizard; the answer of the last one."""
    url = base(candidate)
    r = client.post(
        url + "stream/",
        {"stream": "workforce-priority", "pathway": pathway, "job_offer_id": job_offer_id},
    )
    assert r.status_code == 302, r.content.decode()
    r = client.post(url + "profile/", profile or PROFILE)
    assert r.status_code == 302, r.content.decode()
    r = client.post(url + "eligibility/", facts or {})
    assert r.status_code == 302, r.content.decode()
    review = client.get(url + "review/")
    assert review.status_code == 200
    assert b"Score " in review.content
    return client.post(url + "review/", {"confirm": "on"})


# ---- the wizard --------------------------------------------------------------------------


def test_the_first_step_offers_todays_stream_and_its_pathways_and_says_the_old_ones_closed(
    alice: User, alice_candidate: Candidate
) -> None:
    page = client_for(alice).get(base(alice_candidate) + "stream/").content.decode()
    assert 'value="workforce-priority"' in page
    assert 'value="foreign-worker"' not in page
    assert "closed on 2026-05-30" in page
    assert "Ontario Workforce Priority opened on 2026-06-26" in page
    for pathway in ("teer-0-3", "teer-4-5", "physician"):
        assert f'value="{pathway}"' in page
    assert "no employer and no job offer" in page


def test_a_teer_0_3_worker_registers_through_the_wizard(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(stream="workforce-priority", noc="21231")
    response = walk(
        client_for(alice),
        alice_candidate,
        pathway="teer-0-3",
        job_offer_id=offer.public_id,
        facts=TEER_0_3_FACTS,
    )
    assert response.status_code == 302, response.content.decode()
    eoi = EOI.objects.get()
    assert (eoi.pathway, eoi.job_offer, eoi.noc) == ("teer-0-3", offer, "21231")
    assert eoi.profile["ontario_work_months"] == 30
    assert eoi.profile["education"]["level"] == "professional-degree"
    page = client_for(alice).get(f"/eoi/{eoi.external_id}/").content.decode()
    assert "Workers in TEER 0-3 occupations" in page


def test_a_teer_4_5_worker_registers_through_the_wizard(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(
        stream="workforce-priority", noc="64100", job_title="Retail salesperson", hourly_wage=25
    )
    response = walk(
        client_for(alice),
        alice_candidate,
        pathway="teer-4-5",
        job_offer_id=offer.public_id,
        profile={**PROFILE, "english": "5", "education_level": "secondary-or-less"},
        facts=TEER_4_5_FACTS,
    )
    assert response.status_code == 302, response.content.decode()
    assert EOI.objects.get().pathway == "teer-4-5"


def test_a_physician_registers_with_no_job_offer_and_the_page_shows_the_practice(
    alice: User, alice_candidate: Candidate
) -> None:
    client = client_for(alice)
    profile_page = client.post(
        base(alice_candidate) + "stream/", {"stream": "workforce-priority", "pathway": "physician"}
    )
    assert profile_page.status_code == 302
    form = client.get(base(alice_candidate) + "profile/").content.decode()
    assert "Months of medical practice in Ontario" in form
    assert "31102 General practitioners and family physicians" in form
    response = walk(
        client,
        alice_candidate,
        pathway="physician",
        profile={**PROFILE, "practice_noc": "31102", "practice_census_division": "3553"},
        facts={"cpso_class": "independent-practice", "ohip_billing_number": "123 456"},
    )
    assert response.status_code == 302, response.content.decode()
    eoi = EOI.objects.get()
    assert (eoi.pathway, eoi.job_offer, eoi.noc, eoi.max_score) == ("physician", None, "31102", 115)
    assert eoi.facts["ohip_billing_number"] == OHIP  # stored in full, normalised
    page = client.get(f"/eoi/{eoi.external_id}/").content.decode()
    assert "Self-employed physicians" in page
    assert "General practitioners and family physicians" in page
    assert "Greater Sudbury" in page
    assert OHIP not in page
    assert "56" in page


def test_a_physician_quoting_a_job_offer_id_is_told_to_leave_it_empty(
    alice: User, alice_candidate: Candidate
) -> None:
    response = client_for(alice).post(
        base(alice_candidate) + "stream/",
        {"stream": "workforce-priority", "pathway": "physician", "job_offer_id": "JO-ABCD-2345"},
    )
    assert response.status_code == 400
    assert b"takes no job offer and no employer" in response.content


def test_a_pathway_is_required(alice: User, alice_candidate: Candidate) -> None:
    response = client_for(alice).post(
        base(alice_candidate) + "stream/", {"stream": "workforce-priority"}
    )
    assert response.status_code == 400
    assert b"Choose the pathway that fits you." in response.content


def test_a_teer_4_5_offer_on_the_teer_0_3_pathway_is_refused_with_the_rule(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(stream="workforce-priority", noc="64100", hourly_wage=25)
    response = client_for(alice).post(
        base(alice_candidate) + "stream/",
        {"stream": "workforce-priority", "pathway": "teer-0-3", "job_offer_id": offer.public_id},
    )
    assert response.status_code == 400
    assert b"job_offer.teer" in response.content
    assert b"TEER 4" in response.content
    api = register_api(alice, {**WORKER, "pathway": "teer-0-3"}, offer.public_id)
    assert api.status_code == 422
    assert api.json()["code"] == "job_offer.teer"
    assert "job_offer.teer" in api.json()["fields"]["job_offer_id"][0]
    assert not EOI.objects.exists()


def test_the_physicians_facts_are_required_per_field_on_the_page(
    alice: User, alice_candidate: Candidate
) -> None:
    client = client_for(alice)
    client.post(
        base(alice_candidate) + "stream/", {"stream": "workforce-priority", "pathway": "physician"}
    )
    response = client.post(base(alice_candidate) + "eligibility/", {"ohip_billing_number": "12ab"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cpso_class" in page
    assert "Six digits" in page


# ---- the API ------------------------------------------------------------------------------


def register_api(
    user: User | None,
    document: dict[str, Any],
    job_offer_id: str | None = None,
    facts: dict[str, Any] | None = None,
    **extra: Any,
) -> Any:
    return client_for(user).post(
        "/api/v1/eois",
        {"document": document, "job_offer_id": job_offer_id, "facts": facts, **extra},
        content_type="application/json",
    )


def test_each_pathway_registers_through_the_api(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    worker = register_api(
        alice,
        WORKER,
        offer_for(stream="workforce-priority").public_id,
        {"post_secondary": "canadian"},
    )
    assert worker.status_code == 201, worker.json()
    assert worker.json()["pathway"] == "teer-0-3"
    physician = register_api(alice, PHYSICIAN, None, PHYSICIAN_FACTS)
    # One live EOI per stream: the physician is refused as a second one, not for its facts.
    assert physician.status_code == 409


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        (None, {"facts.cpso_class", "facts.ohip_billing_number"}),
        ({"cpso_class": "provisional"}, {"facts.ohip_billing_number"}),
        ({"ohip_billing_number": OHIP}, {"facts.cpso_class"}),
        (
            {"cpso_class": "provisional", "ohip_billing_number": "12345"},
            {"facts.ohip_billing_number"},
        ),
    ],
)
def test_a_physician_without_the_class_or_the_number_is_refused_per_field(
    alice: User, alice_candidate: Candidate, facts: dict[str, Any] | None, fields: set[str]
) -> None:
    response = register_api(alice, PHYSICIAN, None, facts)
    assert response.status_code == 400, response.json()
    assert set(response.json()["fields"]) == fields
    assert not EOI.objects.exists()


def test_a_class_that_does_not_permit_patient_care_is_refused_by_rule(
    alice: User, alice_candidate: Candidate
) -> None:
    response = register_api(alice, PHYSICIAN, None, {**PHYSICIAN_FACTS, "cpso_class": "other"})
    assert response.status_code == 422
    assert "physician.cpso_class" in response.json()["message"]


def test_the_ohip_number_is_never_shown_in_full(
    alice: User, alice_candidate: Candidate, olivia: User
) -> None:
    assert register_api(alice, PHYSICIAN, None, PHYSICIAN_FACTS).status_code == 201
    eoi = EOI.objects.get()
    pages = [
        client_for(alice).get("/candidate/"),
        client_for(alice).get(f"/eoi/{eoi.external_id}/"),
        client_for(alice).get("/api/v1/eois"),
        client_for(olivia).get(f"/eoi/{eoi.external_id}/"),
        client_for(olivia).get("/staff/pool/eois/"),
        client_for(olivia).get("/api/v1/staff/eois"),
        client_for(olivia).get(f"/api/v1/eois/{eoi.external_id}"),
        client_for(olivia).get(f"/api/v1/eois/{eoi.external_id}/history"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert OHIP.encode() not in page.content, page.request["PATH_INFO"]
    assert (
        client_for(olivia)
        .get(f"/api/v1/eois/{eoi.external_id}")
        .json()["facts"]["ohip_billing_number"]
        .endswith("56")
    )


# ---- carry-over ---------------------------------------------------------------------------

OLD_PROFILE: dict[str, Any] = {
    "stream": "foreign-worker",
    "registered_at": "2025-11-17T15:00:00Z",
    "job_offer": {"noc": "21231", "hourly_wage": 55, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "education": {
        "level": "masters",
        "field": "stem",
        "canadian_credentials": 2,
        "study_census_division": "3553",
    },
    "languages": {"english": 9, "french": None},
}
CLOSED_WITHDRAWAL = datetime(2026, 6, 25, 9, 0, tzinfo=PROGRAM_TZ)


def withdrawn_eoi(
    candidate: Candidate | None,
    *,
    withdrawn_at: datetime = CLOSED_WITHDRAWAL,
    status: str = EOI.Status.WITHDRAWN,
    **job: Any,
) -> EOI:
    """A 2025 Foreign Worker EOI withdrawn (by default) on the day the closing's withdrawal ran."""
    profile = {**OLD_PROFILE, "job_offer": {**OLD_PROFILE["job_offer"], **job}}
    return make_eoi(
        registered_at=datetime(2025, 11, 17, 10, 0, tzinfo=PROGRAM_TZ),
        status=status,
        withdrawn_at=withdrawn_at if status == EOI.Status.WITHDRAWN else None,
        candidate=candidate,
        profile=profile,
        noc=profile["job_offer"]["noc"],
        facts={"experience_months_in_noc_last_5y": 36},
    )


def test_the_draft_is_prefilled_and_names_the_pathway_that_fits(
    alice: User, alice_candidate: Candidate
) -> None:
    old = withdrawn_eoi(alice_candidate)
    draft = client_for(alice).get(f"/api/v1/eois/{old.external_id}/carry-over")
    assert draft.status_code == 200, draft.json()
    body = draft.json()
    assert (body["stream"], body["pathway"], body["carried_from"]) == (
        "workforce-priority",
        "teer-0-3",
        old.external_id,
    )
    doc = body["document"]
    assert doc["languages"] == {"english": 9, "french": None}
    assert doc["education"] == {"level": "masters", "canadian_credentials": 2}
    assert (doc["permit"], doc["highest_annual_earnings"], doc["job_tenure_months"]) == (
        "work",
        52000,
        7,
    )
    assert doc["ontario_work_months"] == 7
    assert body["job_offer_hint"] == {"noc": "21231", "hourly_wage": 55, "census_division": "3520"}
    assert body["score"]["grid"] == "2026-06-26"
    assert body["score"]["max"] == 130


@pytest.mark.parametrize(
    ("noc", "pathway"), [("21231", "teer-0-3"), ("64100", "teer-4-5"), ("31102", "physician")]
)
def test_the_pathway_follows_the_old_offers_occupation(
    alice: User, alice_candidate: Candidate, noc: str, pathway: str
) -> None:
    old = withdrawn_eoi(alice_candidate, noc=noc)
    body = client_for(alice).get(f"/api/v1/eois/{old.external_id}/carry-over").json()
    assert body["pathway"] == pathway
    if pathway == "physician":
        assert body["document"]["practice"] == {"noc": "31102", "census_division": "3520"}
        assert "job_offer" not in body["document"]


def test_carry_over_registers_once_with_a_new_offer_and_links_old_to_new(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer], olivia: User
) -> None:
    old = withdrawn_eoi(alice_candidate)
    body = client_for(alice).get(f"/api/v1/eois/{old.external_id}/carry-over").json()
    document = {k: v for k, v in body["document"].items() if k != "job_offer"}
    used = offer_for(stream="workforce-priority")
    JobOffer.objects.filter(pk=used.pk).update(status=JobOffer.Status.EOI_WITHDRAWN)
    refused = register_api(
        alice,
        document,
        used.public_id,
        {"post_secondary": "canadian"},
        carried_from=old.external_id,
    )
    assert refused.status_code == 409  # an offer once used is never used again
    offer = offer_for(stream="workforce-priority")
    created = register_api(
        alice,
        document,
        offer.public_id,
        {"post_secondary": "canadian"},
        carried_from=old.external_id,
    )
    assert created.status_code == 201, created.json()
    new = EOI.objects.get(external_id=created.json()["id"])
    assert new.carried_from == old
    assert created.json()["carried_from"] == old.external_id
    event = AuditEvent.objects.get(action="eois.eoi_registered", subject_id=str(new.pk))
    assert event.after["carried_from"] == old.external_id
    assert AuditEvent.objects.filter(
        action="eois.eoi_carried_over", subject_id=str(old.pk)
    ).exists()
    # One carry-over per old EOI: the draft and a second registration are refused.
    again = client_for(alice).get(f"/api/v1/eois/{old.external_id}/carry-over")
    assert again.status_code == 409
    assert again.json()["code"] == "eoi.already_carried"
    new.status = EOI.Status.WITHDRAWN
    new.save()
    second = register_api(
        alice,
        document,
        offer_for(stream="workforce-priority").public_id,
        {"post_secondary": "canadian"},
        carried_from=old.external_id,
    )
    assert second.status_code == 409
    assert EOI.objects.filter(carried_from=old).count() == 1
    # Staff read both ends of the link.
    assert client_for(olivia).get(f"/api/v1/eois/{new.external_id}").json()["carried_from"] == (
        old.external_id
    )
    assert new.external_id.encode() in client_for(olivia).get(f"/eoi/{old.external_id}/").content


@pytest.mark.parametrize("kind", ["active", "withdrawn-before-closing", "invited"])
def test_only_an_eoi_withdrawn_by_a_closing_is_carried(
    alice: User, alice_candidate: Candidate, kind: str
) -> None:
    if kind == "active":
        old = withdrawn_eoi(alice_candidate, status=EOI.Status.ACTIVE)
    elif kind == "invited":
        old = withdrawn_eoi(alice_candidate, status=EOI.Status.INVITED)
    else:
        old = withdrawn_eoi(
            alice_candidate, withdrawn_at=datetime(2026, 3, 1, 9, 0, tzinfo=PROGRAM_TZ)
        )
    response = client_for(alice).get(f"/api/v1/eois/{old.external_id}/carry-over")
    assert response.status_code == 409
    assert response.json()["code"] == "eoi.not_carriable"
    page = client_for(alice).get(f"/eoi/{old.external_id}/").content
    assert b"Start a Workforce Priority EOI from this one" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("carol", 200),
        ("bob", 404),
        ("olivia", 404),
        ("martin", 404),
        ("audrey", 404),
        ("oscar", 404),
        ("ursula", 403),  # the API refuses an unconfirmed account first
        (None, 401),
    ],
)
def test_who_may_carry_over_alices_eoi(
    request: pytest.FixtureRequest,
    alice: User,
    alice_candidate: Candidate,
    carol: User,
    bob: User,
    offer_for: Callable[..., JobOffer],
    persona: str | None,
    status: int,
) -> None:
    appoint_representative(actor=alice, representative=carol, candidate=alice_candidate)
    old = withdrawn_eoi(alice_candidate)
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).get(f"/api/v1/eois/{old.external_id}/carry-over")
    assert response.status_code == status
    page = client_for(user).get(f"/eoi/{old.external_id}/carry-over/")
    # The page: the draft for who may act, 404 for other accounts; anonymous goes to the
    # login, the unconfirmed account to "confirm your e-mail address".
    expected = {"alice": 200, "carol": 200, "ursula": 302, None: 302}.get(persona, 404)
    assert page.status_code == expected
    if status == 200:
        offer = offer_for(stream="workforce-priority")
        created = register_api(
            user,
            {**WORKER, "ontario_work_months": 7},
            offer.public_id,
            {"post_secondary": "canadian"},
            carried_from=old.external_id,
            candidate_id=alice_candidate.pk if persona == "carol" else None,
        )
        assert created.status_code == 201, created.json()
    elif user is not None:
        created = register_api(
            user,
            WORKER,
            None,
            None,
            carried_from=old.external_id,
            candidate_id=alice_candidate.pk,
        )
        # 403 for the unconfirmed account (refused before anything is looked up), else 404.
        assert created.status_code == (403 if persona == "ursula" else 404)
        assert not EOI.objects.filter(carried_from=old).exists()


def test_an_unconfirmed_account_may_not_carry_over_its_own_eoi(ursula: User) -> None:
    old = withdrawn_eoi(Candidate.objects.get(user=ursula))
    response = client_for(ursula).get(f"/api/v1/eois/{old.external_id}/carry-over")
    assert response.status_code == 403


def test_the_carry_over_page_starts_the_wizard_prefilled_and_registers_with_the_link(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    old = withdrawn_eoi(alice_candidate)
    client = client_for(alice)
    dashboard = client.get("/candidate/").content.decode()
    assert f"/eoi/{old.external_id}/carry-over/" in dashboard
    detail = client.get(f"/eoi/{old.external_id}/").content.decode()
    assert "Start a Workforce Priority EOI from this one" in detail
    page = client.get(f"/eoi/{old.external_id}/carry-over/").content.decode()
    assert "Workers in TEER 0-3 occupations" in page
    assert "Score " in page
    assert "of 130" in page
    start = client.post(f"/eoi/{old.external_id}/carry-over/")
    assert start.status_code == 302
    assert start["Location"] == base(alice_candidate) + "stream/"
    step = client.get(start["Location"]).content.decode()
    assert old.external_id in step
    assert "new Job Offer ID" in step
    offer = offer_for(stream="workforce-priority")
    r = client.post(
        base(alice_candidate) + "stream/",
        {"stream": "workforce-priority", "pathway": "teer-0-3", "job_offer_id": offer.public_id},
    )
    assert r.status_code == 302
    profile = client.get(base(alice_candidate) + "profile/").content.decode()
    assert 'value="52000' in profile  # the earnings carried over
    r = client.post(
        base(alice_candidate) + "profile/",
        {**PROFILE, "ontario_work_months": "20", "education_level": "masters"},
    )
    assert r.status_code == 302
    r = client.post(base(alice_candidate) + "eligibility/", TEER_0_3_FACTS)
    assert r.status_code == 302
    done = client.post(base(alice_candidate) + "review/", {"confirm": "on"})
    assert done.status_code == 302, done.content.decode()
    new = EOI.objects.get(carried_from=old)
    assert new.job_offer == offer
    assert f"/eoi/{old.external_id}/carry-over/" not in client.get("/candidate/").content.decode()


def test_the_command_prints_the_prefilled_document_and_refuses_with_exit_2(
    alice: User, alice_candidate: Candidate, oscar: User
) -> None:
    old = withdrawn_eoi(alice_candidate)
    out = StringIO()
    call_command("eoi", "carry-over", old.external_id, "--as", alice.email, "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert (document["stream"], document["pathway"]) == ("workforce-priority", "teer-0-3")
    assert document["languages"]["english"] == 9
    active = withdrawn_eoi(alice_candidate, status=EOI.Status.ACTIVE)
    for external_id, who in (
        (old.external_id, oscar.email),  # not the caller's
        (active.external_id, alice.email),  # not withdrawn by a closing
        ("FW-NOSUCH", alice.email),
    ):
        with pytest.raises(CommandError) as refused:
            call_command("eoi", "carry-over", external_id, "--as", who, "--json", stdout=StringIO())
        assert refused.value.returncode == 2
    EOI.objects.filter(pk=active.pk).update(carried_from=old)  # already carried
    with pytest.raises(CommandError) as refused:
        call_command("eoi", "carry-over", old.external_id, "--as", alice.email, stdout=StringIO())
    assert refused.value.returncode == 2
    assert "carried over already" in str(refused.value)


def test_a_physician_updates_without_retyping_the_ohip_number(
    alice: User, alice_candidate: Candidate
) -> None:
    assert register_api(alice, PHYSICIAN, None, PHYSICIAN_FACTS).status_code == 201
    eoi = EOI.objects.get()
    client = client_for(alice)
    form = client.get(f"/eoi/{eoi.external_id}/update/")
    assert form.status_code == 200
    assert OHIP.encode() not in form.content
    assert b"keep the number on file" in form.content
    response = client.post(
        f"/eoi/{eoi.external_id}/update/",
        {
            "p-permit": "work",
            "p-job_tenure_months": "40",
            "p-ontario_work_months": "40",
            "p-highest_annual_earnings": "0",
            "p-english": "9",
            "p-practice_noc": "31102",
            "p-practice_census_division": "3544",
            "f-cpso_class": "academic-practice",
        },
    )
    assert response.status_code == 302, response.content.decode()
    eoi.refresh_from_db()
    assert eoi.facts == {"cpso_class": "academic-practice", "ohip_billing_number": OHIP}
    assert eoi.profile["job_tenure_months"] == 40
    assert eoi.pathway == "physician"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 201),
        ("carol", 201),
        ("bob", 404),
        ("olivia", 404),
        ("martin", 404),
        ("audrey", 404),
        ("oscar", 404),
        ("ursula", 403),
        (None, 401),
    ],
)
def test_who_may_register_a_physician_eoi_for_alice(
    request: pytest.FixtureRequest,
    alice: User,
    alice_candidate: Candidate,
    carol: User,
    persona: str | None,
    status: int,
) -> None:
    appoint_representative(actor=alice, representative=carol, candidate=alice_candidate)
    user = request.getfixturevalue(persona) if persona else None
    response = register_api(
        user,
        PHYSICIAN,
        None,
        PHYSICIAN_FACTS,
        candidate_id=None if persona == "alice" else alice_candidate.pk,
    )
    assert response.status_code == status
    assert EOI.objects.filter(candidate=alice_candidate).count() == (1 if status == 201 else 0)
    wizard = client_for(user).post(
        base(alice_candidate) + "stream/", {"stream": "workforce-priority", "pathway": "physician"}
    )
    # The wizard: the next step for who may act, 404 for other accounts, the login for
    # anonymous; the unconfirmed account's POST is refused before any view runs (403).
    assert wizard.status_code == {201: 302, 401: 302, 403: 403}.get(status, 404)


def test_the_dashboards_carry_over_links_cost_no_query_per_eoi(
    alice: User, alice_candidate: Candidate
) -> None:
    client = client_for(alice)
    withdrawn_eoi(alice_candidate)
    client.get("/candidate/")  # warm the session and the reference caches
    with CaptureQueriesContext(connection) as one:
        client.get("/candidate/")
    for _ in range(9):
        withdrawn_eoi(alice_candidate)
    with CaptureQueriesContext(connection) as ten:
        page = client.get("/candidate/")
    assert page.content.decode().count("/carry-over/") == 10
    assert len(ten.captured_queries) == len(one.captured_queries)
