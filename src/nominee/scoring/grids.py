"""Points grids as versioned data files (``data/grids/<effective date>.json``).

A grid version says, for each stream, which factors score and how each factor's bands map to
points. :func:`grid_for` returns the version in force on a program date. Adding a version is
adding a file: docs/scoring.md explains the format.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from .policy import NotInForce, program_date, region_tables, stream_registry

#: Every factor code, in the order of INTERFACES §2 (a score lists its factors in this order).
FACTORS: tuple[str, ...] = (
    "job_offer_teer",
    "job_offer_category",
    "job_offer_wage",
    "permit",
    "job_tenure",
    "ontario_experience",
    "earnings_history",
    "education_level",
    "field_of_study",
    "canadian_education",
    "language_ability",
    "official_languages",
    "job_location",
    "study_location",
)
# Factors scored by looking a key up, and those scored by "at least this much".
CATEGORY_FACTORS: frozenset[str] = frozenset(
    {
        "job_offer_teer",
        "job_offer_category",
        "permit",
        "education_level",
        "field_of_study",
        "job_location",
        "study_location",
    }
)
THRESHOLD_FACTORS: frozenset[str] = frozenset(FACTORS) - CATEGORY_FACTORS
# The keys a category factor must cover, so that no declared value can go unscored.
REQUIRED_KEYS: Mapping[str, frozenset[str]] = {
    "job_offer_teer": frozenset("012345"),
    "job_offer_category": frozenset("0123456789"),
    "permit": frozenset({"work", "study", "none"}),
    "education_level": frozenset(
        {
            "phd",
            "professional-degree",
            "masters",
            "bachelors",
            "graduate-certificate",
            "college-graduate-certificate",
            "undergraduate-diploma",
            "apprenticeship",
            "secondary-or-less",
        }
    ),
    "field_of_study": frozenset(
        {
            "stem",
            "health",
            "trades",
            "business",
            "social",
            "legal",
            "education",
            "services",
            "arts",
            "humanities",
            "other",
        }
    ),
}
#: The location factors: their keys are the regions of the grid's region table (plus
#: ``none`` for the study location), checked against the policy document's tables.
LOCATION_FACTORS: frozenset[str] = frozenset({"job_location", "study_location"})

_STRICT = ConfigDict(extra="forbid")


@pydantic_dataclass(frozen=True, config=_STRICT)
class Band:
    """Points for one category value, and the words a person reads for it."""

    points: int
    label: str


@pydantic_dataclass(frozen=True, config=_STRICT)
class Threshold:
    """Points for a value of at least ``min`` (thresholds are tried from the highest)."""

    min: float
    points: int
    label: str


@pydantic_dataclass(frozen=True, config=_STRICT)
class FactorRule:
    """How one factor scores: by category or by thresholds; ``max`` is its ceiling.

    ``fallback`` (``ontario_experience`` only) is a second ladder, tried when the first
    scores nothing: months in the job-offer position first, else months in any job in
    Ontario. ``both_min_clb`` (``official_languages`` only): two languages count as two
    only when each reaches this CLB, otherwise as one (the 2026 grid).
    """

    max: int
    categories: Mapping[str, Band] | None = None
    thresholds: tuple[Threshold, ...] | None = None
    fallback: tuple[Threshold, ...] | None = None
    both_min_clb: int | None = None

    def fallback_threshold(self, value: float) -> Threshold | None:
        """The highest step of the fallback ladder that ``value`` reaches (None: no ladder)."""
        if self.fallback is None:
            return None
        for threshold in self.fallback:
            if value >= threshold.min:
                return threshold
        return self.fallback[-1]

    def band(self, key: str) -> Band:
        """The band of a category value (KeyError when the grid does not know it)."""
        if self.categories is None:
            raise TypeError("this factor scores by thresholds, not categories")
        return self.categories[key]

    def threshold(self, value: float) -> Threshold:
        """The highest threshold that ``value`` reaches."""
        if self.thresholds is None:
            raise TypeError("this factor scores by categories, not thresholds")
        for threshold in self.thresholds:
            if value >= threshold.min:
                return threshold
        return self.thresholds[-1]


@pydantic_dataclass(frozen=True, config=_STRICT)
class _PathwayDocument:
    factors: tuple[str, ...]
    overrides: Mapping[str, FactorRule] | None = None
    note: str = ""


@pydantic_dataclass(frozen=True, config=_STRICT)
class _StreamDocument:
    factors: tuple[str, ...]
    overrides: Mapping[str, FactorRule] | None = None
    pathways: Mapping[str, _PathwayDocument] | None = None
    note: str = ""


@pydantic_dataclass(frozen=True, config=_STRICT)
class _GridDocument:
    effective_from: date
    name: str
    factors: Mapping[str, FactorRule]
    streams: Mapping[str, _StreamDocument]
    region_table: str = "2025"
    source: str = ""


@dataclass(frozen=True)
class StreamGrid:
    """One stream's column of a grid: its factors in INTERFACES order, and its maximum."""

    stream: str
    factors: tuple[tuple[str, FactorRule], ...]
    max: int
    # The pathway whose column this is (None: the stream's own column).
    pathway: str | None = None
    # Which region table the location factors read (policy.json ``region_tables``).
    region_table: str = "2025"

    def rule(self, factor: str) -> FactorRule:
        """The rule of one factor of this stream (KeyError when the stream does not score it)."""
        for code, rule in self.factors:
            if code == factor:
                return rule
        raise KeyError(factor)

    @property
    def codes(self) -> tuple[str, ...]:
        """The factor codes this stream scores, in order."""
        return tuple(code for code, _ in self.factors)


