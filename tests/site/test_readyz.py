"""/readyz: 200 when database, migrations and worker are fine; 503 naming each that is not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nominee.site import health, tasks
from tests.personas import client_for

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The production task backend: the worker is a separate process that must be seen."""
    settings.TASKS = DB_TASKS


def _finished_task(ago: timedelta) -> None:
    tasks.enqueue_heartbeat()
    row = DBTaskResult.objects.get(status="READY")
    row.status = "SUCCESSFUL"
    row.started_at = row.finished_at = timezone.now() - ago
    row.save()


def _readyz() -> tuple[int, dict[str, Any]]:
    response = client_for(None).get("/readyz")
    return response.status_code, response.json()


def test_it_is_ready_when_every_check_passes(database_queue: None) -> None:
    _finished_task(timedelta(seconds=30))
    status, body = _readyz()
    assert status == 200
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
        "failing": [],
    }


def test_without_a_worker_it_is_unavailable_naming_the_worker(database_queue: None) -> None:
    status, body = _readyz()
    assert status == 503
    assert body["failing"] == ["worker"]
    assert "nominee db_worker" in body["checks"]["worker"]
    # The probe queued the heartbeat a worker, once started, will run.
    assert tasks.heartbeat_waiting()


def test_a_worker_silent_too_long_is_unavailable(database_queue: None, settings: Any) -> None:
    settings.NOMINEE_WORKER_MAX_SILENCE = 300
    _finished_task(timedelta(seconds=301))
    status, body = _readyz()
    assert status == 503
    assert body["failing"] == ["worker"]
    assert "no task finished for 301 s (limit 300 s)" in body["checks"]["worker"]


def test_an_unapplied_migration_is_unavailable_naming_it(
    database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    _finished_task(timedelta(seconds=5))
    latest = MigrationRecorder(connection).migration_qs.filter(app="draws").order_by("-id")[0]
    latest.delete()
    status, body = _readyz()
    assert status == 503
    assert body["failing"] == ["migrations"]
    assert f"draws.{latest.name}" in body["checks"]["migrations"]
    assert "nominee migrate" in body["checks"]["migrations"]


def test_an_unreachable_database_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    status, body = _readyz()
    assert status == 503
    assert body["failing"] == ["database", "migrations", "worker"]
    assert body["checks"]["database"] == "unreachable: OperationalError"


def test_with_tasks_run_in_the_web_process_no_worker_is_needed() -> None:
    status, body = _readyz()
    assert status == 200
    assert body["checks"]["worker"] == "ok"


def test_the_heartbeat_queues_the_next_one_and_forgets_old_ones(
    database_queue: None, settings: Any
) -> None:
    settings.NOMINEE_WORKER_HEARTBEAT_SECONDS = 60
    _finished_task(timedelta(hours=2))
    before = timezone.now()
    tasks.worker_heartbeat.call()
    rows = list(DBTaskResult.objects.all())
    assert [row.status for row in rows] == ["READY"]
    assert rows[0].run_after >= before + timedelta(seconds=60)
    tasks.worker_heartbeat.call()  # one is waiting already: no second
    assert DBTaskResult.objects.count() == 1


def test_probes_answer_any_host_name() -> None:
    # A load balancer asks by address, which ALLOWED_HOSTS does not list in production.
    response = client_for(None).get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client_for(None).get("/healthz", HTTP_HOST="10.0.0.7:8000").json() == {"status": "ok"}
