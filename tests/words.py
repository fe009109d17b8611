"""What pages say for a code: the words of ``nominee.core.labels`` as the page escapes them."""

from __future__ import annotations

from django.utils.html import escape

from nominee.core.labels import rule_label


def rule_words(code: str) -> str:
    """A rule's sentence as it appears in a page's HTML (apostrophes escaped)."""
    return str(escape(rule_label(code)))