@dataclass(frozen=True)
class Grid:
    """A points-grid version: in force from ``effective_from`` until the next version."""

    effective_from: date
    name: str
    streams: Mapping[str, StreamGrid]
    # Columns of a stream's pathways that differ from the stream's, by (stream, pathway).
    pathways: Mapping[tuple[str, str], StreamGrid] = field(default_factory=dict)
    region_table: str = "2025"

    @property
    def label(self) -> str:
        """The version's name in a score document: its effective date, ``YYYY-MM-DD``."""
        return self.effective_from.isoformat()

    def stream(self, code: str, pathway: str | None = None) -> StreamGrid:
        """One stream's column, or its pathway's where the grid gives the pathway its own
        (KeyError for an unknown stream)."""
        if pathway is not None:
            own = self.pathways.get((code, pathway))
            if own is not None:
                return own
        return self.streams[code]

    def max_for(self, stream: str, pathway: str | None = None) -> int:
        """The highest total a profile of the stream (and pathway) can reach on this grid."""
        return self.stream(stream, pathway).max


def load_grid(document: Any) -> Grid:
    """Validate one grid document and build the :class:`Grid`; ValueError says what is wrong.

    Checks: every stream of the registry open on its date present, and no stream outside
    the registry (:func:`load_grids` also checks the streams that open later); factors
    known and listed in INTERFACES order; category factors cover every value a profile can
    declare; thresholds descend and end at 0; each factor's ``max`` equals its best band.
    """
    doc = TypeAdapter(_GridDocument).validate_python(document)
    where = f"grid {doc.effective_from}"
    registry = stream_registry()
    known = [s.code for s in registry]
    unknown = sorted(set(doc.streams) - set(known))
    if unknown:
        raise ValueError(f"{where}: streams not in the registry: {', '.join(unknown)}")
    missing = [
        s.code for s in registry if s.open_on(doc.effective_from) and s.code not in doc.streams
    ]
    if missing:
        raise ValueError(
            f"{where}: streams must include every open stream; missing {', '.join(missing)}"
        )
    tables = region_tables()
    if doc.region_table not in tables:
        raise ValueError(f"{where}: region table {doc.region_table!r} is not in the policy's")
    regions = frozenset(tables[doc.region_table].regions)
    streams: dict[str, StreamGrid] = {}
    pathways: dict[tuple[str, str], StreamGrid] = {}
    by_code = {s.code: s for s in registry}
    for stream in [code for code in known if code in doc.streams]:
        spec = doc.streams[stream]
        streams[stream] = _column(
            f"{where}, {stream}", stream, None, spec.factors, spec.overrides, doc, regions
        )
        stray = sorted(set(spec.pathways or {}) - set(by_code[stream].pathway_codes))
        if stray:
            raise ValueError(f"{where}, {stream}: pathways not in the registry: {stray}")
        for code, own in (spec.pathways or {}).items():
            merged = {**(spec.overrides or {}), **(own.overrides or {})}
            merged = {k: v for k, v in merged.items() if k in own.factors}
            pathways[(stream, code)] = _column(
                f"{where}, {stream}, {code}", stream, code, own.factors, merged, doc, regions
            )
    return Grid(
        effective_from=doc.effective_from,
        name=doc.name,
        streams=streams,
        pathways=pathways,
        region_table=doc.region_table,
    )


