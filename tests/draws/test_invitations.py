"""Invitations after the draw: deadlines on the dashboards, expiry on read and by the sweep."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.core.timeutil import PROGRAM_TZ, today
from nominee.draws import services
from nominee.draws.models import Invitation
from nominee.draws.queries import invitations_for_candidate
from nominee.eois.models import Candidate
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]


def _invite(olivia: User, martin: User, alice: User, draw_date: object) -> Candidate:
    candidate = Candidate.objects.get(user=alice)
    registered = datetime.combine(draw_date - timedelta(days=20), time(9), tzinfo=PROGRAM_TZ)  # type: ignore[operator]
    save_all([eoi_row(registered_at=registered, candidate=candidate, external_id="FW-ALICE")])
    draw = services.propose_draw(
        actor=olivia, criteria=criteria(invitations=1, draw_date=draw_date)
    )
    services.approve_draw(actor=martin, draw=draw)
    services.execute_draw(actor=martin, draw=draw)
    return candidate


def test_the_card_shows_both_deadlines(olivia: User, martin: User, alice: User) -> None:
    candidate = _invite(olivia, martin, alice, today())
    [invitation] = invitations_for_candidate(candidate)
    html = render_to_string("draws/includes/invitation_card.html", {"invitation": invitation})
    assert invitation.candidate_deadline.isoformat() in html
    assert invitation.employer_deadline.isoformat() in html  # type: ignore[union-attr]
    assert "Open" in html
    employer_html = render_to_string(
        "draws/includes/invitation_card.html", {"invitation": invitation, "for_employer": True}
    )
    assert "Your candidate" in employer_html


def test_an_unanswered_invitation_reads_expired_before_the_sweep(
    olivia: User, martin: User, alice: User
) -> None:
    # Invited today (a draw is never dated in the past, decision 75), read 60 days later.
    candidate = _invite(olivia, martin, alice, today())
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        [invitation] = invitations_for_candidate(candidate)
        assert invitation.status == "open"
        assert invitation.effective_status == "expired"


def test_the_daily_sweep_expires_what_is_past_its_deadline(
    olivia: User, martin: User, alice: User
) -> None:
    _invite(olivia, martin, alice, today())
    invitation = Invitation.objects.get()
    assert services.expire_invitations(today=invitation.candidate_deadline) == 0
    assert services.expire_invitations(today=invitation.candidate_deadline + timedelta(days=1)) == 1
    invitation.refresh_from_db()
    assert invitation.status == "expired"
    assert AuditEvent.objects.filter(action="draws.invitations_expired").count() == 1
    assert services.expire_invitations(today=invitation.candidate_deadline + timedelta(days=2)) == 0
