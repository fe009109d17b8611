"""Benchmark of draws on a generated pool (default 1,000,000 EOIs), SQLite or PostgreSQL.

    .venv/bin/python bench/bench_draws.py --database-url sqlite:////tmp/bench.sqlite3
    .venv/bin/python bench/bench_draws.py --database-url postgres://postgres@127.0.0.1:5432/nominee_bench

Measures, each beside a raw-SQL baseline of the same work run on the same database in
the same run (medians of ``--repeat`` runs):

- the preview (``nominee.draws.queries.preview``) of a Foreign Worker draw of 1,134
  invitations targeting 77 NOCs within a registration window (2025-07-02..2025-09-03);
  baseline: the histogram GROUP BY and the LIMIT selection as hand-written SQL;
- the execution of that draw (``services.execute_draw``, the whole durable transaction
  with its commit); baseline: the same selection, the count, the invitation INSERT, the
  EOI UPDATE and the draw UPDATE as hand-written SQL in one transaction.
After each execution the invitations are deleted and the EOIs set active again, so every
run draws from the same pool. Peak memory: tracemalloc peak of one preview plus one
execution, and the process's maximum RSS.

Goals (exit 1 when one is missed): execution <= 2x baseline and < 250 ms; preview
< 500 ms; peak memory < 300 MB.

The pool: rows in the shape the EOI import writes (profile document, score breakdown,
copied targeting columns), generated here with a fixed seed and written with COPY
(PostgreSQL) or executemany (SQLite). Streams, TEERs, locations and languages follow the
weights of ``nominee.eois.generate``; scores are computed from the generated facts with
the points grid of DOMAIN §4. The database is temporary: a PostgreSQL database named in
the URL is dropped and created (never a database called ``nominee``), a SQLite file is
created afresh; both are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DRAW_DATE = date(2025, 9, 3)
WINDOW = (date(2025, 7, 2), date(2025, 9, 3))
INVITATIONS = 1134
NOC_COUNT = 77


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--pool-size", type=int, default=1_000_000)
    parser.add_argument("--workdir", default="")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20250903)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--trace", action="store_true", help="print each query of one execution")
    return parser.parse_args()


def _prepare_database(url: str, workdir: Path) -> tuple[str, Callable[[], None]]:
    """Create the temporary database; return its URL and a function that removes it."""
    if not url or url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///")) if url else workdir / "bench_draws.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

        def drop_file() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

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


# ------------------------------------------------------------------ the generated pool

STREAMS = [
    ("foreign-worker", 46),
    ("international-student", 24),
    ("in-demand-skills", 10),
    ("masters", 15),
    ("phd", 5),
]
PREFIX = {
    "foreign-worker": "FW",
    "international-student": "IS",
    "in-demand-skills": "IDS",
    "masters": "MS",
    "phd": "PHD",
}
TEER_WEIGHTS = {0: 8, 1: 34, 2: 34, 3: 24}
CATEGORY_POINTS = {0: 10, 2: 10, 3: 10, 7: 7, 1: 5, 9: 5, 4: 4, 8: 4, 5: 3, 6: 3}
REGION_POINTS = {"northern": 10, "other": 8, "greater-toronto": 3, "toronto": 0}
ENGLISH = {5: 4, 6: 10, 7: 22, 8: 25, 9: 20, 10: 11, 11: 4, 12: 2}
LEVELS = {
    "masters": 22,
    "bachelors": 40,
    "graduate-certificate": 6,
    "undergraduate-diploma": 14,
    "apprenticeship": 8,
    "secondary-or-less": 10,
}
LEVEL_POINTS = {
    "phd": 10,
    "masters": 8,
    "bachelors": 6,
    "graduate-certificate": 6,
    "undergraduate-diploma": 5,
    "apprenticeship": 5,
    "secondary-or-less": 0,
}
CD_WEIGHTS = {
    "3520": 34,
    "3521": 13,
    "3519": 9,
    "3518": 4,
    "3524": 4,
    "3506": 7,
    "3525": 4,
    "3530": 4,
    "3539": 4,
    "3537": 2,
    "3526": 2,
    "3543": 2,
    "3553": 2,
    "3558": 2,
    "3557": 1,
    "3548": 1,
}


def _wage_points(wage: float) -> int:
    for floor, points in ((40, 10), (35, 8), (30, 7), (25, 6), (20, 5)):
        if wage >= floor:
            return points
    return 0


def _clb_points(clb: int) -> int:
    return 10 if clb >= 9 else 6 if clb == 8 else 4 if clb == 7 else 0


class Pool:
    """Row tuples for ``eois_eoi`` in the column order of ``FIELDS``."""

    FIELDS = [
        "external_id",
        "stream",
        "status",
        "is_legacy",
        "registered_at",
        "expires_at",
        "updated_at",
        "profile",
        "score",
        "max_score",
        "grid",
        "breakdown",
        "noc",
        "census_division",
        "region",
        "in_canada",
        "education_level",
        "french_clb",
        "flags",
        "needs_review",
    ]

    def __init__(self, size: int, seed: int) -> None:
        from nominee.reference.models import CensusDivision, Noc

        self.size = size
        self.rng = random.Random(seed)
        self.nocs_by_teer: dict[int, list[str]] = {}
        for code, teer in Noc.objects.values_list("code", "teer"):
            self.nocs_by_teer.setdefault(teer, []).append(code)
        self.regions = dict(CensusDivision.objects.values_list("code", "region"))
        self.cds = list(self.regions)
        self.cd_weights = [CD_WEIGHTS.get(cd, 0) * 20 or 5 for cd in self.cds]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        from nominee.core.timeutil import add_months, start_of

        rng = self.rng
        # A year of registrations up to the draw date: the older ones are legacy in the
        # employer streams (before 2025-07-02) and some have expired by the draw date.
        start = start_of(date(2024, 8, 1))
        span = int((start_of(DRAW_DATE + timedelta(days=1)) - start).total_seconds())
        legacy = start_of(date(2025, 7, 2))
        streams = [s for s, _ in STREAMS]
        weights = [w for _, w in STREAMS]
        teers, teer_w = list(TEER_WEIGHTS), list(TEER_WEIGHTS.values())
        clbs, clb_w = list(ENGLISH), list(ENGLISH.values())
        levels, level_w = list(LEVELS), list(LEVELS.values())
        instants = sorted(
            start + timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6))
            for _ in range(self.size)
        )
        for number, registered in enumerate(instants, start=1):
            stream = rng.choices(streams, weights)[0]
            employer = stream in {"foreign-worker", "international-student", "in-demand-skills"}
            clb = rng.choices(clbs, clb_w)[0]
            french = rng.choice([None] * 8 + [5, 7, 9])
            permit = rng.random() < 0.7
            tenure = rng.randrange(0, 24)
            earnings = rng.random() < 0.55
            level = "phd" if stream == "phd" else "masters" if stream == "masters" else None
            if level is None:
                level = rng.choices(levels, level_w)[0]
            factors: list[dict[str, Any]] = []
            profile: dict[str, Any] = {
                "id": f"{PREFIX[stream]}-{number:07d}",
                "stream": stream,
                "registered_at": registered.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "permit": "work" if permit else "none",
                "highest_annual_earnings": 52000 if earnings else 31000,
                "languages": {"english": clb, "french": french},
            }
            noc = cd = region = None
            if employer:
                teer = rng.choices(teers, teer_w)[0] if stream != "in-demand-skills" else 4
                noc = rng.choice(self.nocs_by_teer[teer])
                cd = rng.choices(self.cds, self.cd_weights)[0]
                region = self.regions[cd]
                wage = round(rng.uniform(19, 55), 2)
                profile["job_offer"] = {"noc": noc, "hourly_wage": wage, "census_division": cd}
                profile["job_tenure_months"] = tenure
                if stream != "in-demand-skills":
                    factors.append(self._f("job_offer_teer", 10 if teer <= 1 else 8, 10))
                factors.append(self._f("job_offer_category", CATEGORY_POINTS[int(noc[0])], 10))
                factors.append(self._f("job_offer_wage", _wage_points(wage), 10))
            factors.append(self._f("permit", 10 if permit else 0, 10))
            if employer:
                factors.append(self._f("job_tenure", 3 if tenure >= 6 else 0, 3))
            factors.append(self._f("earnings_history", 3 if earnings else 0, 3))
            if stream != "foreign-worker" and stream != "in-demand-skills":
                profile["education"] = {"level": level, "field": "stem"}
                factors.append(self._f("education_level", LEVEL_POINTS[level], 10))
                factors.append(self._f("field_of_study", 12, 12))
            factors.append(self._f("language_ability", _clb_points(clb), 10))
            factors.append(self._f("official_languages", 10 if french else 5, 10))
            if employer:
                factors.append(self._f("job_location", REGION_POINTS[region or "other"], 10))
            score = sum(f["points"] for f in factors)
            is_legacy = employer and registered < legacy
            status = "active"
            roll = rng.random()
            if roll < 0.02:
                status = "withdrawn"
            elif roll < 0.03:
                status = "ineligible"
            yield (
                profile["id"],
                stream,
                status,
                is_legacy,
                registered,
                add_months(registered, 12),
                registered,
                profile,
                score,
                sum(f["max"] for f in factors),
                "2024-01-01",
                factors,
                noc,
                cd,
                region,
                permit,
                level,
                french,
                [],
                False,
            )

    @staticmethod
    def _f(factor: str, points: int, maximum: int) -> dict[str, Any]:
        return {"factor": factor, "points": points, "max": maximum, "reason": ""}


def load_pool(size: int, seed: int) -> float:
    """Write the pool; return the seconds it took."""
    from django.db import connection, transaction

    from nominee.eois.models import EOI

    started = time.perf_counter()
    pool = Pool(size, seed)
    table = EOI._meta.db_table
    # Columns the EOI app may add later (NOT NULL with a default): written with it.
    extra = [
        (field.column, field.get_default())
        for field in EOI._meta.concrete_fields
        if field.column not in Pool.FIELDS
        and not field.primary_key
        and not field.null
        and field.has_default()
    ]
    fields = Pool.FIELDS + [column for column, _default in extra]
    tail = tuple(default for _column, default in extra)
    columns = ", ".join(connection.ops.quote_name(f) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in pool.rows():
                    copy.write_row(
                        [json.dumps(v) if isinstance(v, dict | list) else v for v in row + tail]
                    )
        else:
            marks = ", ".join("?" for _ in fields)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            chunk: list[tuple[Any, ...]] = []
            for row in pool.rows():
                chunk.append(
                    tuple(
                        json.dumps(v)
                        if isinstance(v, dict | list)
                        else str(v.astimezone(UTC).replace(tzinfo=None))
                        if isinstance(v, datetime)
                        else v
                        for v in row + tail
                    )
                )
                if len(chunk) >= 20000:
                    cursor.cursor.executemany(sql, chunk)
                    chunk = []
            if chunk:
                cursor.cursor.executemany(sql, chunk)
    with connection.cursor() as cursor:
        # A live pool is vacuumed by autovacuum: VACUUM sets PostgreSQL's visibility map,
        # without which an index-only scan still visits every heap row it counts.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


# ------------------------------------------------------------------ the draw and baselines


def target_nocs() -> list[str]:
    """77 NOCs: the 11 known of 2025-09-03 and 66 more TEER 0-3 codes, fixed."""
    from nominee.reference.models import Noc, OccupationList

    known = OccupationList.objects.get(slug="targeted-2025-09-03").codes()
    others = [
        code
        for code in Noc.objects.filter(teer__lte=3).order_by("code").values_list("code", flat=True)
        if code not in known
    ]
    return sorted(known + random.Random(77).sample(others, NOC_COUNT - len(known)))


def _baseline_where(nocs: list[str]) -> tuple[str, list[Any]]:
    from django.db import connection

    from nominee.core.timeutil import end_of, start_of

    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        "stream = %s AND status = %s AND NOT is_legacy AND registered_at >= %s "
        "AND registered_at < %s AND expires_at >= %s AND noc IN ("
        + ", ".join(["%s"] * len(nocs))
        + ")"
    )
    params = [
        "foreign-worker",
        "active",
        adapt(start_of(WINDOW[0])),
        adapt(end_of(WINDOW[1])),
        adapt(end_of(DRAW_DATE)),
        *nocs,
    ]
    return sql, params


def baseline_select_sql(nocs: list[str]) -> tuple[str, list[Any]]:
    """The selection written by hand (the index order, LIMIT N)."""
    from django.db import connection

    where, params = _baseline_where(nocs)
    hint = " INDEXED BY eoi_draw_order" if connection.vendor == "sqlite" else ""
    if connection.vendor == "sqlite":
        where = where.replace("registered_at", "+registered_at").replace(
            "expires_at", "+expires_at"
        )
        where = where.replace("noc IN", "+noc IN")
    return (
        f"SELECT id, external_id, score, registered_at FROM eois_eoi{hint} WHERE {where} "
        "ORDER BY score DESC, registered_at, id LIMIT %s",
        [*params, INVITATIONS],
    )


def baseline_preview(nocs: list[str]) -> None:
    """The preview's reads by hand: the histogram and the selection."""
    from django.db import connection

    where, params = _baseline_where(nocs)
    sql, select_params = baseline_select_sql(nocs)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT score, COUNT(*) FROM eois_eoi WHERE {where} GROUP BY score", params)
        cursor.fetchall()
        cursor.execute(sql, select_params)
        cursor.fetchall()


