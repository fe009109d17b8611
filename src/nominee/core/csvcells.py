"""CSV cells a spreadsheet will not run as formulas (CSV injection, Decision 79).

Every CSV that the site or the command line writes goes through :func:`writer` (or
:func:`cell` for a single value); ``tests/core/test_csvcells.py`` fails on a
``csv.writer`` or ``csv.DictWriter`` anywhere else in the code.

A spreadsheet that opens a CSV runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula (a tab or a carriage return first hides the sign from a reader's eye and some
importers strip them). Such a text cell is written with a leading apostrophe, the OWASP
advice: spreadsheets read it as text and hide the apostrophe. Two kinds of values are left
as they are, so that a column of numbers stays one (INTERFACES: the published columns are a
contract):

- numbers given as numbers (``int``, ``float``, ``Decimal``), negative ones included;
- text that is exactly a plain decimal number (``-12``, ``+3.5``): a spreadsheet reads it
  as that number, never as a formula (``-2+3`` is not one, and is neutralised).

A text cell that starts with an apostrophe followed by one of those signs gets a second
apostrophe, so that :func:`restore` (used by the draws importer, which reads the site's own
``/draws.csv`` back) gives every value back exactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# The first characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection").
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def _dangerous(text: str) -> bool:
    if text[:1] in TRIGGERS:
        return _PLAIN_NUMBER.fullmatch(text) is None
    # An apostrophe already in front of a sign: doubled, so that restore() is exact.
    return text.startswith("'") and text.lstrip("'")[:1] in TRIGGERS


def cell(value: Any) -> Any:
    """The value as it is safe to write: numbers unchanged, formula-like text with an
    apostrophe in front (``None`` becomes an empty cell, as ``csv`` writes it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text and _dangerous(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The value :func:`cell` was given, from the text it wrote (for reading a file back)."""
    if text.startswith("'") and text.lstrip("'")[:1] in TRIGGERS:
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`cell`."""

    def __init__(self, inner: _Writer) -> None:
        self._inner = inner

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row, each cell neutralised."""
        return self._inner.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write several rows, each cell neutralised."""
        for row in rows:
            self.writerow(row)


def writer(out: Any, **kwargs: Any) -> SafeWriter:
    """``csv.writer(out, **kwargs)`` that neutralises formula-like cells."""
    return SafeWriter(csv.writer(out, **kwargs))
