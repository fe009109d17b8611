"""The EOI API: the candidate's own EOIs and the staff reads, with the shared error schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from nominee.accounts.models import User
from nominee.employers.models import JobOffer
from nominee.eois.models import EOI, Candidate
from tests.dates import IN_2025
from tests.factories import make_eoi
from tests.personas import client_for

from .conftest import FW_FACTS, fw_document

pytestmark = pytest.mark.django_db


@IN_2025
def test_a_candidate_registers_reads_updates_and_withdraws(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    client = client_for(alice)
    offer = offer_for()
    created = client.post(
        "/api/v1/eois",
        {"document": fw_document(), "job_offer_id": offer.public_id, "facts": FW_FACTS},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    eoi = EOI.objects.get()
    assert (body["id"], body["score"], body["state"]) == (eoi.external_id, eoi.score, "active")
    assert body["breakdown"][0]["factor"] == "job_offer_teer"
    assert client.get("/api/v1/eois").json()[0]["id"] == eoi.external_id
    updated = client.put(
        f"/api/v1/eois/{eoi.external_id}",
        {"document": fw_document(languages={"english": 9, "french": 7})},
        content_type="application/json",
    )
    assert updated.status_code == 200
    assert updated.json()["registered_at"] == body["registered_at"]
    assert updated.json()["score"] > body["score"]
    gone = client.post(f"/api/v1/eois/{eoi.external_id}/withdraw")
    assert gone.json()["state"] == "withdrawn"
    again = client.post(f"/api/v1/eois/{eoi.external_id}/withdraw")
    assert again.status_code == 409
    assert set(again.json()) == {"code", "message", "fields"}
    history = client.get(f"/api/v1/eois/{eoi.external_id}/history").json()
    assert [e["action"] for e in history] == [
        "eois.eoi_registered",
        "eois.eoi_updated",
        "eois.eoi_withdrawn",
    ]


@IN_2025
def test_refusals_use_the_shared_error_schema(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    client = client_for(alice)
    offer = offer_for(stream="international-student")
    wrong = client.post(
        "/api/v1/eois",
        {"document": fw_document(), "job_offer_id": offer.public_id, "facts": FW_FACTS},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "job_offer.wrong_stream"
    assert "job_offer_id" in wrong.json()["fields"]
    bad = client.post(
        "/api/v1/eois",
        {"document": {"stream": "masters", "permit": "visa"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "permit" in bad.json()["fields"]


def test_one_bad_profile_gets_one_answer_on_every_endpoint(
    alice: User, alice_candidate: Candidate
) -> None:
    # INTERFACES §1: a profile the program refuses is bad input, exit 2 / 422.
    document = {"stream": "masters", "permit": "visa", "languages": {"english": 9}}
    client = client_for(alice)
    score = client.post("/api/v1/score", document, content_type="application/json")
    register = client.post("/api/v1/eois", {"document": document}, content_type="application/json")
    assert score.status_code == register.status_code == 422
    assert score.json()["code"] == register.json()["code"]
    assert score.json()["message"] == register.json()["message"]
    assert score.json()["fields"]["permit"] == register.json()["fields"]["permit"]


def test_an_account_without_a_profile_creates_one(oscar: User) -> None:
    client = client_for(oscar)
    missing = client.post(
        "/api/v1/eois", {"document": fw_document()}, content_type="application/json"
    )
    assert missing.status_code == 404
    made = client.post(
        "/api/v1/candidate", {"full_name": "Oscar Outsider"}, content_type="application/json"
    )
    assert made.status_code == 201
    again = client.post(
        "/api/v1/candidate", {"full_name": "Oscar Outsider"}, content_type="application/json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("olivia", 200),
        ("audrey", 200),
        ("martin", 200),
        ("carol", 404),
        ("bob", 404),
        ("oscar", 404),
    ],
)
def test_who_reads_an_eoi_through_the_api(
    request: pytest.FixtureRequest, alice_candidate: Candidate, persona: str, status: int
) -> None:
    eoi = make_eoi(registered_at=timezone.now() - timedelta(days=1), candidate=alice_candidate)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/eois/{eoi.external_id}").status_code == status
    assert client_for(None).get(f"/api/v1/eois/{eoi.external_id}").status_code == 401


@pytest.mark.parametrize("persona", ["olivia", "audrey", "martin"])
def test_staff_cannot_change_a_candidates_eoi(
    request: pytest.FixtureRequest, alice_candidate: Candidate, persona: str
) -> None:
    eoi = make_eoi(registered_at=timezone.now() - timedelta(days=1), candidate=alice_candidate)
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/api/v1/eois/{eoi.external_id}/withdraw").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("olivia", 200), ("audrey", 200), ("martin", 200), ("alice", 404), ("oscar", 404)],
)
def test_only_staff_read_the_pool(
    request: pytest.FixtureRequest, persona: str, status: int, at: Callable[..., object]
) -> None:
    make_eoi(registered_at=at(2025, 8, 1, 9), score=44)
    make_eoi(registered_at=at(2025, 8, 1, 9), score=61, region="northern")
    client = client_for(request.getfixturevalue(persona))
    listing = client.get("/api/v1/staff/eois?region=northern")
    stats = client.get("/api/v1/staff/eois/stats")
    assert (listing.status_code, stats.status_code) == (status, status)
    if status == 200:
        assert [e["score"] for e in listing.json()["items"]] == [61]
        fw = next(s for s in stats.json() if s["stream"] == "foreign-worker")
        assert fw["total"] == 2