def baseline_execute(nocs: list[str], draw_id: int) -> list[int]:
    """The execution by hand, one transaction: select, count, insert, update, update."""
    from django.db import connection, transaction
    from django.utils import timezone

    where, params = _baseline_where(nocs)
    sql, select_params = baseline_select_sql(nocs)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    hint = " INDEXED BY eoi_draw_order" if connection.vendor == "sqlite" else ""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off; SET LOCAL enable_incremental_sort = off")
        cursor.execute(sql, select_params)
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = on; SET LOCAL enable_incremental_sort = on")
        cursor.execute(f"SELECT COUNT(*) FROM eois_eoi{hint} WHERE {where}", params)
        cursor.fetchone()
        values = [
            (draw_id, row[0], rank, row[2], now, "2025-09-20", "2025-09-17", "open")
            for rank, row in enumerate(rows, start=1)
        ]
        insert = (
            "INSERT INTO draws_invitation (draw_id, eoi_id, rank, score, invited_at, "
            "candidate_deadline, employer_deadline, status) VALUES "
        )
        for start in range(0, len(values), 100):
            chunk = values[start : start + 100]
            cursor.execute(
                insert + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk)),
                [v for row in chunk for v in row],
            )
        cursor.execute(
            "UPDATE eois_eoi SET status = 'invited' WHERE status = 'active' AND id IN "
            "(SELECT eoi_id FROM draws_invitation WHERE draw_id = %s)",
            [draw_id],
        )
        cursor.execute(
            "UPDATE draws_draw SET status = 'executed', invitations_issued = %s, "
            "min_score = %s, tie_break = %s, executed_at = %s WHERE id = %s",
            [len(rows), rows[-1][2], rows[-1][3], now, draw_id],
        )
    return [row[0] for row in rows]


