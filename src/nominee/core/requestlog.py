"""A request id on every log record of a request, and the logs as JSON lines (Decision 80c).

``RequestIdMiddleware`` takes the ``X-Request-ID`` the proxy sent (nginx's ``$request_id``)
when it looks like an id, else makes one, answers it in the same header and keeps it in a
context variable for the request's duration; ``RequestIdFilter``, on the log handler, copies
it into each record as ``request_id`` ("-" outside a request: commands, the worker).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
#: An id from outside is kept only if it is short and plain: it is written into every log
#: line, so no spaces, quotes or control characters that could forge or break a line.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

current_request_id: ContextVar[str | None] = ContextVar("nominee_request_id", default=None)


def request_id_from(value: str | None) -> str:
    """The id to use for a request that sent ``value`` in its header (None: none sent)."""
    if value and SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id: the header's, or a new one; answers it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (``-`` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True