def _column(
    where: str,
    stream: str,
    pathway: str | None,
    factors: tuple[str, ...],
    overrides: Mapping[str, FactorRule] | None,
    doc: _GridDocument,
    regions: frozenset[str],
) -> StreamGrid:
    unknown = [f for f in factors if f not in FACTORS]
    if unknown:
        raise ValueError(f"{where}: unknown factor(s) {', '.join(unknown)}")
    order = [FACTORS.index(f) for f in factors]
    if order != sorted(set(order)):
        raise ValueError(f"{where}: factors must be listed once, in INTERFACES order")
    overrides = overrides or {}
    stray = set(overrides) - set(factors)
    if stray:
        raise ValueError(f"{where}: override of unscored factor(s) {sorted(stray)}")
    rules: list[tuple[str, FactorRule]] = []
    for code in factors:
        rule = overrides.get(code) or doc.factors.get(code)
        if rule is None:
            raise ValueError(f"grid {doc.effective_from}: factor {code} has no rule")
        _check_rule(f"{where}, {code}", code, rule, regions)
        rules.append((code, rule))
    return StreamGrid(
        stream=stream,
        factors=tuple(rules),
        max=sum(rule.max for _, rule in rules),
        pathway=pathway,
        region_table=doc.region_table,
    )


def _ladder(where: str, ladder: tuple[Threshold, ...]) -> list[int]:
    mins = [t.min for t in ladder]
    if not mins or mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise ValueError(f"{where}: thresholds must strictly descend")
    if mins[-1] != 0:
        raise ValueError(f"{where}: the last threshold must be 0 so that every value scores")
    return [t.points for t in ladder]


def _check_rule(where: str, code: str, rule: FactorRule, regions: frozenset[str]) -> None:
    if rule.fallback is not None and code != "ontario_experience":
        raise ValueError(f"{where}: only ontario_experience takes a fallback ladder")
    if rule.both_min_clb is not None and code != "official_languages":
        raise ValueError(f"{where}: only official_languages takes both_min_clb")
    if code in CATEGORY_FACTORS:
        if rule.categories is None or rule.thresholds is not None:
            raise ValueError(f"{where}: must give categories (and no thresholds)")
        if code in LOCATION_FACTORS:
            required = regions | ({"none"} if code == "study_location" else set())
            stray = set(rule.categories) - required
            if stray:
                raise ValueError(
                    f"{where}: {', '.join(sorted(stray))} not a region of the grid's table"
                )
        else:
            required = REQUIRED_KEYS[code]
        missing = required - set(rule.categories)
        if missing:
            raise ValueError(f"{where}: no band for {', '.join(sorted(missing))}")
        best = max(band.points for band in rule.categories.values())
        points = [band.points for band in rule.categories.values()]
    else:
        if rule.thresholds is None or rule.categories is not None:
            raise ValueError(f"{where}: must give thresholds (and no categories)")
        points = _ladder(where, rule.thresholds)
        if rule.fallback is not None:
            points += _ladder(f"{where} (fallback)", rule.fallback)
        best = max(points)
    if min(points) < 0:
        raise ValueError(f"{where}: points must not be negative")
    if best != rule.max:
        raise ValueError(f"{where}: max is {rule.max} but the best band gives {best}")


@dataclass(frozen=True)
class _Grids:
    versions: tuple[Grid, ...]
    starts: tuple[date, ...]


def load_grids(documents: Sequence[Any]) -> _Grids:
    """Validate a set of grid documents; each must score every stream open while it is in force."""
    grids = sorted((load_grid(d) for d in documents), key=lambda g: g.effective_from)
    if not grids:
        raise ValueError("no points grid is given")
    starts = [g.effective_from for g in grids]
    if len(set(starts)) != len(starts):
        raise ValueError("two grid versions share an effective date")
    for index, grid in enumerate(grids):
        end = starts[index + 1] if index + 1 < len(starts) else None
        missing = [
            s.code
            for s in stream_registry()
            if s.overlaps(grid.effective_from, end) and s.code not in grid.streams
        ]
        if missing:
            raise ValueError(
                f"grid {grid.label}: streams must include every stream open while it is in "
                f"force; missing {', '.join(missing)}"
            )
    return _Grids(tuple(grids), tuple(starts))


def _load_shipped() -> _Grids:
    folder = resources.files(__package__).joinpath("data").joinpath("grids")
    documents: list[Any] = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        document = json.loads(entry.read_text(encoding="utf-8"))
        if entry.name != f"{document.get('effective_from')}.json":
            raise ValueError(
                f"grid file {entry.name} must be named {document.get('effective_from')}.json"
            )
        documents.append(document)
    if not documents:
        raise ValueError("no points grid is shipped")
    return load_grids(documents)


_shipped_grids = functools.cache(_load_shipped)
_override: list[_Grids] = []


_baseline: list[_Grids] = []


def _shipped() -> _Grids:
    if _override:
        return _override[-1]
    return _baseline[-1] if _baseline else _shipped_grids()


def install_baseline(documents: Sequence[Any] | None) -> None:
    """Use these grid documents as the baseline instead of the shipped files (None: the
    shipped files again); validated first, nothing changes on ValueError.

    Called by :func:`nominee.scoring.policy.install_baseline`, which installs the registry
    they are validated against.
    """
    if documents is None:
        _baseline.clear()
    else:
        _baseline[:] = [load_grids(documents)]
    _grid_on.cache_clear()


def push_documents(documents: Sequence[Any]) -> Callable[[], None]:
    """Use these grid documents instead of the shipped ones; returns the undo.

    Called by :func:`nominee.scoring.policy.policy_document`, after it has swapped the
    registry the documents are validated against.
    """
    _override.append(load_grids(documents))
    _grid_on.cache_clear()

    def restore() -> None:
        _override.pop()
        _grid_on.cache_clear()

    return restore


def grid_versions() -> tuple[Grid, ...]:
    """Every shipped grid version, oldest first."""
    return _shipped().versions


@functools.lru_cache(maxsize=4096)
def _grid_on(d: date) -> Grid:
    shipped = _shipped()
    index = bisect.bisect_right(shipped.starts, d) - 1
    if index < 0:
        raise NotInForce(
            f"no points grid is in force on {d.isoformat()}; "
            f"the first applies from {shipped.starts[0].isoformat()}"
        )
    return shipped.versions[index]


def grid_for(d: date | datetime) -> Grid:
    """The grid version in force on a program date (an instant is turned into its program date).

    Raises NotInForce for a date before the first grid (2022-11-22).
    """
    if isinstance(d, datetime):
        d = program_date(d)
    return _grid_on(d)


def first_grid_date() -> date:
    """The effective date of the oldest grid: nothing earlier can be scored."""
    return _shipped().starts[0]
