"""API authentication: the browser session (with CSRF) or a personal API token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from nominee.accounts.middleware import audit_refused_access, is_unconfirmed
from nominee.accounts.models import ApiToken
from nominee.accounts.tokens import TOKEN_PREFIX, digest, new_token
from nominee.core.errors import PermissionDenied

__all__ = ["AUTH", "TOKEN_PREFIX", "SessionAuth", "TokenAuth", "digest", "new_token"]


def _confirmed(request: HttpRequest, user: Any) -> Any:
    """The user, unless the account has not confirmed its address: then a 403, audited.

    An unconfirmed account may be anyone who typed someone else's address at sign-up, so
    it may use no operation that needs an account (public operations take no auth).
    """
    if is_unconfirmed(user):
        audit_refused_access(user, path=request.path, method=request.method or "", via="api")
        raise PermissionDenied(
            _("confirm your e-mail address first: follow the link in the e-mail we sent you"),
            code="email.unconfirmed",
        )
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer nom_…``: a personal API token that is not revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
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
        return _confirmed(request, row.user)


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
            return _confirmed(request, user)
        return None


# Most operations accept either; public operations declare ``auth=None``.
AUTH = [TokenAuth(), SessionAuth()]
