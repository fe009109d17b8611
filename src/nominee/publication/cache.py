"""Caching of the public record: a version for the whole record, keyed caches, HTTP headers.

Every public page and feed is built once per *publication version* and served from the
cache (``settings.CACHES["default"]``) until the version changes. The version is a
fingerprint of what the record shows, read with one small query per request:

* ``PublicationState.version``, bumped when a draw executes (the ``draw_executed``
  receiver) and when draws are imported;
* the number and the last id of executed draws (so that a draw executed without the
  signal, e.g. written by a script, still refreshes the record);
* the allocations' last change and nominations issued;
* the last recorded change of the program (``ProgramChange``: EOIs of a closed stream
  withdrawn), which the program's history of changes shows.

The same fingerprint gives the ``ETag``; ``Last-Modified`` is the last change of the
state row. Because the version lives in the database, every process sees a bump.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag

from nominee.draws.models import Draw
from nominee.program.models import Allocation, ProgramChange

from .models import PublicationState

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_local = threading.local()


@dataclass(frozen=True)
class Version:
    """The publication version: a token for cache keys and ETags, and when it changed."""

    token: str
    changed_at: datetime


def _sql() -> str:
    state = PublicationState._meta.db_table
    draw = Draw._meta.db_table
    allocation = Allocation._meta.db_table
    change = ProgramChange._meta.db_table
    executed = Draw.Status.EXECUTED.value
    # Constants only (table names from the models, a status literal): nothing user-given.
    return (
        f"SELECT (SELECT version FROM {state} WHERE id = 1),"  # noqa: S608
        f" (SELECT changed_at FROM {state} WHERE id = 1),"
        f" (SELECT COUNT(*) FROM {draw} WHERE status = '{executed}'),"
        f" (SELECT MAX(id) FROM {draw} WHERE status = '{executed}'),"
        f" (SELECT MAX(updated_at) FROM {allocation}),"
        f" (SELECT SUM(nominations_issued) + SUM(nominations) FROM {allocation}),"
        f" (SELECT MAX(id) FROM {change})"
    )


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def version() -> Version:
    """The current publication version (one query; memoised for a configurable instant).

    Each thread reuses the version it read for ``NOMINEE_PUBLICATION_VERSION_TTL``
    seconds (a setting, else the environment variable, default 1): a change shows at
    once in the thread that made it (a bump clears its memo) and within that time in
    every other thread and process. 0 reads the database on every request.
    """
    ttl = float(
        getattr(
            settings,
            "NOMINEE_PUBLICATION_VERSION_TTL",
            os.environ.get("NOMINEE_PUBLICATION_VERSION_TTL", "1"),
        )
    )
    memo = getattr(_local, "memo", None)
    now = time.monotonic()
    if ttl > 0 and memo is not None and now - memo[0] < ttl:
        return memo[1]
    with connection.cursor() as cursor:
        cursor.execute(_sql())
        row = cursor.fetchone()
    state_version, changed, count, last_id, allocated, issued, last_change = row
    changed_at = _instant(changed) or EPOCH
    allocation_changed = _instant(allocated)
    raw = f"{state_version}|{count}|{last_id}|{allocation_changed}|{issued}|{last_change}"
    token = hashlib.sha256(raw.encode()).hexdigest()[:20]
    latest = max(changed_at, allocation_changed or EPOCH)
    result = Version(token=token, changed_at=latest)
    _local.memo = (now, result)
    return result


def forget_local() -> None:
    """Drop this thread's memoised version (after a bump)."""
    _local.memo = None


def cached(key: str, build: Callable[[], Any], *, timeout: int | None = None) -> Any:
    """The value cached under ``key`` for the current version, built once when missing."""
    full = f"publication:{version().token}:{key}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, timeout if timeout is not None else _timeout())
    return value


def _timeout() -> int:
    return int(getattr(settings, "NOMINEE_PUBLICATION_CACHE_SECONDS", 24 * 3600))


def max_age() -> int:
    """Seconds browsers and proxies may reuse a public answer without asking again."""
    return int(getattr(settings, "NOMINEE_PUBLICATION_MAX_AGE", 60))


@dataclass(frozen=True)
class Payload:
    """A response body as cached: bytes, content type, ETag, last change."""

    body: bytes
    content_type: str
    etag: str
    last_modified: datetime


def cached_payload(
    key: str,
    build: Callable[[], bytes],
    content_type: str,
    *,
    timeout: int | None = None,
) -> Payload:
    """A body built once per version (and key), with its validators."""
    current = version()
    full = f"publication:{current.token}:{key}"
    payload = cache.get(full)
    if payload is None:
        body = build()
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        payload = Payload(body, content_type, etag, current.changed_at)
        cache.set(full, payload, timeout if timeout is not None else _timeout())
    return payload


def respond(
    request: HttpRequest,
    payload: Payload,
    *,
    public: bool = True,
    extra_headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The payload as a response with Cache-Control, ETag and Last-Modified; 304 when fresh."""
    if_none_match = request.headers.get("If-None-Match", "")
    if public and payload.etag in [tag.strip() for tag in if_none_match.split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(payload.body, content_type=payload.content_type)
    if public:
        response["Cache-Control"] = f"public, max-age={max_age()}"
        response["ETag"] = payload.etag
        response["Last-Modified"] = http_date(payload.last_modified.timestamp())
    else:
        response["Cache-Control"] = "private, no-cache"
    for name, value in (extra_headers or {}).items():
        response[name] = value
    return response
