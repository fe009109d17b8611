"""Reads of the public record, shared by the pages, the feeds, the API and the summaries.

Nothing here writes, and nothing here returns a personal field: an ``Entry`` is built
from a draw's criteria and result (never its note, never who acted on it, never an
invitation's EOI), and pool figures are counts by score band with "<5" suppression.

The record unifies two sources:

* ``nominee``: draws executed in Nominee (``draws.Draw`` with status executed);
* ``imported``: draws published elsewhere (``PublishedDraw``).

An imported draw whose every stream had a Nominee draw on the same date is *replayed*
(the demo replays 2025-09-02/03): it stays listed, marked so, but totals (summaries,
allocation, charts) count the Nominee draws in its place, never both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import date as Date  # for annotations after a field named date
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.core import timeutil
from nominee.draws.criteria import EDUCATION_LABELS, DrawCriteria
from nominee.draws.models import Draw, Invitation
from nominee.draws.policy import legacy_before
from nominee.eois.models import EOI
from nominee.program.models import Allocation
from nominee.program.streams import Stream
from nominee.reference.models import CensusDivision, Noc, Region

from .models import PoolSnapshot, PublishedDraw

SOURCE_NOMINEE = "nominee"
SOURCE_IMPORTED = "imported"
SOURCES = (SOURCE_NOMINEE, SOURCE_IMPORTED)
STREAM_CODES: tuple[str, ...] = tuple(s.value for s in Stream)
# Pool distributions are published in bands of this many points, counts under
# SUPPRESS_BELOW shown as "<5" (ARCHITECTURE "What must hold").
BAND_WIDTH = 5
SUPPRESS_BELOW = 5
NOC_LIST_SHOWN = 5  # up to this many NOC codes are named in the targeting sentence


def stream_name(code: str) -> str:
    """The stream's name as people read it."""
    try:
        return str(Stream(code).label)
    except ValueError:
        return code


def streams_label(codes: Sequence[str]) -> str:
    """Several streams in words: "Employer Job Offer: Foreign Worker + International Student"."""
    names = [stream_name(code) for code in codes]
    prefix = "Employer Job Offer: "
    if len(names) > 1 and all(name.startswith(prefix) for name in names):
        return prefix + " + ".join(name.removeprefix(prefix) for name in names)
    return " + ".join(names)


def suppressed(count: int) -> str:
    """A count as published: "<5" under the threshold, else the number with separators."""
    if count < SUPPRESS_BELOW:
        return f"<{SUPPRESS_BELOW}"
    return f"{count:,}"


