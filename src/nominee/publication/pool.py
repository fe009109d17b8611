"""Pool distributions: live EOIs by score band, counts under five shown as "<5"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from nominee.core import timeutil
from nominee.draws.policy import legacy_before
from nominee.eois.models import EOI

from .models import PoolSnapshot
from .record import (
    BAND_WIDTH,
    STREAM_CODES,
    SUPPRESS_BELOW,
    Entry,
    stream_name,
    suppressed,
)


@dataclass(frozen=True)
class Band:
    """A band of scores and its count, as published."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        """The band as written: low, an en dash, high."""
        return f"{self.low}\N{EN DASH}{self.high}"

    @property
    def shown(self) -> str:
        """The count with "<5" suppression."""
        return suppressed(self.count)

    def to_document(self) -> dict[str, Any]:
        """JSON-able: the count is a string when suppressed."""
        return {"low": self.low, "high": self.high, "count": self.shown}


@dataclass(frozen=True)
class Distribution:
    """A stream's pool by score band, highest first, and its total."""

    stream: str
    as_of: date
    bands: tuple[Band, ...]
    total: int

    @property
    def stream_label(self) -> str:
        """The stream's name."""
        return stream_name(self.stream)

    @property
    def total_shown(self) -> str:
        """The total with "<5" suppression."""
        return suppressed(self.total)

    @property
    def largest(self) -> int:
        """The largest published band count (bars are scaled to it; suppressed bands
        are drawn at the threshold so their size gives nothing away)."""
        return max((max(b.count, SUPPRESS_BELOW) for b in self.bands), default=0)


def bands(scores: Iterable[tuple[int, int]]) -> list[Band]:
    """Counts per score banded by ``BAND_WIDTH``, from the highest band with anyone in it
    down to the lowest (empty bands in between are kept, shown "<5")."""
    per_band: Counter[int] = Counter()
    for score, count in scores:
        if count:
            per_band[(int(score) // BAND_WIDTH) * BAND_WIDTH] += int(count)
    if not per_band:
        return []
    top, bottom = max(per_band), min(per_band)
    return [
        Band(low=low, high=low + BAND_WIDTH - 1, count=per_band[low])
        for low in range(top, bottom - 1, -BAND_WIDTH)
    ]


def pool_scores(day: date) -> dict[str, list[tuple[int, int]]]:
    """(score, count) of each stream's pool on a program date, highest score first.

    Who counts is who a draw on ``day`` would consider (``draws.selection.eligible_pool``
    without targeting): active, registered on or before the day, expiring after it, and
    in the employer streams registered on or after the policy's legacy date. The legacy
    flag itself is implied by that date (it is set from it on registration), which lets
    ONE query run over the covering ``eoi_draw_order`` index (stream, status, score,
    registered_at, ..., expires_at) without touching the table: well under a second on a
    pool of 1,000,000 EOIs (bench/bench_publication.py).
    """
    from django.db import connection

    table = connection.ops.quote_name(EOI._meta.db_table)
    hint = " INDEXED BY eoi_draw_order" if connection.vendor == "sqlite" else ""
    end = timeutil.end_of(day)
    floors = []
    params: list[Any] = []
    for stream in STREAM_CODES:
        legacy = legacy_before(stream, day)
        floors.append("(stream = %s AND registered_at >= %s)")
        params += [stream, timeutil.start_of(legacy) if legacy else datetime(1, 1, 2, tzinfo=UTC)]
    sql = (
        f"SELECT stream, score, COUNT(*) FROM {table}{hint}"  # noqa: S608 - constant names
        f" WHERE stream IN ({', '.join(['%s'] * len(STREAM_CODES))}) AND status = %s"
        " AND registered_at < %s AND expires_at >= %s"
        f" AND ({' OR '.join(floors)})"
        " GROUP BY stream, score ORDER BY stream, score DESC"
    )
    adapt = connection.ops.adapt_datetimefield_value
    values = [*STREAM_CODES, EOI.Status.ACTIVE, adapt(end), adapt(end)]
    values += [adapt(v) if isinstance(v, datetime) else v for v in params]
    out: dict[str, list[tuple[int, int]]] = {stream: [] for stream in STREAM_CODES}
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        for stream, score, count in cursor.fetchall():
            out[stream].append((int(score), int(count)))
    return out


def current_pool(on: date | None = None) -> list[Distribution]:
    """Each stream's pool on a date (default today) by score band (``pool_scores``)."""
    day = on or timeutil.today()
    scores = pool_scores(day)
    return [
        Distribution(
            stream=stream,
            as_of=day,
            bands=tuple(bands(scores[stream])),
            total=sum(n for _s, n in scores[stream]),
        )
        for stream in STREAM_CODES
    ]


def draw_distribution(entry: Entry) -> Distribution | None:
    """The pool of a Nominee draw's stream when it ran (None if none was recorded)."""
    if entry.draw is None or entry.stream is None:
        return None
    snapshot = PoolSnapshot.objects.filter(draw_id=entry.draw).first()
    if snapshot is None:
        return None
    scores = [(int(score), int(count)) for score, count in snapshot.scores]
    return Distribution(
        stream=entry.stream,
        as_of=snapshot.as_of,
        bands=tuple(bands(scores)),
        total=snapshot.total,
    )


# ---------------------------------------------------------------- allocation
