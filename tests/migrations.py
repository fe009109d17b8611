"""Moving a test's database to given migrations, for the tests of an upgrade's data step."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> MigrationExecutor:
    """Migrate the test database to ``targets`` (forwards or backwards); the executor, whose
    loader gives the apps of any state on the way."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor
