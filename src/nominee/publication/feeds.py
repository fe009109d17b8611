"""The record as JSON, CSV and Atom (INTERFACES §4): bodies built from ``queries.Entry``.

All three list the same entries, newest first. Feeds are written in the site's base
language and name every draw by its stable ``url`` (``settings.SITE_URL`` + its path),
so that a body does not depend on who asked or through which host name; the Atom feed
under a language prefix (``/fr/draws.atom``) is written in that language, its links
under that prefix (Decision 69).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominee.core import csvcells
from nominee.core.links import absolute_url

from .changes import ChangeEntry
from .queries import SUPPRESS_BELOW, Entry

ATOM_NS = "http://www.w3.org/2005/Atom"
# Columns of /draws.csv: the import layout first (so that ``nominee publication
# import-draws`` reads the file back), then the rest of the record.
CSV_COLUMNS = (
    "date",
    "stream",
    "draw_type",
    "invitations",
    "min_score",
    "profiles_from",
    "profiles_to",
    "targeting_notes",
    "source_url",
    "draw",
    "stream_code",
    "source",
    "slug",
    "url",
    "tie_break",
    "eligible",
    "noc_codes",
    "regions",
    "census_divisions",
    "counted_in_totals",
)


def changes_json(changes: Sequence[ChangeEntry]) -> bytes:
    """``GET /api/v1/program/changes``: a JSON array of changes, newest first."""
    return json.dumps(
        [change.to_document() for change in changes], ensure_ascii=False, separators=(",", ":")
    ).encode()


def json_body(entries: Sequence[Entry]) -> bytes:
    """``GET /api/v1/draws``: a JSON array of draw documents."""
    return json.dumps(
        [entry.to_document() for entry in entries], ensure_ascii=False, separators=(",", ":")
    ).encode()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def csv_rows(entries: Sequence[Entry]) -> list[list[str]]:
    """The CSV rows (header first)."""
    rows = [list(CSV_COLUMNS)]
    for entry in entries:
        doc = entry.to_document()
        source_urls = list(entry.source_urls) if entry.source_urls else [entry.absolute_url]
        values = {
            "date": doc["date"],
            "stream": entry.stream_label,
            "draw_type": doc["type"],
            "invitations": doc["invitations"],
            "min_score": doc["min_score"],
            "profiles_from": doc["registered_from"],
            "profiles_to": doc["registered_to"],
            # The import layout's notes: an imported row's own notes (so that the file
            # reads back as the same draws), a Nominee draw's targeting in words.
            "targeting_notes": entry.notes if entry.source == "imported" else doc["targeting"],
            "source_url": " ; ".join(source_urls),
            "draw": doc["draw"],
            "stream_code": doc["stream"] or "+".join(doc["streams"]),
            "source": doc["source"],
            "slug": doc["slug"],
            "url": doc["url"],
            "tie_break": doc["tie_break"],
            "eligible": doc["eligible"],
            "noc_codes": doc["noc_codes"],
            "regions": doc["regions"],
            "census_divisions": doc["census_divisions"],
            "counted_in_totals": doc["counted_in_totals"],
        }
        rows.append([_cell(values[column]) for column in CSV_COLUMNS])
    return rows


def csv_body(entries: Sequence[Entry]) -> bytes:
    """``GET /draws.csv``: UTF-8, comma-separated, a header row, CRLF line ends; a cell a
    spreadsheet would run as a formula starts with an apostrophe (``core.csvcells``)."""
    out = io.StringIO()
    writer = csvcells.writer(out)
    writer.writerows(csv_rows(entries))
    return out.getvalue().encode()


def _authority() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def feed_id() -> str:
    """The feed's permanent id: a tag URI on the site's host name."""
    return f"tag:{_authority()},2025:nominee:draws"


def entry_id(entry: Entry) -> str:
    """An entry's permanent id: a tag URI on its slug (never changes for the draw)."""
    return f"tag:{_authority()},2025:nominee:draw:{entry.slug}"


