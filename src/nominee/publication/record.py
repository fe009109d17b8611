"""The public record of draws: one ``Entry`` per draw, from Nominee's executed draws and
from draws published elsewhere, with the words the pages and feeds use for them.

The record unifies two sources:

* ``nominee``: draws executed in Nominee (``draws.Draw`` with status executed);
* ``imported``: draws published elsewhere (``PublishedDraw``).

The published record wins (decision 70): a Nominee draw of a date and stream that an
imported draw of the same date names is a *replay* of that published draw (the demo
replays 2025-09-02/03 on a scaled-down pool). Replays are left out of the public record
altogether: the pages, the feeds, the API and every total state the published figures.
Counts of Nominee's own draws under :data:`SUPPRESS_BELOW` are shown as "fewer than 5",
and their tie-break time is not shown (it is the last invitee's registration time).
Curation notes of the imported rows (``targeting_notes``) are shown on the Sources page
only, never as a draw's targeting. Nothing here returns a personal field: an ``Entry``
is built from a draw's criteria and result (never its note, never who acted on it, never
an invitation's EOI).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import date as Date  # for annotations after a field named date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.core.links import absolute_url
from nominee.draws.criteria import EDUCATION_LABELS, DrawCriteria
from nominee.draws.models import Draw
from nominee.program.streams import Stream, pathway_name
from nominee.reference.models import CensusDivision, region_label
from nominee.reference.queries import noc_titles as reference_noc_titles

from .importer import places_named
from .models import PublishedDraw

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


def is_suppressed(count: int | None) -> bool:
    """Whether a count of Nominee's is withheld: one to four (zero tells nothing)."""
    return count is not None and 0 < count < SUPPRESS_BELOW


def count_words(count: int | None, *, suppress: bool = True) -> str:
    """A public count in words: "not published", "fewer than 5", or the number."""
    if count is None:
        return _("not published")
    if suppress and is_suppressed(count):
        return _("fewer than %(n)s") % {"n": SUPPRESS_BELOW}
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
    ``counted`` is always True for a public entry (replays are not public: decision 70);
    the field stays for the API's ``counted_in_totals``. ``notes`` are the curation notes
    of an imported row, shown on the Sources page only.
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
    pathways: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    census_divisions: tuple[str, ...] = ()
    in_canada_only: bool = False
    min_education: str | None = None
    min_french_clb: int | None = None
    occupation_list: str | None = None
    place_list: str | None = None
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
        return absolute_url(self.url)

    @property
    def is_targeted(self) -> bool:
        """Targeted rather than general (None type: not stated, shown as such)."""
        return self.draw_type == "targeted"

    @property
    def suppressed_fields(self) -> tuple[str, ...]:
        """The figures withheld on public pages and feeds: a Nominee draw's counts of one
        to four, and its tie-break when fewer than five were invited (decision 70)."""
        if self.source != SOURCE_NOMINEE:
            return ()
        out = []
        if is_suppressed(self.invitations):
            out.append("invitations")
        if is_suppressed(self.eligible):
            out.append("eligible")
        if self.tie_break is not None and (self.invitations or 0) < SUPPRESS_BELOW:
            out.append("tie_break")
        return tuple(out)

    @property
    def public_invitations(self) -> int | None:
        """The invitations as published (None when unknown or withheld)."""
        return None if "invitations" in self.suppressed_fields else self.invitations

    @property
    def public_eligible(self) -> int | None:
        """The eligible count as published (None when unknown or withheld)."""
        return None if "eligible" in self.suppressed_fields else self.eligible

    @property
    def public_tie_break(self) -> datetime | None:
        """The tie-break as published (None when none, or withheld)."""
        return None if "tie_break" in self.suppressed_fields else self.tie_break

    @property
    def invitations_words(self) -> str:
        """The invitations as a page shows them."""
        return count_words(self.invitations, suppress=self.source == SOURCE_NOMINEE)

    @property
    def eligible_words(self) -> str:
        """The eligible count as a page shows it."""
        return count_words(self.eligible, suppress=self.source == SOURCE_NOMINEE)

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
            return imported_targeting(self)
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
            "invitations": self.public_invitations,
            "min_score": self.min_score,
            "tie_break": utc_iso(self.public_tie_break),
            "eligible": self.public_eligible,
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
            "pathways": list(self.pathways),
            "regions": list(self.regions),
            "census_divisions": list(self.census_divisions),
            "in_canada_only": self.in_canada_only,
            "min_education": self.min_education,
            "min_french_clb": self.min_french_clb,
            "source_urls": list(self.source_urls),
            "counted_in_totals": self.counted,
            "suppressed": list(self.suppressed_fields),
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
    if entry.pathways and entry.stream:
        pathway_names = [pathway_name(entry.stream, code) for code in entry.pathways]
        parts.append(
            ngettext("pathway: %(names)s", "pathways: %(names)s", len(pathway_names))
            % {"names": _(" or ").join(pathway_names)}
        )
    places = [region_label(code) for code in entry.regions]
    if entry.place_list:
        places.append(_("the %(name)s") % {"name": entry.place_list})
    elif entry.census_divisions:
        places += _division_places(entry.census_divisions)
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


