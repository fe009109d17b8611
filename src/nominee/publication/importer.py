"""Reading a CSV of draws published elsewhere (the layout of ``data/oinp_draws.csv``).

``parse_draws_csv`` checks every line and returns either the parsed rows or the list of
errors, each with its line number; it writes nothing. ``services.import_published_draws``
stores the rows, all or nothing.

Layout: ``date, stream, draw_type, invitations, min_score, profiles_from, profiles_to,
targeting_notes, source_url``; an empty cell is an unknown figure. Other columns are
ignored (so the site's own ``/draws.csv`` imports into another installation).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation

from nominee.core import csvcells
from nominee.program.streams import Stream

REQUIRED_COLUMNS = (
    "date",
    "stream",
    "draw_type",
    "invitations",
    "min_score",
    "profiles_from",
    "profiles_to",
    "targeting_notes",
    "source_url",
)
DRAW_TYPES = ("general", "targeted")
MAX_SCORE = 1000
# Five digits not inside a longer number ("3,719" and "1,825" are counts): "NOC 31100,
# 31101, 31102" names three codes; only codes of the NOC table are kept.
_NOC_RE = re.compile(r"(?<![\d.,])\d{5}(?!\d|,\d)")
_PAREN_RE = re.compile(r"\([^)]*\)")
_EMPLOYER_PREFIX = "employer job offer:"


def _stream_names() -> dict[str, str]:
    """Every way a stream is written (lower case) -> its code."""
    names: dict[str, str] = {}
    with translation.override("en"):
        for stream in Stream:
            label = str(stream.label).lower()
            names[stream.value] = stream.value
            names[label] = stream.value
            short = label.removeprefix(_EMPLOYER_PREFIX).strip()
            names[short] = stream.value
            names[short.removesuffix(" graduate").strip()] = stream.value
    return names


def stream_codes(text: str) -> list[str] | None:
    """The stream codes a free-text stream names, in stream order; None when a part is unknown.

    ``"Employer Job Offer: Foreign Worker + International Student (REDI)"`` names two
    streams: parenthesised remarks are dropped, the "Employer Job Offer:" prefix applies to
    each ``+``-separated part, and codes (``foreign-worker``) are accepted as they are.
    """
    names = _stream_names()
    cleaned = _PAREN_RE.sub(" ", text).strip().lower()
    cleaned = cleaned.removeprefix(_EMPLOYER_PREFIX)
    parts = [" ".join(part.split()) for part in re.split(r"\+|;|,|&|\band\b", cleaned)]
    codes: set[str] = set()
    for part in parts:
        if not part:
            continue
        part = part.removeprefix(_EMPLOYER_PREFIX).strip()
        code = names.get(part)
        if code is None:
            return None
        codes.add(code)
    if not codes:
        return None
    order = [s.value for s in Stream]
    return sorted(codes, key=order.index)


# Where the published notes say the job had to be (read when the record is shown, so a
# re-import is not needed): the regions of the regional draws, as the ``--region`` codes
# of INTERFACES §3, and the census divisions of the REDI communities (Lanark, Leeds and
# Grenville, Sarnia-Lambton, Thunder Bay) and of the Greater Sudbury draws.
_REGION_PHRASES = (
    ("northern ontario", ("northern",)),
    ("eastern ontario", ("eastern",)),
    ("southwestern ontario", ("southwestern",)),
    ("central ontario", ("central",)),
    ("greater toronto area", ("toronto", "greater-toronto")),
)
_REDI_DIVISIONS = ("3507", "3509", "3538", "3558")
_SUDBURY = "3553"


def places_named(notes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(regions, census divisions) a row's notes name as the draw's job location.

    ``"REDI: job offer in Lanark County, Leeds and Grenville, Sarnia-Lambton or Thunder
    Bay"`` names the four REDI divisions; ``"Job offer in Northern Ontario (census
    divisions e.g. Sudbury, Thunder Bay, Algoma)"`` names the region only (the examples
    are not the targeting).
    """
    text = " ".join(notes.split()).lower()
    if text.startswith("redi"):
        return (), _REDI_DIVISIONS
    if "greater sudbury special draw" in text:
        return (), (_SUDBURY,)
    if not text.startswith("job offer in"):
        return (), ()
    head = text.split(".", 1)[0]
    regions: list[str] = []
    for phrase, codes in _REGION_PHRASES:
        if phrase in head:
            regions.extend(codes)
    return tuple(regions), ()


@dataclass(frozen=True)
class ParsedDraw:
    """One valid line of the file."""

    line: int
    natural_key: str
    slug: str
    draw_date: date
    stream_text: str
    streams: tuple[str, ...]
    draw_type: str | None
    invitations: int | None
    min_score: int | None
    registered_from: date | None
    registered_to: date | None
    targeting_notes: str
    source_urls: tuple[str, ...]
    noc_candidates: tuple[str, ...] = field(default=())

    @property
    def stream(self) -> str | None:
        """The stream code when the line names exactly one stream."""
        return self.streams[0] if len(self.streams) == 1 else None


