"""Fixtures of the employer portal's tests: employers and offers made through the services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from tests.conftest import make_user

from nominee.accounts.models import User
from nominee.employers import services
from nominee.employers.models import Employer, JobOffer


def bobs_bakery(user: User) -> Employer:
    """The employer the ``bob`` persona is signing officer of."""
    return Employer.objects.get(contacts__user=user, contacts__is_signing_officer=True)


OFFER_DEFAULTS: dict[str, Any] = {
    "stream": "foreign-worker",
    "noc": "21231",
    "job_title": "Software engineer",
    "hourly_wage": Decimal("55.00"),
    "hours_per_week": Decimal("40"),
    "permanent": True,
    "candidate_name": "Alice Candidate",
    "candidate_email": "alice@example.com",
}


@pytest.fixture
def submit(bob: User) -> Callable[..., JobOffer]:
    """Submit an offer as Bob for Bob's Bakery's Toronto location (overrides by keyword)."""

    def build(**overrides: Any) -> JobOffer:
        employer = overrides.pop("employer", None) or bobs_bakery(bob)
        actor = overrides.pop("actor", bob)
        location = overrides.pop("location", None) or employer.locations.first()
        return services.submit_job_offer(
            actor=actor, employer=employer, location=location, **{**OFFER_DEFAULTS, **overrides}
        )

    return build


@pytest.fixture
def dave(db: None) -> User:
    """Signing officer of another business (Dave's Dairy, Sudbury): employer B."""
    user = make_user("dave@example.com", full_name="Dave Dairy")
    services.register_employer(
        actor=user,
        legal_name="Dave's Dairy Ltd.",
        cra_business_number="046454286",
        street_address="10 Elm St",
        municipality="Sudbury",
        postal_code="P3E 1A1",
        years_in_business=8,
        gross_revenue=Decimal("900000"),
        location_census_division="3553",
        location_municipality="Sudbury",
        location_full_time_employees=6,
    )
    return user
