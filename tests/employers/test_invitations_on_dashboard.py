"""The employer sees invitations issued on its job offers, with both deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import EOI
from tests.dates import IN_2025
from tests.factories import make_eoi, submit_offer
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
    return _invite(eoi, date(2025, 9, 3))


def _invite(eoi: EOI, drawn: date) -> Invitation:
    """Invite the EOI in an executed Foreign Worker draw of that day (deadlines +17, +14)."""
    draw = Draw.objects.create(
        stream="foreign-worker", status=Draw.Status.EXECUTED, draw_date=drawn
    )
    return Invitation.objects.create(
        draw=draw,
        eoi=eoi,
        rank=1,
        score=60,
        invited_at=timezone.now(),
        candidate_deadline=drawn + timedelta(days=17),
        employer_deadline=drawn + timedelta(days=14),
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


@IN_2025
def test_another_employer_does_not_see_it(bob: object, dave: object) -> None:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    _invited_offer(employer, bob)
    # Dave's Dairy has an invited offer of its own, so its page shows invitations.
    dairy = Employer.objects.get(legal_name="Dave's Dairy Ltd.")
    own = submit_offer(dave, dairy, candidate_name="Erin Candidate")
    eoi = make_eoi(registered_at=datetime(2025, 8, 2, 10, tzinfo=PROGRAM_TZ), job_offer=own)
    JobOffer.objects.filter(pk=own.pk).update(status=JobOffer.Status.INVITED)
    _invite(eoi, date(2025, 9, 4))
    response = client_for(dave).get(f"/employer/{dairy.pk}/")  # type: ignore[arg-type]
    text = response.content.decode()
    assert response.status_code == 200
    assert "Erin Candidate is invited to apply" in text
    assert "Dana Candidate" not in text
    assert "2025-09-17" not in text


def test_another_employer_cannot_open_the_page(bob: object, oscar: object) -> None:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    _invited_offer(employer, bob)
    response = client_for(oscar).get(f"/employer/{employer.pk}/")  # type: ignore[arg-type]
    assert response.status_code == 404
