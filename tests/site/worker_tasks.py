"""A task for the test of two workers on one queue: each run appends its number to the
file ``NOMINEE_TEST_TASK_LOG`` names, so a task run twice shows as a number written twice."""

from __future__ import annotations

import os

from django_tasks import task


@task()
def note(number: int) -> int:
    """Append ``number`` to the log (one ``write`` of one line: appends do not interleave)."""
    with open(os.environ["NOMINEE_TEST_TASK_LOG"], "a", encoding="ascii") as log:
        log.write(f"{number}\n")
    return number
