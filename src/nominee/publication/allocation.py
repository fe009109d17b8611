"""The year's allocation and how the draws used it, by stream (counts only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from nominee.draws.models import Invitation
from nominee.program.models import Allocation

from .record import (
    SOURCE_IMPORTED,
    STREAM_CODES,
    all_entries,
    filter_entries,
    replayed_draw_ids,
    stream_name,
    streams_label,
    years,
)


@dataclass(frozen=True)
class StreamUse:
    """Invitations issued in a stream (or several streams) during a year."""

    key: str
    label: str
    nominee: int
    imported: int
    unknown_draws: int

    @property
    def total(self) -> int:
        """Both sources."""
        return self.nominee + self.imported


@dataclass(frozen=True)
class AllocationUse:
    """A year's nomination allocation and the invitations issued against it."""

    year: int
    nominations: int | None
    nominations_issued: int | None
    source: str
    by_stream: tuple[StreamUse, ...]
    unknown_draws: int

    @property
    def remaining(self) -> int | None:
        """Nominations still available."""
        if self.nominations is None or self.nominations_issued is None:
            return None
        return self.nominations - self.nominations_issued

    @property
    def invitations(self) -> int:
        """Invitations issued in the year (both sources, known figures)."""
        return sum(use.total for use in self.by_stream)

    @property
    def invitations_nominee(self) -> int:
        """Invitations issued by Nominee's draws."""
        return sum(use.nominee for use in self.by_stream)

    @property
    def invitations_imported(self) -> int:
        """Invitations of the imported record (counted entries, known figures)."""
        return sum(use.imported for use in self.by_stream)

    @property
    def share(self) -> float | None:
        """Invitations as a fraction of the allocation."""
        if not self.nominations:
            return None
        return self.invitations / self.nominations


def allocation_use(year: int, *, until: date | None = None) -> AllocationUse:
    """The year's allocation with nominations issued, remaining, and invitations issued
    against it by stream: ``draws.Invitation`` rows of Nominee draws dated that year (not
    the replays of published draws: decision 70) plus the invitations of the imported
    draws (figures known). ``until`` stops the count at a date (a summary's allocation
    context)."""
    allocation = Allocation.objects.filter(year=year).first()
    invitations = Invitation.objects.filter(draw__draw_date__year=year).exclude(
        draw_id__in=replayed_draw_ids()
    )
    if until is not None:
        invitations = invitations.filter(draw__draw_date__lte=until)
    nominee = dict(invitations.values_list("draw__stream").annotate(n=Count("id")).order_by())
    imported: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for entry in filter_entries(all_entries(), year=year, source=SOURCE_IMPORTED):
        if not entry.counted or (until is not None and entry.date > until):
            continue
        key = entry.stream or "+".join(entry.streams)
        if entry.invitations is None:
            unknown[key] += 1
        else:
            imported[key] += entry.invitations
    keys = [code for code in STREAM_CODES if code in nominee or code in imported or code in unknown]
    keys += sorted(k for k in set(imported) | set(unknown) if k not in STREAM_CODES)
    by_stream = tuple(
        StreamUse(
            key=key,
            label=stream_name(key) if key in STREAM_CODES else streams_label(key.split("+")),
            nominee=int(nominee.get(key, 0)),
            imported=imported[key],
            unknown_draws=unknown[key],
        )
        for key in keys
    )
    return AllocationUse(
        year=year,
        nominations=allocation.nominations if allocation else None,
        nominations_issued=allocation.nominations_issued if allocation else None,
        source=allocation.source if allocation else "",
        by_stream=by_stream,
        unknown_draws=sum(unknown.values()),
    )


def default_allocation_year(today: date) -> int:
    """The year the allocation page opens on: the current program year when it has an
    allocation or draws, else the latest year that has either (else the current year)."""
    found = allocation_years()
    if today.year in found or not found:
        return today.year
    earlier = [y for y in found if y <= today.year]
    return earlier[0] if earlier else found[-1]


def allocation_years() -> list[int]:
    """Years with an allocation or with draws, newest first."""
    found = set(Allocation.objects.values_list("year", flat=True))
    found |= set(years(all_entries()))
    return sorted(found, reverse=True)


# ---------------------------------------------------------------- period summaries
