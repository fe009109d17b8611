"""The client's address: the one function the rate limits and django-axes ask.

Directly on the Internet, it is the connection's (``REMOTE_ADDR``). Behind a reverse proxy
every connection comes from the proxy, so a lockout or a rate limit keyed on it would hit
everyone at once; ``NOMINEE_CLIENT_IP_HEADER`` names the header the proxy sets (e.g.
``X-Forwarded-For``) and ``NOMINEE_CLIENT_IP_PROXIES`` how many proxies append to it. The
header is off by default: a client talking to Nominee directly could otherwise write any
address into it and dodge (or aim) the limits (Decision 78).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (``"unknown"`` when there is none).

    With a configured header, the entry the nearest trusted proxy wrote: the
    ``NOMINEE_CLIENT_IP_PROXIES``-th from the right of a comma-separated list (entries to
    its left were written by the client and prove nothing). A missing or malformed header
    falls back to the connection's address.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    header = getattr(settings, "NOMINEE_CLIENT_IP_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        hops = [hop for hop in (request.META.get(meta_key) or "").split(",") if hop.strip()]
        proxies = max(1, getattr(settings, "NOMINEE_CLIENT_IP_PROXIES", 1))
        if len(hops) >= proxies and (address := _address(hops[-proxies])):
            return address
    return remote or "unknown"
