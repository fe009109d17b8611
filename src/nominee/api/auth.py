"""API authentication: the browser session (with CSRF) or a personal API token."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

TOKEN_PREFIX = "nom_"  # noqa: S105 - a public marker of token format, not a secret


def digest(token: str) -> str:
    """The SHA-256 digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A fresh token: (the token shown once, its prefix, its digest)."""
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nom_…``: a personal API token that is not revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from nominee.accounts.models import ApiToken

        if not token.startswith(TOKEN_PREFIX):
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        # One write a minute at most: the token list shows "last used" to the minute.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The browser session; unsafe methods need the CSRF token as for any form."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


# Most operations accept either; public operations declare ``auth=None``.
AUTH = [TokenAuth(), SessionAuth()]
