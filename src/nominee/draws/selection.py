"""Who is drawn (INTERFACES §3 "Who is drawn", DOMAIN §6), as SQL over ``eois_eoi``.

A draw dated D considers the EOIs of its stream that are

* ``status = 'active'`` (not invited, withdrawn or found ineligible since),
* not legacy (``is_legacy`` false and, in the employer streams, registered on or after the
  policy's ``legacy_before`` date),
* registered on or before D: ``registered_at < end_of(D)``,
* unexpired on D, i.e. expiring on a program date after D: ``expires_at >= end_of(D)``
  (an EOI registered 2024-09-03 10:00 expires 2025-09-03 10:00 and is NOT drawn on
  2025-09-03; it is drawn on 2025-09-02),
* within the registration window, both ends whole program days:
  ``start_of(from) <= registered_at < end_of(to)``,
* and match the targeting: NOC in the list, job in one of the regions or census
  divisions, in Canada, education at least the minimum (``criteria.EDUCATION_ORDER``),
  French CLB at least the minimum.

That set is the draw's ``eligible`` count. The selection then keeps the scores at or
above the minimum score and the first N, ranked by score (highest first), registration
time (earliest first) and id. It is ONE query that walks the ``eoi_draw_order`` index in
its own order (stream, status, -score, registered_at, id), so nothing is sorted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.dateparse import parse_datetime

from nominee.core.timeutil import end_of, start_of
from nominee.eois.models import EOI
from nominee.reference.queries import census_divisions_in

from .criteria import DrawCriteria, education_at_least
from .policy import legacy_before

RANK_ORDER = ("-score", "registered_at", "id")
DRAW_INDEX = "eoi_draw_order"
# Index columns after the ordering ones: never let SQLite search the index on them.
_NOT_SEARCH_KEYS = ("registered_at", "noc", "expires_at", "pathway", "census_division")


@dataclass(frozen=True)
class Ranked:
    """One EOI of a draw's ranked selection."""

    id: int
    external_id: str
    score: int
    registered_at: datetime
    candidate_id: int | None
    job_offer_id: int | None
    pathway: str | None = None


def target_divisions(criteria: DrawCriteria) -> tuple[str, ...]:
    """The census divisions a draw's job-location targeting names: its regions, read in the
    region table of the draw date, and its census divisions (empty: anywhere).

    The EOI's stored ``region`` (its registration date's table) is not read: a draw on
    2026-06-26 targeting ``northern`` takes Muskoka, whenever its EOIs registered.
    """
    found = set(criteria.census_divisions)
    if criteria.regions:
        found.update(census_divisions_in(criteria.regions, criteria.draw_date))
    return tuple(sorted(found))


def eligible_pool(criteria: DrawCriteria) -> QuerySet[EOI]:
    """The EOIs that match the stream, the dates and the targeting (before score and count)."""
    day = criteria.draw_date
    registered_before = end_of(day)
    if criteria.registered_to is not None:
        registered_before = min(registered_before, end_of(criteria.registered_to))
    lower: list[datetime] = []
    if criteria.registered_from is not None:
        lower.append(start_of(criteria.registered_from))
    if (legacy := legacy_before(criteria.stream, day)) is not None:
        lower.append(start_of(legacy))
    condition = Q(
        stream=criteria.stream,
        status=EOI.Status.ACTIVE,
        is_legacy=False,
        registered_at__lt=registered_before,
        expires_at__gte=end_of(day),
    )
    if lower:
        condition &= Q(registered_at__gte=max(lower))
    if criteria.noc_codes:
        condition &= Q(noc__in=list(criteria.noc_codes))
    if criteria.pathways:
        condition &= Q(pathway__in=list(criteria.pathways))
    if criteria.regions or criteria.census_divisions:
        # A region of no census division (none in the table of the date) matches nothing.
        condition &= Q(census_division__in=list(target_divisions(criteria)))
    if criteria.in_canada_only:
        condition &= Q(in_canada=True)
    if criteria.min_education:
        condition &= Q(education_level__in=education_at_least(criteria.min_education))
    if criteria.min_french_clb is not None:
        condition &= Q(french_clb__gte=criteria.min_french_clb)
    return EOI.objects.filter(condition)


def ranked_pool(criteria: DrawCriteria) -> QuerySet[EOI]:
    """The eligible pool above the minimum score, in rank order (no count cut)."""
    pool = eligible_pool(criteria)
    if criteria.min_score is not None:
        pool = pool.filter(score__gte=criteria.min_score)
    return pool.order_by(*RANK_ORDER)


_FIELDS = (
    "id",
    "external_id",
    "score",
    "registered_at",
    "candidate_id",
    "job_offer_id",
    "pathway",
)


def selection_queryset(criteria: DrawCriteria) -> QuerySet[EOI, tuple[object, ...]]:
    """The one query of the selection: the first N of the ranked pool, as value rows."""
    qs = ranked_pool(criteria).values_list(*_FIELDS)
    if criteria.invitations is not None:
        qs = qs[: criteria.invitations]
    return qs


