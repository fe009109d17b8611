"""Helpers for the draws tests: fast EOI rows, and a plain-Python reference of the selection."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from nominee.core.timeutil import add_months, program_date
from nominee.draws.criteria import EDUCATION_ORDER, DrawCriteria
from nominee.eois.models import EOI
from nominee.scoring.policy import policy_at, region_table_on, region_tables, stream_info
from nominee.scoring.refdata import ReferenceData

_numbers = itertools.count(1)


def eoi_row(
    *,
    registered_at: datetime,
    stream: str = "foreign-worker",
    score: int = 50,
    status: str = "active",
    is_legacy: bool = False,
    noc: str | None = "21231",
    census_division: str | None = "3520",
    region: str | None = "toronto",
    in_canada: bool = True,
    education_level: str | None = None,
    french_clb: int | None = None,
    external_id: str | None = None,
    **extra: Any,
) -> EOI:
    """An unsaved EOI with the draw-relevant facts (expiry 12 months after registration)."""
    n = next(_numbers)
    return EOI(
        external_id=external_id or f"T-{n:07d}",
        stream=stream,
        status=status,
        is_legacy=is_legacy,
        registered_at=registered_at,
        expires_at=add_months(registered_at, 12),
        updated_at=registered_at,
        profile={"stream": stream},
        score=score,
        max_score=76,
        grid="2024-01-01",
        breakdown=[],
        noc=noc,
        census_division=census_division,
        region=region,
        in_canada=in_canada,
        education_level=education_level,
        french_clb=french_clb,
        **extra,
    )


def save_all(rows: Iterable[EOI]) -> list[EOI]:
    """Insert the rows in bulk (ids filled in)."""
    return EOI.objects.bulk_create(list(rows), batch_size=500)


@dataclass(frozen=True)
class Reference:
    """What the reference selection answers."""

    eligible: int
    ranked: list[str]


def in_regions(census_division: str | None, regions: Sequence[str], day: date) -> bool:
    """Whether a census division is in one of the regions on a draw date, restated from the
    shipped CSV (not the database): the table in force that day; ``other`` is outside the
    GTA and not northern; a region that table lacks is read in the 2026 table."""
    division = ReferenceData.from_package().census_divisions.get(census_division or "")
    if division is None:
        return False
    table = region_table_on(day)
    here = division.region_in(table)
    for region in regions:
        if region == "other" and here not in {"toronto", "greater-toronto", "northern"}:
            return True
        if region != "other" and region in region_tables()[table].regions and here == region:
            return True
        if region not in region_tables()[table].regions and division.region_in("2026") == region:
            return True
    return False


def reference_selection(pool: Sequence[EOI], criteria: DrawCriteria) -> Reference:
    """The selection restated in Python at the level of program dates (INTERFACES §3).

    Independent of the SQL: registration and expiry are compared as calendar days in
    America/Toronto, not as instants.
    """
    day = criteria.draw_date
    policy = policy_at(day)
    legacy_applies = stream_info(criteria.stream).legacy_applies
    minimum_education = (
        EDUCATION_ORDER.index(criteria.min_education) if criteria.min_education else None
    )

    def matches(eoi: EOI) -> bool:
        registered = program_date(eoi.registered_at)
        if eoi.stream != criteria.stream or eoi.status != "active" or eoi.is_legacy:
            return False
        if registered > day or program_date(eoi.expires_at) <= day:
            return False
        if legacy_applies and registered < policy.legacy_before:
            return False
        if criteria.registered_from and registered < criteria.registered_from:
            return False
        if criteria.registered_to and registered > criteria.registered_to:
            return False
        if criteria.noc_codes and eoi.noc not in criteria.noc_codes:
            return False
        if criteria.pathways and eoi.pathway not in criteria.pathways:
            return False
        if (criteria.regions or criteria.census_divisions) and not (
            in_regions(eoi.census_division, criteria.regions, day)
            or eoi.census_division in criteria.census_divisions
        ):
            return False
        if criteria.in_canada_only and not eoi.in_canada:
            return False
        if minimum_education is not None and (
            eoi.education_level is None
            or EDUCATION_ORDER.index(eoi.education_level) < minimum_education
        ):
            return False
        return not (
            criteria.min_french_clb is not None
            and (eoi.french_clb is None or eoi.french_clb < criteria.min_french_clb)
        )

    eligible = [eoi for eoi in pool if matches(eoi)]
    above = [e for e in eligible if criteria.min_score is None or e.score >= criteria.min_score]
    above.sort(key=lambda e: (-e.score, e.registered_at, e.pk))
    if criteria.invitations is not None:
        above = above[: criteria.invitations]
    return Reference(eligible=len(eligible), ranked=[e.external_id for e in above])


def criteria(**values: Any) -> DrawCriteria:
    """DrawCriteria with defaults for a Foreign Worker draw on 2025-09-03."""
    values.setdefault("stream", "foreign-worker")
    values.setdefault("draw_date", date(2025, 9, 3))
    for name in ("noc_codes", "pathways", "regions", "census_divisions"):
        if name in values:
            values[name] = tuple(values[name])
    return DrawCriteria(**values)