def utc_iso(instant: datetime | None) -> str | None:
    """An instant as ISO 8601 UTC with ``Z`` (INTERFACES §3's ``tie_break``)."""
    if instant is None:
        return None
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Entry:
    """One published draw, from either source, with only public figures.

    ``invitations``, ``min_score``, ``eligible`` and ``tie_break`` are None when unknown
    (imported draws); ``stream`` is None for an imported row naming several streams.
    ``counted`` is False for an imported draw replayed in Nominee (left out of totals).
    """

    source: str
    slug: str
    draw: int | None
    stream: str | None
    streams: tuple[str, ...]
    stream_label: str
    date: date
    draw_type: str | None
    invitations: int | None
    min_score: int | None
    tie_break: datetime | None
    eligible: int | None
    registered_from: Date | None
    registered_to: Date | None
    noc_codes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    census_divisions: tuple[str, ...] = ()
    in_canada_only: bool = False
    min_education: str | None = None
    min_french_clb: int | None = None
    occupation_list: str | None = None
    notes: str = ""
    source_urls: tuple[str, ...] = ()
    source_file: str = ""
    published_at: datetime | None = None
    counted: bool = True
    order: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    @property
    def url(self) -> str:
        """The path of the draw's page."""
        return reverse("publication:detail", kwargs={"slug": self.slug})

    @property
    def absolute_url(self) -> str:
        """The draw's page on the public site (``settings.SITE_URL``): stable, host-free."""
        return f"{settings.SITE_URL}{self.url}"

    @property
    def is_targeted(self) -> bool:
        """Targeted rather than general (None type: not stated, shown as such)."""
        return self.draw_type == "targeted"

    @property
    def score_range(self) -> str:
        """ "42 and above", or why there is no figure."""
        if self.min_score is not None:
            return _("%(score)s and above") % {"score": self.min_score}
        if self.source == SOURCE_NOMINEE:
            return _("no one invited")
        return _("not published")

    @property
    def window(self) -> str:
        """The registration window in words."""
        return window_words(self.registered_from, self.registered_to, self.source)

    @property
    def targeting(self) -> str:
        """The targeting in words."""
        if self.source == SOURCE_IMPORTED:
            if self.notes:
                return self.notes
            if self.draw_type == "general":
                return _("General draw: no targeting.")
            return _("Targeting not published.")
        return nominee_targeting(self)

    @property
    def type_label(self) -> str:
        """General, Targeted or Not published."""
        if self.draw_type == "general":
            return _("General")
        if self.draw_type == "targeted":
            return _("Targeted")
        return _("Not published")

    @property
    def source_label(self) -> str:
        """Where the entry comes from, in words."""
        if self.source == SOURCE_NOMINEE:
            return _("Run in Nominee")
        return _("Published record (imported)")

    def to_document(self) -> dict[str, Any]:
        """The JSON of ``GET /api/v1/draws``: INTERFACES §3's draw result without
        ``invited``, plus the targeting in words and where the draw comes from."""
        return {
            "draw": self.draw,
            "stream": self.stream,
            "executed": True,
            "date": self.date.isoformat(),
            "invitations": self.invitations,
            "min_score": self.min_score,
            "tie_break": utc_iso(self.tie_break),
            "eligible": self.eligible,
            "targeting": self.targeting,
            "type": self.draw_type,
            "source": self.source,
            "slug": self.slug,
            "url": self.absolute_url,
            "streams": list(self.streams),
            "stream_name": self.stream_label,
            "registered_from": self.registered_from.isoformat() if self.registered_from else None,
            "registered_to": self.registered_to.isoformat() if self.registered_to else None,
            "noc_codes": list(self.noc_codes),
            "regions": list(self.regions),
            "census_divisions": list(self.census_divisions),
            "in_canada_only": self.in_canada_only,
            "min_education": self.min_education,
            "min_french_clb": self.min_french_clb,
            "source_urls": list(self.source_urls),
            "counted_in_totals": self.counted,
        }


def long_date(day: date) -> str:
    """ "3 September 2025" (localised)."""
    return date_format(day, "j F Y")


def window_words(start: date | None, end: date | None, source: str) -> str:
    """A registration window in words."""
    if start and end:
        return _("registered %(start)s to %(end)s") % {
            "start": long_date(start),
            "end": long_date(end),
        }
    if start:
        return _("registered on or after %(start)s") % {"start": long_date(start)}
    if end:
        return _("registered on or before %(end)s") % {"end": long_date(end)}
    if source == SOURCE_IMPORTED:
        return _("not published")
    return _("any registration date")


def region_label(code: str) -> str:
    """A scoring region's name."""
    try:
        return str(Region(code).label)
    except ValueError:
        return code


