"""Site-wide pages every app may use: health and the error pages (a leaf: no app imports)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. The database and the worker are ``/readyz``'s
    (``site.health``): a liveness probe that failed with the database would have every
    web process restarted for an outage a restart cannot mend."""
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, {}, request), status=status)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    """400 page."""
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    """403 page."""
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    """404 page; also answers where the existence of a file is private."""
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page, rendered without context processors (they may be what failed)."""
    return HttpResponse(loader.render_to_string("errors/500.html"), status=500)
