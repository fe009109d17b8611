"""Separate Python processes on one migrated SQLite file, for the tests that prove a rule
holds across processes (SQLite's concurrency is between processes, not threads)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_BOOTSTRAP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'nominee.settings');"
    "django.setup()\n"
)


# One migrated database per test process, copied for each test that asks for one: a
# migration with the reference data costs many seconds, a copy a few milliseconds.
_migrated_template: Path | None = None


def migrated_sqlite(tmp_path: Path, name: str) -> dict[str, str]:
    """The environment of a fresh SQLite database ``name`` under ``tmp_path``, migrated
    (a copy of this process's first migrated database, as the migrations left it)."""
    global _migrated_template
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": f"sqlite:///{tmp_path / name}",
        "NOMINEE_VAR_DIR": str(tmp_path),
        "NOMINEE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "NOMINEE_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    if _migrated_template is None or not _migrated_template.exists():
        template = Path(tempfile.mkdtemp(prefix="nominee-migrated-")) / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**env, "NOMINEE_DATABASE_URL": f"sqlite:///{template}"},
            check=True,
            capture_output=True,
        )
        _migrated_template = template
    # The backup API copies what a WAL file may still hold, unlike a file copy.
    with sqlite3.connect(_migrated_template) as source, sqlite3.connect(tmp_path / name) as copy:
        source.backup(copy)
    return env


def python(code: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start ``code`` (Django set up first) in a new process with ``env``; read its output."""
    return subprocess.Popen(
        [sys.executable, "-c", _BOOTSTRAP + code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


#: What a child process prints when it reaches the point ``pause_after`` marks.
HALF_WAY = "HALF-WAY"

#: A child's snapshot of every table: row count and a digest of the rows (JSON on stdout).
SNAPSHOT = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(row) for row in cursor.fetchall())
        out[table] = [len(rows), hashlib.sha256("\\\\n".join(rows).encode()).hexdigest()]
print(json.dumps(out))
"""


def pause_after(owner: object, name: str) -> None:
    """In a child process: once ``owner.name`` has run (inside the service's transaction),
    print ``HALF_WAY`` and wait to be killed."""
    import time

    original = getattr(owner, name)

    def paused(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        print(HALF_WAY, flush=True)
        time.sleep(600)
        return result

    setattr(owner, name, paused)


def database_env(tmp_path: Path) -> dict[str, str]:
    """The environment of child processes on the test's database: a migrated SQLite file
    (the test's own SQLite database is in memory), or the test's PostgreSQL database (the
    test must be ``transaction=True``), each child's session named for ``kill_half_way``."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return migrated_sqlite(tmp_path, "children.sqlite3")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return {
        **os.environ,
        "NOMINEE_DATABASE_URL": f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "NOMINEE_DATABASE_POOL": "false",
        "NOMINEE_VAR_DIR": str(tmp_path),
        "NOMINEE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "NOMINEE_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "PGAPPNAME": f"nominee-child-{os.getpid()}",
    }


def run(code: str, env: dict[str, str], *args: str) -> str:
    """Run ``code`` in a child to the end; its stdout (fails the test on a non-zero exit)."""
    child = python(code, env, *args)
    out, err = child.communicate(timeout=180)
    assert child.returncode == 0, err
    return out


def kill_half_way(code: str, env: dict[str, str], *args: str) -> None:
    """Run ``code`` in a child, SIGKILL it when it prints ``HALF_WAY``, and wait until its
    database session is gone (PostgreSQL rolls back a dead client's transaction)."""
    import signal
    import time

    child = python(code, env, *args)
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == HALF_WAY:
            break
    else:
        _out, err = child.communicate(timeout=60)
        raise AssertionError(f"the child never reached half-way: {err}")
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)  # reaps it and closes its pipes
    assert child.returncode == -signal.SIGKILL
    if "PGAPPNAME" not in env:
        return
    from django.db import connection

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = %s",
                [env["PGAPPNAME"]],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the killed child's session is still open")
