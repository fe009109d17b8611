"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nominee.accounts.mail import mailbox_enabled
from nominee.accounts.roles import Role, has_role


def site(request: HttpRequest) -> dict[str, Any]:
    """Navigation links by role, and the logout URL for the header's form."""
    links: list[tuple[str, str]] = [
        (reverse("publication:list"), _("Draw results")),
        (reverse("calculator:calculator"), _("Score calculator")),
    ]
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"nav_links": links}
    if user is not None and user.is_authenticated:
        if user.email_confirmed_at is not None:  # an unconfirmed account can only confirm
            links.append((reverse("dashboard"), _("My dashboard")))
        if mailbox_enabled() and user.email_confirmed_at is not None:
            context["mailbox_enabled"] = True
            links.append((reverse("accounts:emails"), _("My e-mails")))
        if user.email_confirmed_at is not None:
            links.append((reverse("accounts:account"), _("My account")))
        if has_role(user, Role.OFFICER, Role.MANAGER, Role.AUDITOR):
            links.append((reverse("staff_home"), _("Program office")))
        context["logout_url"] = reverse("logout")
    else:
        links.append((reverse("login"), _("Sign in")))
    return context
