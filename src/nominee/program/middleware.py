"""Each request starts from the database's policy versions (``policy_source``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import policy_source


class PolicyVersionsMiddleware:
    """Reinstalls the engine's policy when the published versions changed (one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        policy_source.ensure_fresh()
        return self.get_response(request)