def _division_places(codes: Sequence[str]) -> list[str]:
    """Census divisions targeted by a draw, by name with their code ("Toronto (3520)")."""
    names = dict(CensusDivision.objects.filter(code__in=codes).values_list("code", "name"))
    return [f"{names.get(code, code)} ({code})" for code in codes]


def imported_targeting(entry: Entry) -> str:
    """The targeting of an imported draw in words, from what the record states (NOC codes
    named, places, window); never its curation notes (those are on the Sources page)."""
    parts: list[str] = []
    count = len(entry.noc_codes)
    if count and count <= NOC_LIST_SHOWN:
        parts.append(
            ngettext(
                "job offer in an occupation including NOC %(codes)s",
                "job offer in occupations including NOC %(codes)s",
                count,
            )
            % {"codes": ", ".join(entry.noc_codes)}
        )
    elif count:
        parts.append(
            _("job offer in occupations including %(count)s named NOC codes") % {"count": count}
        )
    places = [region_label(code) for code in entry.regions]
    if entry.census_divisions:
        places += _division_places(entry.census_divisions)
    if places:
        parts.append(_("job located in %(places)s") % {"places": _(" or ").join(places)})
    if entry.registered_from or entry.registered_to:
        parts.append(window_words(entry.registered_from, entry.registered_to, entry.source))
    if not parts:
        if entry.draw_type == "general":
            return _("General draw: no targeting.")
        if entry.draw_type == "targeted":
            return _("Targeted draw: the targeting was not published in full (see the sources).")
        return _("Targeting not published.")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _nominee_entries() -> list[Entry]:
    draws = (
        Draw.objects.filter(status=Draw.Status.EXECUTED)
        .select_related("occupation_list", "place_list")
        .only(
            "id",
            "stream",
            "draw_date",
            "occupation_list__name",
            "occupation_list__slug",
            "place_list__name",
            "noc_codes",
            "pathways",
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
                pathways=tuple(draw.pathways or ()),
                regions=tuple(draw.regions or ()),
                census_divisions=tuple(draw.census_divisions or ()),
                in_canada_only=draw.in_canada_only,
                min_education=draw.min_education or None,
                min_french_clb=draw.min_french_clb,
                occupation_list=draw.occupation_list.name if draw.occupation_list else None,
                place_list=draw.place_list.name if draw.place_list else None,
                published_at=draw.executed_at,
                order=(draw.draw_date, 1, draw.pk),
            )
        )
    return out


def _imported_entries() -> list[Entry]:
    out = []
    for row in PublishedDraw.objects.all():
        streams = tuple(row.streams)
        regions, divisions = places_named(row.targeting_notes)
        out.append(
            Entry(
                source=SOURCE_IMPORTED,
                slug=row.slug,
                draw=None,
                stream=row.stream,
                streams=streams,
                # The program's own names of its streams, in the page's language where
                # the catalogue has them (the record's text otherwise).
                stream_label=_(row.stream_text),
                date=row.draw_date,
                draw_type=row.draw_type,
                invitations=row.invitations,
                min_score=row.min_score,
                tie_break=None,
                eligible=None,
                registered_from=row.registered_from,
                registered_to=row.registered_to,
                noc_codes=tuple(row.noc_codes),
                regions=regions,
                census_divisions=divisions,
                notes=row.targeting_notes,
                source_urls=tuple(row.source_urls),
                source_file=row.source_file,
                published_at=row.updated_at,
                order=(row.draw_date, 0, -row.line),
            )
        )
    return out


def _split_replays(nominee: list[Entry], imported: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(public Nominee entries, replays): a Nominee draw whose date and stream an imported
    draw of that date names replays the published draw (decision 70)."""
    published = {(entry.date, stream) for entry in imported for stream in entry.streams}
    public: list[Entry] = []
    replays: list[Entry] = []
    for entry in nominee:
        (replays if (entry.date, entry.stream) in published else public).append(entry)
    return public, replays


def all_entries() -> list[Entry]:
    """Every published draw, newest first (Nominee's before imported ones of the same day):
    the imported record and Nominee's draws, without the replays of published draws."""
    imported = _imported_entries()
    nominee, _replays = _split_replays(_nominee_entries(), imported)
    entries = nominee + imported
    entries.sort(key=lambda e: e.order, reverse=True)
    return entries


def replayed_draw_ids() -> set[int]:
    """The ids of Nominee's draws that replay a published draw (not public, not counted)."""
    published = {
        (row.draw_date, stream)
        for row in PublishedDraw.objects.only("draw_date", "streams")
        for stream in row.streams
    }
    if not published:
        return set()
    dates = {day for day, _stream in published}
    return {
        pk
        for pk, day, stream in Draw.objects.filter(
            status=Draw.Status.EXECUTED, draw_date__in=dates
        ).values_list("pk", "draw_date", "stream")
        if (day, stream) in published
    }


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
    """(code, title) pairs in code order, in the active language; unknown codes keep an
    empty title (the reference app's one read)."""
    return reference_noc_titles(codes)
