"""Limit/offset pages for the API's lists: no list is ever silently cut short."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nominee.core.errors import ValidationFailed

MAX_LIMIT = 500
#: The databases' LIMIT and OFFSET are signed 64-bit integers: ``offset + limit`` must fit.
MAX_OFFSET = 2**63 - 1 - MAX_LIMIT


def page_of(queryset: QuerySet[Any], *, limit: int, offset: int) -> tuple[list[Any], int]:
    """The rows ``offset`` to ``offset + limit`` of an ordered queryset, and how many in all.

    ValidationFailed names each bad parameter (``limit`` 1 to 500, ``offset`` 0 to
    ``MAX_OFFSET``).
    """
    fields: dict[str, list[str]] = {}
    if not 1 <= limit <= MAX_LIMIT:
        fields["limit"] = [f"must be between 1 and {MAX_LIMIT}"]
    if not 0 <= offset <= MAX_OFFSET:
        fields["offset"] = [f"must be between 0 and {MAX_OFFSET}"]
    if fields:
        raise ValidationFailed("the page is invalid", fields=fields)
    return list(queryset[offset : offset + limit]), queryset.count()
