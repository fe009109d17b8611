"""The confirmation step of an irreversible action (decision 73b).

A page's action that cannot be undone (execute a draw, refuse an application…) is not
acted on at the first POST: ``confirmation`` answers any request that lacks the
``confirm`` field with a page that restates what will happen and a POST form carrying it
(and the fields the first POST brought, such as a reason). A GET shows the same page, so
a link can lead to it. Only a POST with ``confirm`` goes on to the service. Server-rendered,
no script (the pages' CSP forbids inline scripts). The API and the commands are explicit
already and do not use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def is_confirmed(request: HttpRequest) -> bool:
    """True for a POST that carries the confirmation."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    button: str,
    cancel_url: str,
    carry: Iterable[str] = (),
    action_url: str | None = None,
    status: int = 200,
) -> HttpResponse | None:
    """None when the request is a confirmed POST; otherwise the confirmation page.

    ``title`` names the act (a heading); ``consequences`` are the sentences that restate
    what will happen, the last saying that it cannot be undone; ``button`` is the label of
    the confirming button; ``cancel_url`` where "Cancel" leads. ``carry`` names fields of
    the first POST (or of the query string, for a GET) sent on again as hidden fields.
    The form posts to ``action_url``, by default the page's own address.
    """
    if is_confirmed(request):
        return None
    source = request.POST if request.method == "POST" else request.GET
    hidden = [(name, value) for name in carry for value in source.getlist(name)]
    return render(
        request,
        "confirm.html",
        {
            "confirm_title": title,
            "consequences": list(consequences),
            "button": button,
            "cancel_url": cancel_url,
            "hidden": hidden,
            "action_url": action_url or request.path,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
        status=status,
    )
