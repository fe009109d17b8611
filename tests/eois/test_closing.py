"""Withdrawing the un-invited EOIs of a closed stream (issue 12, DOMAIN §9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nominee.accounts.models import OutgoingEmail
from nominee.audit.models import AuditEvent
from nominee.core.errors import PermissionDenied, ValidationFailed
from nominee.core.timeutil import today
from nominee.employers.models import JobOffer
from nominee.eois import queries
from nominee.eois.models import EOI, ClosedStreamNotices
from nominee.eois.notices import send_batch
from nominee.eois.services import withdraw_closed_stream_eois
from nominee.program.models import ProgramChange
from tests.closing import closed

from .closing_world import CLOSING, Pool, closing_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(alice, bob, carol) -> Pool:  # type: ignore[no-untyped-def]
    return closing_pool(alice, bob, carol)


def _statuses(pool: Pool) -> dict[str, str]:
    rows = [pool.alice_eoi, *pool.live, pool.invited, pool.expired, pool.withdrawn]
    rows.append(pool.other_stream)
    return {e.external_id: EOI.objects.get(pk=e.pk).status for e in rows}


def test_the_preview_counts_each_closed_stream(pool: Pool) -> None:
    with closed("foreign-worker", on=CLOSING):
        counts = {c.stream: c.count for c in queries.closed_stream_counts()}
        dry = withdraw_closed_stream_eois(actor=None, stream="foreign-worker", dry_run=True)
    assert counts["foreign-worker"] == 3  # Alice's and the two live ones
    assert (dry.count, dry.job_offers, dry.dry_run) == (3, 1, True)
    assert EOI.objects.filter(status=EOI.Status.WITHDRAWN).count() == 1  # nothing written
    assert not ProgramChange.objects.exists()


def test_the_withdrawal_takes_the_active_unexpired_eois_only(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    before = _statuses(pool)
    with closed("foreign-worker", on=CLOSING):
        result = withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
    assert (result.count, result.job_offers, result.batches) == (3, 1, 1)
    after = _statuses(pool)
    for eoi in (pool.alice_eoi, *pool.live):
        assert after[eoi.external_id] == "withdrawn"
    for eoi in (pool.invited, pool.expired, pool.withdrawn, pool.other_stream):
        assert after[eoi.external_id] == before[eoi.external_id]
    change = ProgramChange.objects.get()
    assert (change.stream, change.count, change.effective_on) == ("foreign-worker", 3, today())
    assert change.recorded_by == martin
    row = EOI.objects.get(pk=pool.alice_eoi.pk)
    assert row.withdrawn_by_change == change
    assert row.withdrawn_at is not None
    assert EOI.objects.get(pk=pool.withdrawn.pk).withdrawn_by_change is None
    assert JobOffer.objects.get(pk=pool.offer.pk).status == JobOffer.Status.EOI_WITHDRAWN
    event = AuditEvent.objects.get(action="eois.closed_stream_withdrawn")
    assert event.actor == martin
    assert event.after == {"withdrawn": 3, "on": today().isoformat()}
    assert event.data["stream"] == "foreign-worker"
    assert event.data["job_offers"] == 1
    # One event for the withdrawal, one for the offer's move; none per EOI.
    assert not AuditEvent.objects.filter(action="eois.eoi_withdrawn").exists()
    offer_event = AuditEvent.objects.get(action="eois.job_offer_eoi_withdrawn")
    assert offer_event.data["via"] == "stream closed"


def test_each_party_gets_one_notice(pool: Pool, martin, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING), django_capture_on_commit_callbacks(execute=True):
        withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
    notices = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.EOI_STREAM_CLOSED)
    assert sorted(n.to_email for n in notices) == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
    ]
    assert all(n.sent_at is not None for n in notices)  # tests run tasks immediately
    alice = notices.get(to_email="alice@example.com")
    assert pool.alice_eoi.external_id in alice.subject
    assert "Employer Job Offer: Foreign Worker" in alice.body
    assert "30 May 2026" in alice.body
    bob = notices.get(to_email="bob@example.com")
    assert bob.employer is not None
    assert "Bob's Bakery" in bob.body
    assert "released" in bob.body
    batch = ClosedStreamNotices.objects.get()
    assert sorted(batch.emails) == sorted(n.pk for n in notices)


def test_it_is_idempotent(pool: Pool, martin, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING):
        with django_capture_on_commit_callbacks(execute=True):
            first = withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
        emails = OutgoingEmail.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            second = withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
    assert (first.count, second.count, second.change_id) == (3, 0, None)
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.EOI_STREAM_CLOSED).count() == 3
    assert ProgramChange.objects.count() == 1
    assert OutgoingEmail.objects.count() == emails
    events = AuditEvent.objects.filter(action="eois.closed_stream_withdrawn").order_by("id")
    assert [e.after["withdrawn"] for e in events] == [3, 0]


def test_a_retried_notice_task_sends_nothing_twice(
    pool: Pool, martin, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING), django_capture_on_commit_callbacks(execute=True):
        withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
    batch = ClosedStreamNotices.objects.get()
    count = OutgoingEmail.objects.count()
    assert send_batch(batch.change_id, batch.first_id, batch.last_id) == 0
    assert OutgoingEmail.objects.count() == count


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "olivia", "audrey", "oscar"])
def test_only_a_manager_may_withdraw(pool: Pool, who: str, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who)
    with closed("foreign-worker", on=CLOSING), pytest.raises(PermissionDenied):
        withdraw_closed_stream_eois(actor=user, stream="foreign-worker")
    assert EOI.objects.filter(status=EOI.Status.WITHDRAWN).count() == 1


def test_an_open_or_unknown_stream_is_refused(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    later = today() + timedelta(days=30)
    with closed("workforce-priority", on=later), pytest.raises(ValidationFailed) as refused:
        withdraw_closed_stream_eois(actor=martin, stream="workforce-priority")
    assert later.isoformat() in refused.value.message
    assert "stream" in refused.value.fields
    with pytest.raises(ValidationFailed):
        withdraw_closed_stream_eois(actor=martin, stream="no-such-stream")
    assert EOI.objects.filter(status=EOI.Status.WITHDRAWN).count() == 1
    assert not AuditEvent.objects.filter(action="eois.closed_stream_withdrawn").exists()


def test_the_history_shows_the_withdrawal(pool: Pool, martin, client) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING):
        withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
        html = client.get("/program/changes/").content.decode()
    assert "Expressions of interest withdrawn: Employer Job Offer: Foreign Worker" in html
    assert "Stream closed: Employer Job Offer: Foreign Worker" in html
    assert "alice" not in html.lower()


def test_the_notices_are_queued_in_batches(
    pool: Pool,
    martin,
    monkeypatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """Batches of 2 EOIs among those with someone to tell: every party is told once."""
    from nominee.accounts.models import User  # the extra candidates' accounts
    from nominee.eois import closing
    from nominee.eois.models import Candidate
    from tests.factories import make_eoi

    from .closing_world import LIVE

    monkeypatch.setattr(closing, "NOTICE_BATCH", 2)
    for n in range(3):
        email = f"cand{n}@example.com"
        candidate = Candidate.objects.create(full_name=f"Cand {n}", email=email, created_at=LIVE)
        make_eoi(registered_at=LIVE, candidate=candidate)
    assert not User.objects.filter(email="cand0@example.com").exists()
    with closed("foreign-worker", on=CLOSING), django_capture_on_commit_callbacks(execute=True):
        result = withdraw_closed_stream_eois(actor=martin, stream="foreign-worker")
    assert (result.count, result.batches) == (6, 2)  # 4 EOIs with someone to tell
    notices = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.EOI_STREAM_CLOSED)
    addresses = sorted(n.to_email for n in notices)
    assert addresses == sorted(
        ["alice@example.com", "bob@example.com", "carol@example.com"]
        + [f"cand{n}@example.com" for n in range(3)]
    )
    batches = list(ClosedStreamNotices.objects.order_by("first_id"))
    assert len(batches) == 2
    assert batches[0].last_id < batches[1].first_id
