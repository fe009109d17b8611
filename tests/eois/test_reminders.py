"""Expiry: 12 calendar months after registration, with reminders 30 and 7 days before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core import mail

from nominee.core.timeutil import end_of, start_of
from nominee.eois import queries, services
from nominee.eois.models import EOI, Candidate
from tests.factories import make_eoi

pytestmark = pytest.mark.django_db


def test_an_eoi_expires_twelve_calendar_months_after_registration(
    alice_candidate: Candidate, at: Callable[..., object]
) -> None:
    eoi = make_eoi(registered_at=at(2025, 7, 15, 10, 20), candidate=alice_candidate)
    assert eoi.expires_at == at(2026, 7, 15, 10, 20)
    assert queries.state(eoi, now=at(2026, 7, 15, 10, 19)) == "active"
    assert queries.state(eoi, now=at(2026, 7, 15, 10, 20)) == "expired"


def test_legacy_and_withdrawn_are_never_active(
    alice_candidate: Candidate, at: Callable[..., object]
) -> None:
    legacy = make_eoi(registered_at=at(2025, 7, 1, 23, 59), is_legacy=True)
    withdrawn = make_eoi(registered_at=at(2025, 8, 1, 9), status=EOI.Status.WITHDRAWN)
    assert queries.state(legacy, now=at(2025, 8, 1, 9)) == "legacy"
    assert queries.state(withdrawn, now=at(2025, 8, 1, 10)) == "withdrawn"


def test_reminders_go_out_30_and_7_days_before_once_each(
    alice_candidate: Candidate,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    on = date(2026, 6, 1)
    expiring = start_of(on + timedelta(days=30)) + timedelta(hours=10)
    eoi = make_eoi(
        registered_at=expiring.replace(year=expiring.year - 1), candidate=alice_candidate
    )
    eoi.expires_at = expiring
    eoi.save(update_fields=["expires_at"])
    make_eoi(registered_at=start_of(on) - timedelta(days=300), candidate=None)  # no candidate
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert services.send_expiry_reminders(on=on - timedelta(days=1)) == 0
        assert services.send_expiry_reminders(on=on) == 1
        assert services.send_expiry_reminders(on=on) == 0
        assert services.send_expiry_reminders(on=on + timedelta(days=10)) == 0
        assert services.send_expiry_reminders(on=on + timedelta(days=23)) == 1
        assert services.send_expiry_reminders(on=on + timedelta(days=24)) == 0
    assert len(mail.outbox) == 2
    assert "expires in 30 days" in mail.outbox[0].subject
    assert "expires in 7 days" in mail.outbox[1].subject
    assert mail.outbox[0].to == ["alice@example.com"]


def test_a_late_sweep_sends_only_the_nearest_reminder(
    alice_candidate: Candidate,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    on = date(2026, 6, 1)
    eoi = make_eoi(registered_at=start_of(on) - timedelta(days=300), candidate=alice_candidate)
    eoi.expires_at = end_of(on + timedelta(days=4)) - timedelta(hours=1)
    eoi.save(update_fields=["expires_at"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert services.send_expiry_reminders(on=on) == 1
        assert services.send_expiry_reminders(on=on) == 0
    assert len(mail.outbox) == 1
    assert "expires in 4 days" in mail.outbox[0].subject
