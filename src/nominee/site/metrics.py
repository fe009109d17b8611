"""``/metrics``: the program's and the task queue's figures for Prometheus (Decision 80d).

Every figure is read from the database when Prometheus scrapes, so any web process gives
the same answer (gunicorn's workers share nothing in memory). The endpoint is closed
unless ``NOMINEE_METRICS_TOKEN`` (a bearer token) or ``NOMINEE_METRICS_ALLOWED_IPS`` (the
scraper's addresses) is set.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from nominee.casework.models import Nomination
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI


class ProgramCollector(Collector):
    """Draws, invitations, nominations, EOIs and the task queue, counted at scrape time."""

    def collect(self) -> Iterator[Metric]:
        executed = CounterMetricFamily(
            "nominee_draws_executed", "Draws executed, by stream.", labels=["stream"]
        )
        draws = GaugeMetricFamily("nominee_draws", "Draws, by status.", labels=["status"])
        for row in Draw.objects.values("stream", "status").annotate(n=Count("id")).order_by():
            if row["status"] == Draw.Status.EXECUTED:
                executed.add_metric([row["stream"]], row["n"])
        for row in Draw.objects.values("status").annotate(n=Count("id")).order_by("status"):
            draws.add_metric([row["status"]], row["n"])
        yield executed
        yield draws

        issued = CounterMetricFamily(
            "nominee_invitations_issued", "Invitations issued, by stream.", labels=["stream"]
        )
        rows = Invitation.objects.values("draw__stream").annotate(n=Count("id")).order_by()
        for row in rows:
            issued.add_metric([row["draw__stream"]], row["n"])
        yield issued
        invitations = GaugeMetricFamily(
            "nominee_invitations", "Invitations, by status.", labels=["status"]
        )
        for row in Invitation.objects.values("status").annotate(n=Count("id")).order_by("status"):
            invitations.add_metric([row["status"]], row["n"])
        yield invitations

        nominations = CounterMetricFamily(
            "nominee_nominations_issued", "Nominations issued, by stream.", labels=["stream"]
        )
        for row in Nomination.objects.values("stream").annotate(n=Count("id")).order_by("stream"):
            nominations.add_metric([row["stream"]], row["n"])
        yield nominations

        eois = GaugeMetricFamily(
            "nominee_eois",
            "Expressions of interest, by stream and status.",
            labels=["stream", "status"],
        )
        by_status = EOI.objects.values("stream", "status").annotate(n=Count("id"))
        for row in by_status.order_by("stream", "status"):
            eois.add_metric([row["stream"], row["status"]], row["n"])
        yield eois

        yield from self._queue()

    def _queue(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "nominee_task_queue_depth",
            "Tasks waiting that a worker may run now, by queue.",
            labels=["queue"],
        )
        waiting = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
        seen = {row["queue_name"]: row["n"] for row in waiting.order_by()}
        # The configured queues appear at 0 too: an alert on the depth needs a series.
        configured = settings.TASKS["default"].get("QUEUES", ["default"])
        for queue in sorted({*configured, *seen}):
            depth.add_metric([queue], seen.get(queue, 0))
        yield depth
        results = GaugeMetricFamily(
            "nominee_task_results", "Task rows in the queue's table, by status.", labels=["status"]
        )
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by("status"):
            results.add_metric([row["status"]], row["n"])
        yield results
        last = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
        finished = GaugeMetricFamily(
            "nominee_task_last_finished_timestamp_seconds",
            "When a worker last finished a task (Unix time; 0: never).",
        )
        finished.add_metric([], last.timestamp() if last else 0)
        yield finished
        now = GaugeMetricFamily("nominee_scrape_timestamp_seconds", "The database read's time.")
        now.add_metric([], timezone.now().timestamp())
        yield now


_registry = CollectorRegistry(auto_describe=False)
_registry.register(ProgramCollector())


def allowed(request: HttpRequest) -> bool | None:
    """True when the caller may read the metrics, False when not, None when the endpoint
    is closed (neither a token nor addresses configured)."""
    token: str = settings.NOMINEE_METRICS_TOKEN
    addresses: list[str] = settings.NOMINEE_METRICS_ALLOWED_IPS
    if not token and not addresses:
        return None
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    # REMOTE_ADDR, never X-Forwarded-For: a header anyone can write opens nothing.
    return request.META.get("REMOTE_ADDR") in addresses


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The figures in Prometheus' text format: 404 when closed, 403 for another caller,
    503 when the database does not answer."""
    permitted = allowed(request)
    if permitted is None:
        return HttpResponse(
            "metrics are off: set NOMINEE_METRICS_TOKEN\n", status=404, content_type="text/plain"
        )
    if not permitted:
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    try:
        body = generate_latest(_registry)
    except DatabaseError as error:
        return HttpResponse(
            f"database unreachable: {error.__class__.__name__}\n",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
