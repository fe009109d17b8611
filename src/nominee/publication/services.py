"""Writes of the publication app: importing published draws, pool snapshots, the version.

Nothing here changes another app's rows. ``import_published_draws`` is one durable
transaction with an audit event; ``snapshot_draw`` runs after a draw's execution has
committed (the ``draw_executed`` signal) and records the pool as it stood for that draw.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed
from nominee.draws.criteria import DrawCriteria
from nominee.draws.models import Draw, Invitation
from nominee.draws.selection import histogram
from nominee.reference.models import Noc

from .cache import forget_local
from .importer import LineError, ParsedDraw, parse_draws_csv
from .models import PoolSnapshot, PublicationState, PublishedDraw

log = logging.getLogger(__name__)

_FIGURES = (
    "draw_date",
    "stream_text",
    "streams",
    "stream",
    "draw_type",
    "invitations",
    "min_score",
    "registered_from",
    "registered_to",
    "targeting_notes",
    "noc_codes",
    "source_urls",
)


def bump_version() -> int:
    """Increase the publication version (cached pages and feeds are rebuilt); returns it.

    Runs in the caller's transaction when there is one.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = PublicationState.objects.filter(pk=1).update(
            version=F("version") + 1, changed_at=now
        )
        if not updated:
            PublicationState.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})
        version = PublicationState.objects.values_list("version", flat=True).get(pk=1)

    transaction.on_commit(forget_local)
    forget_local()
    return int(version)


@dataclass(frozen=True)
class ImportResult:
    """Counts of an import: new draws, draws whose figures were corrected, unchanged ones,
    and (``replace``) stored draws removed because the file no longer has them."""

    created: int
    updated: int
    unchanged: int
    removed: int = 0

    @property
    def total(self) -> int:
        """Rows read."""
        return self.created + self.updated + self.unchanged


