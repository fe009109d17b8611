"""Limit/offset pages for the API's lists: no list is ever silently cut short."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nominee.core.errors import ValidationFailed

MAX_LIMIT = 500


def page_of(queryset: QuerySet[Any], *, limit: int, offset: int) -> tuple[list[Any], int]:
    """The rows ``offset`` to ``offset + limit`` of an ordered queryset, and how many in all.

    ValidationFailed names each bad parameter (``limit`` 1 to 500, ``offset`` 0 or more).
    """
    fields: dict[str, list[str]] = {}
    if not 1 <= limit <= MAX_LIMIT:
        fields["limit"] = [f"must be between 1 and {MAX_LIMIT}"]
    if offset < 0:
        fields["offset"] = ["must be 0 or more"]
    if fields:
        raise ValidationFailed("the page is invalid", fields=fields)
    return list(queryset[offset : offset + limit]), queryset.count()
