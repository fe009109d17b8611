"""The client's address (Decision 78): one function, for the rate limits and django-axes.

Behind a proxy every connection comes from the proxy: a lockout keyed on its address would
lock everyone out. The proxy's header is read only when configured, since a direct client
could write anything into it.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from nominee.accounts.models import User
from nominee.core.clientip import client_ip
from tests.personas import PASSWORD

PROXY = "10.0.0.2"


def _request(forwarded: str | None = None, remote: str = PROXY) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_configured_header_the_connection_is_the_client() -> None:
    assert client_ip(_request("198.51.100.7")) == PROXY


def test_the_configured_header_names_the_client(settings: Any) -> None:
    settings.NOMINEE_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert client_ip(_request("198.51.100.7")) == "198.51.100.7"
    # What the client wrote itself (left of the proxy's entry) proves nothing.
    assert client_ip(_request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    settings.NOMINEE_CLIENT_IP_PROXIES = 2
    assert client_ip(_request("1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    # Too few entries or no address at all: the connection's.
    assert client_ip(_request("198.51.100.7")) == PROXY
    settings.NOMINEE_CLIENT_IP_PROXIES = 1
    assert client_ip(_request("not-an-address")) == PROXY
    assert client_ip(_request()) == PROXY


@pytest.mark.django_db
def test_rate_limits_count_each_client_behind_the_proxy(settings: Any) -> None:
    settings.NOMINEE_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.NOMINEE_RATE_LIMITS = {**settings.NOMINEE_RATE_LIMITS, "score_ip": "1/m"}
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    # The clock stands still: the limit counts in fixed windows (test_rate_limits.rates).
    with time_machine.travel(timezone.now(), tick=False):
        assert first.post("/api/v1/score", {}, content_type="application/json").status_code == 422
        assert second.post("/api/v1/score", {}, content_type="application/json").status_code == 422
        assert first.post("/api/v1/score", {}, content_type="application/json").status_code == 429


@pytest.mark.django_db
def test_an_axes_lockout_behind_the_proxy_locks_out_one_client(bob: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.NOMINEE_CLIENT_IP_HEADER = "X-Forwarded-For"
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": bob.email, "password": "wrong"})
    locked = attacker.post("/accounts/login/", {"username": bob.email, "password": PASSWORD})
    assert locked.status_code == 429
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = owner.post("/accounts/login/", {"username": bob.email, "password": PASSWORD})
    assert response.status_code == 302
