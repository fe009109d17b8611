"""Reads of the program's policy tables shared by draws, publication and casework, and of
the policy versions (the list with each one's state, the preview of a new one)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from nominee.core.errors import NotFound
from nominee.core.timeutil import today
from nominee.scoring import policy as engine_policy
from nominee.scoring.grids import FACTORS, Grid, grid_versions, load_grids

from . import policy_source, streams
from .models import Allocation, PolicyKind, PolicyVersion, ProgramChange
from .services import proposed_documents


def allocation(year: int) -> Allocation | None:
    """The year's nomination allocation, or None when the year has none."""
    return Allocation.objects.filter(year=year).first()


# ---- policy versions ------------------------------------------------------------------


class VersionState(StrEnum):
    """Where a version stands on a date: in force, scheduled, or superseded by a later one
    already in force."""

    IN_FORCE = "in force"
    SCHEDULED = "scheduled"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class VersionRow:
    """A version and its state on the day it is read."""

    version: PolicyVersion
    state: VersionState


def policy_versions(*, kind: str | None = None, on: date | None = None) -> list[VersionRow]:
    """Every version (or those of one kind), by kind then newest first, with its state on
    ``on`` (default today). The registry's newest version is the one the engine reads
    (docs/policy.md), so a registry is never "scheduled" to the engine; its state still
    says whether its date has come."""
    on = on or today()
    rows = PolicyVersion.objects.select_related("author").order_by("kind", "-effective_from")
    if kind is not None:
        rows = rows.filter(kind=kind)
    found: list[VersionRow] = []
    current: dict[str, date] = {}
    for version in rows:
        in_force = current.get(version.kind)
        if version.effective_from > on:
            state = VersionState.SCHEDULED
        elif in_force is None:
            state = VersionState.IN_FORCE
            current[version.kind] = version.effective_from
        else:
            state = VersionState.SUPERSEDED
        found.append(VersionRow(version, state))
    order = {k: i for i, k in enumerate(PolicyKind.values)}
    found.sort(key=lambda r: (order[r.version.kind], -r.version.effective_from.toordinal()))
    return found


def policy_version(kind: str, effective_from: date) -> PolicyVersion:
    """One version; NotFound when there is none of that kind and date."""
    version = PolicyVersion.objects.filter(kind=kind, effective_from=effective_from).first()
    if version is None:
        raise NotFound(
            f"no {kind} version applies from {effective_from.isoformat()}",
            fields={"effective_from": ["no version of this kind has this date"]},
        )
    return version


@dataclass(frozen=True)
class RuleChange:
    """One rule the proposed version changes: ``stream`` ("" for the whole program), the
    parameter or ``factor``/``band`` it touches, and the old and new values (None: absent)."""

    stream: str
    parameter: str
    old: Any
    new: Any

    @property
    def stream_name(self) -> str:
        """The stream's public name ("" for the whole program)."""
        return engine_policy.stream_name(self.stream) if self.stream else ""


@dataclass(frozen=True)
class StreamImpact:
    """How many of a stream's live EOIs would change score, and which way."""

    stream: str
    live: int
    changed: int
    up: int
    down: int

    @property
    def stream_name(self) -> str:
        """The stream's public name."""
        return engine_policy.stream_name(self.stream)


