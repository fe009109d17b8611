"""The NinjaAPI instance, its error handlers and the routers of each app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from nominee.core import jsontext
from nominee.core.errors import DomainError, RateLimited

from .auth import AUTH


class JsonObjectParser(Parser):
    """Request bodies are JSON objects of bounded depth (``nominee.core.jsontext``).

    Every operation's body is a schema (an object): a bare string or list would otherwise be
    read through its attributes and take each field's default (a cancellation accepted
    ``"x"``). ninja answers the ValueError with its 400 "Cannot parse request body".
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        document = jsontext.loads(request.body)
        if not isinstance(document, dict):
            raise ValueError("the request body must be a JSON object")
        return document


api = NinjaAPI(
    parser=JsonObjectParser(),
    title="Nominee API",
    version="1",
    description=(
        "The JSON API of Nominee. Every error answer is an `Error` document with a message "
        "per field. Authenticate with a browser session or `Authorization: Bearer nom_…`."
    ),
    urls_namespace="api",
    auth=AUTH,
)


def _field_name(loc: Any) -> str:
    # ninja reports locations like ("body", "profile", "job_offer", "noc"); people and
    # scripts want the field as the document names it: "job_offer.noc".
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body", "profile"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Schema violations: 422 with a message per field."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg") or _("is invalid"))
        fields.setdefault(_field_name(error.get("loc", ())), []).append(message)
    return api.create_response(
        request,
        {"code": "validation", "message": _("the request is invalid"), "fields": fields},
        status=422,
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A program rule refused the request: the error's own status and fields.

    A rate limit's 429 says when to come back, in seconds (``Retry-After``)."""
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(OverflowError)
def date_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """Arithmetic past the calendar's ends (a draw on 9999-12-31 and the expiry 30 days on):
    the input's fault, as ``nominee.core.commands.BAD_INPUT`` has it for the commands."""
    return api.create_response(
        request,
        {
            "code": "validation",
            "message": "a date is out of range: the calendar runs from 0001-01-01 to 9999-12-31",
            "fields": {},
        },
        status=400,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No valid session or token."""
    return api.create_response(
        request,
        {"code": "unauthenticated", "message": _("sign in or send an API token"), "fields": {}},
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors raised by ninja itself (malformed JSON, CSRF...)."""
    return api.create_response(
        request,
        {"code": "http_error", "message": str(exc), "fields": {}},
        status=exc.status_code,
    )


for prefix, router in [
    ("/", "nominee.program.api.router"),
    ("/", "nominee.calculator.api.router"),
    ("/", "nominee.accounts.api.router"),
    ("/", "nominee.employers.api.router"),
    ("/", "nominee.eois.api.router"),
    ("/", "nominee.draws.api.router"),
    ("/", "nominee.publication.api.router"),
    ("/", "nominee.casework.api.router"),
]:
    api.add_router(prefix, router)
