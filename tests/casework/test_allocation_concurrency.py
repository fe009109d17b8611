"""Many approvals at once never issue more nominations than the year's allocation:
threads on PostgreSQL, processes on SQLite (each its own connection and transaction)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from tests.processes import migrated_sqlite, python

from nominee.casework import services
from nominee.casework.models import Application, Nomination
from nominee.core.errors import DomainError
from nominee.program.models import Allocation

FILES, LEFT = 8, 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_never_exceed_the_allocation(martin: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the thread test is PostgreSQL's (SQLite: the process test)")
    from tests.casework.files import ready_file

    from nominee.core.timeutil import today

    year = today().year
    allocation = Allocation.objects.get(year=year)
    Allocation.objects.filter(pk=allocation.pk).update(
        nominations_issued=allocation.nominations - LEFT
    )
    ids = [ready_file().pk for _ in range(FILES)]
    barrier = threading.Barrier(FILES)
    outcomes: list[Any] = [None] * FILES

    def work(index: int, pk: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = services.approve_application(actor=martin, application=pk).certificate
        except DomainError as error:
            outcomes[index] = error.code
        except Exception as error:
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, pk)) for i, pk in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    certificates = [o for o in outcomes if isinstance(o, str) and o.startswith("ON-")]
    assert len(certificates) == LEFT, outcomes
    assert len(set(certificates)) == LEFT
    assert sorted(o for o in outcomes if o not in certificates) == ["allocation.spent"] * (
        FILES - LEFT
    ), outcomes
    fresh = Allocation.objects.get(pk=allocation.pk)
    assert fresh.nominations_issued == fresh.nominations
    assert Nomination.objects.count() == LEFT
    assert Application.objects.filter(status="approved").count() == LEFT


SEED = """
import json
from django.contrib.auth.models import Group
from nominee.accounts.models import User
from nominee.program.models import Allocation
from nominee.core.timeutil import today
from tests.casework.files import ready_file
manager = User.objects.create_user(email="martin@example.com", password="x")
manager.groups.add(Group.objects.get(name="manager"))
allocation = Allocation.objects.get(year=today().year)
Allocation.objects.filter(pk=allocation.pk).update(nominations_issued=allocation.nominations - %d)
print(json.dumps([ready_file().pk for _ in range(%d)]))
"""

WORKER = """
import json, sys, time
start, pk = float(sys.argv[1]), int(sys.argv[2])
from nominee.accounts.models import User
from nominee.casework import services
from nominee.core.errors import DomainError
manager = User.objects.get(email="martin@example.com")
time.sleep(max(0.0, start - time.time()))
try:
    print(json.dumps(services.approve_application(actor=manager, application=pk).certificate))
except DomainError as error:
    print(json.dumps(error.code))
"""


@pytest.mark.slow
def test_concurrent_processes_never_exceed_the_allocation(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the process test is SQLite's (PostgreSQL: the thread test)")
    database = tmp_path / "casework.sqlite3"
    env = migrated_sqlite(tmp_path, database.name)
    seed = python(SEED % (LEFT, FILES), env)
    out, err = seed.communicate(timeout=120)
    assert seed.returncode == 0, err
    ids = json.loads(out.strip().splitlines()[-1])
    start = time.time() + 3.0
    workers = [python(WORKER, env, str(start), str(pk)) for pk in ids]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    certificates = [o for o in outcomes if o.startswith("ON-")]
    assert len(set(certificates)) == LEFT, outcomes
    assert sorted(o for o in outcomes if o not in certificates) == ["allocation.spent"] * (
        FILES - LEFT
    )
    with sqlite3.connect(database) as db:
        (issued, allowed) = db.execute(
            "SELECT nominations_issued, nominations FROM casework_allocation "
            "WHERE year = strftime('%Y', 'now')"
        ).fetchone()
        (nominations,) = db.execute("SELECT COUNT(*) FROM casework_nomination").fetchone()
    assert issued == allowed
    assert nominations == LEFT
