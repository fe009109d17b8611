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
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from .policy import NotInForce, program_date, stream_registry

#: Every factor code, in the order of INTERFACES §2 (a score lists its factors in this order).
FACTORS: tuple[str, ...] = (
    "job_offer_teer",
    "job_offer_category",
    "job_offer_wage",
    "permit",
    "job_tenure",
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
            "masters",
            "bachelors",
            "graduate-certificate",
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
    "job_location": frozenset({"toronto", "greater-toronto", "northern", "other"}),
    "study_location": frozenset({"toronto", "greater-toronto", "northern", "other", "none"}),
}

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
    """How one factor scores: by category or by thresholds; ``max`` is its ceiling."""

    max: int
    categories: Mapping[str, Band] | None = None
    thresholds: tuple[Threshold, ...] | None = None

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
class _StreamDocument:
    factors: tuple[str, ...]
    overrides: Mapping[str, FactorRule] | None = None
    note: str = ""


@pydantic_dataclass(frozen=True, config=_STRICT)
class _GridDocument:
    effective_from: date
    name: str
    factors: Mapping[str, FactorRule]
    streams: Mapping[str, _StreamDocument]
    source: str = ""


@dataclass(frozen=True)
class StreamGrid:
    """One stream's column of a grid: its factors in INTERFACES order, and its maximum."""

    stream: str
    factors: tuple[tuple[str, FactorRule], ...]
    max: int

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

    @property
    def label(self) -> str:
        """The version's name in a score document: its effective date, ``YYYY-MM-DD``."""
        return self.effective_from.isoformat()

    def stream(self, code: str) -> StreamGrid:
        """One stream's column (KeyError for an unknown stream)."""
        return self.streams[code]

    def max_for(self, stream: str) -> int:
        """The highest total a profile of the stream can reach on this grid."""
        return self.streams[stream].max


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
    streams: dict[str, StreamGrid] = {}
    for stream in [code for code in known if code in doc.streams]:
        spec = doc.streams[stream]
        unknown = [f for f in spec.factors if f not in FACTORS]
        if unknown:
            raise ValueError(f"{where}, {stream}: unknown factor(s) {', '.join(unknown)}")
        order = [FACTORS.index(f) for f in spec.factors]
        if order != sorted(set(order)):
            raise ValueError(f"{where}, {stream}: factors must be listed once, in INTERFACES order")
        overrides = spec.overrides or {}
        stray = set(overrides) - set(spec.factors)
        if stray:
            raise ValueError(f"{where}, {stream}: override of unscored factor(s) {sorted(stray)}")
        rules: list[tuple[str, FactorRule]] = []
        for code in spec.factors:
            rule = overrides.get(code) or doc.factors.get(code)
            if rule is None:
                raise ValueError(f"{where}: factor {code} has no rule")
            _check_rule(f"{where}, {stream}, {code}", code, rule)
            rules.append((code, rule))
        streams[stream] = StreamGrid(
            stream=stream, factors=tuple(rules), max=sum(rule.max for _, rule in rules)
        )
    return Grid(effective_from=doc.effective_from, name=doc.name, streams=streams)


def _check_rule(where: str, code: str, rule: FactorRule) -> None:
    if code in CATEGORY_FACTORS:
        if rule.categories is None or rule.thresholds is not None:
            raise ValueError(f"{where}: must give categories (and no thresholds)")
        missing = REQUIRED_KEYS[code] - set(rule.categories)
        if missing:
            raise ValueError(f"{where}: no band for {', '.join(sorted(missing))}")
        best = max(band.points for band in rule.categories.values())
        points = [band.points for band in rule.categories.values()]
    else:
        if rule.thresholds is None or rule.categories is not None:
            raise ValueError(f"{where}: must give thresholds (and no categories)")
        mins = [t.min for t in rule.thresholds]
        if not mins or mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"{where}: thresholds must strictly descend")
        if mins[-1] != 0:
            raise ValueError(f"{where}: the last threshold must be 0 so that every value scores")
        points = [t.points for t in rule.thresholds]
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
