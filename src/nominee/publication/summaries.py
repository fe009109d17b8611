"""Period summaries of the record: weeks, months, years, in figures and in a paragraph."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.core.locale import plain_links

from .allocation import (
    AllocationUse,
    allocation_use,
)
from .record import (
    SOURCE_NOMINEE,
    SOURCES,
    STREAM_CODES,
    Entry,
    all_entries,
    long_date,
    stream_name,
    streams_label,
    window_words,
)


@dataclass(frozen=True)
class Period:
    """A day, an ISO week, a month or a year: ``start`` and ``end`` both inclusive."""

    kind: str
    start: date
    end: date
    year: int
    number: int | None = None  # month, ISO week or None

    @classmethod
    def day(cls, year: int, month: int, day: int) -> Period:
        """One program date."""
        d = date(year, month, day)
        return cls("day", d, d, year, month)

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ISO year ``year`` (Monday to Sunday)."""
        start = date.fromisocalendar(year, week, 1)
        return cls("week", start, start + timedelta(days=6), year, week)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A calendar month."""
        start = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return cls("month", start, nxt - timedelta(days=1), year, month)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        """A calendar year."""
        return cls("year", date(year, 1, 1), date(year, 12, 31), year)

    def contains(self, day: date) -> bool:
        """Whether a date falls in the period."""
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """ "the first week of September 2025", "September 2025", "3 September 2025"."""
        if self.kind == "day":
            return long_date(self.start)
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "year":
            return str(self.year)
        ordinals = {
            1: _("first"),
            2: _("second"),
            3: _("third"),
            4: _("fourth"),
            5: _("fifth"),
        }
        words = {
            "ordinal": ordinals[(self.start.day - 1) // 7 + 1],
            "month": date_format(self.start, "F Y"),
            "start": long_date(self.start),
            "end": long_date(self.end),
        }
        if self.start.day == 1:
            return _("the %(ordinal)s week of %(month)s") % words
        return _("the %(ordinal)s week of %(month)s (%(start)s to %(end)s)") % words

    @property
    def title(self) -> str:
        """A heading for the period's page."""
        if self.kind == "week":
            return _("Week %(week)s of %(year)s: %(start)s to %(end)s") % {
                "week": self.number,
                "year": self.year,
                "start": long_date(self.start),
                "end": long_date(self.end),
            }
        return self.label[0].upper() + self.label[1:]

    @property
    def url(self) -> str:
        """The summary page of the period."""
        if self.kind == "day":
            return reverse(
                "publication:summary_day",
                kwargs={"year": self.year, "month": self.start.month, "day": self.start.day},
            )
        if self.kind == "week":
            return reverse(
                "publication:summary_week", kwargs={"year": self.year, "week": self.number}
            )
        if self.kind == "month":
            return reverse(
                "publication:summary_month", kwargs={"year": self.year, "month": self.number}
            )
        return reverse("publication:summary_year", kwargs={"year": self.year})

    def previous(self) -> Period:
        """The period before."""
        if self.kind == "day":
            d = self.start - timedelta(days=1)
            return Period.day(d.year, d.month, d.day)
        if self.kind == "week":
            iso = (self.start - timedelta(days=7)).isocalendar()
            return Period.week(iso.year, iso.week)
        if self.kind == "month":
            d = self.start - timedelta(days=1)
            return Period.month(d.year, d.month)
        return Period.whole_year(self.year - 1)

    def next(self) -> Period:
        """The period after."""
        if self.kind == "day":
            d = self.start + timedelta(days=1)
            return Period.day(d.year, d.month, d.day)
        if self.kind == "week":
            iso = (self.start + timedelta(days=7)).isocalendar()
            return Period.week(iso.year, iso.week)
        if self.kind == "month":
            d = self.end + timedelta(days=1)
            return Period.month(d.year, d.month)
        return Period.whole_year(self.year + 1)


@dataclass(frozen=True)
class StreamTotals:
    """One stream's draws in a period."""

    key: str
    label: str
    draws: int
    invitations: int
    unknown_counts: int
    lowest_score: int | None
    highest_score: int | None


@dataclass(frozen=True)
class Summary:
    """The figures of a period (counted entries only) and its paragraph."""

    period: Period
    entries: tuple[Entry, ...]
    draws: int
    invitations: int
    unknown_counts: int
    by_stream: tuple[StreamTotals, ...]
    general: int
    targeted: int
    windows: tuple[tuple[date | None, date | None], ...]
    occupations: int
    by_source: dict[str, int]
    allocation: AllocationUse | None
    paragraph: str
    not_counted: tuple[Entry, ...] = ()

    @property
    def days(self) -> list[date]:
        """Dates with draws, in order."""
        return sorted({entry.date for entry in self.entries})