@dataclass(frozen=True)
class Preview:
    """What publishing a version would change: the rules, and the live EOIs' scores."""

    kind: str
    effective_from: date
    changes: list[RuleChange]
    streams: list[str]
    impact: list[StreamImpact] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Live EOIs whose score would change."""
        return sum(i.changed for i in self.impact)

    @property
    def up(self) -> int:
        """Live EOIs whose score would rise."""
        return sum(i.up for i in self.impact)

    @property
    def down(self) -> int:
        """Live EOIs whose score would fall."""
        return sum(i.down for i in self.impact)

    @property
    def live(self) -> int:
        """Live EOIs of the affected streams on the effective date."""
        return sum(i.live for i in self.impact)

    def as_dict(self) -> dict[str, Any]:
        """The preview as JSON-able data (the API's and the command's)."""
        return {
            "kind": self.kind,
            "effective_from": self.effective_from.isoformat(),
            "changes": [
                {"stream": c.stream, "parameter": c.parameter, "old": c.old, "new": c.new}
                for c in self.changes
            ],
            "streams": self.streams,
            "eois": {
                "live": self.live,
                "changed": self.changed,
                "up": self.up,
                "down": self.down,
                "by_stream": [
                    {
                        "stream": i.stream,
                        "live": i.live,
                        "changed": i.changed,
                        "up": i.up,
                        "down": i.down,
                    }
                    for i in self.impact
                ],
            },
        }


def preview_policy_version(*, kind: str, document: Any, effective_from: date) -> Preview:
    """What publishing ``document`` as the ``kind`` version from ``effective_from`` would
    change, against the versions in force on that date. A pure read: nothing is written.

    Rules: for a policy version, per stream and parameter, old -> new; for a grid, per
    stream and factor the bands whose points change, and each stream's maximum; for the
    registry, per stream and field. EOIs: each counter registered with ``policy_source``
    (the pool's) re-scores the EOIs live on the date in the affected streams with the
    proposed documents and compares with their stored scores. Raises ValidationFailed as
    the publication would for a document the engine refuses.
    """
    policy_source.ensure_fresh()
    documents = proposed_documents(kind, document, effective_from)
    old = _snapshot(
        effective_from,
        engine_policy.policy_versions(),
        grid_versions(),
        engine_policy.stream_registry(),
    )
    # The proposed documents are loaded aside, never installed: other threads score meanwhile.
    new_grids = load_grids(documents.grids).versions if kind != PolicyKind.REGISTRY else None
    new = _snapshot(
        effective_from,
        engine_policy.load_policies(documents.policy),
        new_grids if new_grids is not None else grid_versions(),
        engine_policy.load_registry(documents.policy),
    )
    changes = _changes(kind, old, new)
    touched = sorted({c.stream for c in changes if c.stream})
    if any(not c.stream for c in changes):
        touched = sorted(set(touched) | set(new.open_streams))
    affected = [s for s in new.open_streams if s in touched]
    impact: dict[str, dict[str, int]] = {}
    if new.grid_version is not None:
        for counter in policy_source.impact_counters():
            for stream, counts in counter(effective_from, affected, new.grid_version).items():
                into = impact.setdefault(stream, {"live": 0, "changed": 0, "up": 0, "down": 0})
                for name in into:
                    into[name] += int(counts.get(name, 0))
    return Preview(
        kind=kind,
        effective_from=effective_from,
        changes=changes,
        streams=affected,
        impact=[StreamImpact(stream=s, **impact[s]) for s in affected if s in impact],
    )


@dataclass(frozen=True)
class _Snapshot:
    policy: dict[str, Any] | None
    grid: dict[str, dict[str, Any]]
    grid_version: Grid | None
    registry: dict[str, dict[str, Any]]
    open_streams: tuple[str, ...]


def _in_force(versions: Sequence[Any], on: date) -> Any:
    """The last of versions (oldest first) whose ``effective_from`` is on or before ``on``."""
    found = None
    for version in versions:
        if version.effective_from <= on:
            found = version
    return found


def _snapshot(
    on: date, policies: Sequence[Any], grids: Sequence[Grid], registry: Sequence[Any]
) -> _Snapshot:
    policy = _in_force(policies, on)
    grid: Grid | None = _in_force(grids, on)
    columns = {
        code: {"max": column.max, **{f: _bands(rule) for f, rule in column.factors}}
        for code, column in (grid.streams.items() if grid is not None else ())
    }
    return _Snapshot(
        policy=dataclasses.asdict(policy) if policy is not None else None,
        grid=columns,
        grid_version=grid,
        registry={s.code: dataclasses.asdict(s) for s in registry},
        open_streams=tuple(s.code for s in registry if s.open_on(on)),
    )


def _bands(rule: Any) -> dict[str, int]:
    if rule.categories is not None:
        return {key: band.points for key, band in rule.categories.items()}
    return {f"at least {t.min:g}": t.points for t in rule.thresholds or ()}


def _changes(kind: str, old: _Snapshot, new: _Snapshot) -> list[RuleChange]:
    changes: list[RuleChange] = []
    if kind == PolicyKind.POLICY:
        before, after = old.policy or {}, new.policy or {}
        for key in sorted(set(before) | set(after)):
            if key in ("streams", "effective_from", "note"):
                continue
            if before.get(key) != after.get(key):
                changes.append(RuleChange("", key, _plain(before.get(key)), _plain(after.get(key))))
        old_streams, new_streams = before.get("streams", {}), after.get("streams", {})
        for stream in _ordered(old_streams, new_streams):
            a, b = old_streams.get(stream) or {}, new_streams.get(stream) or {}
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    changes.append(RuleChange(stream, key, _plain(a.get(key)), _plain(b.get(key))))
    elif kind == PolicyKind.GRID:
        for stream in _ordered(old.grid, new.grid):
            a, b = old.grid.get(stream) or {}, new.grid.get(stream) or {}
            for factor in [f for f in FACTORS if f in a or f in b]:
                bands_a, bands_b = a.get(factor) or {}, b.get(factor) or {}
                if factor not in a or factor not in b:
                    changes.append(
                        RuleChange(
                            stream,
                            factor,
                            "scored" if factor in a else None,
                            "scored" if factor in b else None,
                        )
                    )
                for band in [*bands_a, *[k for k in bands_b if k not in bands_a]]:
                    if bands_a.get(band) != bands_b.get(band):
                        changes.append(
                            RuleChange(
                                stream, f"{factor}: {band}", bands_a.get(band), bands_b.get(band)
                            )
                        )
            if a.get("max") != b.get("max"):
                changes.append(RuleChange(stream, "maximum", a.get("max"), b.get("max")))
    else:
        for stream in _ordered(old.registry, new.registry):
            a, b = old.registry.get(stream) or {}, new.registry.get(stream) or {}
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    changes.append(RuleChange(stream, key, _plain(a.get(key)), _plain(b.get(key))))
    return changes


def _ordered(*maps: Any) -> list[str]:
    seen: list[str] = []
    for mapping in maps:
        seen.extend(k for k in mapping if k not in seen)
    return seen


def _plain(value: Any) -> Any:
    """A value as JSON shows it (dates as text, sets as sorted lists)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


STREAM_OPENED = "stream_opened"
STREAM_CLOSED = "stream_closed"
EOIS_WITHDRAWN = ProgramChange.Kind.EOIS_WITHDRAWN.value
ALLOCATION_SET = "allocation_set"


@dataclass(frozen=True)
class Change:
    """One entry of the program's history of changes, from whichever source holds it.

    ``on`` is the program date the change takes effect (None for an allocation, whose
    announcement date is not recorded: ``year`` places it); ``stream`` the stream code
    it concerns (None for an allocation); ``count`` the EOIs withdrawn or the
    nominations allocated; ``source`` the allocation's published source. ``key`` is a
    stable identity (feeds) and ``recorded_at`` when Nominee learnt of it, if known.
    """

    key: str
    kind: str
    on: date | None
    year: int
    stream: str | None = None
    count: int | None = None
    source: str = ""
    recorded_at: datetime | None = None

    @property
    def sort_on(self) -> date:
        """The date it sorts by (an allocation at the start of its year)."""
        return self.on or date(self.year, 1, 1)


def history() -> list[Change]:
    """The program's changes, newest first: streams opened and closed (the stream
    registry's ``effective_from`` and ``until``), the recorded acts (``ProgramChange``)
    and each year's allocation that has a source.

    Changes still to come (a stream that opens later) are included; callers compare
    ``on`` with today's program date.
    """
    out: list[Change] = []
    for code in streams.codes():
        info = streams.info(code)
        out.append(
            Change(
                key=f"opened:{code}:{info.effective_from.isoformat()}",
                kind=STREAM_OPENED,
                on=info.effective_from,
                year=info.effective_from.year,
                stream=code,
            )
        )
        if info.until is not None:
            out.append(
                Change(
                    key=f"closed:{code}:{info.until.isoformat()}",
                    kind=STREAM_CLOSED,
                    on=info.until,
                    year=info.until.year,
                    stream=code,
                )
            )
    for change in ProgramChange.objects.order_by("id"):
        out.append(
            Change(
                key=f"change:{change.pk}",
                kind=change.kind,
                on=change.effective_on,
                year=change.effective_on.year,
                stream=change.stream,
                count=change.count,
                recorded_at=change.recorded_at,
            )
        )
    for row in Allocation.objects.exclude(source="").order_by("year"):
        out.append(
            Change(
                key=f"allocation:{row.year}",
                kind=ALLOCATION_SET,
                on=None,
                year=row.year,
                count=row.nominations,
                source=row.source,
                recorded_at=row.updated_at,
            )
        )
    # Newest first; on one day a closing before the withdrawal before an opening.
    order = {STREAM_CLOSED: 0, EOIS_WITHDRAWN: 1, STREAM_OPENED: 2, ALLOCATION_SET: 3}
    out.sort(key=lambda c: (c.sort_on, -order.get(c.kind, 9), c.key), reverse=True)
    return out


def registry_fingerprint() -> str:
    """A short digest of the stream registry's dates: cached pages of the history of
    changes are keyed on it, so that a changed registry (a stream closed) shows at once."""
    parts = []
    for code in streams.codes():
        info = streams.info(code)
        parts.append(f"{code}:{info.effective_from}:{info.until}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
