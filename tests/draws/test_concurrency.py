"""Two executions at the same moment: threads on PostgreSQL, processes on SQLite.

Whatever the interleaving: one draw is executed once, no EOI is invited twice, and the
second execution of one draw changes nothing and says so.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from nominee.accounts.models import User
from nominee.core.errors import Conflict
from nominee.draws import services
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all
from tests.processes import migrated_sqlite, python


def _pool(n: int) -> None:
    from datetime import date, datetime, time, timedelta

    from nominee.core.timeutil import PROGRAM_TZ

    base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
    save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(n))


@pytest.mark.django_db(transaction=True)
@ON_DRAW_DAY_2025
def test_it_never_invites_twice_under_concurrent_threads(olivia: User, martin: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the thread test is PostgreSQL's (SQLite: the process test)")
    _pool(60)
    first = services.approve_draw(
        actor=martin, draw=services.propose_draw(actor=olivia, criteria=criteria(invitations=35))
    )
    second = services.approve_draw(
        actor=martin, draw=services.propose_draw(actor=olivia, criteria=criteria(invitations=35))
    )
    jobs = [first.pk, second.pk, first.pk, second.pk]
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = [None] * len(jobs)

    def work(index: int, draw_id: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = services.execute_draw(actor=martin, draw=draw_id).invitations
        except Conflict as error:
            outcomes[index] = error.code
        except Exception as error:
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, d)) for i, d in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counts = sorted(o for o in outcomes if isinstance(o, int))
    conflicts = [o for o in outcomes if isinstance(o, str)]
    assert conflicts == ["draw.already_executed"] * 2, outcomes
    assert counts == [25, 35], outcomes
    assert Invitation.objects.count() == 60
    assert Invitation.objects.values("eoi").distinct().count() == 60
    assert EOI.objects.filter(status="invited").count() == 60
    assert set(Draw.objects.values_list("status", flat=True)) == {"executed"}


# The processes run on the draws' day, as the tests' mark would (decision 75).
SEED = """
import json
import time_machine
time_machine.travel("2025-09-03T10:00:00-04:00", tick=True).start()
from datetime import date, datetime, time, timedelta
from django.contrib.auth.models import Group
from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws import services
from tests.draws.pools import criteria, eoi_row, save_all
officer = User.objects.create_user(email="olivia@example.com", password="x")
officer.groups.add(Group.objects.get(name="officer"))
manager = User.objects.create_user(email="martin@example.com", password="x")
manager.groups.add(Group.objects.get(name="manager"))
base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(60))
ids = []
for _ in range(2):
    draw = services.propose_draw(actor=officer, criteria=criteria(invitations=35))
    ids.append(services.approve_draw(actor=manager, draw=draw).pk)
print(json.dumps(ids))
"""

WORKER = """
import json, sys, time
import time_machine
start, draw_id = float(sys.argv[1]), int(sys.argv[2])
from nominee.accounts.models import User
from nominee.core.errors import Conflict
from nominee.draws import services
manager = User.objects.get(email="martin@example.com")
time.sleep(max(0.0, start - time.time()))
time_machine.travel("2025-09-03T10:00:00-04:00", tick=True).start()  # after the real start
try:
    print(json.dumps(services.execute_draw(actor=manager, draw=draw_id).invitations))
except Conflict as error:
    print(json.dumps(error.code))
"""


@pytest.mark.slow
def test_it_never_invites_twice_under_concurrent_processes(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the process test is SQLite's (PostgreSQL: the thread test)")
    database = tmp_path / "draws.sqlite3"
    env = migrated_sqlite(tmp_path, database.name)
    seed = python(SEED, env)
    out, err = seed.communicate(timeout=120)
    assert seed.returncode == 0, err
    first, second = json.loads(out.strip().splitlines()[-1])
    start = time.time() + 2.0
    workers = [
        python(WORKER, env, str(start), str(draw_id)) for draw_id in (first, second, first, second)
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(o for o in outcomes if isinstance(o, int)) == [25, 35], outcomes
    assert [o for o in outcomes if isinstance(o, str)] == ["draw.already_executed"] * 2
    with sqlite3.connect(database) as db:
        (invitations, distinct) = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT eoi_id) FROM draws_invitation"
        ).fetchone()
        (invited,) = db.execute("SELECT COUNT(*) FROM eois_eoi WHERE status='invited'").fetchone()
    assert (invitations, distinct, invited) == (60, 60, 60)
