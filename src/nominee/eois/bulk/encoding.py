"""How bulk rows are written for each engine: compact JSON, SQLite's instants, COPY text.

One place for the escaping the bulk paths share: ``prepare`` encodes an imported line
straight into its engine's form, ``write`` adapts rows of Python values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

# Columns written by a bulk import, in the order of the row tuples.
EOI_FIELDS = [
    "external_id",
    "candidate_id",
    "stream",
    "status",
    "is_legacy",
    "registered_at",
    "expires_at",
    "updated_at",
    "profile",
    "score",
    "max_score",
    "grid",
    "breakdown",
    "noc",
    "census_division",
    "region",
    "in_canada",
    "education_level",
    "french_clb",
    "flags",
    "needs_review",
    "facts",
    "policy_version",
]
#: The import's rows (``prepare``): the columns above and the 2026 ``pathway``; rows written
#: in ``EOI_FIELDS`` order (benches, generators) leave it null.
IMPORT_FIELDS = [*EOI_FIELDS, "pathway"]
_DATETIMES = {"registered_at", "expires_at", "updated_at"}
_JSON = {"profile", "breakdown", "flags", "facts"}
_BOOLS = {"is_legacy", "in_canada", "needs_review"}
CANDIDATE_FIELDS = ["id", "full_name", "email", "created_at"]


def dumps(value: Any) -> str:
    """Compact JSON, as stored in the JSON columns by the bulk paths."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sqlite_instant(value: datetime) -> str:
    """An aware instant as SQLite stores it through Django: naive UTC text.

    The same text as ``str()`` of the UTC datetime keeps the ORM's comparisons (string
    compares) correct.
    """
    return str(value.astimezone(UTC).replace(tzinfo=None))


def copy_escape(text: str) -> str:
    """Text escaped for PostgreSQL's COPY text format (backslash, tab, newline, return)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def copy_text(value: Any) -> str:
    """A value as a COPY field: ``\\N`` for None, else its escaped text."""
    return "\\N" if value is None else copy_escape(str(value))


class Adapter:
    """Turns one row of Python values into what the engine's bulk path takes."""

    def __init__(self, fields: Sequence[str], vendor: str) -> None:
        self.vendor = vendor
        self.kinds = [
            "dt"
            if f in _DATETIMES or f == "created_at"
            else "json"
            if f in _JSON
            else "bool"
            if f in _BOOLS
            else ""
            for f in fields
        ]

    def sqlite(self, row: Sequence[Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for kind, value in zip(self.kinds, row, strict=True):
            if value is None:
                out.append(None)
            elif kind == "dt":
                out.append(sqlite_instant(value))
            elif kind == "json":
                out.append(value if isinstance(value, str) else dumps(value))
            elif kind == "bool":
                out.append(1 if value else 0)
            else:
                out.append(value)
        return tuple(out)

    def copy_line(self, row: Sequence[Any]) -> str:
        parts: list[str] = []
        for kind, value in zip(self.kinds, row, strict=True):
            if value is None:
                parts.append("\\N")
            elif kind == "dt":
                parts.append(value.isoformat())
            elif kind == "json":
                parts.append(copy_text(value if isinstance(value, str) else dumps(value)))
            elif kind == "bool":
                parts.append("t" if value else "f")
            else:
                parts.append(copy_text(value))
        return "\t".join(parts) + "\n"
