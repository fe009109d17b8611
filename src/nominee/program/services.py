"""Program services: the yearly allocations (seeded after migrate, set by a manager)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from importlib import resources
from typing import Any

from django.db import transaction

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed

from . import streams
from .models import Allocation, ProgramChange, SpentPolicy, StreamAllocation


def seed_allocations(**kwargs: Any) -> None:
    """post_migrate receiver: add the shipped yearly allocations that are missing.

    A year already present is left alone: a manager's figure wins over the shipped one.
    """
    using = kwargs.get("using", "default")
    text = resources.files("nominee.program").joinpath("data", "allocations.csv").read_text()
    for row in csv.DictReader(io.StringIO(text)):
        Allocation.objects.using(using).get_or_create(
            year=int(row["year"]),
            defaults={"nominations": int(row["nominations"]), "source": row["source"]},
        )


@transaction.atomic(durable=True)
def set_allocation(
    *,
    year: int,
    nominations: int,
    actor: Any,
    source: str = "",
    stream: str | None = None,
    when_spent: str | None = None,
) -> Allocation:
    """Set a year's allocation, or with ``stream`` that stream's share of it (a manager's
    act), and optionally what the year does once it is spent (``hold`` or ``return``).

    Never below the nominations already issued; a stream's shares together never above
    the year's figure. Raises ValidationFailed before writing.
    """
    return _set_allocation(
        year=year,
        nominations=nominations,
        actor=actor,
        source=source,
        stream=stream,
        when_spent=when_spent,
    )


def _set_allocation(
    *,
    year: int,
    nominations: int,
    actor: Any,
    source: str = "",
    stream: str | None = None,
    when_spent: str | None = None,
) -> Allocation:
    """The body of ``set_allocation``, in the caller's transaction (the admin's)."""
    if nominations < 0:
        raise ValidationFailed(
            "the allocation must not be negative",
            fields={"nominations": ["must be 0 or more"]},
        )
    if stream is not None and not streams.is_stream(stream):
        raise ValidationFailed(
            f"unknown stream {stream!r}",
            fields={"stream": [f"one of {', '.join(streams.codes())}"]},
        )
    if when_spent is not None and when_spent not in SpentPolicy.values:
        raise ValidationFailed(
            f"unknown policy {when_spent!r}",
            fields={"when_spent": [f"one of {', '.join(SpentPolicy.values)}"]},
        )
    allocation = Allocation.objects.select_for_update().filter(year=year).first()
    if stream is not None:
        return _set_share(
            allocation, year=year, stream=stream, nominations=nominations, actor=actor
        )
    before = None
    if allocation is None:
        allocation = Allocation(year=year, nominations=nominations, source=source)
    else:
        if nominations < allocation.nominations_issued:
            raise ValidationFailed(
                f"{allocation.nominations_issued} nominations were already issued in {year}",
                fields={"nominations": [f"must be at least {allocation.nominations_issued}"]},
            )
        shared = sum(allocation.streams.values_list("nominations", flat=True))
        if nominations < shared:
            raise ValidationFailed(
                f"the streams' shares of {year} add up to {shared}",
                fields={"nominations": [f"must be at least {shared}, the streams' shares"]},
            )
        before = {"nominations": allocation.nominations, "when_spent": allocation.when_spent}
        allocation.nominations = nominations
        allocation.source = source or allocation.source
    if when_spent is not None:
        allocation.when_spent = when_spent
    allocation.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    allocation.save()
    record(
        actor=actor,
        action="allocation.set",
        subject=allocation,
        before=before,
        after={"nominations": nominations, "when_spent": allocation.when_spent},
    )
    return allocation


def _set_share(
    allocation: Allocation | None, *, year: int, stream: str, nominations: int, actor: Any
) -> Allocation:
    if allocation is None:
        raise ValidationFailed(
            f"set the {year} allocation before splitting it by stream",
            fields={"year": [f"no allocation for {year}"]},
        )
    share = (
        StreamAllocation.objects.select_for_update()
        .filter(allocation=allocation, stream=stream)
        .first()
    )
    issued = share.nominations_issued if share is not None else 0
    if nominations < issued:
        raise ValidationFailed(
            f"{issued} {stream} nominations were already issued in {year}",
            fields={"nominations": [f"must be at least {issued}"]},
        )
    others = sum(allocation.streams.exclude(stream=stream).values_list("nominations", flat=True))
    if others + nominations > allocation.nominations:
        raise ValidationFailed(
            f"the streams' shares would add up to {others + nominations}, "
            f"above the {year} allocation of {allocation.nominations}",
            fields={"nominations": [f"at most {allocation.nominations - others}"]},
        )
    before = {"nominations": share.nominations} if share is not None else None
    if share is None:
        # Nominations of the stream issued before the split count against its share. They
        # are read through the reverse link ``issued`` (casework's Nomination), because
        # casework sits above program, which does not import it.
        issued = allocation.issued.filter(stream=stream).count()
        if nominations < issued:
            raise ValidationFailed(
                f"{issued} {stream} nominations were already issued in {year}",
                fields={"nominations": [f"must be at least {issued}"]},
            )
        share = StreamAllocation(
            allocation=allocation, stream=stream, nominations=nominations, nominations_issued=issued
        )
    share.nominations = nominations
    share.save()
    record(
        actor=actor,
        action="allocation.stream_set",
        subject=allocation,
        before=before,
        after={"stream": stream, "nominations": nominations},
    )
    return allocation


def record_change(
    *, kind: str, stream: str, on: date, count: int, actor: Any, now: datetime
) -> ProgramChange:
    """Add an act of the program to its history of changes, in the caller's transaction
    (the service that made the change holds it and records the audit event)."""
    return ProgramChange.objects.create(
        kind=kind,
        stream=stream,
        effective_on=on,
        count=count,
        recorded_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
