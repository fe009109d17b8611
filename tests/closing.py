"""A stream closed on a date, as policy data: the shipped document with ``until`` set.

The engine's ``policy_document`` swaps a copy of the shipped policy in for the block, so
that tests of what a closing does hold whether or not the shipped registry closes the
stream itself (issue 12 closes the five 2025 streams on 2026-05-30 in the data).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date
from importlib import resources
from typing import Any

from nominee.scoring.policy import policy_document


def shipped_policy() -> dict[str, Any]:
    """A fresh copy of the shipped ``policy.json``."""
    text = resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
    return json.loads(text)


@contextlib.contextmanager
def closed(*codes: str, on: date) -> Iterator[None]:
    """The streams ``codes`` close on ``on`` (exclusive end: closed from that date)."""
    document = shipped_policy()
    for entry in document["streams"]:
        if entry["code"] in codes:
            entry["until"] = on.isoformat()
    with policy_document(document):
        yield