def _instant(entry: Entry) -> datetime:
    if entry.published_at is not None:
        return entry.published_at
    return datetime.combine(entry.date, datetime.min.time(), tzinfo=UTC)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def entry_title(entry: Entry) -> str:
    """ "2025-09-03: Employer Job Offer: Foreign Worker, 1,134 invitations, 42 and above"."""
    values = {
        "date": entry.date.isoformat(),
        "stream": entry.stream_label,
        "invitations": entry.invitations_words,
        "scores": entry.score_range,
    }
    if entry.invitations is None:
        return _("%(date)s: %(stream)s, invitations not published, %(scores)s") % values
    count = entry.public_invitations
    return (
        ngettext(
            "%(date)s: %(stream)s, %(invitations)s invitation, %(scores)s",
            "%(date)s: %(stream)s, %(invitations)s invitations, %(scores)s",
            SUPPRESS_BELOW if count is None else count,
        )
        % values
    )


def change_id(entry: ChangeEntry) -> str:
    """A program change's permanent id: a tag URI on its key."""
    return f"tag:{_authority()},2026:nominee:program-change:{entry.change.key}"


def atom_body(entries: Sequence[Entry], changes: Sequence[ChangeEntry] = ()) -> bytes:
    """``GET /draws.atom``: an Atom 1.0 feed (RFC 4287), one entry per draw and one per
    change of the program (a stream opened or closed, EOIs withdrawn, an allocation)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_id())
    sub(feed, "title", _("Nominee: draw results"))
    sub(feed, "subtitle", _("Every published draw (round of invitations), newest first."))
    instants = [_instant(e) for e in entries] + [c.instant for c in changes if not c.scheduled]
    updated = max(instants, default=datetime(2025, 1, 1, tzinfo=UTC))
    sub(feed, "updated", _iso(updated))
    author = sub(feed, "author")
    sub(author, "name", "Nominee")
    sub(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=absolute_url(reverse("publication:atom")),
    )
    sub(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=absolute_url(reverse("publication:list")),
    )

    def draw_entry(entry: Entry) -> None:
        item = sub(feed, "entry")
        sub(item, "id", entry_id(entry))
        sub(item, "title", entry_title(entry))
        sub(item, "updated", _iso(_instant(entry)))
        sub(item, "published", f"{entry.date.isoformat()}T12:00:00Z")
        sub(item, "link", rel="alternate", type="text/html", href=entry.absolute_url)
        sub(item, "category", term=entry.source, label=entry.source_label)
        for stream in entry.streams:
            sub(item, "category", term=stream)
        lines = [
            _("Date: %(date)s") % {"date": entry.date.isoformat()},
            _("Stream: %(stream)s") % {"stream": entry.stream_label},
            _("Type: %(type)s") % {"type": entry.type_label},
            _("Invitations: %(count)s") % {"count": entry.invitations_words},
            _("Scores: %(range)s") % {"range": entry.score_range},
            _("Registration window: %(window)s") % {"window": entry.window},
            _("Targeting: %(targeting)s") % {"targeting": entry.targeting},
            _("Source: %(source)s") % {"source": entry.source_label},
        ]
        if entry.public_tie_break is not None:
            lines.append(_("Tie-break: %(at)s") % {"at": _iso(entry.public_tie_break)})
        sub(item, "summary", "\n".join(lines), type="text")

    def change_entry(change: ChangeEntry) -> None:
        item = sub(feed, "entry")
        sub(item, "id", change_id(change))
        sub(item, "title", f"{change.when}: {change.title}")
        sub(item, "updated", _iso(change.instant))
        sub(item, "published", f"{change.change.sort_on.isoformat()}T12:00:00Z")
        sub(item, "link", rel="alternate", type="text/html", href=change.absolute_url)
        sub(item, "category", term="program-change", label=_("Change of the program"))
        sub(item, "summary", change.summary, type="text")

    # Newest first, the program's changes among the draws by their dates (a change
    # before the draws of its day).
    items: list[tuple[date, int, int, Entry | ChangeEntry]] = [
        (entry.date, 0, -n, entry) for n, entry in enumerate(entries)
    ] + [(change.change.sort_on, 1, -n, change) for n, change in enumerate(changes)]
    items.sort(key=lambda item: item[:3], reverse=True)
    for *_order, item in items:
        if isinstance(item, ChangeEntry):
            change_entry(item)
        else:
            draw_entry(item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )
