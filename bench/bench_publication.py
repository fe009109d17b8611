"""Benchmark of the public record: warm throughput under gunicorn, cold compute on 1M EOIs.

    .venv/bin/python bench/bench_publication.py --database-url sqlite:////tmp/x.sqlite3
    .venv/bin/python bench/bench_publication.py \
        --database-url postgres://postgres@127.0.0.1:5432/nominee_bench

What it does, on a database of its own (the URL's database name + ``_publication``, or a
SQLite file in ``--workdir``; created afresh, removed at the end unless ``--keep``):

1. migrates, imports the shipped 2025 record (``oinp_draws_2025.csv``), writes twelve
   executed Nominee draws, and loads a pool of ``--pool-size`` EOIs (default 1,000,000)
   registered over the last 300 days (all live today), with the bulk writer the EOI
   import uses (COPY / executemany);
2. cold compute, cache empty (median of ``--repeat``): the current pool distribution of
   the five streams (``queries.current_pool``: one GROUP BY per stream over the pool),
   and the record behind the list, the feeds and the API (``queries.all_entries`` plus
   the JSON, CSV and Atom bodies);
3. starts gunicorn (``-k gthread --workers 2 --threads 4``) on 127.0.0.1 and, for
   /draws/, /draws.atom, /api/v1/draws and /draws/pool/, warms the cache with one request
   then loads it with ``wrk`` (``-t2 -c16 -d<duration>s``, loopback only) or, without
   wrk, a bounded Python load generator; prints requests per second.

Goals (exit 1 when one is missed): every URL >= 1,000 requests/s warm; the cold pool
distribution under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

URLS = ["/draws/", "/draws.atom", "/api/v1/draws", "/draws/pool/"]
GOAL_RPS = 1000.0
GOAL_COLD_SECONDS = 1.0
STREAMS = [
    ("foreign-worker", 46, 76),
    ("international-student", 24, 118),
    ("in-demand-skills", 10, 66),
    ("masters", 15, 75),
    ("phd", 5, 75),
]
NOCS = ["21231", "31301", "31102", "41200", "72310", "64100", "13110", "42202"]
DIVISIONS = [
    ("3520", "toronto"),
    ("3521", "greater-toronto"),
    ("3553", "northern"),
    ("3506", "other"),
]


def _own_database(url: str, workdir: Path, suffix: str = "publication") -> str:
    """A fresh database of the engine ``url`` names, called after the benchmark."""
    if url.startswith("sqlite"):
        path = workdir / f"bench_{suffix}.sqlite3"
        for ext in ("", "-wal", "-shm"):
            Path(f"{path}{ext}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + f"_{suffix}"
    if name == "nominee":
        raise SystemExit("refusing to use a database called nominee")
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
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


def _rows(count: int, seed: int = 6):
    from nominee.eois.bulk.encoding import dumps

    rng = random.Random(seed)
    now = datetime.now(UTC)
    weights = [w for _s, w, _m in STREAMS]
    empty_list, empty_doc = dumps([]), dumps({})
    for n in range(count):
        stream, _w, top = rng.choices(STREAMS, weights)[0]
        registered = now - timedelta(seconds=rng.randint(3600, 300 * 86400))
        employer = stream in {"foreign-worker", "international-student", "in-demand-skills"}
        cd, region = rng.choice(DIVISIONS) if employer else (None, None)
        score = max(0, min(top, int(rng.gauss(top * 0.6, top * 0.12))))
        yield (
            f"PB-{n:07d}",
            None,
            stream,
            "active",
            False,
            registered,
            registered + timedelta(days=365),
            registered,
            dumps({"stream": stream}),
            score,
            top,
            "2024-01-01",
            empty_list,
            rng.choice(NOCS) if employer else None,
            cd,
            region,
            rng.random() < 0.8,
            None,
            None,
            empty_list,
            False,
            empty_doc,
        )


def _setup(pool_size: int) -> dict[str, float]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from nominee.draws.models import Draw
    from nominee.eois.bulk.write import write_eois
    from nominee.publication.services import import_published_draws
    from nominee.reference.services import data_file

    timings: dict[str, float] = {}
    call_command("migrate", verbosity=0, interactive=False)
    import_published_draws(text=data_file("oinp_draws_2025.csv"), source_file="oinp_draws_2025.csv")
    now = datetime.now(UTC)
    with transaction.atomic():
        for i in range(12):
            stream = STREAMS[i % 5][0]
            Draw.objects.create(
                stream=stream,
                status=Draw.Status.EXECUTED,
                draw_date=(now - timedelta(days=10 * (i + 1))).date(),
                invitations_requested=100 + i,
                executed_at=now,
                invitations_issued=100 + i,
                min_score=40 + i,
                tie_break=now - timedelta(days=40),
                eligible=10_000 + i,
                noc_codes=NOCS[: i % 4],
            )
    started = time.perf_counter()
    with transaction.atomic():
        write_eois(_rows(pool_size))
    timings["load pool"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def _cold(repeat: int) -> dict[str, float]:
    from django.core.cache import cache

    from nominee.publication import feeds, queries

    pool_times, record_times = [], []
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        distributions = queries.current_pool()
        pool_times.append(time.perf_counter() - started)
        assert sum(d.total for d in distributions) > 0
        started = time.perf_counter()
        entries = queries.all_entries()
        feeds.json_body(entries)
        feeds.csv_body(entries)
        feeds.atom_body(entries)
        record_times.append(time.perf_counter() - started)
    return {
        "cold pool distribution (5 streams)": statistics.median(pool_times),
        "cold record + JSON/CSV/Atom bodies": statistics.median(record_times),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def _start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn as in production (``-k gthread``, 2 workers x 4 threads) on a free loopback
    port, once it answers; the process and the port."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "nominee.wsgi",
            "-k",
            "gthread",
            "--workers",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    _wait(f"http://127.0.0.1:{port}/healthz")
    return server, port


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn: its workers finish their requests, or are killed after 15 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def _wrk(url: str, duration: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error answers under load")
    return float(match.group(1)) if match else 0.0


def _python_load(url: str, duration: int, connections: int) -> float:
    import http.client

    parts = urlsplit(url)
    stop = time.monotonic() + duration
    counts = [0] * connections

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        while time.monotonic() < stop and counts[index] < 1_000_000:
            conn.request("GET", parts.path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: status {response.status}")
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pool-size", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nominee-bench-pub-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = _own_database(args.database_url, workdir)
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": url,
        "NOMINEE_VAR_DIR": str(workdir),
        "NOMINEE_STATIC_NO_MANIFEST": "true",
        "NOMINEE_DEBUG": "false",
        "NOMINEE_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "nominee.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)
    engine = "sqlite" if url.startswith("sqlite") else "postgresql"
    print(f"== publication benchmark on {engine}, pool of {args.pool_size:,} EOIs", flush=True)
    results: dict[str, float] = {}
    server: subprocess.Popen[bytes] | None = None
    missed: list[str] = []
    try:
        for name, seconds in _setup(args.pool_size).items():
            print(f"{name:42} {seconds:8.2f} s", flush=True)
        for name, seconds in _cold(args.repeat).items():
            print(f"{name:42} {seconds * 1000:8.0f} ms", flush=True)
            results[name] = seconds
        if results["cold pool distribution (5 streams)"] >= GOAL_COLD_SECONDS:
            missed.append("cold pool distribution >= 1 s")
        from django.db import connections

        connections.close_all()
        server, port = _start_gunicorn(env)
        base = f"http://127.0.0.1:{port}"
        tool = "wrk" if shutil.which("wrk") else "python"
        print(f"load tool: {tool}, {args.connections} connections, {args.duration} s per URL")
        for path in URLS:
            for _ in range(4):  # warm both workers' caches
                with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                    assert response.status == 200, path
            load = _wrk if tool == "wrk" else _python_load
            rps = load(base + path, args.duration, args.connections)
            print(f"warm {path:37} {rps:8.0f} req/s", flush=True)
            if rps < GOAL_RPS:
                missed.append(f"{path} {rps:.0f} req/s < {GOAL_RPS:.0f}")
    finally:
        if server is not None:
            _stop(server)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _drop(url)
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("all goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