def nominee_targeting(entry: Entry) -> str:
    """The targeting of a Nominee draw in words, from its criteria."""
    parts: list[str] = []
    if entry.noc_codes:
        count = len(entry.noc_codes)
        if entry.occupation_list:
            parts.append(
                ngettext(
                    "job offer in the %(count)s occupation of the list “%(name)s”",
                    "job offer in one of the %(count)s occupations of the list “%(name)s”",
                    count,
                )
                % {"count": count, "name": entry.occupation_list}
            )
        elif count <= NOC_LIST_SHOWN:
            parts.append(
                ngettext(
                    "job offer in NOC %(codes)s",
                    "job offer in one of %(count)s occupations (NOC %(codes)s)",
                    count,
                )
                % {"count": count, "codes": ", ".join(entry.noc_codes)}
            )
        else:
            parts.append(
                _("job offer in one of %(count)s occupations (NOC 2021)") % {"count": count}
            )
    places = [region_label(code) for code in entry.regions]
    if entry.census_divisions:
        names = dict(
            CensusDivision.objects.filter(code__in=entry.census_divisions).values_list(
                "code", "name"
            )
        )
        places += [f"{names.get(code, code)} ({code})" for code in entry.census_divisions]
    if places:
        parts.append(_("job located in %(places)s") % {"places": _(" or ").join(places)})
    if entry.registered_from or entry.registered_to:
        parts.append(window_words(entry.registered_from, entry.registered_to, entry.source))
    if entry.in_canada_only:
        parts.append(_("candidates living in Canada"))
    if entry.min_education:
        label = EDUCATION_LABELS.get(entry.min_education, entry.min_education)
        parts.append(_("education: %(level)s or higher") % {"level": label})
    if entry.min_french_clb is not None:
        parts.append(_("French CLB %(clb)s or higher") % {"clb": entry.min_french_clb})
    if not parts:
        return _("General draw: every eligible expression of interest in the stream.")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _nominee_entries() -> list[Entry]:
    draws = (
        Draw.objects.filter(status=Draw.Status.EXECUTED)
        .select_related("occupation_list")
        .only(
            "id",
            "stream",
            "draw_date",
            "occupation_list__name",
            "occupation_list__slug",
            "noc_codes",
            "regions",
            "census_divisions",
            "registered_from",
            "registered_to",
            "in_canada_only",
            "min_education",
            "min_french_clb",
            "invitations_issued",
            "min_score",
            "tie_break",
            "eligible",
            "executed_at",
            "status",
            "invitations_requested",
            "min_score_requested",
        )
    )
    out = []
    for draw in draws:
        targeted = DrawCriteria.from_draw(draw).is_targeted
        out.append(
            Entry(
                source=SOURCE_NOMINEE,
                slug=f"nominee-{draw.pk}",
                draw=draw.pk,
                stream=draw.stream,
                streams=(draw.stream,),
                stream_label=stream_name(draw.stream),
                date=draw.draw_date,
                draw_type="targeted" if targeted else "general",
                invitations=draw.invitations_issued or 0,
                min_score=draw.min_score,
                tie_break=draw.tie_break,
                eligible=draw.eligible or 0,
                registered_from=draw.registered_from,
                registered_to=draw.registered_to,
                noc_codes=tuple(sorted(draw.noc_codes or ())),
                regions=tuple(draw.regions or ()),
                census_divisions=tuple(draw.census_divisions or ()),
                in_canada_only=draw.in_canada_only,
                min_education=draw.min_education or None,
                min_french_clb=draw.min_french_clb,
                occupation_list=draw.occupation_list.name if draw.occupation_list else None,
                published_at=draw.executed_at,
                order=(draw.draw_date, 1, draw.pk),
            )
        )
    return out


def _imported_entries() -> list[Entry]:
    out = []
    for row in PublishedDraw.objects.all():
        streams = tuple(row.streams)
        out.append(
            Entry(
                source=SOURCE_IMPORTED,
                slug=row.slug,
                draw=None,
                stream=row.stream,
                streams=streams,
                stream_label=row.stream_text,
                date=row.draw_date,
                draw_type=row.draw_type,
                invitations=row.invitations,
                min_score=row.min_score,
                tie_break=None,
                eligible=None,
                registered_from=row.registered_from,
                registered_to=row.registered_to,
                noc_codes=tuple(row.noc_codes),
                notes=row.targeting_notes,
                source_urls=tuple(row.source_urls),
                source_file=row.source_file,
                published_at=row.updated_at,
                order=(row.draw_date, 0, -row.line),
            )
        )
    return out


