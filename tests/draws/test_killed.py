"""A draw whose process is killed (SIGKILL) half-way leaves the database as it was, on
SQLite and PostgreSQL; run again, it draws (decision 75: no lock, no half draw left)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.processes import SNAPSHOT, database_env, kill_half_way, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = """
from datetime import date, datetime, time, timedelta
from nominee.core.timeutil import PROGRAM_TZ
from tests.draws.pools import eoi_row, save_all
base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(30))
"""

DRAW = """
import sys
import time_machine
time_machine.travel("2025-09-03T10:00:00-04:00", tick=True).start()
from django.core.management import call_command
from nominee.draws import services
from tests.processes import pause_after
if sys.argv[1] == "pause":
    # After the invitations and the EOIs' update, before the draw row and the audit event.
    pause_after(services, "ranked_digest")
call_command("draw", "run", "--stream", "foreign-worker", "--invitations", "12",
             "--date", "2025-09-03", "--json")
"""


def test_a_draw_killed_half_way_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    env = database_env(tmp_path)
    run(SEED, env)
    before = json.loads(run(SNAPSHOT, env))
    kill_half_way(DRAW, env, "pause")
    assert json.loads(run(SNAPSHOT, env)) == before
    document = json.loads(run(DRAW, env, "go").strip().splitlines()[-1])
    assert (document["executed"], document["invitations"]) == (True, 12)
    after = json.loads(run(SNAPSHOT, env))
    assert after["draws_invitation"][0] == 12
