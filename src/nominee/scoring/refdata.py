"""Reference data the engine reads: NOC 2021, census divisions, In-Demand Skills, Job Bank wages.

The engine never touches a database. It takes a :class:`ReferenceData` built either from the
CSV files shipped in ``nominee/data`` (:meth:`ReferenceData.from_package`) or, on the Django
side, from the reference tables; both produce the same plain mappings.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, Literal

from .policy import region_table_on, region_tables

Region = Literal[
    "toronto",
    "greater-toronto",
    "northern",
    "other",
    "eastern",
    "central",
    "southwestern",
]
#: The regions of the 2022-2025 table (DOMAIN §4).
REGIONS: tuple[Region, ...] = ("toronto", "greater-toronto", "northern", "other")
#: The regions of the 2026 table (DOMAIN §9): ``other`` split into three.
REGIONS_2026: tuple[Region, ...] = (
    "toronto",
    "greater-toronto",
    "northern",
    "eastern",
    "central",
    "southwestern",
)
#: Every region code of every table.
ALL_REGIONS: tuple[Region, ...] = (*REGIONS, "eastern", "central", "southwestern")
GTA_REGIONS: frozenset[str] = frozenset({"toronto", "greater-toronto"})
#: The table a census division's ``region`` field holds (the first one, DOMAIN §4).
FIRST_TABLE = "2025"
WageKind = Literal["low", "median", "high"]
ONTARIO_ER = "35"
TORONTO_CD = "3520"

# The shipped CSV says "greater-toronto"; "gta" is accepted too because earlier drafts of the
# file and hand-made imports use it.
_REGION_BY_COLUMN: dict[str, Region] = {
    "toronto": "toronto",
    "gta": "greater-toronto",
    "greater-toronto": "greater-toronto",
    "northern": "northern",
    "other": "other",
    "eastern": "eastern",
    "central": "central",
    "southwestern": "southwestern",
}


@dataclass(frozen=True, slots=True)
class Noc:
    """A NOC 2021 unit group: five-digit code, title, TEER (0-5) and broad category (0-9)."""

    code: str
    title: str
    teer: int
    broad_category: int


@dataclass(frozen=True, slots=True)
class CensusDivision:
    """An Ontario census division with its economic region and scoring regions.

    ``region`` is its region in the first table (``2025``, DOMAIN §4); ``regions`` maps
    each later table's name to its region there (``{"2026": "northern"}`` for Muskoka).
    """

    code: str
    name: str
    economic_region_code: str
    region: Region
    regions: Mapping[str, Region] = field(default_factory=dict)

    def region_in(self, table: str) -> Region:
        """The division's region in a region table (the first table's when it has none)."""
        return self.regions.get(table, self.region)

    @property
    def in_gta(self) -> bool:
        """Toronto or the rest of the Greater Toronto Area (the same in every table)."""
        return self.region in GTA_REGIONS


@dataclass(frozen=True, slots=True)
class WageFigure:
    """Job Bank hourly wages of a NOC in an economic region (``35``: all of Ontario)."""

    low: float | None
    median: float | None
    high: float | None
    er_code: str

    def amount(self, kind: WageKind) -> float | None:
        """The figure of one kind (low, median or high), None when Job Bank has none."""
        value: float | None = getattr(self, kind)
        return value


@dataclass(frozen=True, slots=True)
class WageFloor:
    """The wage floor that applies to a job offer, and where it came from."""

    amount: float
    kind: WageKind
    er_code: str

    @property
    def ontario_wide(self) -> bool:
        """True when no regional figure existed and the Ontario-wide one was used."""
        return self.er_code == ONTARIO_ER


class WageTable:
    """Job Bank wages keyed by (NOC, economic region code)."""

    __slots__ = ("_figures",)

    def __init__(self, figures: Iterable[tuple[str, WageFigure]] = ()) -> None:
        """Build from ``(noc, figure)`` pairs; a later pair replaces an earlier one."""
        self._figures: dict[tuple[str, str], WageFigure] = {
            (noc, figure.er_code): figure for noc, figure in figures
        }

    def __len__(self) -> int:
        return len(self._figures)

    def lookup(self, noc: str, economic_region_code: str) -> WageFigure | None:
        """The figure for exactly this NOC and economic region, or None."""
        return self._figures.get((noc, economic_region_code))

    def floor(self, noc: str, er_code: str, kind: WageKind) -> WageFloor | None:
        """The regional figure of ``kind``, else the Ontario-wide one, else None."""
        for code in (er_code, ONTARIO_ER):
            figure = self._figures.get((noc, code))
            if figure is not None:
                amount = figure.amount(kind)
                if amount is not None:
                    return WageFloor(amount=amount, kind=kind, er_code=code)
        return None


@dataclass(frozen=True, eq=False)
class ReferenceData:
    """Everything the engine looks up, as plain mappings. Immutable once built.

    ``in_demand`` maps a NOC on the In-Demand Skills list to its scope: ``"anywhere"`` or
    ``"outside-gta"``. Compared by identity: the engine keeps per-instance caches.
    """

    nocs: Mapping[str, Noc]
    census_divisions: Mapping[str, CensusDivision]
    in_demand: Mapping[str, str]
    wages: WageTable
    # Every wage table version as (in force from, table), oldest first; empty: ``wages``
    # is the only table (the shipped files, a test's table).
    wage_versions: tuple[tuple[date, WageTable], ...] = ()
    # Compiled scoring tables per (grid, stream); see engine.py. Not part of the data.
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def region_of(
        self, census_division: str, on: date | None = None, *, table: str | None = None
    ) -> Region | None:
        """The region of a census division in the table in force on program date ``on``
        (or in the named ``table``; neither: the first table). None for an unknown division.
        """
        division = self.census_divisions.get(census_division)
        if division is None:
            return None
        if table is None:
            table = FIRST_TABLE if on is None else region_table_on(on)
        return division.region_in(table)

    def wages_on(self, on: date) -> WageTable:
        """The wage table in force on program date ``on``: the version with the latest
        start on or before it; before the first version, the first (decision 68)."""
        if not self.wage_versions:
            return self.wages
        chosen = self.wage_versions[0][1]
        for start, table in self.wage_versions:
            if start > on:
                break
            chosen = table
        return chosen

    @classmethod
    @functools.cache
    def from_package(cls) -> ReferenceData:
        """The reference data shipped as CSV files in ``nominee/data`` (loaded once)."""
        return cls.from_csv_texts(
            nocs=_data_text("noc2021_unit_groups.csv"),
            census_divisions=_data_text("ontario_census_divisions.csv"),
            in_demand=_data_text("in_demand_skills_nocs.csv"),
            wages=_data_text("jobbank_wages_ontario_2024_partial.csv"),
        )

    @classmethod
    def from_csv_texts(
        cls, *, nocs: str, census_divisions: str, in_demand: str, wages: str
    ) -> ReferenceData:
        """Build from the text of the four CSV files, in the shipped layouts."""
        noc_map = {
            r["code"]: Noc(
                code=r["code"],
                title=r["title"],
                teer=int(r["teer"]),
                broad_category=int(r["broad_category"]),
            )
            for r in _rows(nocs)
        }
        divisions = {
            r["cd_code"]: CensusDivision(
                code=r["cd_code"],
                name=r["cd_name"],
                economic_region_code=r["economic_region_code"],
                region=region_for(r["cd_code"], r["oinp_region"]),
                regions=later_regions(r),
            )
            for r in _rows(census_divisions)
        }
        demand = {r["code"]: (r.get("scope") or "anywhere") for r in _rows(in_demand)}
        table = WageTable(
            (
                r["noc"],
                WageFigure(
                    low=_money(r.get("low_wage")),
                    median=_money(r.get("median_wage")),
                    high=_money(r.get("high_wage")),
                    er_code=r["er_code"],
                ),
            )
            for r in _rows(wages)
        )
        return cls(nocs=noc_map, census_divisions=divisions, in_demand=demand, wages=table)


def later_regions(row: Mapping[str, str | None]) -> dict[str, Region]:
    """A census-division CSV row's regions in the tables after the first, by table name.

    A table whose column the row lacks (or leaves empty) is left out: the division then
    keeps its first-table region there (``CensusDivision.region_in``).
    """
    found: dict[str, Region] = {}
    for name, table in region_tables().items():
        if name == FIRST_TABLE:
            continue
        value = row.get(table.column)
        if value and value.strip():
            found[name] = region_for(str(row["cd_code"]), value, name)
    return found


def region_for(cd_code: str, oinp_region: str, table: str = FIRST_TABLE) -> Region:
    """The scoring region of a census division from a CSV region column (``oinp_region``
    for the first table, the column ``region_tables`` names for a later one).

    Toronto (CD 3520) is its own region whatever the column says: it scores differently
    from the rest of the GTA. A value that is not a region of ``table`` is refused.
    """
    if cd_code == TORONTO_CD:
        return "toronto"
    tables = region_tables()
    allowed = set(tables[table].regions) if table in tables else set(REGIONS)
    region = _REGION_BY_COLUMN.get(oinp_region.strip().lower())
    if region is None or region not in allowed:
        accepted = sorted(k for k, v in _REGION_BY_COLUMN.items() if v in allowed)
        raise ValueError(
            f"census division {cd_code}: unknown region {oinp_region!r}; expected one of "
            + ", ".join(accepted)
        )
    return region


def _data_text(name: str) -> str:
    return resources.files("nominee").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _money(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    return float(value)
