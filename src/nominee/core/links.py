"""Absolute links into the site, for e-mails and feeds: the one place that reads SITE_URL.

``settings.SITE_URL`` (``NOMINEE_SITE_URL``) is the address people reach the site at,
whatever host and port a request came in on (``make serve`` and ``make demo`` set it
from ``HOST``); links built from a request's host would carry a proxy's or a test
client's address instead.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """The absolute URL of a site path (``/draws/``), under ``settings.SITE_URL``."""
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def is_site_url(url: str) -> bool:
    """Whether ``url`` is a link into this site (under ``settings.SITE_URL``)."""
    base = settings.SITE_URL.rstrip("/")
    return url == base or url.startswith(f"{base}/")
