"""Benchmark of casework pages with 100,000 applications (docs/casework.md).

    .venv/bin/python bench/bench_casework.py --database-url sqlite:////tmp/x.sqlite3
    .venv/bin/python bench/bench_casework.py \
        --database-url postgres://postgres@127.0.0.1:5432/nominee_bench

On a database of its own (the URL's database name + ``_casework``, or a SQLite file in
``--workdir``; created afresh, removed at the end unless ``--keep``): migrates, writes
``--applications`` EOIs (default 100,000) with one invitation and one file each, spread
over the stages (60% decided, a third of those in the last 90 days; 5% nominated, counted
against this year's allocation), then times, in process through Django's test client
(median of ``--repeat`` requests after one warm-up, so rendering and middleware count):

- the officers' queue, first page and a stream's page (``/staff/applications/``);
- the staff dashboard (``/staff/allocation/``);
- the public allocation page (``/allocation/``), warm (its figures cached).

Goals (exit 1 when one is missed): queue and staff dashboard under 300 ms, the public
allocation page under 100 ms warm. ``--pool-size`` (from ``make bench``) is accepted and
ignored: the figure here is the number of applications.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

GOALS_MS = {
    "officer queue, first page": 300.0,
    "officer queue, one stream": 300.0,
    "staff dashboard": 300.0,
    "public allocation page (warm)": 100.0,
}
STREAMS = ["foreign-worker", "international-student", "in-demand-skills", "masters", "phd"]
STAGES = [
    ("draft", 5),
    ("submitted", 10),
    ("in_review", 12),
    ("info_requested", 5),
    ("intent_to_refuse", 3),
    ("held", 1),
    ("approved", 5),
    ("refused", 30),
    ("returned", 20),
    ("withdrawn", 9),
]


def _own_database(url: str, workdir: Path) -> str:
    if url.startswith("sqlite"):
        path = workdir / "bench_casework.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_casework"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop(url: str) -> None:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def _eoi_rows(count: int, now: datetime):
    from nominee.eois.bulkwrite import dumps

    rng = random.Random(11)
    empty_list, empty_doc = dumps([]), dumps({})
    for n in range(count):
        stream = STREAMS[n % 5]
        registered = now - timedelta(days=rng.randint(100, 360))
        yield (
            f"CW-{n:07d}", None, stream, "invited", False, registered,
            registered + timedelta(days=365), registered, dumps({"stream": stream}),
            rng.randint(30, 70), 76, "2024-01-01", empty_list, None, None, None,
            True, None, None, empty_list, False, empty_doc,
        )  # fmt: skip


def _setup(count: int) -> dict[str, float]:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from nominee.eois.bulkwrite import write_eois

    from nominee.accounts.models import User
    from nominee.casework.models import Application, Nomination
    from nominee.core.timeutil import program_date
    from nominee.draws.models import Draw, Invitation
    from nominee.eois.models import EOI
    from nominee.program.models import Allocation

    timings: dict[str, float] = {}
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    now = datetime.now(UTC)
    rng = random.Random(12)
    with transaction.atomic():
        write_eois(_eoi_rows(count, now))
        draws = {
            stream: Draw.objects.create(
                stream=stream, status=Draw.Status.EXECUTED,
                draw_date=program_date(now - timedelta(days=200)), executed_at=now,
                invitations_issued=count // 5,
            )
            for stream in STREAMS
        }  # fmt: skip
        eois = list(EOI.objects.order_by("id").values_list("id", "stream"))
        invitations = [
            Invitation(
                draw=draws[stream], eoi_id=eoi_id, rank=i + 1, score=50,
                invited_at=now - timedelta(days=200),
                candidate_deadline=program_date(now - timedelta(days=183)),
                status=Invitation.Status.APPLIED,
            )
            for i, (eoi_id, stream) in enumerate(eois)
        ]  # fmt: skip
        Invitation.objects.bulk_create(invitations, batch_size=5000)
        invitation_ids = dict(Invitation.objects.values_list("eoi_id", "id"))
        weights = [w for _s, w in STAGES]
        decided = {"approved", "refused", "returned", "withdrawn"}
        apps = []
        for eoi_id, stream in eois:
            stage = rng.choices([s for s, _w in STAGES], weights)[0]
            submitted = now - timedelta(days=rng.randint(20, 190), minutes=rng.randint(0, 900))
            decided_at = None
            if stage in decided:
                recent = rng.random() < 0.33
                decided_at = submitted + timedelta(days=rng.randint(10, 170))
                if recent:
                    decided_at = now - timedelta(days=rng.randint(0, 89))
                    submitted = decided_at - timedelta(days=rng.randint(10, 160))
            apps.append(
                Application(
                    invitation_id=invitation_ids[eoi_id], eoi_id=eoi_id, stream=stream,
                    status=stage, snapshot={"stream": stream}, created_at=submitted,
                    updated_at=submitted,
                    submitted_at=None if stage == "draft" else submitted,
                    ready=stage != "draft", ready_at=None if stage == "draft" else submitted,
                    decided_at=decided_at, fee_amount=1500,
                    fee_status="not_due" if stage == "draft" else "received",
                )
            )  # fmt: skip
        Application.objects.bulk_create(apps, batch_size=5000)
        year = program_date(now).year
        allocation = Allocation.objects.get(year=year)
        approved = list(Application.objects.filter(status="approved").values_list("id", "stream"))
        Nomination.objects.bulk_create(
            [
                Nomination(
                    application_id=app_id, allocation=allocation,
                    certificate=f"ON-{year}-{n:06d}", stream=stream,
                    issued_on=program_date(now), expires_on=program_date(now) + timedelta(days=183),
                    created_at=now,
                )
                for n, (app_id, stream) in enumerate(approved, start=1)
            ],
            batch_size=5000,
        )  # fmt: skip
        allocation.nominations = max(allocation.nominations, len(approved) + 1000)
        allocation.nominations_issued = len(approved)
        allocation.save()
        officer = User.objects.create_user(email="officer@bench.test", password=None)
        User.objects.filter(pk=officer.pk).update(email_confirmed_at=now)
        officer.groups.add(Group.objects.get(name="officer"))
        manager = User.objects.create_user(email="manager@bench.test", password=None)
        User.objects.filter(pk=manager.pk).update(email_confirmed_at=now)
        manager.groups.add(Group.objects.get(name="manager"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings[f"load {count:,} applications"] = time.perf_counter() - started
    return timings


def _time(client: object, path: str, repeat: int) -> float:
    client.get(path, secure=True)  # type: ignore[attr-defined]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, secure=True)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples) * 1000


def _measure(repeat: int) -> dict[str, float]:
    from django.test import Client

    from nominee.accounts.models import User

    officer = Client()
    officer.force_login(User.objects.get(email="officer@bench.test"))
    manager = Client()
    manager.force_login(User.objects.get(email="manager@bench.test"))
    public = Client()
    return {
        "officer queue, first page": _time(officer, "/staff/applications/", repeat),
        "officer queue, one stream": _time(
            officer, "/staff/applications/?stream=masters&status=in_review&page=3", repeat
        ),
        "staff dashboard": _time(manager, "/staff/allocation/", repeat),
        "public allocation page (warm)": _time(public, "/allocation/", repeat),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--pool-size", type=int, default=None, help="ignored (make bench)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nominee-bench-cw-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = _own_database(args.database_url, workdir)
    os.environ.update(
        {
            "NOMINEE_DATABASE_URL": url,
            "NOMINEE_VAR_DIR": str(workdir),
            "NOMINEE_STATIC_NO_MANIFEST": "true",
            "NOMINEE_DEBUG": "false",
            "NOMINEE_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "nominee.settings",
        }
    )
    engine = "sqlite" if url.startswith("sqlite") else "postgresql"
    print(f"== casework benchmark on {engine}, {args.applications:,} applications", flush=True)
    missed = []
    try:
        for name, seconds in _setup(args.applications).items():
            print(f"{name:42} {seconds:8.2f} s", flush=True)
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        for name, ms in _measure(args.repeat).items():
            goal = GOALS_MS[name]
            verdict = "ok" if ms < goal else f"MISSED (goal {goal:.0f} ms)"
            print(f"{name:42} {ms:8.1f} ms  {verdict}", flush=True)
            if ms >= goal:
                missed.append(name)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop(url)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
