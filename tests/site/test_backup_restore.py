"""Backup and restore as docs/operations.md §8 writes them (pg_dump and pg_restore on
PostgreSQL, SQLite's online ``.backup``): the restored database holds every row of every
table (the EOIs, the draw and its invitations, the nomination) and its audit chain verifies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import ROOT, SNAPSHOT, database_env, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# EOIs, a draw executed on its day that invites some of them, and a nomination.
SEED = """
from datetime import date, datetime, time, timedelta
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from nominee.accounts.models import User
from nominee.casework import services
from nominee.core.timeutil import PROGRAM_TZ
from tests.casework.files import ready_file
from tests.draws.pools import eoi_row, save_all
base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(20))
with time_machine.travel("2025-09-03T10:00:00-04:00", tick=True):
    call_command("draw", "run", "--stream", "foreign-worker", "--invitations", "8",
                 "--date", "2025-09-03", "--json")
manager = User.objects.create_user(email="martin@example.com", password="x")
manager.groups.add(Group.objects.get(name="manager"))
services.approve_application(actor=manager, application=ready_file())
"""


def _verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nominee.cli", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _restored_env(env: dict[str, str], tmp_path: Path) -> tuple[dict[str, str], str | None]:
    """Back the database up and restore it elsewhere, by the documented commands; the
    restored database's environment and, on PostgreSQL, its name (to drop)."""
    if connection.vendor == "sqlite":
        source = env["NOMINEE_DATABASE_URL"].removeprefix("sqlite:///")
        backup, restored = tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
        subprocess.run(["sqlite3", source, f".backup '{backup}'"], check=True, timeout=120)
        shutil.copyfile(backup, restored)
        return {**env, "NOMINEE_DATABASE_URL": f"sqlite:///{restored}"}, None
    s = connection.settings_dict
    pg = {**os.environ, "PGHOST": s["HOST"], "PGPORT": str(s["PORT"]), "PGUSER": s["USER"]}
    if s["PASSWORD"]:
        pg["PGPASSWORD"] = s["PASSWORD"]
    dump, name = tmp_path / "nominee.dump", f"{s['NAME']}_restored"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", s["NAME"]], env=pg, check=True)
    subprocess.run(["dropdb", "--if-exists", name], env=pg, check=True)
    subprocess.run(["createdb", name], env=pg, check=True)
    subprocess.run(["pg_restore", f"--dbname={name}", "--no-owner", str(dump)], env=pg, check=True)
    url = env["NOMINEE_DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    return {**env, "NOMINEE_DATABASE_URL": url, "PGAPPNAME": "nominee-restored"}, name


def test_a_restored_backup_holds_every_eoi_draw_and_nomination(tmp_path: Path) -> None:
    tools = ["sqlite3"] if connection.vendor == "sqlite" else ["pg_dump", "pg_restore"]
    missing = [tool for tool in tools if shutil.which(tool) is None]
    assert not missing, f"the documented backup needs {missing} (.ci/run installs them)"
    env = database_env(tmp_path)
    run(SEED, env)
    before = json.loads(run(SNAPSHOT, env))
    counts = {t: before[t][0] for t in ("eois_eoi", "draws_draw", "casework_nomination")}
    assert counts == {"eois_eoi": 21, "draws_draw": 2, "casework_nomination": 1}
    assert before["draws_invitation"][0] == 9  # the draw's 8, and the one that invited the nominee
    restored, name = _restored_env(env, tmp_path)
    try:
        assert json.loads(run(SNAPSHOT, restored)) == before
        verified = _verify(restored)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        if name is not None:
            connection.close()
            subprocess.run(
                ["dropdb", "--if-exists", "--force", name],
                env={
                    **os.environ,
                    "PGHOST": connection.settings_dict["HOST"],
                    "PGUSER": connection.settings_dict["USER"],
                },
                check=False,
            )
