"""Refuse NUL characters in API input before any operation runs.

PostgreSQL text cannot hold U+0000 and answers a write with a DataError (a 500); SQLite
would store it. Django's form fields refuse NUL on the pages; this does the same for the
JSON API, once, naming each offending field with the shared error document.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from nominee.core import jsontext

API_PREFIX = "/api/"
MESSAGE = "must not contain a NUL character"


class RejectNulMiddleware:
    """Answers 422 for an API request whose query or JSON body holds a NUL character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            fields = {
                name: [MESSAGE] for name, v in request.GET.lists() if any("\x00" in x for x in v)
            }
            if "\x00" in request.path:
                fields["path"] = [MESSAGE]
            if request.content_type == "application/json" and request.body:
                try:
                    document = jsontext.loads(request.body)
                except ValueError:  # JsonTooDeep too: the parser refuses it with a 400
                    document = None  # malformed JSON is the API's to refuse, with its message
                fields.update({name: [MESSAGE] for name in jsontext.nul_paths(document)})
            if fields:
                return JsonResponse(
                    {"code": "validation", "message": "the request is invalid", "fields": fields},
                    status=422,
                )
        return self.get_response(request)
