"""`make bench`: schemathesis over the whole API, many more examples than the test suite.

Runs tests/api/test_fuzz.py (every operation, anonymously and with an officer's, a
candidate's and an employer contact's token, every check but the two it excludes) with
NOMINEE_FUZZ_EXAMPLES examples per operation (default here 200) and a new random search,
on a temporary SQLite database. Prints the number of cases sent and of failing operations;
exits non-zero when any operation failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the fuzz tests once with a large budget; print cases and failures."""
    examples = os.environ.get("NOMINEE_BENCH_FUZZ_EXAMPLES", "200")
    workdir = Path(tempfile.mkdtemp(prefix="nominee-fuzz-"))
    report = workdir / "fuzz.jsonl"
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "NOMINEE_FUZZ_EXAMPLES": examples,
        "NOMINEE_FUZZ_RANDOM": "1",
        "NOMINEE_FUZZ_REPORT": str(report),
    }
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
    code = subprocess.call([*command, "tests/api/test_fuzz.py"], cwd=ROOT, env=env)
    seconds = time.monotonic() - started
    rows = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    cases = sum(row["cases"] for row in rows)
    failures = sum(row["failures"] for row in rows)
    print(f"fuzz: {examples} examples per operation, {len(rows)} runs, {cases} cases sent")
    print(f"fuzz: {failures} failing operation(s), pytest exit {code}, {seconds:.0f} s")
    return 1 if code != 0 or failures or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