def undo(draw_id: int) -> None:
    """Put the pool back as it was before a draw (benchmark only)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE eois_eoi SET status = 'active' WHERE id IN "
            "(SELECT eoi_id FROM draws_invitation WHERE draw_id = %s)",
            [draw_id],
        )
        cursor.execute("DELETE FROM draws_invitation WHERE draw_id = %s", [draw_id])


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    options = _args()
    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="bench-draws-"))
    url, drop = _prepare_database(options.database_url, workdir)
    os.environ["NOMINEE_DATABASE_URL"] = url
    os.environ.setdefault("NOMINEE_VAR_DIR", str(workdir))
    os.environ["NOMINEE_DATABASE_POOL"] = "false"
    # E-mails are background work: enqueueing is timed, sending is not.
    os.environ["NOMINEE_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["NOMINEE_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nominee.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        engine = connection.vendor
        print(f"draws benchmark on {engine}, pool of {options.pool_size:,} EOIs")
        seconds = load_pool(options.pool_size, options.seed)
        print(f"  pool generated and loaded in {seconds:.1f} s")

        from nominee.accounts.models import User
        from nominee.draws import services
        from nominee.draws.criteria import parse_criteria
        from nominee.draws.queries import preview

        officer = User.objects.create_user(email="officer@bench.test", password=None)
        officer.groups.add(Group.objects.get(name="officer"))
        manager = User.objects.create_user(email="manager@bench.test", password=None)
        manager.groups.add(Group.objects.get(name="manager"))
        nocs = target_nocs()
        criteria = parse_criteria(
            {
                "stream": "foreign-worker",
                "invitations": INVITATIONS,
                "noc_codes": nocs,
                "registered_from": WINDOW[0],
                "registered_to": WINDOW[1],
                "draw_date": DRAW_DATE,
            }
        )

        # Warm-up (caches, first-query costs), then the measured runs.
        shown = preview(criteria)
        baseline_preview(nocs)
        print(
            f"  draw: FW, {len(nocs)} NOCs, window {WINDOW[0]}..{WINDOW[1]}: "
            f"eligible {shown.eligible:,}, would invite {shown.count:,}, cut-off {shown.min_score}"
        )
        preview_s, preview_base_s = [], []
        for _ in range(options.repeat):
            started = time.perf_counter()
            preview(criteria)
            preview_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            baseline_preview(nocs)
            preview_base_s.append(time.perf_counter() - started)

        def approved() -> Any:
            draw = services.propose_draw(actor=officer, criteria=criteria)
            return services.approve_draw(actor=manager, draw=draw)

        from django.db import transaction

        def execute_timed(draw: Any) -> tuple[Any, float, float]:
            """The execution (its committed transaction), then its after-commit hooks."""
            hooks: list[Callable[[], None]] = []
            real = transaction.on_commit
            transaction.on_commit = lambda func, using=None, robust=False: hooks.append(func)  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                result = services.execute_draw(actor=manager, draw=draw)
                elapsed = time.perf_counter() - started
            finally:
                transaction.on_commit = real
            started = time.perf_counter()
            for hook in hooks:
                hook()
            return result, elapsed, time.perf_counter() - started

        execute_s, execute_base_s, hooks_s = [], [], []
        same = True
        for _ in range(options.repeat + 1):
            draw = approved()
            result, elapsed, after = execute_timed(draw)
            execute_s.append(elapsed)
            hooks_s.append(after)
            undo(draw.pk)
            baseline_draw = approved()
            started = time.perf_counter()
            ids = baseline_execute(nocs, baseline_draw.pk)
            execute_base_s.append(time.perf_counter() - started)
            undo(baseline_draw.pk)
            same = same and len(ids) == result.invitations == INVITATIONS
        # The first run of each is a warm-up.
        execute_s, execute_base_s, hooks_s = execute_s[1:], execute_base_s[1:], hooks_s[1:]

        if options.trace:
            trace: list[tuple[float, str]] = []

            def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    trace.append((time.perf_counter() - started, sql[:120]))

            draw = approved()
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                services.execute_draw(actor=manager, draw=draw)
                total = time.perf_counter() - started
            undo(draw.pk)
            print(f"  trace of one execution ({total * 1000:.1f} ms):")
            for seconds_taken, sql in trace:
                print(f"    {seconds_taken * 1000:7.2f} ms  {sql}")

        tracemalloc.start()
        preview(criteria)
        draw = approved()
        services.execute_draw(actor=manager, draw=draw)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        undo(draw.pk)
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        p, pb = _median_ms(preview_s), _median_ms(preview_base_s)
        e, eb = _median_ms(execute_s), _median_ms(execute_base_s)
        print(f"  preview     {p:8.1f} ms   baseline {pb:8.1f} ms   ratio {p / pb:5.2f}")
        print(f"  execution   {e:8.1f} ms   baseline {eb:8.1f} ms   ratio {e / eb:5.2f}")
        print(
            f"  after commit {_median_ms(hooks_s):7.1f} ms   (draw_executed receivers: the "
            "publication snapshot; e-mail task enqueued; not part of the transaction)"
        )
        print(
            f"  peak memory {peak / 2**20:8.1f} MB traced (preview + execution); "
            f"process max RSS {maxrss_mb:.0f} MB (includes generating the pool)"
        )
        misses = []
        if not same:
            misses.append("the execution and the baseline invited different counts")
        if e > 250 or e > 2 * eb:
            misses.append(f"execution {e:.0f} ms (goal < 250 ms and <= 2x baseline {eb:.0f} ms)")
        if p > 500:
            misses.append(f"preview {p:.0f} ms (goal < 500 ms)")
        if peak / 2**20 > 300:
            misses.append(f"peak memory {peak / 2**20:.0f} MB (goal < 300 MB)")
        for miss in misses:
            print(f"  MISSED: {miss}")
        if not misses:
            print("  all goals met")
        return 1 if misses else 0
    finally:
        if not options.keep:
            drop()


if __name__ == "__main__":
    sys.exit(main())
