"""The worker's heartbeat: a task that re-enqueues itself every minute (Decision 80b).

A task worker that runs it proves, end to end, that it reads the queue and runs what it
finds; ``/readyz`` (``site.health``) asks when a task last finished. The rows are the task
queue's own (django-tasks-db), not program data: nothing is audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

HEARTBEAT_PATH = "nominee.site.tasks.worker_heartbeat"


def heartbeat_waiting() -> bool:
    """Whether a heartbeat is queued, waiting for its minute or for a worker."""
    return DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH, status="READY").exists()


def enqueue_heartbeat(*, delay_seconds: float = 0) -> None:
    """Queue one heartbeat, ``delay_seconds`` from now."""
    worker_heartbeat.using(run_after=timezone.now() + timedelta(seconds=delay_seconds)).enqueue()


@task()
def worker_heartbeat() -> str:
    """Queue the next heartbeat (unless one is waiting already: two probes that both
    started a chain leave one after a minute), and forget the heartbeats of the past hour."""
    now = timezone.now()
    DBTaskResult.objects.filter(
        task_path=HEARTBEAT_PATH, finished_at__lt=now - timedelta(hours=1)
    ).delete()
    if not heartbeat_waiting():
        enqueue_heartbeat(delay_seconds=settings.NOMINEE_WORKER_HEARTBEAT_SECONDS)
    return now.isoformat()
