"""/metrics: closed unless configured; the program's and the queue's figures (Decision 80d)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.site import metrics, tasks
from tests.factories import make_eoi

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scraper-token"


@pytest.fixture
def open_metrics(settings: Any) -> None:
    settings.NOMINEE_METRICS_TOKEN = TOKEN
    settings.NOMINEE_METRICS_ALLOWED_IPS = []
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def _scrape(**headers: str) -> Any:
    return Client().get("/metrics", **headers)


def _samples(response: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_it_is_closed_unless_configured() -> None:
    response = _scrape()
    assert response.status_code == 404
    assert b"NOMINEE_METRICS_TOKEN" in response.content


def test_a_wrong_or_missing_token_is_refused(open_metrics: None) -> None:
    assert _scrape().status_code == 403
    assert _scrape(HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert _scrape(HTTP_AUTHORIZATION=TOKEN).status_code == 403  # not as a bearer token


def test_an_allowed_address_needs_no_token(settings: Any) -> None:
    settings.NOMINEE_METRICS_ALLOWED_IPS = ["10.0.0.9"]
    assert _scrape(REMOTE_ADDR="10.0.0.9").status_code == 200
    assert _scrape(REMOTE_ADDR="10.0.0.8").status_code == 403
    # A header anyone can write does not pass for the address.
    forged = _scrape(REMOTE_ADDR="10.0.0.8", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert forged.status_code == 403


def test_it_counts_draws_invitations_nominations_and_the_queue(open_metrics: None) -> None:
    executed = Draw.objects.create(
        stream="foreign-worker", status=Draw.Status.EXECUTED, draw_date=date(2025, 9, 2)
    )
    Draw.objects.create(
        stream="foreign-worker", status=Draw.Status.PROPOSED, draw_date=date(2025, 9, 3)
    )
    for rank, status in enumerate(["open", "open", "expired"], start=1):
        eoi = make_eoi(registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ), status="invited")
        Invitation.objects.create(
            draw=executed,
            eoi=eoi,
            rank=rank,
            score=eoi.score,
            status=status,
            invited_at=datetime(2025, 9, 2, 10, tzinfo=PROGRAM_TZ),
            candidate_deadline=date(2025, 9, 19),
        )
    tasks.enqueue_heartbeat()
    tasks.enqueue_heartbeat(delay_seconds=3600)  # not due: not in the depth
    response = _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = _samples(response)
    assert found[("nominee_draws_executed_total", (("stream", "foreign-worker"),))] == 1
    assert found[("nominee_draws", (("status", "proposed"),))] == 1
    assert found[("nominee_invitations_issued_total", (("stream", "foreign-worker"),))] == 3
    assert found[("nominee_invitations", (("status", "open"),))] == 2
    assert found[("nominee_invitations", (("status", "expired"),))] == 1
    assert found[("nominee_eois", (("status", "invited"), ("stream", "foreign-worker")))] == 3
    assert found[("nominee_task_queue_depth", (("queue", "default"),))] == 1
    assert found[("nominee_task_results", (("status", "READY"),))] == 2
    assert found[("nominee_task_last_finished_timestamp_seconds", ())] == 0
    text = response.content.decode()
    assert "# TYPE nominee_nominations_issued_total counter" in text


def test_an_empty_queue_still_has_a_depth_series(open_metrics: None) -> None:
    assert DBTaskResult.objects.count() == 0
    found = _samples(_scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    assert found[("nominee_task_queue_depth", (("queue", "default"),))] == 0


def test_an_unreachable_database_is_a_503(
    open_metrics: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> bytes:
        raise OperationalError("connection refused")

    monkeypatch.setattr(metrics, "generate_latest", lambda registry: refuse())
    response = _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 503
