"""The employer sees invitations issued on its job offers, with both deadlines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.employers.models import Employer, JobOffer
from tests.factories import make_eoi
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _invited_offer(employer: Employer, user: object) -> Invitation:
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
        candidate_name="Dana Candidate",
        candidate_email="dana@example.com",
        status=JobOffer.Status.INVITED,
        submitted_by=user,
        submitted_at=now,
        lapses_at=now,
        updated_at=now,
    )
    eoi = make_eoi(registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ), job_offer=offer)
    draw = Draw.objects.create(
        stream="foreign-worker", status=Draw.Status.EXECUTED, draw_date=date(2025, 9, 3)
    )
    return Invitation.objects.create(
        draw=draw,
        eoi=eoi,
        rank=1,
        score=60,
        invited_at=now,
        candidate_deadline=date(2025, 9, 20),
        employer_deadline=date(2025, 9, 17),
    )


def test_it_shows_the_invitation_and_the_position_approval_deadline(bob: object) -> None:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    _invited_offer(employer, bob)
    response = client_for(bob).get(f"/employer/{employer.pk}/")  # type: ignore[arg-type]
    text = response.content.decode()
    assert response.status_code == 200
    assert "Dana Candidate is invited to apply" in text
    assert "2025-09-17" in text
    assert "2025-09-20" in text


def test_another_employer_does_not_see_it(bob: object, oscar: object) -> None:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    _invited_offer(employer, bob)
    response = client_for(oscar).get(f"/employer/{employer.pk}/")  # type: ignore[arg-type]
    assert response.status_code == 404
