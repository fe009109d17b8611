"""Writing to the audit log. Call ``record`` inside the transaction of the change itself,
as late in it as the change allows: from ``record`` to the commit, other writers of the
log wait (the chain is appended to one event at a time)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, models, transaction
from django.utils import timezone

from . import chain
from .models import AuditEvent, ChainHead, ChainHeadMissing


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for a state change (``actor`` None or anonymous: the system).

    Give either ``subject`` or ``subject_type`` and ``subject_id``. ``before`` and
    ``after`` hold the fields the change touched, as JSON-able values. The event is
    chained to the one before it; raises ``ChainHeadMissing`` when the chain has no head.
    """
    return _append(
        [
            _pending(
                {
                    "actor": actor,
                    "action": action,
                    "subject": subject,
                    "subject_type": subject_type,
                    "subject_id": subject_id,
                    "before": before,
                    "after": after,
                    "data": data,
                }
            )
        ]
    )[0]


def record_many(events: Iterable[Mapping[str, Any]]) -> list[AuditEvent]:
    """Append several events, in order, each given as ``record``'s keyword arguments.

    The bulk path: the head locked once and the events inserted 100 a statement,
    chained as ``record`` would chain them one by one. Returns the events written. On
    PostgreSQL, keep a transaction to a few thousand events (docs/audit.md).
    """
    return _append([_pending(event) for event in events])


_ARGUMENTS = {"actor", "action", "subject", "subject_type", "subject_id", "before", "after", "data"}


@dataclass
class _Pending:
    """An event ready to be linked: all but ``seq``, ``prev_hash`` and ``hash``."""

    event: AuditEvent
    content: bytes


# The INSERT is written here, not by the ORM, so that nothing but the linking itself
# happens while the chain is locked.
_COLUMNS = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
_LINK = {f.attname: i for i, f in enumerate(_COLUMNS) if f.attname in ("seq", "prev_hash", "hash")}
_INSERT = 'INSERT INTO "{table}" ({columns}) VALUES ({values}) RETURNING "{pk}"'.format(  # noqa: S608 - names from the model, no input
    table=AuditEvent._meta.db_table,
    columns=", ".join(f'"{field.column}"' for field in _COLUMNS),
    values=", ".join(["%s"] * len(_COLUMNS)),
    pk=AuditEvent._meta.pk.column,
)
_LOCK_HEAD = {
    "postgresql": "SELECT seq, hash FROM audit_chainhead WHERE id = 1 FOR UPDATE",
    # SQLite has no row locks: the IMMEDIATE transaction holds the database's write lock.
    "sqlite": "SELECT seq, hash FROM audit_chainhead WHERE id = 1",
}


def _pending(given: Mapping[str, Any]) -> _Pending:
    """An unsaved event and its canonical content, made before the chain is locked."""
    if unknown := set(given) - _ARGUMENTS:
        raise TypeError(f"record() got unexpected arguments {sorted(unknown)}")
    subject: models.Model | None = given.get("subject")
    subject_type, subject_id = given.get("subject_type"), given.get("subject_id")
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    if subject_type is None or subject_id is None:
        raise ValueError("record() needs a subject")
    actor = given["actor"]
    before, after = given.get("before"), given.get("after")
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=given["action"],
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        data=dict(given.get("data") or {}),
    )
    body = chain.content(
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        before=chain.stored_json(event.before),
        after=chain.stored_json(event.after),
        data=chain.stored_json(event.data),
    )
    return _Pending(event, body)


def _append(pending: list[_Pending]) -> list[AuditEvent]:
    """Link the events to the head and insert them: the chain's one serialised section.

    The head row stays locked until the caller's transaction ends (PostgreSQL; SQLite's
    IMMEDIATE transactions already let one writer in at a time), so no two transactions
    extend the same head. Everything that can be done before the lock was done by
    ``_pending``; here are one SELECT, the hashes and one INSERT (a trigger moves the
    head along).
    """
    events = [item.event for item in pending]
    if not events:
        return events
    # One event (what services write): its row adapted for the database beforehand.
    row = [f.get_db_prep_save(getattr(events[0], f.attname), connection) for f in _COLUMNS]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD[connection.vendor])
        head = cursor.fetchone()
        if head is None:
            raise ChainHeadMissing(
                "the audit log's chain head is missing: run `nominee audit verify`"
            )
        seq, prev_hash = head
        for item in pending:
            seq += 1
            item.event.seq, item.event.prev_hash = seq, prev_hash
            item.event.hash = prev_hash = chain.link(
                seq=seq, prev_hash=prev_hash, content=item.content
            )
        if len(events) > 1:
            # Small statements: PostgreSQL's per-row trigger slows down with their length.
            AuditEvent.objects.bulk_create(events, batch_size=100)
            return events
        (event,) = events
        row[_LINK["seq"]], row[_LINK["prev_hash"]], row[_LINK["hash"]] = (
            event.seq,
            event.prev_hash,
            event.hash,
        )
        cursor.execute(_INSERT, row)
        (event.pk,) = cursor.fetchone()
        event._state.adding, event._state.db = False, connection.alias
    return events


def ensure_chain_head(**kwargs: Any) -> None:
    """post_migrate receiver: an empty log gets the genesis head.

    A fresh database has it from its migration; a test database emptied by Django's
    flush gets it back here. A log that has events keeps whatever head it has: a missing
    one is for ``nominee audit verify`` to report, not for this to paper over.
    """
    using = kwargs.get("using", "default")
    if ChainHead._meta.db_table not in connections[using].introspection.table_names():
        return
    if ChainHead.objects.using(using).exists() or AuditEvent.objects.using(using).exists():
        return
    ChainHead.objects.using(using).create(id=1, seq=0, hash=chain.GENESIS)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, as JSON-able values for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out


def history(subject: models.Model) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first."""
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")


def record_refusal(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for a refused attempt, in a transaction of its own.

    A refused change writes nothing (its transaction rolls back), so the refusal is
    recorded after it, outside it; call this with no transaction open (in tests, inside
    the test's own transaction). Only refusals that matter for security are recorded
    (someone trying to use what is not theirs), never plain input mistakes.
    """
    with transaction.atomic():
        return record(
            actor=actor,
            action=action,
            subject=subject,
            subject_type=subject_type,
            subject_id=subject_id,
            data=data,
        )
