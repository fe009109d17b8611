"""``employers.transitions.move_offer``: the one writer of a job offer's status."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from nominee.audit.models import AuditEvent
from nominee.employers.models import JobOffer
from nominee.employers.transitions import MOVES, move_offer
from tests.dates import IN_2025

pytestmark = pytest.mark.django_db


@IN_2025
def test_it_moves_only_offers_in_a_status_the_move_starts_from(submit: Any, bob: Any) -> None:
    waiting, withdrawn = submit(), submit(candidate_email="dana@example.com")
    JobOffer.objects.filter(pk=withdrawn.pk).update(status=JobOffer.Status.WITHDRAWN)
    with transaction.atomic():
        moved = move_offer(
            [waiting.pk, withdrawn.pk], to=JobOffer.Status.LAPSED, actor=None, via="test"
        )
    assert [offer.pk for offer in moved] == [waiting.pk]
    waiting.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (waiting.status, withdrawn.status) == ("lapsed", "withdrawn")
    event = AuditEvent.objects.get(action="employers.job_offer_lapsed")
    assert (event.subject_id, event.before, event.after) == (
        str(waiting.pk),
        {"status": "awaiting_eoi"},
        {"status": "lapsed"},
    )
    assert event.data == {"via": "test"}


def test_an_invitation_needs_an_eoi_registered() -> None:
    assert MOVES[JobOffer.Status.INVITED] == {JobOffer.Status.EOI_REGISTERED}


@IN_2025
def test_no_move_leads_back_to_awaiting_an_eoi(submit: Any) -> None:
    offer = submit()
    with pytest.raises(ValueError, match="no move"), transaction.atomic():
        move_offer([offer.pk], to=JobOffer.Status.AWAITING_EOI, actor=None, via="test")