def all_entries() -> list[Entry]:
    """Every published draw, newest first (Nominee's before imported ones of the same day)."""
    nominee = _nominee_entries()
    ran: set[tuple[date, str]] = {(entry.date, entry.stream or "") for entry in nominee}
    imported = []
    for entry in _imported_entries():
        replayed = all((entry.date, stream) in ran for stream in entry.streams)
        imported.append(_replace(entry, counted=not replayed))
    entries = nominee + imported
    entries.sort(key=lambda e: e.order, reverse=True)
    return entries


def _replace(entry: Entry, **changes: Any) -> Entry:
    from dataclasses import replace

    return replace(entry, **changes)


def filter_entries(
    entries: Iterable[Entry],
    *,
    year: int | None = None,
    stream: str | None = None,
    source: str | None = None,
) -> list[Entry]:
    """The entries of a year, a stream (an entry naming several streams matches each) and
    a source."""
    out = []
    for entry in entries:
        if year is not None and entry.date.year != year:
            continue
        if stream is not None and stream not in entry.streams:
            continue
        if source is not None and entry.source != source:
            continue
        out.append(entry)
    return out


def entry_by_slug(slug: str) -> Entry | None:
    """One entry by its public slug, or None."""
    for entry in all_entries():
        if entry.slug == slug:
            return entry
    return None


def years(entries: Iterable[Entry]) -> list[int]:
    """The years that have draws, newest first."""
    return sorted({entry.date.year for entry in entries}, reverse=True)


def noc_titles(codes: Sequence[str]) -> list[tuple[str, str]]:
    """(code, title) pairs in code order; unknown codes keep an empty title."""
    titles = dict(Noc.objects.filter(code__in=list(codes)).values_list("code", "title"))
    return [(code, titles.get(code, "")) for code in sorted(codes)]


# ---------------------------------------------------------------- pool distributions


@dataclass(frozen=True)
class Band:
    """A band of scores and its count, as published."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        """The band as written: low, an en dash, high."""
        return f"{self.low}\N{EN DASH}{self.high}"

    @property
    def shown(self) -> str:
        """The count with "<5" suppression."""
        return suppressed(self.count)

    def to_document(self) -> dict[str, Any]:
        """JSON-able: the count is a string when suppressed."""
        return {"low": self.low, "high": self.high, "count": self.shown}


@dataclass(frozen=True)
class Distribution:
    """A stream's pool by score band, highest first, and its total."""

    stream: str
    as_of: date
    bands: tuple[Band, ...]
    total: int

    @property
    def stream_label(self) -> str:
        """The stream's name."""
        return stream_name(self.stream)

    @property
    def total_shown(self) -> str:
        """The total with "<5" suppression."""
        return suppressed(self.total)

    @property
    def largest(self) -> int:
        """The largest published band count (bars are scaled to it; suppressed bands
        are drawn at the threshold so their size gives nothing away)."""
        return max((max(b.count, SUPPRESS_BELOW) for b in self.bands), default=0)


