"""Fast bulk writes of EOI and candidate rows: executemany on SQLite, COPY on PostgreSQL.

No ORM objects: rows are tuples in ``EOI_FIELDS`` order with Python values, adapted here
once per engine. Used by the bulk import (``bulk.service.import_eois``) and by the demo; the
caller holds the transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from ..models import EOI, Candidate
from .encoding import CANDIDATE_FIELDS, EOI_FIELDS, IMPORT_FIELDS, Adapter, sqlite_instant


def _write(table: str, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    adapter = Adapter(fields, connection.vendor)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(connection.ops.quote_name(f) for f in fields)
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                chunk: list[str] = []
                for row in rows:
                    chunk.append(adapter.copy_line(row))
                    count += 1
                    if len(chunk) >= 5000:
                        copy.write("".join(chunk))
                        chunk = []
                if chunk:
                    copy.write("".join(chunk))
        else:
            columns = ", ".join(connection.ops.quote_name(f) for f in fields)
            marks = ", ".join("?" for _ in fields)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - constant names
            values = [adapter.sqlite(row) for row in rows]
            # The sqlite3 cursor itself: Django's wrapper would re-translate each query.
            cursor.cursor.executemany(sql, values)
            count = len(values)
    return count


def write_eois(rows: Iterable[Sequence[Any]]) -> int:
    """Insert EOI rows (tuples in ``EOI_FIELDS`` order); returns how many."""
    return _write(EOI._meta.db_table, EOI_FIELDS, rows)


def reserve_candidate_ids(count: int) -> list[int]:
    """Primary keys for ``count`` new candidates, safe against concurrent inserts.

    PostgreSQL draws them from the column's sequence; SQLite continues after the largest
    id (the import's transaction holds SQLite's write lock, so nobody else inserts).
    """
    if count == 0:
        return []
    table = Candidate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - constant
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def write_candidates(rows: Iterable[Sequence[Any]]) -> int:
    """Insert candidate rows ``(id, full_name, email, created_at)``; returns how many."""
    table = Candidate._meta.db_table
    if connection.vendor == "postgresql":
        return _write(table, CANDIDATE_FIELDS, rows)
    values = [(cid, name, email, sqlite_instant(at)) for cid, name, email, at in rows]
    columns = ", ".join(connection.ops.quote_name(f) for f in CANDIDATE_FIELDS)
    with connection.cursor() as cursor:
        cursor.cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?)",  # noqa: S608 - constants
            values,
        )
    return len(values)


class DeferredIndexes:
    """Drop the pool's secondary indexes for a bulk load and build them again after.

    Inside the caller's transaction on both engines (DDL is transactional there), so a
    failed import leaves the indexes as they were. Building an index once over sorted
    data is several times faster than a million random insertions into it. Only worth it
    (and only used) when the pool is empty at the start; on PostgreSQL the DROP holds an
    exclusive lock on the table until the import commits.

    PostgreSQL also drops the two tables' unique constraints and the foreign key between
    them and adds them back, with their own definitions, at the end: adding a foreign key
    checks every row in one join, where a million deferred per-row checks took 12 s of a
    95 s import. The import already refuses what these constraints would (ids present
    twice, unknown candidates), and adding them back checks them all the same: a
    violation rolls the whole import back. The EOI and candidate tables are locked until
    the import commits; other tables (job offers) are not.
    """

    def __init__(self) -> None:
        self.dropped: list[str] = []
        self.constraints: list[str] = []

    def __enter__(self) -> DeferredIndexes:
        editor = connection.schema_editor(collect_sql=True)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for model in (EOI, Candidate):
                    self._drop_constraints(cursor, model._meta.db_table)
            for model in (EOI, Candidate):
                table = model._meta.db_table
                constraints = connection.introspection.get_constraints(cursor, table)
                for name, info in constraints.items():
                    if not info["index"] or info["unique"] or info["primary_key"]:
                        continue
                    if model is Candidate and info["columns"] != ["email"]:
                        continue
                    columns = info["columns"]
                    orders = info.get("orders") or []
                    self.dropped.append(
                        self._create_sql(editor, model, name, columns, orders, info)
                    )
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return self

    def _drop_constraints(self, cursor: Any, table: str) -> None:
        # Foreign keys to other tables stay: dropping one locks the table it refers to
        # (job offers) against reads too, for the whole import.
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND (contype = 'u' OR (contype = 'f' "
            "AND confrelid IN (%s::regclass, %s::regclass))) ORDER BY conname",
            [table, EOI._meta.db_table, Candidate._meta.db_table],
        )
        quoted = connection.ops.quote_name(table)
        for name, definition in cursor.fetchall():
            constraint = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {constraint}")
            self.constraints.append(
                f"ALTER TABLE {quoted} ADD CONSTRAINT {constraint} {definition}"
            )

    @staticmethod
    def _create_sql(
        editor: Any, model: Any, name: str, columns: list[str], orders: list[str], info: Any
    ) -> str:
        for index in model._meta.indexes:
            if index.name == name:
                return str(index.create_sql(model, editor))
        quoted = ", ".join(
            connection.ops.quote_name(c) + (" DESC" if o == "DESC" else "")
            for c, o in itertools.zip_longest(columns, orders, fillvalue="ASC")
        )
        table = connection.ops.quote_name(model._meta.db_table)
        return f"CREATE INDEX {connection.ops.quote_name(name)} ON {table} ({quoted})"

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None:
            return  # the transaction rolls the DROPs back
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Check the deferred foreign keys now: PostgreSQL builds no index on a
                # table with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in self.constraints + self.dropped:
                cursor.execute(sql)


def tune_for_bulk() -> None:
    """Give SQLite a page cache large enough for the pool's indexes (this connection only).

    Inserting a million rows touches the draw index all over; with the default 2 MB cache
    each insert rereads pages. 256 MB keeps the indexes of a large pool in memory.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


def write_prepared(rows: list[Any]) -> int:
    """Insert rows prepared by ``prepare`` (already adapted for this engine)."""
    if not rows:
        return 0
    table = EOI._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f) for f in IMPORT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), 5000):
                    copy.write("".join(rows[start : start + 5000]))
        else:
            marks = ", ".join("?" for _ in IMPORT_FIELDS)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - constant names
            cursor.cursor.executemany(sql, rows)
    return len(rows)


# Below this many rows autovacuum and the planner's defaults catch up soon enough.
REFRESH_FROM_ROWS = 10_000


def refresh_pool_statistics(imported: int) -> bool:
    """After a large import, bring the pool's statistics up to date; True when it ran.

    On PostgreSQL ``VACUUM ANALYZE`` also sets the visibility map, without which a draw's
    index-only count visits every row it counts (about twice as slow until autovacuum
    passes). Runs outside any transaction, after the import committed.
    """
    # Inside a caller's transaction (a test, a script) VACUUM cannot run; autovacuum will.
    if imported < REFRESH_FROM_ROWS or connection.in_atomic_block:
        return False
    table = connection.ops.quote_name(EOI._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute(f"ANALYZE {table}")
    return True
