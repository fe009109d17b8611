"""Template filters of the public record's pages."""

from __future__ import annotations

from django import template

from ..record import SUPPRESS_BELOW, count_words, is_suppressed

register = template.Library()


@register.filter
def count_shown(count: int | None) -> str:
    """A count or total as the public pages show it: "fewer than 5" for one to four,
    "not published" for an unknown one, else the number (decision 70)."""
    return count_words(count)


@register.filter
def plural_of(count: int | None) -> int:
    """The number that chooses a plural beside :func:`count_shown`'s words."""
    if count is None or is_suppressed(count):
        return SUPPRESS_BELOW
    return count
