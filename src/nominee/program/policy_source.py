"""The engine's policy comes from the database: the published versions (``PolicyVersion``)
are assembled into the documents the engine loads, validated by the engine's own loaders
and installed as its baseline (``scoring.policy.install_baseline``).

A process keeps what it installed with the key of the table it read (the number of rows and
the highest id). :func:`ensure_fresh` compares that key with the table's, one query, and
reloads when they differ: the middleware runs it per request, ``NomineeCommand`` at the
start of each command (a hook registered in ``ProgramConfig.ready``), and the publication
service once it commits. A test's rolled-back version changes the key back, so the next
check reinstalls what the database holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import Count, Max

from nominee.scoring import policy as engine_policy
from nominee.scoring.grids import Grid, load_grids

from .models import PolicyKind, PolicyVersion

log = logging.getLogger(__name__)

#: The key of the table when its versions were installed (None: nothing installed, the
#: engine answers from the shipped files).
_installed: tuple[int, int | None] | None = None


@dataclass(frozen=True)
class Documents:
    """A complete set of policy documents in the engine's shapes: the policy document
    (registry and versions, the shape of ``policy.json``) and the grid documents."""

    policy: dict[str, Any]
    grids: list[dict[str, Any]]


def assemble(rows: Iterable[tuple[str, date, Any]]) -> Documents | None:
    """The engine's documents from ``(kind, effective_from, document)`` rows: the newest
    registry (each stream entry carries its own dates), every policy version, every grid.
    None when a kind has no row (the engine then keeps the shipped files)."""
    registry: tuple[date, Any] | None = None
    versions: list[tuple[date, Any]] = []
    grids: list[tuple[date, Any]] = []
    for kind, effective_from, document in rows:
        if kind == PolicyKind.REGISTRY:
            if registry is None or effective_from > registry[0]:
                registry = (effective_from, document)
        elif kind == PolicyKind.POLICY:
            versions.append((effective_from, document))
        elif kind == PolicyKind.GRID:
            grids.append((effective_from, document))
    if registry is None or not versions or not grids:
        return None
    return Documents(
        policy={
            **_mapping(registry[1]),
            "versions": [v for _d, v in sorted(versions, key=lambda pair: pair[0])],
        },
        grids=[g for _d, g in sorted(grids, key=lambda pair: pair[0])],
    )


def _mapping(document: Any) -> dict[str, Any]:
    return dict(document) if isinstance(document, Mapping) else {"streams": document}


def database_documents() -> Documents | None:
    """The documents of every version in the database (None: a kind has none)."""
    return assemble(PolicyVersion.objects.values_list("kind", "effective_from", "document"))


def validate(documents: Documents, *, registry_changes: bool = True) -> None:
    """Run the engine's loaders over a set of documents; ValueError says what is wrong.

    The grids are validated against the set's own registry. When the registry is the one
    in use (``registry_changes`` False) the loaders run as they are, touching nothing;
    otherwise inside ``policy_document``, which swaps the registry for the engine while
    the grids are checked and restores it on the way out (a registry publication only).
    """
    if not registry_changes:
        engine_policy.load_policies(documents.policy)
        load_grids(documents.grids)
        return
    with engine_policy.policy_document(documents.policy, documents.grids):
        pass


def _key() -> tuple[int, int | None]:
    found = PolicyVersion.objects.aggregate(n=Count("id"), last=Max("id"))
    return (found["n"], found["last"])


def ensure_fresh() -> bool:
    """Install the database's versions when the table changed since the last install (one
    query when it did not). Returns True when it reinstalled.

    A table that is missing (a database not migrated yet) leaves the shipped files in use;
    a set that does not validate (it cannot be published, but a hand-edited database
    could hold one) is logged and the shipped files are used.
    """
    global _installed
    try:
        key = _key()
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        return False
    if key == _installed:
        return False
    documents = database_documents() if key[0] else None
    try:
        if documents is None:
            engine_policy.install_baseline(None)
        else:
            engine_policy.install_baseline(documents.policy, documents.grids)
    except ValueError:
        log.exception("the database's policy versions do not validate; using the shipped files")
        engine_policy.install_baseline(None)
    _installed = key
    return True


def reset() -> None:
    """Forget what was installed and answer from the shipped files until the next check
    (the tests' autouse fixture calls it)."""
    global _installed
    engine_policy.install_baseline(None)
    _installed = None


# ---- how a proposed version changes live EOIs ----------------------------------------

#: ``(on, streams, grid) -> {stream: {"live", "changed", "up", "down"}}``: functions
#: registered by the apps that hold scored files (eois registers the pool's), given the
#: proposed grid in force on ``on`` to re-score with (``scoring.compile_scorer``): the
#: engine's documents in use are never swapped for a preview, since other threads score
#: meanwhile. Registered so that this layer never imports the apps above it.
ImpactCounter = Callable[[date, Sequence[str], Grid], Mapping[str, Mapping[str, int]]]
_impact_counters: list[ImpactCounter] = []


def register_impact_counter(counter: ImpactCounter) -> None:
    """Add a counter of the files a proposed version would re-score (once per function)."""
    if counter not in _impact_counters:
        _impact_counters.append(counter)


def impact_counters() -> tuple[ImpactCounter, ...]:
    """The registered counters."""
    return tuple(_impact_counters)


def policy_version_on(on: date | datetime) -> date | None:
    """The effective date of the policy version in force on a program date (or an
    instant's), which a file records as the rules it was judged by; None before the first."""
    try:
        return engine_policy.policy_at(on).effective_from
    except engine_policy.NotInForce:
        return None
