"""The audit tables' triggers, lifted for the span of a block inside a transaction.

For the test suite only, which owns its throw-away database: Django's flush between
transactional tests (TRUNCATE on PostgreSQL, DELETE on SQLite) and the tests that tamper
with the log on purpose. The transaction that encloses the block gets the triggers back
when it ends, committed or rolled back; production code has no such switch
(docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

AUDIT_TABLES = ("audit_auditevent", "audit_chainhead")


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Run the block with no trigger on the audit tables; needs an open transaction."""
    assert connection.in_atomic_block, "lift the audit triggers inside a transaction only"
    # Only the tables there are: a test of the migrations may end half-way.
    tables = [t for t in AUDIT_TABLES if t in connection.introspection.table_names()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses ALTER TABLE while checks deferred to the commit are
            # pending (foreign keys of rows the test inserted): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            saved: list[tuple[str, str]] = []
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN (%s, %s)",
                AUDIT_TABLES,
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for _name, sql in saved:
            cursor.execute(sql)
