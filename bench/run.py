"""`make bench`: every benchmark, on SQLite and on PostgreSQL, with the figures printed.

Each `bench/bench_*.py` is a script. One that takes `--database-url` runs once per
database (a temporary SQLite file, and PostgreSQL at NOMINEE_BENCH_POSTGRES_URL when it
answers); the others run once. Each script prints its figures and exits non-zero when it
misses a goal; this runner prints a summary and exits non-zero if any did.

Scale: NOMINEE_BENCH_POOL (default 1,000,000 EOIs) is passed to the scripts as
`--pool-size`; a smaller figure gives a quick smoke run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "bench_scoring.py",
    "bench_eois.py",
    "bench_draws.py",
    "bench_publication.py",
    "bench_casework.py",
]


def _postgres_url() -> str | None:
    url = os.environ.get(
        "NOMINEE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/nominee_bench"
    )
    try:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, connect_timeout=3):
            return url
    except Exception:
        return None


def main() -> int:
    """Run every benchmark; return the number of scripts that failed or missed a goal."""
    scripts = [ROOT / "bench" / name for name in ORDER if (ROOT / "bench" / name).exists()]
    scripts += sorted(p for p in (ROOT / "bench").glob("bench_*.py") if p.name not in ORDER)
    pool = os.environ.get("NOMINEE_BENCH_POOL", "1000000")
    workdir = Path(tempfile.mkdtemp(prefix="nominee-bench-"))
    databases = {"sqlite": f"sqlite:///{workdir / 'bench.sqlite3'}"}
    if pg := _postgres_url():
        databases["postgresql"] = pg
    else:
        print("!! PostgreSQL not reachable: its benchmarks are skipped")
    results: list[tuple[str, str, int, float]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NOMINEE_VAR_DIR": str(workdir)}
    for script in scripts:
        takes_db = "--database-url" in script.read_text()
        targets = list(databases.items()) if takes_db else [("-", "")]
        for engine, url in targets:
            args = [sys.executable, str(script)]
            if takes_db:
                args += ["--database-url", url, "--pool-size", pool, "--workdir", str(workdir)]
            print(f"\n== {script.name} [{engine}]", flush=True)
            started = time.monotonic()
            code = subprocess.call(args, cwd=ROOT, env=env)
            results.append((script.name, engine, code, time.monotonic() - started))
    print("\n== summary")
    for name, engine, code, seconds in results:
        verdict = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:28} {engine:11} {seconds:7.1f} s  {verdict}")
    return sum(1 for *_, code, _ in results if code != 0)


if __name__ == "__main__":
    sys.exit(main())
