"""``{% casework_panel %}``: the files and invitations of the signed-in person, for the
candidate's and the employer's dashboards (their apps need not import casework)."""

from __future__ import annotations

from typing import Any

from django import template

from nominee.program import streams

from ..queries import applications_for, processing_times
from ..views import _card, _open_invitations

register = template.Library()


@register.inclusion_tag("casework/includes/panel.html", takes_context=True)
def casework_panel(context: Any) -> dict[str, Any]:
    """Both parties' progress and deadlines on each file, and invitations to start."""

    request = context["request"]
    user = request.user
    rows = applications_for(user).select_related("position_approval", "nomination")
    files = list(rows.order_by("-created_at", "-id")[:20])
    # Most dashboards have no file: read the program's processing times only when needed.
    times = processing_times() if files else None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "cards": [_card(a, user, times) for a in files],
        "invitations": _open_invitations(user),
    }


@register.filter
def stream_name(code: str) -> str:
    """A stream's name as people read it (``labels``'s ``stream_label``)."""
    return streams.label(code)
