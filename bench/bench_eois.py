"""Benchmark of the pool's bulk paths: generate, import, export (SQLite or PostgreSQL).

    .venv/bin/python bench/bench_eois.py --database-url sqlite:////tmp/bench_eois.sqlite3
    .venv/bin/python bench/bench_eois.py --database-url postgres://postgres@127.0.0.1:5432/nominee_bench

Runs the commands as a user would, each in its own process, on a fresh database:
``nominee migrate``, ``nominee eoi generate --count N --seed 42``, ``nominee eoi import``
(into the empty pool), ``nominee eoi export``, then a second import of 1% more EOIs into
the full pool (the path with index maintenance and the id checks against the pool).
Prints the wall time and rate of each step.

Then, as of 2026-06-25 with the five 2025 streams closed on 2026-05-30 (DOMAIN §9; the
registry's dates are set so in the run whatever the shipped data says), it withdraws
every EOI of the pool with ``withdraw_closed_stream_eois``, one call per stream, the
notices queued as tasks in the database backend (issue 12).

Goals (exit 1 when missed): the import of N EOIs in under 90 s per million (INTERFACES §3,
issue 4); the withdrawal of N EOIs in under 60 s per million with its e-mails queued
(issue 12). A PostgreSQL database named in the URL gets the suffix ``_eois``; it is dropped
and created (never one called ``nominee``) and dropped again unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS_PER_MILLION = 90.0
WITHDRAWAL_GOAL_SECONDS_PER_MILLION = 60.0
# Run in a child process: the stream registry with the 2025 streams closed on 2026-05-30,
# then the withdrawal of each, timed together; prints "<seconds> <withdrawn> <tasks>".
WITHDRAW_SCRIPT = """
import json, time
from datetime import date, datetime
from importlib import resources
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from nominee.core.timeutil import PROGRAM_TZ
from nominee.eois.services import withdraw_closed_stream_eois
from nominee.scoring.policy import policy_document
document = json.loads(
    resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
)
closing = date(2026, 5, 30)
codes = []
for entry in document["streams"]:
    if date.fromisoformat(entry["effective_from"]) < closing:
        entry["until"] = closing.isoformat()
        codes.append(entry["code"])
now = datetime(2026, 6, 25, 9, tzinfo=PROGRAM_TZ)
tasks = DBTaskResult.objects.count()
with policy_document(document):
    started = time.monotonic()
    withdrawn = sum(
        withdraw_closed_stream_eois(actor=None, stream=code, now=now).count for code in codes
    )
    seconds = time.monotonic() - started
print(seconds, withdrawn, DBTaskResult.objects.count() - tasks)
"""


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--pool-size", type=int, default=1_000_000)
    parser.add_argument("--workdir", default="")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def _postgres(url: str, action: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in {"nominee", "postgres"}:
        raise SystemExit(f"refusing to drop the database {name!r}")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def _nominee(env: dict[str, str], *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "nominee.cli", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def main() -> int:
    """Run the steps; return 1 when the import misses its goal."""
    options = _args()
    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="bench-eois-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = options.database_url or f"sqlite:///{workdir / 'bench_eois.sqlite3'}"
    if url.startswith("postgres"):
        url = url + "_eois"
        _postgres(url, "create")
        engine = "postgresql"
    else:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = "sqlite"
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": url,
        "NOMINEE_VAR_DIR": str(workdir),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "nominee.settings",
    }
    n = options.pool_size
    pool = workdir / f"eois-{n}.jsonl"
    more = workdir / f"eois-more-{n}.jsonl"
    extra = max(1, n // 100)
    figures: list[tuple[str, int, float]] = []
    try:
        _nominee(env, "migrate", "--no-input")
        figures.append(
            (
                "generate",
                n,
                _nominee(env, "eoi", "generate", "--count", str(n), "--seed", "42", str(pool)),
            )
        )
        _nominee(
            env, "eoi", "generate", "--count", str(extra), "--seed", "43",
            "--first-number", str(n + 1), str(more),
        )  # fmt: skip
        figures.append(
            ("import (empty pool)", n, _nominee(env, "eoi", "import", "--no-progress", str(pool)))
        )
        figures.append(("export", n, _nominee(env, "eoi", "export", str(workdir / "out.jsonl"))))
        figures.append(
            (
                "import (1% more, full pool)",
                extra,
                _nominee(env, "eoi", "import", "--no-progress", str(more)),
            )
        )
        withdrawal = subprocess.run(
            [sys.executable, "-c", WITHDRAW_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        withdraw_seconds, withdrawn, queued = (
            float(withdrawal[-3]),
            int(withdrawal[-2]),
            int(withdrawal[-1]),
        )
        figures.append(("withdraw closed streams", withdrawn, withdraw_seconds))
    finally:
        if engine == "postgresql" and not options.keep:
            _postgres(url, "drop")
        for path in (pool, more, workdir / "out.jsonl"):
            path.unlink(missing_ok=True)
    print(f"bulk paths of the pool on {engine}, {n:,} EOIs")
    for name, count, seconds in figures:
        print(f"  {name:30} {seconds:8.1f} s  {count / seconds:10,.0f} EOIs/s")
    goal = GOAL_SECONDS_PER_MILLION * n / 1_000_000
    imported = figures[1][2]
    verdict = "met" if imported <= goal else "MISSED"
    print(f"  goal: import under {goal:.1f} s: {verdict}")
    withdraw_goal = WITHDRAWAL_GOAL_SECONDS_PER_MILLION * n / 1_000_000
    withdraw_met = withdraw_seconds <= withdraw_goal
    print(
        f"  goal: withdraw {withdrawn:,} EOIs with their e-mails queued ({queued} notice "
        f"tasks) under {withdraw_goal:.1f} s: {'met' if withdraw_met else 'MISSED'}"
    )
    return 0 if imported <= goal and withdraw_met else 1


if __name__ == "__main__":
    sys.exit(main())
