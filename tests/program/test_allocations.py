"""Yearly allocations: seeded from policy data, set by managers, never below what was issued."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from nominee.audit.models import AuditEvent
from nominee.core.errors import ValidationFailed
from nominee.program.models import Allocation
from nominee.program.services import set_allocation

pytestmark = pytest.mark.django_db


def test_it_seeds_the_published_allocations() -> None:
    assert dict(Allocation.objects.values_list("year", "nominations")) == {
        2023: 16500,
        2024: 21500,
        2025: 10750,
        2026: 14119,
    }


def test_a_manager_sets_a_year_and_the_change_is_audited(martin: object) -> None:
    allocation = set_allocation(year=2027, nominations=12000, actor=martin, source="budget")
    assert allocation.remaining == 12000
    event = AuditEvent.objects.get(action="allocation.set", subject_id=str(allocation.pk))
    assert event.after == {"nominations": 12000, "when_spent": "hold"}


def test_it_refuses_to_go_below_the_nominations_already_issued(martin: object) -> None:
    Allocation.objects.filter(year=2025).update(nominations_issued=100)
    with pytest.raises(ValidationFailed) as caught:
        set_allocation(year=2025, nominations=99, actor=martin)
    assert "at least 100" in caught.value.fields["nominations"][0]
    assert Allocation.objects.get(year=2025).nominations == 10750


def test_the_database_refuses_issuing_beyond_the_allocation() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(year=2025).update(nominations_issued=10751)
