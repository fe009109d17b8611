"""Rate limits: how often one client or one account may ask for the same costly thing.

Each limit is a named scope (``signup_ip``, ``password_reset_email``...) whose rate comes
from settings (``NOMINEE_RATE_LIMITS``, each from its own ``NOMINEE_RATE_*`` variable:
docs/accounts.md), counted by django-ratelimit in Django's cache (per process with the
default local-memory cache, shared with ``NOMINEE_CACHE_URL``). Views and API operations
call ``limit`` before the service; over the rate it raises ``RateLimited``, which the API
answers with its error document and the pages with the "too many requests" page, both
status 429 with a ``Retry-After`` header (Decision 78).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from .clientip import client_ip
from .errors import RateLimited


def wait_in_words(seconds: int) -> str:
    """How long to wait, in minutes from a minute on (rounded up), else in seconds."""
    if seconds >= 60:
        minutes = -(-seconds // 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def _key(value: str) -> Callable[[str, HttpRequest], str]:
    # An e-mail address counted on is hashed before it reaches the cache's keys.
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return lambda group, request: digest


def limit(request: HttpRequest, scope: str, value: str | None = None) -> None:
    """Count one request against ``scope``; raise RateLimited once it is over its rate.

    ``value`` is what is counted on (an account's id, a normalised e-mail address); by
    default the client's address (``nominee.core.clientip``). A scope whose rate is unset
    (``off``) is not limited.
    """
    rate = settings.NOMINEE_RATE_LIMITS.get(scope)
    if not rate:
        return
    usage = get_usage(
        request,
        group=f"nominee.{scope}",
        key=_key(client_ip(request) if value is None else value),
        rate=rate,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        raise RateLimited(
            _("too many requests: try again in %(wait)s") % {"wait": wait_in_words(wait)},
            retry_after=wait,
        )


def too_many_requests(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """The plain "too many requests" page (429, ``Retry-After``) in the site's look."""
    response = HttpResponse(
        loader.render_to_string(
            "errors/429.html", {"wait": wait_in_words(error.retry_after)}, request
        ),
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


class RateLimitMiddleware:
    """Turns a page's ``RateLimited`` into the "too many requests" page.

    (The API's operations never let it out: ninja's handler answers with the error document.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A rate limit's refusal becomes the 429 page; anything else goes on."""
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None
