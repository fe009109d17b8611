"""Each audit event is chained to the one before it, under concurrency too."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction

from nominee.audit import chain
from nominee.audit.models import AuditEvent, ChainHead, ChainHeadMissing
from nominee.audit.queries import verify
from nominee.audit.services import record, record_many
from tests.audit.triggers import lifted

pytestmark = pytest.mark.django_db


def _event(number: int, **fields: Any) -> AuditEvent:
    return record(
        actor=None, action="tests.event", subject_type="tests", subject_id=number, **fields
    )


def test_each_event_holds_the_hash_of_the_one_before_and_its_own(olivia: Any) -> None:
    first = _event(1)
    second = record(actor=olivia, action="tests.changed", subject=olivia, after={"x": 1})
    assert (first.seq, first.prev_hash) == (1, chain.GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    stored = AuditEvent.objects.get(pk=second.pk)
    body = chain.content(
        at=stored.at,
        actor_id=olivia.pk,
        action="tests.changed",
        subject_type="accounts.user",
        subject_id=str(olivia.pk),
        before=None,
        after={"x": 1},
        data={},
    )
    assert stored.hash == chain.link(seq=2, prev_hash=first.hash, content=body)
    assert ChainHead.objects.values_list("seq", "hash").get() == (2, second.hash)
    assert verify().ok


def test_the_hash_covers_every_part_of_the_event() -> None:
    base = {
        "at": datetime(2026, 1, 2, 3, 4, 5, 6789).astimezone(),
        "actor_id": None,
        "action": "a.b",
        "subject_type": "t",
        "subject_id": "1",
        "before": None,
        "after": {"k": 1},
        "data": {},
    }
    changed = [
        {"at": datetime(2026, 1, 2, 3, 4, 5, 6790).astimezone()},
        {"actor_id": 7},
        {"action": "a.c"},
        {"subject_type": "u"},
        {"subject_id": "2"},
        {"before": {}},
        {"after": {"k": 2}},
        {"data": {"k": 1}},
    ]
    digest = chain.link(seq=5, prev_hash=chain.GENESIS, content=chain.content(**base))
    others = {
        chain.link(seq=5, prev_hash=chain.GENESIS, content=chain.content(**base | c))
        for c in changed
    }
    others.add(chain.link(seq=6, prev_hash=chain.GENESIS, content=chain.content(**base)))
    others.add(chain.link(seq=5, prev_hash="1" * 64, content=chain.content(**base)))
    assert digest not in others
    assert len(others) == len(changed) + 2


def test_values_hash_the_same_once_stored_as_when_recorded() -> None:
    """What a JSON column gives back differs from what went in (jsonb rewrites numbers,
    the encoder turns dates and decimals into text); the chain must not see a change."""
    odd = {
        "decimal": Decimal("1234.50"),
        "day": date(2026, 2, 28),
        "instant": datetime(2026, 2, 28, 23, 59, 59, 999999).astimezone(),
        "uuid": uuid.UUID(int=7),
        "floats": [0.1, 1.0, -0.0, 1e20, 1.5e-07, 123456789.125, 2.5e300],
        "ints": [0, -1, 2**63, 10**30],
        "text": 'é ✓ \U0001f600 "quoted" \\ \n\t',
        "nested": {"b": [{"z": None, "a": True}], "a": False},
        7: "an int key",
        "tuple": (1, 2),
    }
    event = _event(1, before=odd, after={"same": odd}, data={"list": [odd]})
    assert verify().ok, verify().report()
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash


def test_record_many_chains_as_record_does() -> None:
    single = _event(0)
    events = record_many(
        {"actor": None, "action": "tests.bulk", "subject_type": "tests", "subject_id": n}
        for n in range(1, 2501)  # more than one INSERT batch
    )
    assert [e.seq for e in events] == list(range(2, 2502))
    assert events[0].prev_hash == single.hash
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert verify().verified == 2501
    assert record_many([]) == []
    with pytest.raises(TypeError, match="subjct"):
        record_many([{"actor": None, "action": "x", "subjct": "typo"}])


def test_record_refuses_to_start_a_new_chain_when_the_head_is_gone() -> None:
    _event(1)
    with transaction.atomic(), lifted(connection):
        ChainHead.objects.all().delete()
    with pytest.raises(ChainHeadMissing, match="nominee audit verify"), transaction.atomic():
        _event(2)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    """Two writers at once, each event in its own transaction with work after ``record``
    (as a service does): every event gets its own place, in one unbroken chain."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time (IMMEDIATE transactions)")
    per_writer = 40
    barrier = threading.Barrier(2)
    failures: list[str] = []

    def write(writer: int) -> None:
        try:
            barrier.wait()
            for number in range(per_writer):
                with transaction.atomic(durable=True):
                    _event(writer * 1000 + number)
                    time.sleep(0.001)
        except Exception as error:
            failures.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * per_writer + 1))
    writers = list(AuditEvent.objects.order_by("seq").values_list("subject_id", flat=True))
    assert {w[0] for w in writers[:per_writer]} == {"1", "2"}, "the writers did not interleave"
    outcome = verify()
    assert outcome.ok, outcome.report()
    assert outcome.verified == 2 * per_writer
