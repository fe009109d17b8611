"""Casework fixtures: an invited file in an employer stream (Alice, Bob's Bakery) and one in
a graduate stream, with deadlines that cross the end of daylight saving time (2025-11-02)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import make_eoi

from nominee.casework import services
from nominee.casework.models import Application
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.employers.models import Employer, JobOffer

DRAW_DATE = date(2025, 10, 17)
EMPLOYER_DEADLINE = date(2025, 10, 31)
CANDIDATE_DEADLINE = date(2025, 11, 3)  # day 17, after the clocks went back on 2025-11-02
IN_WINDOW = datetime(2025, 10, 20, 9, tzinfo=PROGRAM_TZ)

DETAILS: dict[str, dict[str, str]] = {
    "identity": {
        "family_name": "Candidate",
        "given_names": "Alice",
        "date_of_birth": "1994-03-02",
        "citizenship": "India",
        "passport_number": "P1234567",
        "phone": "416-555-0100",
        "email": "alice@example.com",
    },
    "status": {"status_in_canada": "work-permit", "status_expires_on": "2026-05-01"},
    "history": {
        "work_history": "2021-2025 Bob's Bakery, baker",
        "education_history": "2016-2020 University of Mumbai, BSc",
        "address_history": "2021- 1 King St W, Toronto",
    },
    "family": {"family_members": ""},
}


def invite(
    eoi: Any,
    *,
    stream: str = "foreign-worker",
    draw_date: date = DRAW_DATE,
    candidate_deadline: date = CANDIDATE_DEADLINE,
    employer_deadline: date | None = EMPLOYER_DEADLINE,
) -> Invitation:
    """An invitation of an executed draw, with the given deadlines."""
    draw = Draw.objects.create(stream=stream, status=Draw.Status.EXECUTED, draw_date=draw_date)
    eoi.status = "invited"
    eoi.save(update_fields=["status"])
    return Invitation.objects.create(
        draw=draw,
        eoi=eoi,
        rank=1,
        score=eoi.score,
        invited_at=datetime.combine(draw_date, datetime.min.time(), tzinfo=PROGRAM_TZ).replace(
            hour=10
        ),
        candidate_deadline=candidate_deadline,
        employer_deadline=employer_deadline,
    )


def _invited_alice(alice: Any, bob: Any, **dates: Any) -> Invitation:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    now = timezone.now()
    offer = JobOffer.objects.create(
        public_id="JO-TEST-0001",
        employer=employer,
        location=employer.locations.get(),
        stream="foreign-worker",
        noc_id="21231",
        job_title="Software engineer",
        hourly_wage=Decimal("60"),
        hours_per_week=Decimal("40"),
        candidate_name="Alice Candidate",
        candidate_email="alice@example.com",
        status=JobOffer.Status.INVITED,
        submitted_by=bob,
        submitted_at=now,
        lapses_at=now,
        updated_at=now,
    )
    eoi = make_eoi(
        registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ),
        job_offer=offer,
        candidate=alice.candidate,
        score=61,
    )
    return invite(eoi, **dates)


@pytest.fixture
def invitation(alice: Any, bob: Any) -> Invitation:
    """Alice, invited in the Foreign Worker stream on Bob's Bakery's job offer (Toronto),
    on 2025-10-17: her window ends after the clocks went back."""
    return _invited_alice(alice, bob)


@pytest.fixture
def current(alice: Any, bob: Any) -> Invitation:
    """The same invitation issued three days ago: both windows still open today."""
    from datetime import timedelta

    from nominee.core.timeutil import today

    drawn = today() - timedelta(days=3)
    return _invited_alice(
        alice,
        bob,
        draw_date=drawn,
        candidate_deadline=drawn + timedelta(days=17),
        employer_deadline=drawn + timedelta(days=14),
    )


@pytest.fixture
def application(invitation: Invitation, alice: Any) -> Application:
    """Alice's file, opened, with every detail saved and the EOI's facts confirmed."""
    app = services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    for key, data in DETAILS.items():
        services.save_details(actor=alice, application=app, section=key, data=data)
    return services.confirm_snapshot(actor=alice, application=app)


@pytest.fixture
def submitted(application: Application, alice: Any, bob: Any) -> Application:
    """Both parts filed: the file is ready for an officer."""
    services.submit_application(
        actor=alice, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    services.save_position_approval(
        actor=bob, application=application, offer_confirmed=True, declaration_name="Bob Employer"
    )
    services.submit_position_approval(
        actor=bob, application=application, declaration_name="Bob Employer", now=IN_WINDOW
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def in_review(submitted: Application, olivia: Any) -> Application:
    """Claimed by Olivia, an officer."""
    return services.assign_application(actor=olivia, application=submitted)