@dataclass(frozen=True)
class LineError:
    """A refusal of one line (line 1 is the header)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


def natural_key(draw_date: date, stream_text: str, draw_type: str | None, notes: str) -> str:
    """The identity of a published draw across re-imports (SHA-256, hex).

    A draw is the same draw when its date, its stream as written, its type and its notes
    are the same (whitespace and case aside); its figures may be corrected by a re-import.
    A row whose notes were corrected too is recognised by ``services.match_stored``.
    """
    parts = [
        draw_date.isoformat(),
        " ".join(stream_text.split()).lower(),
        draw_type or "",
        " ".join(notes.split()).lower(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def slug_for(draw_date: date, streams: tuple[str, ...], key: str) -> str:
    """The public name of an imported draw: ``2025-09-03-foreign-worker-1a2b3c4d``."""
    which = streams[0] if len(streams) == 1 else "multi"
    return f"{draw_date.isoformat()}-{which}-{key[:8]}"


def _optional_int(
    value: str, column: str, line: int, errors: list[LineError], *, high: int
) -> int | None:
    value = value.strip().replace(",", "").replace("\u202f", "").replace(" ", "")
    if not value:
        return None
    if not value.isdigit():
        errors.append(LineError(line, column, f"{value!r} is not a whole number (empty = unknown)"))
        return None
    number = int(value)
    if number > high:
        errors.append(LineError(line, column, f"{number} is more than {high}"))
        return None
    return number


def _optional_date(value: str, column: str, line: int, errors: list[LineError]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(LineError(line, column, f"{value!r} is not a date written YYYY-MM-DD"))
        return None


def _urls(value: str, line: int, errors: list[LineError]) -> tuple[str, ...]:
    check = URLValidator(schemes=["http", "https"])
    urls: list[str] = []
    for part in re.split(r"\s+;\s+|\s*;\s*(?=https?://)|\s+(?=https?://)", value.strip()):
        part = part.strip()
        if not part:
            continue
        try:
            check(part)
        except ValidationError:
            errors.append(LineError(line, "source_url", f"{part!r} is not an http(s) URL"))
            continue
        urls.append(part)
    return tuple(urls)


def parse_draws_csv(text: str) -> tuple[list[ParsedDraw], list[LineError]]:
    """Parse and check a whole file: (rows, []) when every line is valid, else ([], errors)."""
    errors: list[LineError] = []
    rows: list[ParsedDraw] = []
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [LineError(1, "header", f"missing column(s): {', '.join(missing)}")]
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(LineError(line, "row", "more cells than the header has columns"))
            continue
        # A cell our own /draws.csv wrote with an apostrophe in front reads back as it was.
        cells = {key: csvcells.restore(value or "") for key, value in raw.items()}
        if not any(value.strip() for value in cells.values()):
            continue  # a blank line
        before = len(errors)
        draw_date = _optional_date(cells["date"], "date", line, errors)
        if draw_date is None and len(errors) == before:
            errors.append(LineError(line, "date", "the draw date is required"))
        stream_text = " ".join(cells["stream"].split())
        streams: list[str] | None = None
        if not stream_text:
            errors.append(LineError(line, "stream", "the stream is required"))
        else:
            streams = stream_codes(stream_text)
            if streams is None:
                errors.append(
                    LineError(
                        line,
                        "stream",
                        f"{stream_text!r} names no known stream "
                        f"(one or more of: {', '.join(s.value for s in Stream)}, or their names)",
                    )
                )
        draw_type = cells["draw_type"].strip().lower() or None
        if draw_type is not None and draw_type not in DRAW_TYPES:
            errors.append(
                LineError(line, "draw_type", f"{draw_type!r} is not one of general, targeted")
            )
        invitations = _optional_int(
            cells["invitations"], "invitations", line, errors, high=1_000_000
        )
        min_score = _optional_int(cells["min_score"], "min_score", line, errors, high=MAX_SCORE)
        registered_from = _optional_date(cells["profiles_from"], "profiles_from", line, errors)
        registered_to = _optional_date(cells["profiles_to"], "profiles_to", line, errors)
        if registered_from and registered_to and registered_from > registered_to:
            errors.append(
                LineError(line, "profiles_from", "the profile window starts after it ends")
            )
        if registered_from and draw_date and registered_from > draw_date:
            errors.append(
                LineError(line, "profiles_from", "the profile window starts after the draw")
            )
        notes = cells["targeting_notes"].strip()
        urls = _urls(cells["source_url"], line, errors)
        if len(errors) != before or draw_date is None or streams is None:
            continue
        key = natural_key(draw_date, stream_text, draw_type, notes)
        if key in seen:
            errors.append(
                LineError(
                    line,
                    "row",
                    f"the same draw as line {seen[key]} (same date, stream, type and notes)",
                )
            )
            continue
        seen[key] = line
        rows.append(
            ParsedDraw(
                line=line,
                natural_key=key,
                slug=slug_for(draw_date, tuple(streams), key),
                draw_date=draw_date,
                stream_text=stream_text,
                streams=tuple(streams),
                draw_type=draw_type,
                invitations=invitations,
                min_score=min_score,
                registered_from=registered_from,
                registered_to=registered_to,
                targeting_notes=notes,
                source_urls=urls,
                noc_candidates=tuple(sorted(set(_NOC_RE.findall(notes)))),
            )
        )
    if errors:
        return [], errors
    return rows, []
