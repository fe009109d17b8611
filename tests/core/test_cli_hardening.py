"""No input makes a command print a traceback (issue 14): bad input is a message and exit 2.

The error classes that are always the input's fault are mapped once, in ``NomineeCommand``
(``nominee.core.commands.BAD_INPUT``); a database without its tables says to migrate.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nominee.eois.models import EOI
from tests.dates import IN_2025

ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 100_000 + "]" * 100_000
LINE: dict[str, Any] = {
    "id": "FW-000123",
    "stream": "foreign-worker",
    "registered_at": "2025-07-15T10:20:30Z",
    "job_offer": {"noc": "21231", "hourly_wage": 60.5, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}


def _refused(*args: str) -> str:
    """The message of a command that must exit 2 (a CommandError, never another exception)."""
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2, refused.value
    return str(refused.value)


def _file(tmp_path: Path, content: str | bytes, name: str = "input") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_daily_at_either_end_of_the_calendar(day: str) -> None:
    assert _refused("daily", "--date", day)


@pytest.mark.django_db
@IN_2025
@pytest.mark.parametrize("option", ["--date", "--registered-to"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_draw_run_on_the_last_day_of_the_calendar(option: str, dry_run: bool) -> None:
    args = ["draw", "run", "--stream", "workforce-priority", "--invitations", "2"]
    args += [option, "9999-12-31", *(["--dry-run"] if dry_run else [])]
    # A result (nobody to invite) or a refusal with exit 2; any other exception fails.
    code = 0
    try:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        code = error.returncode
    assert code in {0, 2}


@pytest.mark.django_db
def test_draw_run_with_a_binary_noc_file(tmp_path: Path) -> None:
    noc_file = _file(tmp_path, bytes(range(256)) * 4, "nocs.bin")
    args = ["--stream", "foreign-worker", "--invitations", "2", "--dry-run"]
    assert _refused("draw", "run", *args, "--noc-file", noc_file)


@pytest.mark.django_db
def test_score_of_a_deeply_nested_document(tmp_path: Path) -> None:
    assert "nested" in _refused("score", _file(tmp_path, DEEP, "deep.json"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (json.dumps({**LINE, "registered_at": "0001-01-01T00:00:00Z"}), "date"),
        (json.dumps({**LINE, "registered_at": "9999-12-31T23:59:59-05:00"}), "date"),
        (DEEP, "nested"),
        (json.dumps({**LINE, "id": "FW-\x00"}), "id: must not contain a NUL character"),
        (
            json.dumps({**LINE, "languages": {"english": 9, "fr\x00": 1}}),
            "languages.fr\x00: must not contain a NUL character",
        ),
    ],
)
def test_eoi_import_of_bad_lines(tmp_path: Path, line: str, expected: str) -> None:
    path = _file(tmp_path, line + "\n", "pool.jsonl")
    with pytest.raises(CommandError) as refused:
        call_command("eoi", "import", path, stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert refused.value.returncode == 2
    assert expected in str(refused.value) + err.getvalue()
    assert not EOI.objects.exists()


# -- a database without its tables -------------------------------------------------------

COMMANDS = [
    ["daily"],
    ["audit", "verify"],
    ["policy", "list"],
    ["employer", "list"],
    ["allocation", "show"],
    ["reference", "wage-versions"],
    ["draw", "run", "--stream", "workforce-priority", "--invitations", "2", "--dry-run"],
    ["eoi", "export", "-"],
    ["score", "-"],
]


@pytest.fixture
def unmigrated_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the engine under test: a new SQLite file, or a new PostgreSQL
    database beside the test database (dropped after)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    import psycopg

    params = connection.get_connection_params()
    name = f"nominee_unmigrated_{uuid.uuid4().hex[:12]}"
    admin = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    try:
        user = admin.get("user", "postgres")
        yield f"postgres://{user}@{admin.get('host', '127.0.0.1')}:{admin.get('port', 5432)}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_every_command_on_an_unmigrated_database_says_to_migrate(
    unmigrated_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": unmigrated_url,
        "NOMINEE_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    # One process runs them all in turn (a Django start-up each would take minutes here).
    script = (
        "import contextlib, io, json, sys\n"
        "from nominee.cli import main\n"
        "results = []\n"
        "for command in json.loads(sys.argv[1]):\n"
        "    sys.stdin = io.StringIO('{}')\n"
        "    err = io.StringIO()\n"
        "    code = 0\n"
        "    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            main(['nominee', *command])\n"
        "        except SystemExit as exit:\n"
        "            code = exit.code\n"
        "        except BaseException as error:\n"
        "            code, err = 'raised', io.StringIO(repr(error))\n"
        "    results.append([command, code, err.getvalue()])\n"
        "print(json.dumps(results))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(COMMANDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert [command for command, *_ in results] == COMMANDS
    for command, code, err in results:
        assert code == 2, (command, code, err)
        assert "run `nominee migrate`" in err, (command, err)
        assert "Traceback" not in err, (command, err)
