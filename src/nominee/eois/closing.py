"""Withdrawing the un-invited EOIs of a closed stream (DOMAIN §9, issue 12): the preview
and the one durable service, re-exported by ``nominee.eois.services``.

Which EOIs: those of the stream still active (never invited, withdrawn or found
ineligible) and not expired when the withdrawal runs, legacy ones included. An EOI that
expired already left the pool by its date and keeps that history (decision 52). The
rows are written with one ``UPDATE ... WHERE ... RETURNING`` (no row is loaded first), each
pointing at the ``program.ProgramChange`` that explains it; the job offers they bound
are released as a candidate's withdrawal releases them; the notices are queued in
batches of ``NOTICE_BATCH`` EOIs, one task each (``tasks.send_closed_stream_notices``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Field, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.roles import Role, has_role
from nominee.audit.services import record
from nominee.core.errors import PermissionDenied, ValidationFailed
from nominee.core.timeutil import program_date
from nominee.employers.models import JobOffer
from nominee.employers.transitions import move_offer
from nominee.program import streams
from nominee.program.models import ProgramChange
from nominee.program.services import record_change

from .models import EOI
from .tasks import send_closed_stream_notices

#: EOIs per notice task: a million EOIs make 200 tasks, not a million.
NOTICE_BATCH = 5000
ACTION = "eois.closed_stream_withdrawn"


@dataclass(frozen=True)
class ClosedStreamWithdrawal:
    """What a withdrawal did, or with ``dry_run`` what it would do.

    ``count`` EOIs withdrawn (to withdraw), ``job_offers`` offers released (to release),
    ``batches`` notice tasks queued; ``change_id`` the ``ProgramChange`` recorded (None on
    a dry run or when there was nothing to withdraw).
    """

    stream: str
    stream_name: str
    closed_on: date
    on: date
    count: int
    job_offers: int
    dry_run: bool
    batches: int = 0
    change_id: int | None = None


@dataclass(frozen=True)
class ClosedStreamCount:
    """A closed stream and how many of its EOIs a withdrawal would take today."""

    stream: str
    stream_name: str
    closed_on: date
    count: int


def withdrawable(stream: str, now: datetime) -> QuerySet[EOI]:
    """The stream's EOIs a withdrawal takes at ``now``: active and not expired."""
    return EOI.objects.filter(stream=stream, status=EOI.Status.ACTIVE, expires_at__gt=now)


def closed_streams(on: date) -> list[tuple[str, date]]:
    """``(code, closing date)`` of every stream of the registry closed on ``on``."""
    out = []
    for code in streams.codes():
        until = streams.info(code).until
        if until is not None and until <= on:
            out.append((code, until))
    return out


def closed_stream_counts(now: datetime | None = None) -> list[ClosedStreamCount]:
    """The preview of the staff page: each closed stream with its EOIs still to withdraw
    (one grouped count)."""
    now = now or timezone.now()
    closed = closed_streams(program_date(now))
    codes = [code for code, _until in closed]
    counts = dict(
        EOI.objects.filter(stream__in=codes, status=EOI.Status.ACTIVE, expires_at__gt=now)
        .values_list("stream")
        .annotate(n=Count("id"))
        .values_list("stream", "n")
    )
    return [
        ClosedStreamCount(code, streams.name(code), until, int(counts.get(code, 0)))
        for code, until in closed
    ]


def _require_manager(actor: object) -> None:
    # None is the console: ``nominee eoi withdraw-closed`` without --as, as the other
    # bulk commands run (the audit event then names the system).
    if actor is not None and not has_role(actor, Role.MANAGER):
        raise PermissionDenied(
            _("only a program manager may withdraw the EOIs of a closed stream"),
            code="eois.manager_only",
        )


def _closed_stream(stream: str, on: date) -> date:
    if not streams.is_stream(stream):
        raise ValidationFailed(
            _("unknown stream %(stream)s") % {"stream": repr(stream)},
            code="eois.unknown_stream",
            fields={"stream": [_("one of: %(codes)s") % {"codes": ", ".join(streams.codes())}]},
        )
    until = streams.info(stream).until
    if until is None or until > on:
        when = (
            _("it has no closing date")
            if until is None
            else _("it closes on %(date)s") % {"date": until.isoformat()}
        )
        raise ValidationFailed(
            _("the stream %(name)s is not closed on %(today)s: %(when)s")
            % {"name": streams.name(stream), "today": on.isoformat(), "when": when},
            code="eois.stream_not_closed",
            fields={"stream": [_("only a closed stream's EOIs are withdrawn")]},
        )
    return until


def _batches(rows: list[tuple[int, int | None, int | None]]) -> list[tuple[int, int]]:
    """Id ranges of ``NOTICE_BATCH`` withdrawn EOIs that have someone to tell (a candidate
    or a job offer), from the rows the update returned."""
    ids = sorted(eoi_id for eoi_id, candidate, offer in rows if candidate or offer)
    return [
        (ids[i], ids[min(i + NOTICE_BATCH, len(ids)) - 1]) for i in range(0, len(ids), NOTICE_BATCH)
    ]


