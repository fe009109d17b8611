"""``/readyz``: whether this process can serve, for load balancers and monitoring.

``/healthz`` (``core.views``) says the process answers. ``/readyz`` also says whether the
database answers, every migration is applied and a task worker ran a task lately (the
heartbeat of ``site.tasks``, Decision 80b): 200, or 503 naming each failing check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from nominee.core.views import healthz

from . import tasks
from .metrics import metrics

#: Once this process has seen every migration applied it stops asking (its code, and so
#: its migrations, cannot change while it runs); reading the migration files costs ~0.1 s.
_migrated = False


def check_database() -> str | None:
    """None when a query answers, else why not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"unreachable: {error.__class__.__name__}"
    return None


def check_migrations() -> str | None:
    """None when every migration the code has is applied, else which are not."""
    global _migrated
    if _migrated:
        return None
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        return f"{len(names)} not applied ({', '.join(names[:3])}{more}): run `nominee migrate`"
    _migrated = True
    return None


def check_worker() -> str | None:
    """None when a task finished within ``NOMINEE_WORKER_MAX_SILENCE`` seconds, else how
    long the queue has been silent. Queues a heartbeat when none is waiting (the first
    probe after an install, or after a worker died while running one)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return None  # tasks run in the web process (immediate backend): no worker to see
    if not tasks.heartbeat_waiting():
        tasks.enqueue_heartbeat()
    last = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    limit = settings.NOMINEE_WORKER_MAX_SILENCE
    if last is None:
        return "no task has ever finished: is `nominee db_worker` running?"
    silence = (timezone.now() - last).total_seconds()
    if silence > limit:
        return (
            f"no task finished for {int(silence)} s (limit {limit} s): "
            "is `nominee db_worker` running?"
        )
    return None


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the migrations and the worker are all fine, else 503."""
    checks: dict[str, str] = {}
    database = check_database()
    checks["database"] = database or "ok"
    if database:
        checks["migrations"] = checks["worker"] = "not checked: no database"
    else:
        checks["migrations"] = check_migrations() or "ok"
        checks["worker"] = check_worker() or "ok"
    failing = [name for name, outcome in checks.items() if outcome != "ok"]
    return JsonResponse(
        {"status": "unavailable" if failing else "ready", "checks": checks, "failing": failing},
        status=503 if failing else 200,
    )


class ProbeMiddleware:
    """Answers ``/healthz``, ``/readyz`` and ``/metrics`` before the middleware that reads
    the database (sessions, policy versions): with the database down they must say so, not
    fail with a 500. They answer whatever the ``Host`` header (a load balancer or a
    scraper asks by address); what they say names no host."""

    PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
        "/healthz": healthz,
        "/readyz": readyz,
        "/metrics": metrics,
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.PROBES.get(request.path_info)
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)
