"""An account that has not proved it controls its e-mail address can only confirm it.

Anyone may sign up with any address, so until the confirmation link (sent to that address
after the account was created) has been followed, nothing addressed to that person may be
shown to or done through the account. This middleware closes every page to such an
account except signing out, confirming, asking for a new link and resetting the password
(a reset link sent to the address proves control just as well); public pages stay open,
as they are to anyone signed out. The JSON API refuses it in its authentication classes
(``nominee.api.auth``), so that public operations stay public.

It fails closed: a page is open to an unconfirmed account only when its URL name is listed
here or it belongs to a public namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nominee.audit.services import record_refusal

from .models import User
from .services import set_preferred_language

# What an unconfirmed account may still do with its own account.
CONFIRMATION_VIEWS = frozenset(
    {
        "logout",
        "accounts:confirmation_sent",
        "accounts:resend_confirmation",
        "accounts:confirm_email",
        "accounts:accept_invitation",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
# Pages anyone may read signed out: they hold nothing addressed to a person. The probes
# (healthz, readyz, metrics) are answered before this middleware runs (site.health), by
# their own rules: listed here so that every path's rule is in one place.
PUBLIC_VIEWS = frozenset({"home", "healthz", "readyz", "metrics", "login"})
PUBLIC_NAMESPACES = frozenset({"publication", "calculator"})
# One audit event per account and page in this many seconds: the refusal is on record
# without letting a script fill the log.
REFUSAL_AUDIT_SECONDS = 600


def is_unconfirmed(user: Any) -> bool:
    """Whether a signed-in account has not yet confirmed its e-mail address."""
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "email_confirmed_at", None) is None
    )


def audit_refused_access(user: Any, *, path: str, method: str, via: str) -> None:
    """Record that an unconfirmed account was refused (at most once per page per period)."""
    key = f"nominee:unconfirmed-refused:{user.pk}:{method}:{path[:200]}"
    if cache.add(key, 1, REFUSAL_AUDIT_SECONDS):
        record_refusal(
            actor=user,
            action="accounts.unconfirmed_access_refused",
            subject=user,
            data={"path": path[:200], "method": method, "via": via},
        )


class UnconfirmedAccountMiddleware:
    """Sends an unconfirmed account to the confirmation page from every non-public page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if not is_unconfirmed(user) or match is None:
            return None
        if match.view_name in CONFIRMATION_VIEWS or match.view_name in PUBLIC_VIEWS:
            return None
        if set(match.namespaces) & PUBLIC_NAMESPACES or "api" in match.namespaces:
            # The API answers for itself (its authentication refuses unconfirmed accounts).
            return None
        audit_refused_access(user, path=request.path, method=request.method or "", via="page")
        message = _(
            "Confirm your e-mail address first: follow the link in the e-mail we sent you. "
            "Until then your account can only confirm the address or sign out."
        )
        if request.method in ("GET", "HEAD"):
            messages.warning(request, message)
            return redirect("accounts:confirmation_sent")
        return render(request, "errors/403.html", {"message": message}, status=403)


class PreferredLanguageMiddleware:
    """Remembers the language of the ``/en/`` or ``/fr/`` page a signed-in person opens.

    That language becomes the account's ``preferred_language`` (its e-mails and letters,
    Decision 69); a page at its plain path, and the API, change nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request, "nominee_language_prefix", None)
        user = getattr(request, "user", None)
        if (
            language is not None
            and request.method in ("GET", "HEAD")
            and getattr(user, "is_authenticated", False)
            and getattr(user, "preferred_language", language) != language
        ):
            set_preferred_language(user=cast(User, user), language=language)
        return self.get_response(request)
