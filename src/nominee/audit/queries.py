"""Reads of the audit log: checking its hash chain (``nominee audit verify``, ``daily``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from django.db import connection

from . import chain
from .models import ChainHead

BATCH = 5000


class _Row(NamedTuple):
    id: int
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: str
    before: str | None
    after: str | None
    data: str
    prev_hash: str
    hash: str


# Raw SQL: the JSON columns come back as text, read once by ``chain.load``.
_COLUMNS = ", ".join(f'"{name}"' for name in _Row._fields)
_SELECT = f"SELECT {_COLUMNS} FROM audit_auditevent"  # noqa: S608 - the names above, no input


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the event (None when the head itself is wrong) and why."""

    reason: str
    event_id: int | None = None
    seq: int | None = None
    action: str = ""
    at: datetime | None = None

    def __str__(self) -> str:
        if self.event_id is None:
            return self.reason
        at = self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if self.at else "?"
        return f"event #{self.event_id} (seq {self.seq}, {self.action}, {at}): {self.reason}"


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify``: how many events held, the head, and the first break."""

    verified: int
    head_seq: int | None
    head_hash: str | None
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def report(self) -> str:
        """One line for a person (or a cron mail) to read."""
        if self.broken is None:
            return (
                f"audit log: {self.verified:,} event(s) verified, the chain holds; "
                f"head {self.head_seq}:{self.head_hash}"
            )
        return (
            f"audit log: the chain is broken: {self.broken}; "
            f"{self.verified:,} event(s) before it verified"
        )


def _row(values: tuple[object, ...]) -> _Row:
    row = _Row._make(values)
    # SQLite gives instants back naive, in UTC.
    return row if row.at.tzinfo else row._replace(at=row.at.replace(tzinfo=UTC))


def _break_at(row: _Row, reason: str) -> Break:
    return Break(reason=reason, event_id=row.id, seq=row.seq, action=row.action, at=row.at)


def verify(*, expect: tuple[int, str] | None = None, batch: int = BATCH) -> Verification:
    """Walk the whole chain in ``seq`` order, ``batch`` events at a time (bounded memory),
    recomputing every hash; stop at the first event that does not hold.

    An event breaks the chain when events are missing before it (a gap in ``seq``, or a
    first event other than 1), when its ``prev_hash`` is not its predecessor's hash, or
    when its content no longer gives its hash. The head must point at the last event: a
    head past it means events were cut from the end, a missing head is reported as such.
    ``expect`` (``seq``, ``hash``), a head printed by an earlier run and kept elsewhere,
    catches a log rewritten from scratch with fresh hashes: event ``seq`` must still have
    that hash. Events appended while it runs are verified too; no lock is taken.
    """

    def after(seq: int) -> list[_Row]:
        with connection.cursor() as cursor:
            cursor.execute(f"{_SELECT} WHERE seq > %s ORDER BY seq LIMIT %s", [seq, batch])
            return [_row(row) for row in cursor.fetchall()]

    verified, last_seq, last_hash = 0, 0, chain.GENESIS
    while True:
        rows = after(last_seq)
        if not rows:
            # Read after the events: an event and the head's move commit together, so a
            # head past the last event seen is either a write since then or a cut.
            head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
            if head is not None and head[0] > last_seq:
                rows = after(last_seq)
            if not rows:
                break
        for row in rows:
            seq = row.seq
            if seq != last_seq + 1:
                missing = (
                    f"event {last_seq + 1} is"
                    if seq == last_seq + 2
                    else f"events {last_seq + 1} to {seq - 1} are"
                )
                return Verification(
                    verified, None, None, _break_at(row, f"{missing} missing before it")
                )
            if row.prev_hash != last_hash:
                reason = (
                    "its previous-hash is not the genesis"
                    if seq == 1
                    else f"its previous-hash does not match the hash of event {seq - 1}"
                )
                return Verification(verified, None, None, _break_at(row, reason))
            body = chain.content(
                at=row.at,
                actor_id=row.actor_id,
                action=row.action,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                before=chain.load(row.before),
                after=chain.load(row.after),
                data=chain.load(row.data),
            )
            if chain.link(seq=seq, prev_hash=last_hash, content=body) != row.hash:
                reason = "its content does not match its hash: it was changed after it was written"
                return Verification(verified, None, None, _break_at(row, reason))
            if expect is not None and seq == expect[0] and row.hash != expect[1]:
                reason = f"its hash is not the {expect[1]} expected: the log was rewritten"
                return Verification(verified, None, None, _break_at(row, reason))
            verified, last_seq, last_hash = verified + 1, seq, row.hash
    return _check_head(verified, last_seq, last_hash, head, expect)


def _check_head(
    verified: int,
    last_seq: int,
    last_hash: str,
    head: tuple[int, str] | None,
    expect: tuple[int, str] | None,
) -> Verification:
    if head is None:
        return Verification(verified, None, None, Break("the chain head is missing"))
    head_seq, head_hash = head
    if head_seq > last_seq:
        reason = (
            f"the chain head names event {head_seq} but the log ends at event {last_seq}: "
            "events were removed from its end"
        )
        return Verification(verified, head_seq, head_hash, Break(reason))
    if head_seq < last_seq:
        with connection.cursor() as cursor:
            cursor.execute(f"{_SELECT} WHERE seq = %s", [head_seq + 1])
            after_head = _row(cursor.fetchone())
        reason = f"it lies beyond the chain head (event {head_seq})"
        return Verification(verified, head_seq, head_hash, _break_at(after_head, reason))
    if head_hash != last_hash:
        reason = f"the chain head's hash does not match event {head_seq}'s"
        return Verification(verified, head_seq, head_hash, Break(reason))
    if expect is not None and expect[0] > last_seq:
        reason = (
            f"event {expect[0]} was expected but the log ends at event {last_seq}: "
            "events were removed"
        )
        return Verification(verified, head_seq, head_hash, Break(reason))
    return Verification(verified, head_seq, head_hash, None)
