"""The candidate sees an invitation on the dashboard, with the deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI, Candidate
from tests.factories import make_eoi
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _invite(eoi: EOI) -> Invitation:
    """Invite the EOI in an executed Foreign Worker draw of 2025-09-03 (deadline 09-20)."""
    draw = Draw.objects.create(
        stream="foreign-worker", status=Draw.Status.EXECUTED, draw_date=date(2025, 9, 3)
    )
    return Invitation.objects.create(
        draw=draw,
        eoi=eoi,
        rank=1,
        score=60,
        invited_at=timezone.now(),
        candidate_deadline=date(2025, 9, 20),
        employer_deadline=date(2025, 9, 17),
    )


def test_the_candidate_sees_the_invitation_and_the_deadline(alice: object) -> None:
    eoi = make_eoi(
        registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ),
        candidate=alice.candidate,  # type: ignore[attr-defined]
        status=EOI.Status.INVITED,
    )
    _invite(eoi)
    response = client_for(alice).get("/candidate/")  # type: ignore[arg-type]
    text = response.content.decode()
    assert response.status_code == 200
    assert f"You are invited to apply ({eoi.external_id})" in text
    assert "2025-09-20" in text


def test_another_candidate_does_not_see_it(alice: object, oscar: object) -> None:
    eoi = make_eoi(
        registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ),
        candidate=alice.candidate,  # type: ignore[attr-defined]
        status=EOI.Status.INVITED,
    )
    _invite(eoi)
    # Oscar is a candidate too, with an EOI of his own, so his dashboard lists EOIs.
    own = make_eoi(
        registered_at=datetime(2025, 8, 2, 10, tzinfo=PROGRAM_TZ),
        candidate=Candidate.objects.create(
            user=oscar,
            full_name="Oscar Outsider",
            email="oscar@example.com",
            created_at=timezone.now(),
        ),
    )
    response = client_for(oscar).get("/candidate/")  # type: ignore[arg-type]
    text = response.content.decode()
    assert response.status_code == 200
    assert own.external_id in text
    assert eoi.external_id not in text
    assert "invited to apply" not in text
    assert "2025-09-20" not in text
