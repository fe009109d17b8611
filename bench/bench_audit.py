"""Benchmark of the audit log's hash chain, SQLite or PostgreSQL.

    .venv/bin/python bench/bench_audit.py --database-url sqlite:////tmp/bench_audit.sqlite3
    .venv/bin/python bench/bench_audit.py --database-url postgres://postgres@127.0.0.1:5432/bench

Measures, each beside a baseline run on the same database in the same run:

- ``record()`` with chaining, one event per durable transaction (as a service writes
  it), by one writer and (PostgreSQL) by two concurrent writers (threads, one
  connection each): events per second and the p99 of one transaction; baseline:
  ``record()`` as it was before the chain (the ORM's ``create`` of the same event into a
  table of the same shape, without chain, lock or trigger), so the ratio is the cost of
  chaining;
- ``record_many()`` filling the log to ``--pool-size`` events (default 1,000,000), in
  transactions of 5,000;
- ``nominee audit verify`` over them, run as a user would (its own process): wall time
  and the process's peak RSS.

Goals (exit 1 when one is missed): record() at no less than half the unchained rate,
for one writer and for two (the chain serialises commits: what it costs depends on the
disk's flush latency, so the goal is the ratio; the rates are printed beside it; a
registration is one transaction, which takes the chain's lock once for its two events),
verify of 1,000,000 events in under 120 s (scaled to the pool, plus 10 s for the
process to start) with a peak RSS under
250 MB. The database is temporary: a PostgreSQL database named in the URL is dropped and
created (never one called ``nominee``), a SQLite file is created afresh; both are removed
at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

RECORD_RATIO_GOAL = 2.0  # unchained rate / chained rate
ROUNDS = 5
VERIFY_GOAL_PER_MILLION = 120.0  # s
STARTUP_SECONDS = 10.0  # the command's own start (Django, the connection), on a busy machine
RSS_GOAL_MB = 250.0
AFTER = {  # the shape of an EOI registration's audit snapshot
    "stream": "foreign-worker",
    "status": "active",
    "score": 57,
    "max_score": 110,
    "grid": "2025-07",
    "noc": "21231",
    "region": "greater-toronto",
    "registered_at": "2025-09-03T10:15:00.123456-04:00",
    "external_id": "FW-0001234567",
    "job_offer": "JO-2025-ABCDEFGH",
}


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--pool-size", type=int, default=1_000_000, help="events to verify")
    parser.add_argument("--workdir", default="")
    parser.add_argument("--writes", type=int, default=3000, help="record() calls per figure")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def _prepare_database(url: str, workdir: Path) -> tuple[str, Callable[[], None]]:
    """Create the temporary database; return its URL and a function that removes it."""
    if not url or url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///")) if url else workdir / "bench_audit.sqlite3"

        def drop_file() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        drop_file()
        return f"sqlite:///{path}", drop_file
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in {"nominee", "postgres", ""}:
        raise SystemExit(f"refusing to use the database {name!r}: name a temporary one")
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop_database() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop_database


def _unchained_model() -> Any:
    """The audit table as it was before the chain, and its model: the baseline's target."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection, models

    class UnchainedEvent(models.Model):
        at = models.DateTimeField(db_index=True)
        actor_id = models.BigIntegerField(null=True)
        action = models.CharField(max_length=80, db_index=True)
        subject_type = models.CharField(max_length=80)
        subject_id = models.CharField(max_length=64)
        before = models.JSONField(null=True, encoder=DjangoJSONEncoder)
        after = models.JSONField(null=True, encoder=DjangoJSONEncoder)
        data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

        class Meta:
            app_label = "audit"
            db_table = "bench_unchained_event"
            indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]

        def __str__(self) -> str:
            return self.action

    with connection.schema_editor() as editor:
        editor.create_model(UnchainedEvent)
    return UnchainedEvent


def _record(number: int) -> None:
    from django.db import transaction

    from nominee.audit.services import record

    with transaction.atomic(durable=True):
        record(
            actor=None,
            action="eois.eoi_registered",
            subject_type="eois.eoi",
            subject_id=number,
            after=AFTER,
        )


def _unchained(model: Any) -> Callable[[int], None]:
    """The baseline: one event written as ``record()`` wrote it before the chain."""
    from django.db import transaction
    from django.utils import timezone

    def write(number: int) -> None:
        with transaction.atomic(durable=True):
            model.objects.create(
                at=timezone.now(),
                action="eois.eoi_registered",
                subject_type="eois.eoi",
                subject_id=str(number),
                after=dict(AFTER),
            )

    return write


