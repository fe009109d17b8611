"""JSON API of the publication app (mounted under /api/v1/ by nominee.api.root)."""

from __future__ import annotations

from datetime import date
from datetime import date as Date  # for annotations after a field named date

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from nominee.core import timeutil
from nominee.core.errors import ValidationFailed
from nominee.core.schemas import ERRORS
from nominee.program import queries as program_queries

from . import changes, feeds, queries
from .cache import cached_payload, respond
from .views import BadFilter, parse_filters

router = Router(tags=["publication"])


class PublishedDrawOut(Schema):
    """A published draw: INTERFACES §3's draw result without ``invited``, plus more.

    ``draw`` is the Nominee draw id (null for a draw imported from the published record);
    ``invitations``, ``min_score``, ``tie_break`` and ``eligible`` are null when the
    source did not publish them; ``stream`` is null for an imported row that groups
    draws of several streams (``streams`` lists them). ``slug`` and ``url`` name every
    draw stably, whatever its source.
    """

    draw: int | None
    stream: str | None
    executed: bool
    date: date
    invitations: int | None
    min_score: int | None
    tie_break: str | None
    eligible: int | None
    targeting: str
    type: str | None
    source: str
    slug: str
    url: str
    streams: list[str]
    stream_name: str
    registered_from: Date | None
    registered_to: Date | None
    noc_codes: list[str]
    pathways: list[str]
    regions: list[str]
    census_divisions: list[str]
    in_canada_only: bool
    min_education: str | None
    min_french_clb: int | None
    source_urls: list[str]
    counted_in_totals: bool
    suppressed: list[str]


@router.get(
    "/draws",
    response={200: list[PublishedDrawOut], **ERRORS},
    auth=None,
    summary="Published draws, newest first",
    description=(
        "Every published draw: those executed in Nominee (`source: nominee`) and those "
        "imported from the published record (`source: imported`), newest first. Filter "
        "with `year`, `stream` (a stream code; a row of several streams matches each) and "
        "`source`. Public, cached; answers carry `ETag` and `Last-Modified`."
    ),
)
def list_draws(
    request: HttpRequest,
    year: int | None = None,
    stream: str | None = None,
    source: str | None = None,
) -> HttpResponse:
    """The published record as JSON."""
    try:
        chosen = parse_filters(
            {"year": str(year or ""), "stream": stream or "", "source": source or ""}
        )
    except BadFilter as error:
        raise ValidationFailed(
            "the filters are invalid", fields={k: [v] for k, v in error.errors.items()}
        ) from None
    y, s, src = chosen

    def build() -> bytes:
        entries = queries.filter_entries(queries.all_entries(), year=y, stream=s, source=src)
        return feeds.json_body(entries)

    payload = cached_payload(
        f"api:{y}:{s}:{src}", lambda: queries.english(build), "application/json"
    )
    return respond(request, payload)


class ProgramChangeOut(Schema):
    """One change of the program, in words (``title``, ``summary``) and as data.

    ``kind`` is ``stream_opened``, ``stream_closed``, ``eois_withdrawn`` or
    ``allocation_set``; ``date`` the program date it takes effect (null for an
    allocation, placed by ``year``); ``stream`` the stream code (null for an allocation);
    ``count`` the EOIs withdrawn (``"<5"`` under five) or the nominations allocated;
    ``scheduled`` true for a change still to come.
    """

    id: str
    kind: str
    date: Date | None
    year: int
    stream: str | None
    stream_name: str | None
    count: int | str | None
    title: str
    summary: str
    scheduled: bool
    url: str


@router.get(
    "/program/changes",
    response={200: list[ProgramChangeOut], **ERRORS},
    auth=None,
    summary="The program's history of changes, newest first",
    description=(
        "Streams opened and closed (the stream registry's dates), the withdrawal of a "
        "closed stream's un-invited EOIs (a count) and each year's nomination allocation. "
        "Public, cached; no personal data."
    ),
)
def list_program_changes(request: HttpRequest) -> HttpResponse:
    """The program's changes as JSON."""
    day = timeutil.today()
    payload = cached_payload(
        f"api:changes:{day}:{program_queries.registry_fingerprint()}",
        lambda: queries.english(lambda: feeds.changes_json(changes.change_entries(day))),
        "application/json",
    )
    return respond(request, payload)
