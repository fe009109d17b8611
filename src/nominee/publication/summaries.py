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
    SUPPRESS_BELOW,
    Entry,
    all_entries,
    count_words,
    is_suppressed,
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
    def dates(self) -> str:
        """The period's dates in words: "1-7 December", "29 September - 5 October",
        "29 December 2025 - 4 January 2026" (with en dashes; a week's year is in its name)."""
        if self.start.year != self.end.year:
            start, end = date_format(self.start, "j F Y"), date_format(self.end, "j F Y")
            return _("%(start)s – %(end)s") % {"start": start, "end": end}  # noqa: RUF001
        if self.start.month != self.end.month:
            start, end = date_format(self.start, "j F"), date_format(self.end, "j F")
            return _("%(start)s – %(end)s") % {"start": start, "end": end}  # noqa: RUF001
        start, end = date_format(self.start, "j"), date_format(self.end, "j F")
        return _("%(start)s–%(end)s") % {"start": start, "end": end}  # noqa: RUF001

    @property
    def label(self) -> str:
        """The period inside a sentence: "3 September 2025", "September 2025", "2025",
        "week 49 of 2025, 1-7 December" (an ISO week, Monday to Sunday)."""
        if self.kind == "day":
            return long_date(self.start)
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "year":
            return str(self.year)
        return _("week %(week)s of %(year)s, %(dates)s") % {
            "week": self.number,
            "year": self.year,
            "dates": self.dates,
        }

    @property
    def title(self) -> str:
        """A heading for the period's page: "Week 49 of 2025, 1-7 December"."""
        if self.kind == "week":
            return _("Week %(week)s of %(year)s, %(dates)s") % {
                "week": self.number,
                "year": self.year,
                "dates": self.dates,
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
    """An invitation total as published ("fewer than 5" for one to four: decision 70)."""
    return count_words(number)


def _plural(number: int) -> int:
    """The number that chooses the plural of a count written by :func:`_n`."""
    return SUPPRESS_BELOW if is_suppressed(number) else number


def _num(number: int) -> str:
    return f"{number:,}"


def _held(summary: Summary) -> str:
    """The first sentence: when, and how many draws."""
    period = summary.period
    if period.kind == "day":
        if not summary.draws:
            return _("On %(day)s, the program held no draws.") % {"day": period.label}
        return ngettext(
            "On %(day)s, the program held %(draws)s draw.",
            "On %(day)s, the program held %(draws)s draws.",
            summary.draws,
        ) % {"day": period.label, "draws": summary.draws}
    if not summary.draws:
        return _("In %(period)s, the program held no draws.") % {"period": period.label}
    return ngettext(
        "In %(period)s, the program held %(draws)s draw.",
        "In %(period)s, the program held %(draws)s draws.",
        summary.draws,
    ) % {"period": period.label, "draws": summary.draws}


def _issued(summary: Summary) -> str:
    """How many invitations the draws issued (one plural, one sentence)."""
    values = {"invitations": _n(summary.invitations)}
    if summary.draws == 1:
        return (
            ngettext(
                "It issued %(invitations)s invitation.",
                "It issued %(invitations)s invitations.",
                _plural(summary.invitations),
            )
            % values
        )
    return (
        ngettext(
            "Together they issued %(invitations)s invitation.",
            "Together they issued %(invitations)s invitations.",
            _plural(summary.invitations),
        )
        % values
    )


def _stream_sentence(totals: StreamTotals) -> str:
    """One stream's invitations and minimum scores, in one sentence."""
    values = {
        "label": totals.label,
        "invitations": _n(totals.invitations),
        "score": totals.lowest_score,
        "low": totals.lowest_score,
        "high": totals.highest_score,
    }
    n = _plural(totals.invitations)
    if totals.lowest_score is None:
        return (
            ngettext(
                "%(label)s: %(invitations)s invitation; minimum score not published.",
                "%(label)s: %(invitations)s invitations; minimum score not published.",
                n,
            )
            % values
        )
    if totals.lowest_score == totals.highest_score:
        return (
            ngettext(
                "%(label)s: %(invitations)s invitation, minimum score %(score)s.",
                "%(label)s: %(invitations)s invitations, minimum score %(score)s.",
                n,
            )
            % values
        )
    return (
        ngettext(
            "%(label)s: %(invitations)s invitation, minimum scores from %(low)s to %(high)s.",
            "%(label)s: %(invitations)s invitations, minimum scores from %(low)s to %(high)s.",
            n,
        )
        % values
    )


def _kinds(summary: Summary) -> list[str]:
    """Targeted and general draws, one sentence for each kind present."""
    targeted, general = summary.targeted, summary.general
    if targeted and not general and targeted == summary.draws:
        return [
            ngettext("The draw was targeted.", "All %(n)s draws were targeted.", targeted)
            % {"n": targeted}
        ]
    if general and not targeted and general == summary.draws:
        return [
            ngettext("The draw was general.", "All %(n)s draws were general.", general)
            % {"n": general}
        ]
    out = []
    if targeted:
        out.append(
            ngettext("%(n)s draw was targeted.", "%(n)s draws were targeted.", targeted)
            % {"n": targeted}
        )
    if general:
        out.append(
            ngettext("%(n)s draw was general.", "%(n)s draws were general.", general)
            % {"n": general}
        )
    return out


def _allocation_sentences(summary: Summary) -> list[str]:
    alloc = summary.allocation
    if alloc is None or not alloc.nominations:
        return []
    out = [
        ngettext(
            "By %(end)s, %(invitations)s invitation had been issued in %(year)s.",
            "By %(end)s, %(invitations)s invitations had been issued in %(year)s.",
            _plural(alloc.invitations),
        )
        % {
            "end": long_date(summary.period.end),
            "invitations": _n(alloc.invitations),
            "year": alloc.year,
        },
        ngettext(
            "That is %(share)s%% of the year's allocation of %(nominations)s nomination.",
            "That is %(share)s%% of the year's allocation of %(nominations)s nominations.",
            alloc.nominations,
        )
        % {"share": f"{100 * (alloc.share or 0):.0f}", "nominations": _num(alloc.nominations)},
    ]
    if alloc.remaining is not None:
        out.append(
            ngettext(
                "%(remaining)s nomination remains to be issued.",
                "%(remaining)s nominations remain to be issued.",
                alloc.remaining,
            )
            % {"remaining": _num(alloc.remaining)}
        )
    return out


def paragraph(summary: Summary) -> str:
    """A paragraph in the manner of a news report, written from the summary's figures:
    whole sentences, each translated as one message (one plural per sentence)."""
    sentences = [_held(summary)]
    if not summary.draws:
        return sentences[0]
    sentences.append(_issued(summary))
    if summary.unknown_counts:
        sentences.append(
            ngettext(
                "The count of %(n)s draw was not published.",
                "The counts of %(n)s draws were not published.",
                summary.unknown_counts,
            )
            % {"n": summary.unknown_counts}
        )
    sentences += [_stream_sentence(totals) for totals in summary.by_stream]
    sentences += _kinds(summary)
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
    sentences += _allocation_sentences(summary)
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