def bands(scores: Iterable[tuple[int, int]]) -> list[Band]:
    """Counts per score banded by ``BAND_WIDTH``, from the highest band with anyone in it
    down to the lowest (empty bands in between are kept, shown "<5")."""
    per_band: Counter[int] = Counter()
    for score, count in scores:
        if count:
            per_band[(int(score) // BAND_WIDTH) * BAND_WIDTH] += int(count)
    if not per_band:
        return []
    top, bottom = max(per_band), min(per_band)
    return [
        Band(low=low, high=low + BAND_WIDTH - 1, count=per_band[low])
        for low in range(top, bottom - 1, -BAND_WIDTH)
    ]


def pool_scores(day: date) -> dict[str, list[tuple[int, int]]]:
    """(score, count) of each stream's pool on a program date, highest score first.

    Who counts is who a draw on ``day`` would consider (``draws.selection.eligible_pool``
    without targeting): active, registered on or before the day, expiring after it, and
    in the employer streams registered on or after the policy's legacy date. The legacy
    flag itself is implied by that date (it is set from it on registration), which lets
    ONE query run over the covering ``eoi_draw_order`` index (stream, status, score,
    registered_at, ..., expires_at) without touching the table: well under a second on a
    pool of 1,000,000 EOIs (bench/bench_publication.py).
    """
    from django.db import connection

    table = connection.ops.quote_name(EOI._meta.db_table)
    hint = " INDEXED BY eoi_draw_order" if connection.vendor == "sqlite" else ""
    end = timeutil.end_of(day)
    floors = []
    params: list[Any] = []
    for stream in STREAM_CODES:
        legacy = legacy_before(stream, day)
        floors.append("(stream = %s AND registered_at >= %s)")
        params += [stream, timeutil.start_of(legacy) if legacy else datetime(1, 1, 2, tzinfo=UTC)]
    sql = (
        f"SELECT stream, score, COUNT(*) FROM {table}{hint}"  # noqa: S608 - constant names
        " WHERE stream IN (%s, %s, %s, %s, %s) AND status = %s"
        " AND registered_at < %s AND expires_at >= %s"
        f" AND ({' OR '.join(floors)})"
        " GROUP BY stream, score ORDER BY stream, score DESC"
    )
    adapt = connection.ops.adapt_datetimefield_value
    values = [*STREAM_CODES, EOI.Status.ACTIVE, adapt(end), adapt(end)]
    values += [adapt(v) if isinstance(v, datetime) else v for v in params]
    out: dict[str, list[tuple[int, int]]] = {stream: [] for stream in STREAM_CODES}
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        for stream, score, count in cursor.fetchall():
            out[stream].append((int(score), int(count)))
    return out


def current_pool(on: date | None = None) -> list[Distribution]:
    """Each stream's pool on a date (default today) by score band (``pool_scores``)."""
    day = on or timeutil.today()
    scores = pool_scores(day)
    return [
        Distribution(
            stream=stream,
            as_of=day,
            bands=tuple(bands(scores[stream])),
            total=sum(n for _s, n in scores[stream]),
        )
        for stream in STREAM_CODES
    ]


def draw_distribution(entry: Entry) -> Distribution | None:
    """The pool of a Nominee draw's stream when it ran (None if none was recorded)."""
    if entry.draw is None or entry.stream is None:
        return None
    snapshot = PoolSnapshot.objects.filter(draw_id=entry.draw).first()
    if snapshot is None:
        return None
    scores = [(int(score), int(count)) for score, count in snapshot.scores]
    return Distribution(
        stream=entry.stream,
        as_of=snapshot.as_of,
        bands=tuple(bands(scores)),
        total=snapshot.total,
    )


# ---------------------------------------------------------------- allocation


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
    against it by stream: ``draws.Invitation`` rows of Nominee draws dated that year plus
    the invitations of the counted imported draws (figures known). ``until`` stops the
    count at a date (a summary's allocation context)."""
    allocation = Allocation.objects.filter(year=year).first()
    invitations = Invitation.objects.filter(draw__draw_date__year=year)
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


def allocation_years() -> list[int]:
    """Years with an allocation or with draws, newest first."""
    found = set(Allocation.objects.values_list("year", flat=True))
    found |= set(years(all_entries()))
    return sorted(found, reverse=True)


# ---------------------------------------------------------------- period summaries


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
    return _replace_summary(summary, paragraph=paragraph(summary))


def _replace_summary(summary: Summary, **changes: Any) -> Summary:
    from dataclasses import replace

    return replace(summary, **changes)


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
    """Run a builder in English (feeds are published in the site's base language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return func(*args, **kwargs)