def import_errors(errors: list[LineError]) -> ValidationFailed:
    """The refusal of a file: one message per line, keyed ``line N``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(f"line {error.line}", []).append(f"{error.column}: {error.message}")
    return ValidationFailed(
        f"the file was not imported: {len(errors)} error(s); nothing was written",
        code="publication.import_invalid",
        fields=fields,
    )


def _values(row: ParsedDraw, known_nocs: set[str]) -> dict[str, Any]:
    return {
        "draw_date": row.draw_date,
        "stream_text": row.stream_text,
        "streams": list(row.streams),
        "stream": row.stream,
        "draw_type": row.draw_type,
        "invitations": row.invitations,
        "min_score": row.min_score,
        "registered_from": row.registered_from,
        "registered_to": row.registered_to,
        "targeting_notes": row.targeting_notes,
        "noc_codes": [code for code in row.noc_candidates if code in known_nocs],
        "source_urls": list(row.source_urls),
    }


@transaction.atomic(durable=True)
def import_published_draws(
    *, text: str, source_file: str, actor: Any = None, replace: bool = False
) -> ImportResult:
    """Import a CSV of draws published elsewhere: every line or none.

    Raises ValidationFailed (``publication.import_invalid``, a message per line) before
    writing anything when any line is invalid. A draw already imported is not duplicated
    (``match_stored``): unchanged figures leave it alone, corrected figures (and notes)
    update it, keeping its slug. With ``replace`` the file is the whole published record:
    imported draws it does not contain (an aggregate the new file splits into its draws)
    are removed. Bumps the publication version when anything changed and records one
    audit event with the counts.
    """
    return _import_rows(text=text, source_file=source_file, actor=actor, replace=replace)


def _correction_key(
    draw_date: Any, streams: Any, draw_type: Any, invitations: Any
) -> tuple[Any, ...]:
    return (draw_date, tuple(streams), draw_type or None, invitations)


def match_stored(rows: list[ParsedDraw], stored: list[PublishedDraw]) -> dict[str, PublishedDraw]:
    """The stored draw each file row is (natural key -> stored row), without writing.

    First by natural key (date, stream text, type, notes: the same row). Then a row whose
    notes or figures were corrected is recognised by its date, streams, type and number
    of invitations, but only when exactly one unmatched stored draw and exactly one
    unmatched file row share them (2026-04-23 has three International Student draws of
    173: those are told apart by their notes alone, or not matched at all).
    """
    by_key = {draw.natural_key: draw for draw in stored}
    matched: dict[str, PublishedDraw] = {}
    for row in rows:
        if row.natural_key in by_key:
            matched[row.natural_key] = by_key[row.natural_key]
    taken = {draw.pk for draw in matched.values()}
    files: dict[tuple[Any, ...], list[ParsedDraw]] = {}
    for row in rows:
        if row.natural_key not in matched:
            key = _correction_key(row.draw_date, row.streams, row.draw_type, row.invitations)
            files.setdefault(key, []).append(row)
    stores: dict[tuple[Any, ...], list[PublishedDraw]] = {}
    for draw in stored:
        if draw.pk not in taken:
            key = _correction_key(draw.draw_date, draw.streams, draw.draw_type, draw.invitations)
            stores.setdefault(key, []).append(draw)
    for key, candidates in files.items():
        olds = stores.get(key, [])
        if len(candidates) == 1 and len(olds) == 1:
            matched[candidates[0].natural_key] = olds[0]
    return matched


def _import_rows(*, text: str, source_file: str, actor: Any, replace: bool = False) -> ImportResult:
    """The body of ``import_published_draws`` in the caller's transaction (the demo's)."""
    rows, errors = parse_draws_csv(text)
    if errors:
        raise import_errors(errors)
    wanted = {code for row in rows for code in row.noc_candidates}
    known_nocs = set(Noc.objects.filter(code__in=wanted).values_list("code", flat=True))
    days = {row.draw_date for row in rows}
    # Every stored draw of the file's days (a corrected row is matched among them), or the
    # whole imported record when the file replaces it.
    stored_rows = PublishedDraw.objects.select_for_update().order_by("pk")
    if not replace:
        stored_rows = stored_rows.filter(draw_date__in=days)
    stored = list(stored_rows)
    existing = match_stored(rows, stored)
    now = timezone.now()
    created: list[PublishedDraw] = []
    updated = unchanged = 0
    for row in rows:
        values = _values(row, known_nocs)
        current = existing.get(row.natural_key)
        if current is None:
            created.append(
                PublishedDraw(
                    natural_key=row.natural_key,
                    slug=row.slug,
                    source_file=source_file,
                    line=row.line,
                    imported_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        if current.natural_key == row.natural_key and all(
            getattr(current, name) == values[name] for name in _FIGURES
        ):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(current, name, value)
        current.natural_key = row.natural_key
        current.source_file = source_file
        current.line = row.line
        current.updated_at = now
        current.save()
        updated += 1
    removed = 0
    if replace:
        kept = {draw.pk for draw in existing.values()}
        gone = [draw.pk for draw in stored if draw.pk not in kept]
        removed = len(gone)
        if gone:
            PublishedDraw.objects.filter(pk__in=gone).delete()
    PublishedDraw.objects.bulk_create(created)
    result = ImportResult(
        created=len(created), updated=updated, unchanged=unchanged, removed=removed
    )
    if result.created or result.updated or result.removed:
        bump_version()
    record(
        actor=actor,
        action="publication.draws_imported",
        subject_type="publication.publisheddraw",
        subject_id=f"import:{source_file}",
        after={"created": result.created, "updated": result.updated, "removed": result.removed},
        data={
            "file": source_file,
            "unchanged": result.unchanged,
            "lines": len(rows),
            "replace": replace,
        },
    )
    return result


def pool_before_draw(draw: Draw) -> Counter[int]:
    """Score -> count of the stream's pool as it stood when ``draw`` ran.

    The EOIs the draw's rules consider on its date (``draws.selection.histogram`` with
    no targeting: active, live on the date, not legacy), plus the EOIs the draw itself
    invited (they were in the pool until the draw took them).
    """
    counts: Counter[int] = Counter(
        dict(histogram(DrawCriteria(stream=draw.stream, draw_date=draw.draw_date)))
    )
    invited = Invitation.objects.filter(draw=draw).values_list("score").annotate(n=Count("id"))
    for score, n in invited:
        counts[int(score)] += int(n)
    return counts


def snapshot_draw(*, draw: Draw) -> PoolSnapshot | None:
    """Record the pool distribution of an executed draw's stream and bump the version.

    Called after the execution committed; idempotent (a draw keeps its first snapshot).
    Not durable: it joins a caller's transaction (the demo replays draws inside one).
    Returns None for a draw that is not executed.
    """
    if draw.status != Draw.Status.EXECUTED:
        return None
    with transaction.atomic():
        snapshot = PoolSnapshot.objects.filter(draw=draw).first()
        if snapshot is None:
            counts = pool_before_draw(draw)
            snapshot = PoolSnapshot.objects.create(
                draw=draw,
                stream=draw.stream,
                as_of=draw.draw_date,
                scores=[[score, counts[score]] for score in sorted(counts, reverse=True)],
                total=sum(counts.values()),
                taken_at=timezone.now(),
            )
        bump_version()
    return snapshot


def on_draw_executed(sender: Any, draw: Draw, **kwargs: Any) -> None:
    """Receiver of ``draws.signals.draw_executed``: snapshot the pool, refresh the record.

    The draw has committed already: a failure here must not turn the officer's answer
    into an error, so it is logged (the record still shows the draw; the fingerprint of
    executed draws in ``cache.version`` refreshes every page without the bump).
    """
    try:
        snapshot_draw(draw=draw)
    except Exception:
        log.exception("publication: could not snapshot the pool of draw %s", draw.pk)
