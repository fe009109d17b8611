"""JSON text from outside (API bodies, files given to commands) parsed with a depth limit.

``json.loads`` recurses once per level of nesting: a document nested 100,000 deep raises
RecursionError (a 500 in the API, a traceback in a command), not the ValueError callers
expect of bad JSON. ``loads`` counts the nesting first (brackets outside strings) and
refuses a document deeper than ``MAX_DEPTH`` with ``JsonTooDeep``, a ``ValueError`` like
``json.JSONDecodeError``, so every caller's handling of malformed JSON covers it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

#: Far above any document of the program (a profile document is 4 levels deep, an import
#: line 5), far below Python's recursion limit.
MAX_DEPTH = 64

# A string (skipped whole, escapes included) or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


class JsonTooDeep(ValueError):
    """The JSON text nests arrays and objects deeper than ``MAX_DEPTH``."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings are skipped)."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        lexeme = match.group()
        if lexeme in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif lexeme in ("]", "}"):
            depth -= 1
    return deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads``, refusing a document nested deeper than ``max_depth`` (``JsonTooDeep``)."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")  # a UnicodeDecodeError is a ValueError too
    # Counting is cheap; the scan runs only when there are enough brackets to be too deep.
    if text.count("[") + text.count("{") > max_depth and nesting_depth(text) > max_depth:
        raise JsonTooDeep(f"the JSON document is nested more than {max_depth} levels deep")
    return json.loads(text)


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """The dotted path of each string (or key) of a parsed document holding a NUL character.

    PostgreSQL text cannot hold U+0000 (a write fails with a DataError); SQLite would store
    it. The API and ``nominee eoi import`` refuse such a document, naming each field.
    """
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield key_path
            yield from nul_paths(item, key_path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}.{index}" if path else str(index))
