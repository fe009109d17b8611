"""Registering, updating and withdrawing EOIs through the services (DOMAIN §2-§5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from nominee.accounts.models import User
from nominee.accounts.services import appoint_representative, revoke_appointment
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from nominee.core.timeutil import add_months
from nominee.employers.models import JobOffer
from nominee.eois import services
from nominee.eois.models import EOI, Candidate
from nominee.reference.queries import reference_data
from nominee.scoring import parse_profile, score_profile
from tests.dates import IN_2025

from .conftest import FW_FACTS, MASTERS_FACTS, fw_document, masters_document

pytestmark = [pytest.mark.django_db, IN_2025]


def register(alice: User, candidate: Candidate, offer: JobOffer | None, **kwargs: Any) -> EOI:
    document = kwargs.pop("document", None) or fw_document()
    return services.register_eoi(
        actor=kwargs.pop("actor", alice),
        candidate=candidate,
        document=document,
        job_offer_id=offer.public_id if offer else kwargs.pop("job_offer_id", None),
        facts=kwargs.pop("facts", FW_FACTS),
        **kwargs,
    )


# ---- the Job Offer ID binding ---------------------------------------------------------


def test_it_binds_the_job_offer_and_takes_its_noc_wage_and_location(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    document = fw_document(job_offer={"noc": "00010", "hourly_wage": 99, "census_division": "3558"})
    eoi = register(alice, alice_candidate, offer, document=document)
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.EOI_REGISTERED
    assert eoi.job_offer == offer
    assert eoi.profile["job_offer"] == {
        "noc": "21231",
        "hourly_wage": 55,
        "census_division": "3520",
    }
    assert (eoi.noc, eoi.census_division, eoi.region) == ("21231", "3520", "toronto")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        # Another person's offer gets the answer of an unknown ID (decision 73a).
        ({"candidate_name": "Alicia Candidate"}, "job_offer.unknown"),
        ({"candidate_email": "someone@example.com"}, "job_offer.unknown"),
        ({"stream": "international-student"}, "job_offer.wrong_stream"),
    ],
)
def test_it_refuses_a_job_offer_made_out_to_someone_else_or_another_stream(
    alice: User,
    alice_candidate: Candidate,
    offer_for: Callable[..., JobOffer],
    overrides: dict[str, Any],
    code: str,
) -> None:
    offer = offer_for(**overrides)
    with pytest.raises(DomainError) as refused:
        register(alice, alice_candidate, offer)
    assert refused.value.code == code
    assert "job_offer_id" in refused.value.fields
    assert not EOI.objects.exists()
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI


def test_it_matches_name_and_email_ignoring_case_and_spaces(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(candidate_name="  alice   CANDIDATE ", candidate_email="Alice@Example.com")
    assert register(alice, alice_candidate, offer).job_offer == offer


def test_it_refuses_a_lapsed_job_offer(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    with pytest.raises(DomainError) as refused:
        register(alice, alice_candidate, offer, now=offer.lapses_at)
    assert refused.value.code == "job_offer.lapsed"
    just_before = offer.lapses_at - timedelta(seconds=1)
    assert register(alice, alice_candidate, offer, now=just_before).job_offer == offer


def test_it_refuses_a_job_offer_used_already(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    eoi = register(alice, alice_candidate, offer)
    services.withdraw_eoi(actor=alice, eoi=eoi)
    with pytest.raises(Conflict) as refused:
        register(alice, alice_candidate, offer)
    assert refused.value.code == "job_offer.used"


def test_it_refuses_an_unknown_or_missing_job_offer_id(
    alice: User, alice_candidate: Candidate
) -> None:
    with pytest.raises(DomainError) as unknown:
        register(alice, alice_candidate, None, job_offer_id="JO-ZZZZ-ZZZZ")
    assert unknown.value.code == "job_offer.unknown"
    with pytest.raises(ValidationFailed) as missing:
        register(alice, alice_candidate, None)
    assert "job_offer_id" in missing.value.fields


def test_the_employers_flags_become_flags_for_an_officer(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    offer.failures = [{"rule": "employer.revenue", "message": "too small", "severity": "flag"}]
    offer.save(update_fields=["failures"])
    eoi = register(alice, alice_candidate, offer)
    assert eoi.needs_review
    assert {"rule": "employer.revenue", "message": "too small", "source": "employer"} in eoi.flags


# ---- eligibility and scoring ----------------------------------------------------------


def test_the_stored_score_is_the_engines(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    eoi = register(alice, alice_candidate, offer_for())
    score = score_profile(parse_profile(eoi.profile, ref=reference_data()), ref=reference_data())
    assert (eoi.score, eoi.max_score, eoi.grid) == (score.total, score.max, score.grid)
    assert eoi.breakdown == score.to_document()["factors"]
    assert eoi.expires_at == add_months(eoi.registered_at, 12)
    assert not eoi.is_legacy


def test_it_refuses_an_ineligible_registration_naming_the_rule(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    with pytest.raises(services.EligibilityRefused) as refused:
        register(alice, alice_candidate, offer, facts={"experience_months_in_noc_last_5y": 6})
    assert "experience.noc_months" in refused.value.message
    assert not EOI.objects.exists()
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI


def test_it_refuses_a_masters_graduate_below_the_language_minimum(
    alice: User, alice_candidate: Candidate
) -> None:
    document = masters_document(languages={"english": 6, "french": None})
    with pytest.raises(services.EligibilityRefused) as refused:
        register(alice, alice_candidate, None, document=document, facts=MASTERS_FACTS)
    assert "language.min_clb" in refused.value.message


def test_it_keeps_one_live_eoi_per_stream(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    register(alice, alice_candidate, None, document=masters_document(), facts=MASTERS_FACTS)
    with pytest.raises(Conflict):
        register(alice, alice_candidate, None, document=masters_document(), facts=MASTERS_FACTS)
    # Another stream is fine.
    assert register(alice, alice_candidate, offer_for()).stream == "foreign-worker"


# Early enough in 2025 that the stream is still open 12 months later, when the EOI expires.
@pytest.mark.program_date("2025-03-03T10:00:00-05:00")
def test_an_expired_eoi_no_longer_counts_as_live(alice: User, alice_candidate: Candidate) -> None:
    completed = (timezone.now() - timedelta(days=60)).date().isoformat()
    facts = {**MASTERS_FACTS, "credential_completed_on": completed}
    first = register(alice, alice_candidate, None, document=masters_document(), facts=facts)
    later = first.expires_at
    recent = {
        **MASTERS_FACTS,
        "credential_completed_on": (later - timedelta(days=60)).date().isoformat(),
    }
    second = register(
        alice, alice_candidate, None, document=masters_document(), facts=recent, now=later
    )
    assert second.registered_at == later


# ---- update and withdrawal ------------------------------------------------------------


def test_an_update_rescores_but_keeps_the_registration_time(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    eoi = register(alice, alice_candidate, offer_for())
    registered, expires = eoi.registered_at, eoi.expires_at
    later = timezone.now() + timedelta(days=10)
    updated = services.update_eoi(
        actor=alice,
        eoi=eoi,
        document=fw_document(languages={"english": 9, "french": 7}),
        now=later,
    )
    assert (updated.registered_at, updated.expires_at) == (registered, expires)
    assert updated.updated_at == later
    assert updated.score > eoi.score  # knowledge of both official languages
    assert updated.french_clb == 7
    assert updated.profile["job_offer"]["noc"] == "21231"
    assert AuditEvent.objects.filter(action="eois.eoi_updated", subject_id=str(eoi.pk)).exists()


def test_an_update_cannot_change_the_stream_or_escape_eligibility(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    eoi = register(alice, alice_candidate, offer_for())
    with pytest.raises(ValidationFailed):
        services.update_eoi(actor=alice, eoi=eoi, document=masters_document())
    with pytest.raises(services.EligibilityRefused):
        services.update_eoi(
            actor=alice,
            eoi=eoi,
            document=fw_document(),
            facts={"experience_months_in_noc_last_5y": 3},
        )


def test_withdrawal_is_final(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    eoi = register(alice, alice_candidate, offer_for())
    withdrawn = services.withdraw_eoi(actor=alice, eoi=eoi)
    assert withdrawn.status == EOI.Status.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    with pytest.raises(Conflict):
        services.withdraw_eoi(actor=alice, eoi=eoi)
    with pytest.raises(Conflict):
        services.update_eoi(actor=alice, eoi=eoi, document=fw_document())


def test_withdrawal_tells_the_employer_through_the_bound_offer(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    eoi = register(alice, alice_candidate, offer)
    services.withdraw_eoi(actor=alice, eoi=eoi)
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.EOI_WITHDRAWN
    event = AuditEvent.objects.get(action="eois.job_offer_eoi_withdrawn")
    assert event.actor_id == alice.pk
    assert event.after == {"status": "eoi_withdrawn", "eoi": eoi.external_id}


def test_an_expired_eoi_cannot_be_updated(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    eoi = register(alice, alice_candidate, offer_for())
    with pytest.raises(Conflict) as refused:
        services.update_eoi(actor=alice, eoi=eoi, document=fw_document(), now=eoi.expires_at)
    assert refused.value.code == "eoi.expired"


# ---- who may act ----------------------------------------------------------------------


def test_an_appointed_representative_acts_until_revoked(
    alice: User,
    carol: User,
    alice_candidate: Candidate,
    offer_for: Callable[..., JobOffer],
) -> None:
    appointment = appoint_representative(
        actor=alice, representative=carol, candidate=alice_candidate
    )
    eoi = register(alice, alice_candidate, offer_for(), actor=carol)
    assert eoi.candidate == alice_candidate
    revoke_appointment(actor=alice, appointment=appointment)
    with pytest.raises(NotFound):
        services.withdraw_eoi(actor=carol, eoi=eoi)


@pytest.mark.parametrize("persona", ["oscar", "carol", "olivia", "audrey", "bob"])
def test_nobody_else_registers_or_changes_a_candidates_eoi(
    request: pytest.FixtureRequest,
    alice: User,
    alice_candidate: Candidate,
    offer_for: Callable[..., JobOffer],
    persona: str,
) -> None:
    other: User = request.getfixturevalue(persona)
    with pytest.raises(NotFound):
        register(alice, alice_candidate, offer_for(), actor=other)
    eoi = register(alice, alice_candidate, offer_for(candidate_email="alice@example.com"))
    with pytest.raises(NotFound):
        services.withdraw_eoi(actor=other, eoi=eoi)
    with pytest.raises(NotFound):
        services.update_eoi(actor=other, eoi=eoi, document=fw_document())
