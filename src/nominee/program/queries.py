"""Reads of the program's policy tables shared by draws, publication and casework."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from . import streams
from .models import Allocation, ProgramChange


def allocation(year: int) -> Allocation | None:
    """The year's nomination allocation, or None when the year has none."""
    return Allocation.objects.filter(year=year).first()


STREAM_OPENED = "stream_opened"
STREAM_CLOSED = "stream_closed"
EOIS_WITHDRAWN = ProgramChange.Kind.EOIS_WITHDRAWN.value
ALLOCATION_SET = "allocation_set"


@dataclass(frozen=True)
class Change:
    """One entry of the program's history of changes, from whichever source holds it.

    ``on`` is the program date the change takes effect (None for an allocation, whose
    announcement date is not recorded: ``year`` places it); ``stream`` the stream code
    it concerns (None for an allocation); ``count`` the EOIs withdrawn or the
    nominations allocated; ``source`` the allocation's published source. ``key`` is a
    stable identity (feeds) and ``recorded_at`` when Nominee learnt of it, if known.
    """

    key: str
    kind: str
    on: date | None
    year: int
    stream: str | None = None
    count: int | None = None
    source: str = ""
    recorded_at: datetime | None = None

    @property
    def sort_on(self) -> date:
        """The date it sorts by (an allocation at the start of its year)."""
        return self.on or date(self.year, 1, 1)


def history() -> list[Change]:
    """The program's changes, newest first: streams opened and closed (the stream
    registry's ``effective_from`` and ``until``), the recorded acts (``ProgramChange``)
    and each year's allocation that has a source.

    Changes still to come (a stream that opens later) are included; callers compare
    ``on`` with today's program date.
    """
    out: list[Change] = []
    for code in streams.codes():
        info = streams.info(code)
        out.append(
            Change(
                key=f"opened:{code}:{info.effective_from.isoformat()}",
                kind=STREAM_OPENED,
                on=info.effective_from,
                year=info.effective_from.year,
                stream=code,
            )
        )
        if info.until is not None:
            out.append(
                Change(
                    key=f"closed:{code}:{info.until.isoformat()}",
                    kind=STREAM_CLOSED,
                    on=info.until,
                    year=info.until.year,
                    stream=code,
                )
            )
    for change in ProgramChange.objects.order_by("id"):
        out.append(
            Change(
                key=f"change:{change.pk}",
                kind=change.kind,
                on=change.effective_on,
                year=change.effective_on.year,
                stream=change.stream,
                count=change.count,
                recorded_at=change.recorded_at,
            )
        )
    for row in Allocation.objects.exclude(source="").order_by("year"):
        out.append(
            Change(
                key=f"allocation:{row.year}",
                kind=ALLOCATION_SET,
                on=None,
                year=row.year,
                count=row.nominations,
                source=row.source,
                recorded_at=row.updated_at,
            )
        )
    # Newest first; on one day a closing before the withdrawal before an opening.
    order = {STREAM_CLOSED: 0, EOIS_WITHDRAWN: 1, STREAM_OPENED: 2, ALLOCATION_SET: 3}
    out.sort(key=lambda c: (c.sort_on, -order.get(c.kind, 9), c.key), reverse=True)
    return out


def registry_fingerprint() -> str:
    """A short digest of the stream registry's dates: cached pages of the history of
    changes are keyed on it, so that a changed registry (a stream closed) shows at once."""
    parts = []
    for code in streams.codes():
        info = streams.info(code)
        parts.append(f"{code}:{info.effective_from}:{info.until}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