def _instant(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:  # pragma: no cover - the column is NOT NULL and well-formed
        raise ValueError(f"not an instant: {value!r}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _pinned(qs: QuerySet[Any, Any], *, ordered: bool) -> tuple[str, tuple[Any, ...]]:
    """The SQL of a query over the pool, pinned to the ``eoi_draw_order`` index on SQLite.

    After ANALYZE, SQLite's planner may prefer the smaller ``eoi_histogram`` index (and
    fetch every row of the stream from the table) or a skip-scan of ``eoi_draw_order`` on
    the registration range, then sort (ARCHITECTURE, "Traps"). ``INDEXED BY`` names the
    index. For the ranked selection (``ordered``) a unary ``+`` also keeps the other
    indexed columns out of its search key (SQLite still checks them on the index entry):
    only ``stream = ? AND status = ?`` (and the score) position the scan, which then runs
    in the index's own rank order and stops after N rows. Counts may skip-scan the
    registration range, which is faster when they have no order to keep.
    PostgreSQL picks its plans itself (see ``_run`` and the plan tests).
    """
    sql, params = qs.query.sql_with_params()
    if connection.vendor == "sqlite":
        quote = connection.ops.quote_name
        table = quote(EOI._meta.db_table)
        head, where = sql.split(" WHERE ", 1)
        head = head.replace(f"FROM {table}", f"FROM {table} INDEXED BY {quote(DRAW_INDEX)}", 1)
        for column in _NOT_SEARCH_KEYS if ordered else ():
            where = where.replace(f"{table}.{quote(column)}", f"+{table}.{quote(column)}")
        sql = f"{head} WHERE {where}"
    return sql, tuple(params)


def selection_sql(criteria: DrawCriteria) -> tuple[str, tuple[Any, ...]]:
    """The selection's SQL and parameters, as sent to the database."""
    return _pinned(selection_queryset(criteria), ordered=True)


# PostgreSQL: the same ordered scan. Given a smaller index that is sorted on the score
# only (eoi_histogram), the planner may prefer it plus an incremental sort; switching
# sorts off for this one statement leaves it the index that already holds the rank order.
_PG_ORDERED = "SET LOCAL enable_sort = off; SET LOCAL enable_incremental_sort = off"
_PG_RESET = "SET LOCAL enable_sort = on; SET LOCAL enable_incremental_sort = on"


def _run(sql: str, params: tuple[Any, ...], *, ordered: bool = False) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not ordered:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        with transaction.atomic():  # SET LOCAL lives in a transaction (a savepoint if nested)
            cursor.execute(_PG_ORDERED)
            cursor.execute(sql, params)
            rows = list(cursor.fetchall())
            cursor.execute(_PG_RESET)
        return rows


def explain_selection(criteria: DrawCriteria) -> str:
    """The database's plan for the selection, as it runs it (the tests check it)."""
    sql, params = selection_sql(criteria)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    rows = _run(prefix + sql, params, ordered=True)
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)


def select(criteria: DrawCriteria) -> list[Ranked]:
    """Run the selection (one query): the EOIs a draw with these criteria invites, ranked."""
    if criteria.invitations is not None and criteria.invitations < 1:
        return []
    sql, params = selection_sql(criteria)
    return [
        Ranked(
            int(pk), str(external_id), int(score), _instant(registered), candidate, offer, pathway
        )
        for pk, external_id, score, registered, candidate, offer, pathway in _run(
            sql, params, ordered=True
        )
    ]


def count_eligible(criteria: DrawCriteria) -> int:
    """The draw's ``eligible`` figure (one COUNT over the pinned scan)."""
    sql, params = _pinned(eligible_pool(criteria).order_by().values_list("id"), ordered=False)
    count_sql = f"SELECT COUNT(*) FROM ({sql}) AS pool"  # noqa: S608 - the ORM's own SQL
    return int(_run(count_sql, params)[0][0])


def histogram(criteria: DrawCriteria) -> list[tuple[int, int]]:
    """(score, count) of the eligible pool, highest score first."""
    qs = (
        eligible_pool(criteria)
        .order_by()
        .values_list("score")
        .annotate(n=Count("id"))
        .order_by("-score")
    )
    sql, params = _pinned(qs, ordered=False)
    return [(int(score), int(n)) for score, n in _run(sql, params)]


def last_ranked(criteria: DrawCriteria, count: int) -> Ranked | None:
    """The ``count``-th EOI of the ranked pool (the cut-off), without fetching the others."""
    if count < 1:
        return None
    rows = list(ranked_pool(criteria).values_list(*_FIELDS)[count - 1 : count])
    if not rows:
        return None
    pk, external_id, score, registered, candidate, offer, pathway = rows[0]
    return Ranked(
        int(pk), str(external_id), int(score), _instant(registered), candidate, offer, pathway
    )


def ranked_digest(rows: Sequence[Ranked]) -> str:
    """SHA-256 of the ranked list: one line per EOI, ``rank<TAB>id<TAB>score<TAB>registered``.

    ``registered`` is the registration instant in UTC, ISO 8601 with microseconds; lines
    end with a newline. Anyone holding the invited list can recompute it (docs/draws.md).
    """
    import hashlib

    digest = hashlib.sha256()
    for rank, row in enumerate(rows, start=1):
        registered = row.registered_at.astimezone(UTC).isoformat(timespec="microseconds")
        digest.update(f"{rank}\t{row.external_id}\t{row.score}\t{registered}\n".encode())
    return digest.hexdigest()