def _writers(work: Callable[[int], None], writers: int, per_writer: int) -> tuple[float, float]:
    """``writers`` threads calling ``work`` ``per_writer`` times each, all released at once;
    returns (events per second over the whole run, p99 of one call in ms)."""
    from django.db import connections

    barrier = threading.Barrier(writers + 1)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def run(writer: int) -> None:
        mine: list[float] = []
        try:
            work(writer * 10_000_000)  # its connection opened before the clock starts
            barrier.wait()
            for number in range(1, per_writer + 1):
                started = time.perf_counter()
                work(writer * 10_000_000 + number)
                mine.append(time.perf_counter() - started)
        except Exception as error:
            failures.append(repr(error))
        finally:
            with lock:
                latencies.extend(mine)
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(1, writers + 1)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"a writer failed: {failures[0]}")
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return len(latencies) / elapsed, p99


def _fill(total: int) -> float:
    """Append events with record_many() until the log holds ``total``; returns seconds."""
    from django.db import transaction

    from nominee.audit.models import AuditEvent
    from nominee.audit.services import record_many

    started = time.perf_counter()
    have = AuditEvent.objects.count()
    while have < total:
        size = min(5000, total - have)
        with transaction.atomic(durable=True):
            record_many(
                {
                    "actor": None,
                    "action": "eois.eoi_registered",
                    "subject_type": "eois.eoi",
                    "subject_id": have + n,
                    "after": AFTER,
                }
                for n in range(size)
            )
        have += size
    return time.perf_counter() - started


def _verify(url: str, workdir: Path) -> tuple[float, float, str]:
    """``nominee audit verify`` in its own process: (seconds, peak RSS in MB, its output)."""
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": url,
        "NOMINEE_VAR_DIR": str(workdir),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "nominee.settings",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nominee.cli", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"verify failed (exit {done.returncode}): {done.stderr.strip()}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, done.stdout.strip()


def main() -> int:
    options = _args()
    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="bench-audit-"))
    url, drop = _prepare_database(options.database_url, workdir)
    os.environ["NOMINEE_DATABASE_URL"] = url
    os.environ.setdefault("NOMINEE_VAR_DIR", str(workdir))
    os.environ["NOMINEE_DATABASE_POOL"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nominee.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    missed: list[str] = []
    try:
        call_command("migrate", verbosity=0)
        baseline = _unchained(_unchained_model())
        engine = connection.vendor
        print(f"audit chain benchmark on {engine}")
        rows = [("one writer", 1)] + ([("two writers", 2)] if engine == "postgresql" else [])
        for label, writers in rows:
            # Alternate rounds and take medians: the machine's load drifts during a run.
            per_writer = options.writes // writers // ROUNDS
            chained, unchained = [], []
            for _ in range(ROUNDS):
                chained.append(_writers(_record, writers, per_writer))
                unchained.append(_writers(baseline, writers, per_writer))
            rate, p99 = (statistics.median(x) for x in zip(*chained, strict=True))
            base_rate, base_p99 = (statistics.median(x) for x in zip(*unchained, strict=True))
            print(
                f"  record(), {label}: {rate:,.0f} events/s (p99 {p99:.1f} ms); "
                f"unchained {base_rate:,.0f}/s (p99 {base_p99:.1f} ms); "
                f"ratio {base_rate / rate:.2f}x"
            )
            if base_rate / rate > RECORD_RATIO_GOAL:
                missed.append(
                    f"record() {label}: {base_rate / rate:.2f}x the unchained write's cost "
                    f"> {RECORD_RATIO_GOAL:.1f}x"
                )
        seconds = _fill(options.pool_size)
        print(
            f"  record_many() to {options.pool_size:,} events: {seconds:.1f} s "
            f"({options.pool_size / seconds:,.0f} events/s)"
        )
        seconds, peak, out = _verify(url, workdir)
        goal = VERIFY_GOAL_PER_MILLION * options.pool_size / 1_000_000 + STARTUP_SECONDS
        print(
            f"  nominee audit verify, {options.pool_size:,} events: {seconds:.1f} s "
            f"({options.pool_size / seconds:,.0f} events/s), peak RSS {peak:.0f} MB"
        )
        print(f"    {out[:100]}")
        if seconds > goal:
            missed.append(f"verify: {seconds:.1f} s > {goal:.1f} s")
        if peak > RSS_GOAL_MB:
            missed.append(f"verify: peak RSS {peak:.0f} MB > {RSS_GOAL_MB:.0f} MB")
    finally:
        if not options.keep:
            drop()
    for line in missed:
        print(f"!! goal missed: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
