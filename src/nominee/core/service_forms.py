"""Pages that change something: parse a form, call one service, render or redirect.

``run_form`` is the cycle every form page repeats: bind the form to the POST, call the
service with what it cleaned, put a refusal's messages next to their fields (HTTP 400),
or say what was done and redirect. ``run_action`` is the same for a POST-only button: the
refusal or the success as a message, then a redirect. Views stay "parse, call one
service, render" and every page answers a refusal the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .errors import DomainError


class ServiceForm(Protocol):
    """A form whose refusals the service gives back (``add_service_errors``)."""

    cleaned_data: dict[str, Any]

    def is_valid(self) -> bool: ...

    def has_changed(self) -> bool: ...

    def add_service_errors(self, message: str, fields: Any) -> None: ...


Target = str | Callable[[Any], str]


def _text(value: Target, result: Any) -> str:
    return value(result) if callable(value) else value


def posted(request: HttpRequest) -> Any:
    """The data a form binds to: the POST, or None (an unbound form) for any other method."""
    return request.POST if request.method == "POST" else None


def run_form(
    request: HttpRequest,
    form: ServiceForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    page: Callable[[int], HttpResponse],
    success: Target,
    redirect_to: Target,
    forbidden_to: str | None = None,
    unchanged_to: str | None = None,
) -> HttpResponse:
    """Run a form page through its service.

    On a GET, ``page(200)`` shows the form. On a POST with a valid form,
    ``call(form.cleaned_data)`` runs; its result names the ``success`` message and the
    ``redirect_to`` address (each a text or a function of the result). A ``DomainError``
    puts its messages next to their fields and the page is shown again with 400, as is an
    invalid form; a 403 refusal goes back to ``forbidden_to`` with the message, when
    given. With ``unchanged_to``, a form that changed nothing goes there, saying so.
    """
    if request.method != "POST":
        return page(200)
    if form.is_valid():
        if unchanged_to is not None and not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect(unchanged_to)
        try:
            result = call(form.cleaned_data)
        except DomainError as error:
            if forbidden_to is not None and error.status == 403:
                messages.error(request, error.message)
                return redirect(forbidden_to)
            form.add_service_errors(error.message, error.fields)
        else:
            messages.success(request, _text(success, result))
            return redirect(_text(redirect_to, result))
    return page(400)


def run_action(
    request: HttpRequest, call: Callable[[], Any], *, success: str, redirect_to: str
) -> HttpResponse:
    """A POST-only button: call the service, say what it did or why it refused, redirect."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(redirect_to)
