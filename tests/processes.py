"""Separate Python processes on one migrated SQLite file, for the tests that prove a rule
holds across processes (SQLite's concurrency is between processes, not threads)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_BOOTSTRAP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'nominee.settings');"
    "django.setup()\n"
)


def migrated_sqlite(tmp_path: Path, name: str) -> dict[str, str]:
    """The environment of a fresh SQLite database ``name`` under ``tmp_path``, migrated."""
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": f"sqlite:///{tmp_path / name}",
        "NOMINEE_VAR_DIR": str(tmp_path),
        "NOMINEE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "NOMINEE_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
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