def _withdraw_rows(
    stream: str, change: ProgramChange, now: datetime
) -> list[tuple[int, int | None, int | None]]:
    """One ``UPDATE … WHERE … RETURNING``: the rows withdrawn as (id, candidate, job offer).

    The ORM's ``update()`` returns a count only; the ids are what the notices and the job
    offers need, and reading them back would scan the million rows a second time.
    """
    table = connection.ops.quote_name(EOI._meta.db_table)

    def field(name: str) -> Field[Any, Any]:
        found = EOI._meta.get_field(name)
        assert isinstance(found, Field)
        return found

    def column(name: str) -> str:
        return connection.ops.quote_name(str(field(name).column))

    def value(name: str, raw: object) -> Any:
        return field(name).get_db_prep_value(raw, connection)

    sql = (
        f"UPDATE {table} SET {column('status')} = %s, {column('withdrawn_at')} = %s, "  # noqa: S608
        f"{column('updated_at')} = %s, {column('withdrawn_by_change')} = %s "
        f"WHERE {column('stream')} = %s AND {column('status')} = %s "
        f"AND {column('expires_at')} > %s "
        f"RETURNING {column('id')}, {column('candidate')}, {column('job_offer')}"
    )
    params: list[Any] = [
        EOI.Status.WITHDRAWN.value,
        value("withdrawn_at", now),
        value("updated_at", now),
        change.pk,
        stream,
        EOI.Status.ACTIVE.value,
        value("expires_at", now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(r[0]), r[1], r[2]) for r in cursor.fetchall()]


@transaction.atomic(durable=True)
def withdraw_closed_stream_eois(
    *, actor: object, stream: str, dry_run: bool = False, now: datetime | None = None
) -> ClosedStreamWithdrawal:
    """Withdraw every EOI of a closed stream that is still active and not expired: all or
    nothing, one transaction, a manager's act (DOMAIN §9: on 2026-06-25 the program withdrew
    the un-invited EOIs of the streams closed on 2026-05-30).

    Refused before writing (PermissionDenied for anyone but a manager or the console;
    ValidationFailed for an unknown stream or one not closed on today's program date).
    The ``UPDATE`` takes each row's lock and re-checks that it is still active, so an EOI
    a concurrent draw invited is left to the draw. Idempotent: a second run finds nothing
    and says so (count 0, no change recorded). Records one ``ProgramChange`` (the public
    history; each EOI points at it) and one audit event with the stream, the count and
    the date, whatever the count; releases the bound job offers (``eoi_withdrawn``, one
    event per offer, as every move of an offer); queues the notices in batches after
    commit. ``dry_run`` counts and writes nothing.
    """
    now = now or timezone.now()
    on = program_date(now)
    _require_manager(actor)
    closed_on = _closed_stream(stream, on)
    rows = withdrawable(stream, now)
    if dry_run:
        return ClosedStreamWithdrawal(
            stream=stream,
            stream_name=streams.name(stream),
            closed_on=closed_on,
            on=on,
            count=rows.count(),
            job_offers=rows.filter(job_offer__status=JobOffer.Status.EOI_REGISTERED).count(),
            dry_run=True,
        )
    change: ProgramChange | None = None
    count = offers = 0
    batches: list[tuple[int, int]] = []
    if rows.exists():
        change = record_change(
            kind=ProgramChange.Kind.EOIS_WITHDRAWN,
            stream=stream,
            on=on,
            count=0,
            actor=actor,
            now=now,
        )
        withdrawn = _withdraw_rows(stream, change, now)
        count = len(withdrawn)
        if count:
            ProgramChange.objects.filter(pk=change.pk).update(count=count)
            offer_ids = sorted(offer for _id, _candidate, offer in withdrawn if offer)
            offers = len(
                move_offer(
                    offer_ids,
                    to=JobOffer.Status.EOI_WITHDRAWN,
                    actor=actor,
                    via="stream closed",
                    now=now,
                    data=lambda _offer: {"stream_closed_on": closed_on.isoformat()},
                )
            )
            batches = _batches(withdrawn)
        else:  # a concurrent run took them between the check and the update
            change.delete()
            change = None
    record(
        actor=actor,
        action=ACTION,
        subject_type="program.stream",
        subject_id=stream,
        after={"withdrawn": count, "on": on.isoformat()},
        data={
            "stream": stream,
            "closed_on": closed_on.isoformat(),
            "job_offers": offers,
            "notice_batches": len(batches),
            "change": change.pk if change else None,
        },
    )
    if change is not None:
        change_id = change.pk

        def enqueue() -> None:
            for first, last in batches:
                send_closed_stream_notices.enqueue(change_id, first, last)

        transaction.on_commit(enqueue)
    return ClosedStreamWithdrawal(
        stream=stream,
        stream_name=streams.name(stream),
        closed_on=closed_on,
        on=on,
        count=count,
        job_offers=offers,
        dry_run=False,
        batches=len(batches),
        change_id=change.pk if change else None,
    )
