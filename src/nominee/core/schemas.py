"""Schemas every operation shares: the error document."""

from __future__ import annotations

from ninja import Schema


class Error(Schema):
    """The error document of every 4xx answer.

    ``code`` is a stable slug for scripts, ``message`` a sentence for people, and
    ``fields`` maps each offending field (dotted for nested documents, ``body`` for the
    whole request) to its messages.
    """

    code: str
    message: str
    fields: dict[str, list[str]] = {}


# Merge into an operation's ``response=`` so that every operation documents its errors.
ERRORS: dict[int, type[Error]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
}
