"""Two task workers on one database (docs/operations.md: a second worker for more
throughput) run every queued task once: none twice, none left."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.processes import ROOT, database_env, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TASKS = 120

ENQUEUE = """
import sys
from tests.site.worker_tasks import note
for number in range(int(sys.argv[1])):
    note.enqueue(number)
"""

# Each task's status, and which workers ran it.
RESULTS = """
import json
from django_tasks_db.models import DBTaskResult
print(json.dumps([[r.status, r.worker_ids] for r in DBTaskResult.objects.all()]))
"""


def test_two_workers_run_each_task_once(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    env = {
        **database_env(tmp_path),
        "NOMINEE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "NOMINEE_TEST_TASK_LOG": str(log),
    }
    run(ENQUEUE, env, str(TASKS))
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nominee.cli",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--interval",
                "0.05",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=ROOT,
            env={**env, "PGAPPNAME": f"{env.get('PGAPPNAME', 'nominee')}-worker-{n}"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    runs = Counter(int(line) for line in log.read_text().split())
    assert sorted(runs) == list(range(TASKS))
    assert [n for n, times in runs.items() if times > 1] == []
    results = json.loads(run(RESULTS, env).strip().splitlines()[-1])
    assert {status for status, _ids in results} == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for _status, ids in results), results
    # Both took part: the test is of two workers at once, not one after the other.
    assert {ids[0] for _status, ids in results} == {"worker-1", "worker-2"}
