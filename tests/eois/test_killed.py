"""A closed stream's mass withdrawal killed (SIGKILL) half-way leaves the database as it
was, on SQLite and PostgreSQL; run again, it withdraws them all (decision 75)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.processes import SNAPSHOT, database_env, kill_half_way, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = """
from datetime import datetime
from django.contrib.auth.models import Group
from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ
from tests.draws.pools import eoi_row, save_all
manager = User.objects.create_user(email="martin@example.com", password="x")
manager.groups.add(Group.objects.get(name="manager"))
live = datetime(2026, 5, 1, 10, tzinfo=PROGRAM_TZ)  # the stream closed on 2026-05-30
save_all(eoi_row(registered_at=live) for _ in range(25))
"""

WITHDRAW = """
import sys, json
import time_machine
time_machine.travel("2026-06-25T09:00:00-04:00", tick=True).start()
from nominee.accounts.models import User
from nominee.eois import closing
from tests.processes import pause_after
if sys.argv[1] == "pause":
    # The EOIs updated, before the offers, the audit event and the commit.
    pause_after(closing, "_withdraw_rows")
manager = User.objects.get(email="martin@example.com")
result = closing.withdraw_closed_stream_eois(actor=manager, stream="foreign-worker")
print(json.dumps(result.count))
"""


def test_a_withdrawal_killed_half_way_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    env = database_env(tmp_path)
    run(SEED, env)
    before = json.loads(run(SNAPSHOT, env))
    kill_half_way(WITHDRAW, env, "pause")
    assert json.loads(run(SNAPSHOT, env)) == before
    assert json.loads(run(WITHDRAW, env, "go").strip().splitlines()[-1]) == 25
