"""Factories for tests that need data in place rather than the flows that make it.

Tests of a flow go through its service; tests of what comes after (draws over a pool,
publication of draws) build rows here so that each test states only what it is about.
Employers and job offers are made through their services (``submit_offer``,
``register_dairy``), with the defaults most tests share.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from nominee.accounts.models import User
from nominee.accounts.roles import Role
from nominee.core.timeutil import add_months
from nominee.employers import services as employer_services
from nominee.employers.models import Employer, EmployerRegistration, JobOffer
from nominee.eois.models import EOI
from nominee.program import streams
from tests.personas import make_user

# A Foreign Worker offer that passes every rule: software engineer, $55/h, full-time.
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


def submit_offer(actor: Any, employer: Employer, **overrides: Any) -> JobOffer:
    """``OFFER_DEFAULTS`` with the overrides, submitted by the actor at the business's first
    location (or ``location=``), through the service."""
    location = overrides.pop("location", None) or employer.locations.first()
    return employer_services.submit_job_offer(
        actor=actor, employer=employer, location=location, **{**OFFER_DEFAULTS, **overrides}
    )


def registered_with_program(employer: Employer) -> EmployerRegistration:
    """The business's registration with the program, requested by its signing officer and
    approved by a registrar officer, through the services (DOMAIN §9: from the 2026 policy
    an unregistered employer's offer is refused). Returns the approved one it has, if any."""
    approved = employer.registrations.filter(status=EmployerRegistration.Status.APPROVED).first()
    if approved is not None:
        return approved
    contact = employer.contacts.filter(is_signing_officer=True).first() or employer.contacts.get()
    officer = User.objects.filter(email="registrar@example.com").first()
    if officer is None:
        officer = make_user("registrar@example.com", Role.OFFICER, full_name="Rita Registrar")
    request = employer_services.request_registration(actor=contact.user, employer=employer)
    return employer_services.approve_registration(actor=officer, registration=request)


def register_dairy(user: Any) -> Employer:
    """Dave's Dairy Ltd. in Sudbury (outside the GTA, eligible), registered by ``user``."""
    return employer_services.register_employer(
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


_ids = itertools.count(1)


def make_eoi(
    *,
    stream: str = "foreign-worker",
    score: int = 50,
    registered_at: datetime,
    noc: str | None = "21231",
    census_division: str | None = "3520",
    region: str | None = "toronto",
    status: str = EOI.Status.ACTIVE,
    is_legacy: bool = False,
    in_canada: bool = True,
    education_level: str | None = None,
    french_clb: int | None = None,
    external_id: str | None = None,
    **extra: Any,
) -> EOI:
    """An EOI row with the given draw-relevant facts (no candidate, no job offer)."""
    n = next(_ids)
    employer_stream = streams.takes_job_offer(stream)
    return EOI.objects.create(
        external_id=external_id or f"{streams.ID_PREFIX[stream]}-{n:06d}",
        stream=stream,
        status=status,
        is_legacy=is_legacy,
        registered_at=registered_at,
        expires_at=add_months(registered_at, 12),
        updated_at=registered_at,
        profile=extra.pop("profile", None) or {"stream": stream},
        score=score,
        max_score=76,
        grid="2024-01-01",
        breakdown=[],
        noc=noc if employer_stream else None,
        census_division=census_division if employer_stream else None,
        region=region if employer_stream else None,
        in_canada=in_canada,
        education_level=education_level,
        french_clb=french_clb,
        **extra,
    )
