"""Reads of reference data that pages, API, commands and the engine share."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from nominee.core import labels
from nominee.core.timeutil import today
from nominee.scoring.policy import region_table_on, region_tables
from nominee.scoring.refdata import CensusDivision as CensusDivisionFacts
from nominee.scoring.refdata import Noc as NocFacts
from nominee.scoring.refdata import ReferenceData, WageTable, region_for
from nominee.scoring.refdata import WageFigure as WageFacts

from .models import (
    CensusDivision,
    CensusSubdivision,
    Noc,
    OccupationList,
    OccupationListEntry,
    Region,
    WageFigure,
    WageTableVersion,
    noc_title,
)

IN_DEMAND_LIST = "in-demand-skills"
_VERSION_KEY = "nominee:reference:version"
# A process rebuilds at least this often even when no signal reached it (another process
# of a multi-process server may have changed the tables with a process-local cache).
_MAX_AGE_SECONDS = 300.0

_lock = threading.Lock()


@dataclass
class _Built:
    """One build of the tables: the data of each wage version, keyed by its start."""

    starts: list[date]
    by_start: dict[date, ReferenceData]
    undated: ReferenceData


_cached: tuple[Any, float, _Built] | None = None


def reference_data(on: date | None = None) -> ReferenceData:
    """The engine's reference data built from the database tables, with the wage table
    version in force on ``on`` (a program date, default today) as ``wages``.

    Cached per process, one object per wage version (the engine keeps compiled tables
    per object, so each version is built once). Rebuilt when a reference row changes
    (signals, and the loaders call ``invalidate_reference_data``), or after five minutes.
    Every object also holds every version (``ReferenceData.wages_on``) and every region
    table, so a check given its own date reads that date's figures and regions whichever
    object it was handed; :func:`region_of` gives a division's region on a day.
    """
    built = _current()
    day = on or today()
    chosen = None
    for start in built.starts:
        if start > day:
            break
        chosen = start
    if chosen is None:
        # Before the first version (or none at all): the first, as ``wages_on`` reads.
        return built.by_start[built.starts[0]] if built.starts else built.undated
    return built.by_start[chosen]


def wage_versions() -> list[WageTableVersion]:
    """Every wage table version, the latest first."""
    return list(WageTableVersion.objects.select_related("imported_by").order_by("-effective_from"))


def _current() -> _Built:
    global _cached
    version = cache.get(_VERSION_KEY, 0)
    now = time.monotonic()
    current = _cached
    if current is not None and current[0] == version and now - current[1] < _MAX_AGE_SECONDS:
        return current[2]
    with _lock:
        built = _build()
        _cached = (version, now, built)
    return built


def invalidate_reference_data() -> None:
    """Forget the cached reference data in every process sharing the cache."""
    global _cached
    _cached = None
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)


def _build() -> _Built:
    nocs = {
        code: NocFacts(code=code, title=title, teer=teer, broad_category=category)
        for code, title, teer, category in Noc.objects.values_list(
            "code", "title", "teer", "broad_category"
        )
    }
    divisions = {
        code: CensusDivisionFacts(
            code=code,
            name=name,
            economic_region_code=er_code,
            region=region_for(code, region),
            regions={"2026": region_for(code, later, "2026")} if later else {},
        )
        for code, name, er_code, region, later in CensusDivision.objects.values_list(
            "code", "name", "economic_region_code", "region", "region_2026"
        )
    }
    in_demand = dict(
        OccupationListEntry.objects.filter(occupation_list__slug=IN_DEMAND_LIST).values_list(
            "noc_id", "scope"
        )
    )
    figures: dict[int, list[tuple[str, WageFacts]]] = {}
    for version_id, noc, er_code, low, median, high in WageFigure.objects.values_list(
        "version_id", "noc_id", "er_code", "low_wage", "median_wage", "high_wage"
    ):
        figures.setdefault(version_id, []).append(
            (
                noc,
                WageFacts(
                    low=float(low) if low is not None else None,
                    median=float(median) if median is not None else None,
                    high=float(high) if high is not None else None,
                    er_code=er_code,
                ),
            )
        )
    versions = tuple(
        (start, WageTable(figures.get(pk, ())))
        for pk, start in WageTableVersion.objects.order_by("effective_from").values_list(
            "pk", "effective_from"
        )
    )
    undated = ReferenceData(
        nocs=nocs,
        census_divisions=divisions,
        in_demand=in_demand,
        wages=WageTable(),
        wage_versions=versions,
    )
    by_start = {
        start: dataclasses.replace(undated, wages=table, cache={}) for start, table in versions
    }
    return _Built(starts=[start for start, _table in versions], by_start=by_start, undated=undated)


def region_of(census_division: str, on: date | None = None) -> str | None:
    """The region of a census division in the region table in force on ``on`` (default
    today): Muskoka (3544) is ``other`` before 2026-06-26 and ``northern`` from then."""
    return reference_data(on).region_of(census_division, on or today())


#: The regions an ``other`` is not: the GTA and the north, in every region table.
_NOT_OTHER = frozenset({"toronto", "greater-toronto", "northern"})


def table_for_region(region: str, on: date) -> str:
    """The region table a draw dated ``on`` reads ``region`` in.

    The table in force on ``on`` when it has that region, and ``other`` is read in it
    always (outside the GTA, not northern). A region the table of the date lacks
    (``eastern``, ``central``, ``southwestern`` before 2026-06-26) is read in the latest
    table that has it: DOMAIN §9's lists, which the regional draws of 2025 targeted too
    (docs/decisions.md, decision 61).
    """
    tables = region_tables()
    current = region_table_on(on)
    if region == "other" or region in tables[current].regions:
        return current
    having = [name for name, table in tables.items() if region in table.regions]
    return having[-1] if having else current  # the document lists tables oldest first


def census_divisions_in(regions: Sequence[str], on: date) -> tuple[str, ...]:
    """The census division codes of ``regions`` on program date ``on``, sorted.

    Each region is read in the table ``table_for_region`` names: from 2026-06-26
    ``northern`` holds Muskoka (3544) and Haliburton (3546), and ``other`` is every
    division outside the GTA that is not northern (eastern, central and southwestern).
    """
    divisions = reference_data(on).census_divisions.values()
    found: set[str] = set()
    for region in regions:
        table = table_for_region(region, on)
        for division in divisions:
            in_table = division.region_in(table)
            if in_table == region or (region == "other" and in_table not in _NOT_OTHER):
                found.add(division.code)
    return tuple(sorted(found))


def noc_titles(codes: Sequence[str], *, language: str | None = None) -> list[tuple[str, str]]:
    """(code, title) pairs in code order, each title in ``language`` (default the active
    one) as :func:`~nominee.reference.models.noc_title` chooses it; unknown codes keep an
    empty title."""
    titles = {
        code: noc_title(title, title_fr, official, language=language)
        for code, title, title_fr, official in Noc.objects.filter(code__in=list(codes)).values_list(
            "code", "title", "title_fr", "title_fr_official"
        )
    }
    return [(code, titles.get(code, "")) for code in sorted(codes)]


def place_name(code: str) -> str:
    """A place code by name: a scoring region (``other``) or a census division (``3520``
    → "Toronto"); an unknown code as words from it. Economic regions share the codes'
    shape (``3510`` is Frontenac and the Ottawa region): :func:`economic_region_name`."""
    if code in Region.values:
        return str(Region(code).label)
    division = reference_data().census_divisions.get(code)
    if division is not None:
        return division.name
    return labels.words(code)


def economic_region_name(code: str) -> str:
    """An economic region by name (``3530`` → "Kitchener-Waterloo-Barrie")."""
    if code == "35":
        return str(_("Ontario"))
    name = (
        CensusDivision.objects.filter(economic_region_code=code)
        .values_list("economic_region_name", flat=True)
        .first()
    )
    return name or labels.words(code)


def municipality_text(subdivision: CensusSubdivision) -> str:
    """How a municipality is written and offered: "Hamilton, Northumberland" (its name and
    its census division, which tells apart the places of the same name)."""
    return f"{subdivision.name}, {subdivision.census_division.name}"


def municipalities() -> list[CensusSubdivision]:
    """Every shipped census subdivision with its division, by name."""
    return list(CensusSubdivision.objects.select_related("census_division").order_by("name"))


def find_municipalities(text: str) -> list[CensusSubdivision]:
    """The census subdivisions ``text`` names (case and spacing ignored): as offered
    ("Hamilton, Hamilton"), else by name alone ("hamilton": the city and the township).
    Several places share a name (Six Nations 40 lies in two divisions): callers ask
    which one when there are several."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return []
    places = municipalities()
    exact = [p for p in places if municipality_text(p).casefold() == wanted]
    if exact:
        return exact
    return [p for p in places if p.name.casefold() == wanted]


def _changed(**kwargs: Any) -> None:
    invalidate_reference_data()


for _model in (
    Noc,
    CensusDivision,
    OccupationList,
    OccupationListEntry,
    WageFigure,
    WageTableVersion,
):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"refdata-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"refdata-del-{_model.__name__}")
