"""Request ids in responses and log records; the log format setting (Decision 80c)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from pythonjsonlogger.json import JsonFormatter

from nominee.core.requestlog import RequestIdFilter, RequestIdMiddleware, current_request_id
from tests.personas import client_for

ROOT = Path(__file__).resolve().parents[2]


class Collect(logging.Handler):
    """Keeps the records it is handed, after the request-id filter has run."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def collected() -> list[logging.LogRecord]:
    handler = Collect()
    logger = logging.getLogger("nominee.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.records
    logger.removeHandler(handler)


def _logging_view(request: HttpRequest) -> HttpResponse:
    logging.getLogger("nominee.test").info("inside the view")
    return HttpResponse("ok")


def test_a_sane_request_id_is_kept_in_the_response_and_each_log_record(
    collected: list[logging.LogRecord],
) -> None:
    middleware = RequestIdMiddleware(_logging_view)
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="5f0c2a9e1b7d4c3a"))
    assert response["X-Request-ID"] == "5f0c2a9e1b7d4c3a"
    assert [r.request_id for r in collected] == ["5f0c2a9e1b7d4c3a"]  # type: ignore[attr-defined]
    # After the request, records are no longer its.
    logging.getLogger("nominee.test").info("after")
    assert collected[-1].request_id == "-"  # type: ignore[attr-defined]
    assert current_request_id.get() is None


@pytest.mark.parametrize(
    "sent",
    [None, "", "two words", "line\nbreak", '"quoted"', "x" * 129, "-leading-dash"],
)
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(
    sent: str | None, collected: list[logging.LogRecord]
) -> None:
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    response = RequestIdMiddleware(_logging_view)(RequestFactory().get("/", **headers))
    made = response["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", made)
    assert [r.request_id for r in collected] == [made]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_every_page_answers_its_request_id() -> None:
    client = client_for(None)
    assert client.get("/draws/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    first, second = client.get("/healthz"), client.get("/no-such-page/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert second.status_code == 404


def test_the_json_format_is_one_object_a_line_with_the_request_id() -> None:
    config = dict(settings.LOGGING["formatters"]["json"])
    assert config.pop("()") == "pythonjsonlogger.json.JsonFormatter"
    formatter = JsonFormatter(**config)
    record = logging.LogRecord("nominee.x", logging.ERROR, __file__, 1, "broke %s", ("here",), None)
    RequestIdFilter().filter(record)
    token = current_request_id.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = formatter.format(record)
    assert "\n" not in line
    document = json.loads(line)
    assert document["level"] == "ERROR"
    assert document["logger"] == "nominee.x"
    assert document["message"] == "broke here"
    assert document["request_id"] == "req-1"
    assert document["time"].endswith("+00:00")


def _log_format(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NOMINEE_LOG")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.NOMINEE_LOG_FORMAT,"
            " settings.LOGGING['handlers']['console']['formatter'])",
        ],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "nominee.settings",
            "PYTHONPATH": str(ROOT / "src"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_log_format_is_json_unless_debugging_or_asked(tmp_path: Path) -> None:
    var = {"NOMINEE_VAR_DIR": str(tmp_path)}
    assert _log_format(NOMINEE_DEBUG="false", **var).stdout.split() == ["json", "json"]
    assert _log_format(NOMINEE_DEBUG="true", **var).stdout.split() == ["text", "text"]
    asked = _log_format(NOMINEE_DEBUG="false", NOMINEE_LOG_FORMAT="text", **var)
    assert asked.stdout.split() == ["text", "text"]
    wrong = _log_format(NOMINEE_LOG_FORMAT="xml", **var)
    assert wrong.returncode != 0
    assert "NOMINEE_LOG_FORMAT must be json or text, not 'xml'" in wrong.stderr
