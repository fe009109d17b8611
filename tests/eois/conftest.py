"""Fixtures of the EOI tests: job offers made through the employer service, documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.core.timeutil import today
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import Candidate
from nominee.scoring.policy import policy_at
from tests.dates import OPEN_2025
from tests.factories import registered_with_program, submit_offer

# What Alice declares beyond the job offer (INTERFACES §1).
DECLARED: dict[str, Any] = {
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

FW_FACTS = {"experience_months_in_noc_last_5y": 36}


def fw_document(**changes: Any) -> dict[str, Any]:
    """A Foreign Worker document for Alice (the job offer comes from the bound offer)."""
    return {"stream": "foreign-worker", **DECLARED, **changes}


def masters_document(**changes: Any) -> dict[str, Any]:
    """A Masters Graduate document."""
    return {
        "stream": "masters",
        "permit": "study",
        "highest_annual_earnings": 0,
        "education": {
            "level": "masters",
            "field": "stem",
            "canadian_credentials": 1,
            "study_census_division": "3520",
        },
        "languages": {"english": 9, "french": 7},
        **changes,
    }


MASTERS_FACTS = {
    "credential_kind": "masters",
    # Completed two months before the day the 2025 tests run on (tests/dates.py): recent then.
    "credential_completed_on": (
        date.fromisoformat(OPEN_2025[:10]) - timedelta(days=60)
    ).isoformat(),
    "credential_length_months": 12,
    "ontario_residence_months_last_2y": 20,
    "settlement_funds": True,
}


@pytest.fixture
def offer_for(bob: User) -> Callable[..., JobOffer]:
    """Submit a job offer as Bob (Bob's Bakery, Toronto) with the given overrides."""

    def build(**overrides: Any) -> JobOffer:
        employer = Employer.objects.get(contacts__user=bob, contacts__is_signing_officer=True)
        if policy_at(today()).employer_registration_required:
            # Today's program takes offers from registered employers only (DOMAIN §9).
            registered_with_program(employer)
        return submit_offer(bob, employer, **overrides)

    return build


@pytest.fixture
def alice_candidate(alice: User) -> Candidate:
    """Alice's candidate profile."""
    return Candidate.objects.get(user=alice)


#: Workforce Priority profile documents (INTERFACES §1): a TEER 0-3 worker and a physician.
WORKER: dict[str, Any] = {
    "stream": "workforce-priority",
    "pathway": "teer-0-3",
    "permit": "work",
    "job_tenure_months": 14,
    "ontario_work_months": 30,
    "highest_annual_earnings": 72000,
    "education": {"level": "masters", "canadian_credentials": 2},
    "languages": {"english": 9, "french": 6},
}
PHYSICIAN: dict[str, Any] = {
    "stream": "workforce-priority",
    "pathway": "physician",
    "practice": {"noc": "31102", "census_division": "3544"},
    "permit": "work",
    "job_tenure_months": 30,
    "languages": {"english": 9, "french": None},
}