def _lowest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _highest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def summarise(period: Period, entries: Sequence[Entry] | None = None) -> Summary:
    """The totals of a period by stream and the news-style paragraph, from the record."""
    every = all_entries() if entries is None else list(entries)
    inside = [entry for entry in every if period.contains(entry.date)]
    counted = [entry for entry in inside if entry.counted]
    counted.sort(key=lambda e: e.order)
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in counted:
        groups[entry.stream or "+".join(entry.streams)].append(entry)
    keys = [c for c in STREAM_CODES if c in groups] + sorted(
        k for k in groups if k not in STREAM_CODES
    )
    by_stream = tuple(
        StreamTotals(
            key=key,
            label=stream_name(key) if key in STREAM_CODES else streams_label(key.split("+")),
            draws=len(groups[key]),
            invitations=sum(e.invitations or 0 for e in groups[key]),
            unknown_counts=sum(1 for e in groups[key] if e.invitations is None),
            lowest_score=_lowest(e.min_score for e in groups[key]),
            highest_score=_highest(e.min_score for e in groups[key]),
        )
        for key in keys
    )
    windows = tuple(
        sorted(
            {
                (e.registered_from, e.registered_to)
                for e in counted
                if e.registered_from or e.registered_to
            },
            key=lambda w: (w[0] or date.min, w[1] or date.min),
        )
    )
    occupations = len({code for e in counted for code in e.noc_codes})
    by_source = Counter(e.source for e in counted)
    allocation = None
    if counted or period.kind != "day":
        years_in = {period.start.year, period.end.year}
        alloc_year = period.end.year if len(years_in) > 1 else period.start.year
        allocation = allocation_use(alloc_year, until=period.end)
    summary = Summary(
        period=period,
        entries=tuple(counted),
        draws=len(counted),
        invitations=sum(e.invitations or 0 for e in counted),
        unknown_counts=sum(1 for e in counted if e.invitations is None),
        by_stream=by_stream,
        general=sum(1 for e in counted if e.draw_type == "general"),
        targeted=sum(1 for e in counted if e.draw_type == "targeted"),
        windows=windows,
        occupations=occupations,
        by_source={source: by_source.get(source, 0) for source in SOURCES},
        allocation=allocation,
        paragraph="",
        not_counted=tuple(e for e in inside if not e.counted),
    )
    return dataclasses.replace(summary, paragraph=paragraph(summary))


def _n(number: int) -> str:
    return f"{number:,}"


def paragraph(summary: Summary) -> str:
    """A paragraph in the manner of a news report, written from the summary's figures."""
    period = summary.period
    when = (
        _("On %(day)s") % {"day": period.label}
        if period.kind == "day"
        else _("In %(period)s") % {"period": period.label}
    )
    if not summary.draws:
        return _("%(when)s the program held no draws.") % {"when": when}
    sentences = []
    unknown = ""
    if summary.unknown_counts:
        unknown = " " + ngettext(
            "(the count of %(n)s draw was not published)",
            "(the counts of %(n)s draws were not published)",
            summary.unknown_counts,
        ) % {"n": summary.unknown_counts}
    sentences.append(
        ngettext(
            "%(when)s the program issued %(invitations)s invitations in %(draws)s draw%(unknown)s.",
            "%(when)s the program issued %(invitations)s invitations "
            "in %(draws)s draws%(unknown)s.",
            summary.draws,
        )
        % {
            "when": when,
            "invitations": _n(summary.invitations),
            "draws": _n(summary.draws),
            "unknown": unknown,
        }
    )
    parts = []
    for totals in summary.by_stream:
        if totals.lowest_score is None:
            score = _("minimum score not published")
        elif totals.lowest_score == totals.highest_score:
            score = _("a minimum score of %(score)s") % {"score": totals.lowest_score}
        else:
            score = _("minimum scores from %(low)s to %(high)s") % {
                "low": totals.lowest_score,
                "high": totals.highest_score,
            }
        parts.append(
            ngettext(
                "%(label)s: %(invitations)s in %(draws)s draw, %(score)s",
                "%(label)s: %(invitations)s in %(draws)s draws, %(score)s",
                totals.draws,
            )
            % {
                "label": totals.label,
                "invitations": _n(totals.invitations),
                "draws": totals.draws,
                "score": score,
            }
        )
    sentences.append(_("By stream: %(parts)s.") % {"parts": "; ".join(parts)})
    if summary.targeted or summary.general:
        sentences.append(
            _("%(targeted)s of the draws were targeted and %(general)s general.")
            % {"targeted": summary.targeted, "general": summary.general}
        )
    if summary.occupations:
        sentences.append(
            ngettext(
                "The targeted draws named %(n)s occupation (NOC 2021 code) between them.",
                "The targeted draws named %(n)s occupations (NOC 2021 codes) between them.",
                summary.occupations,
            )
            % {"n": summary.occupations}
        )
    if summary.windows:
        words = [window_words(start, end, SOURCE_NOMINEE) for start, end in summary.windows]
        sentences.append(
            ngettext(
                "Candidates had to have %(windows)s.",
                "The registration windows were: %(windows)s.",
                len(words),
            )
            % {"windows": "; ".join(words)}
        )
    alloc = summary.allocation
    if alloc is not None and alloc.nominations:
        sentences.append(
            _(
                "By %(end)s, %(invitations)s invitations had been issued in %(year)s against "
                "an allocation of %(nominations)s nominations (%(share)s%%), with "
                "%(remaining)s nominations remaining."
            )
            % {
                "end": long_date(period.end),
                "invitations": _n(alloc.invitations),
                "year": alloc.year,
                "nominations": _n(alloc.nominations),
                "share": f"{100 * (alloc.share or 0):.0f}",
                "remaining": _n(alloc.remaining or 0),
            }
        )
    return " ".join(sentences)


def summary_periods(entries: Sequence[Entry]) -> dict[int, list[Period]]:
    """Months with draws, grouped by year (newest first), for the summaries index."""
    out: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for entry in entries:
        out[entry.date.year].add((entry.date.year, entry.date.month))
    return {
        year: [Period.month(y, m) for y, m in sorted(months, reverse=True)]
        for year, months in sorted(out.items(), reverse=True)
    }


def weeks_of(period: Period, entries: Sequence[Entry]) -> list[Period]:
    """The ISO weeks with draws inside a period."""
    found = set()
    for entry in entries:
        if period.contains(entry.date):
            iso = entry.date.isocalendar()
            found.add((iso.year, iso.week))
    return [Period.week(y, w) for y, w in sorted(found)]


def english(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a builder in English (feeds are published in the site's base language), its
    links plain (``/draws/…``, never under the request's ``/fr/``: one body for all)."""
    with translation.override(settings.LANGUAGE_CODE), plain_links():
        return func(*args, **kwargs)
