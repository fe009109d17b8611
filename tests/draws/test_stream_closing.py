"""A draw of a closing stream: its candidates' window must end before the closing (DOMAIN §9).

The shipped 2025 streams close on 2026-05-30 once the 2026 program is in the data; these
tests close Foreign Worker on a date of their own with ``policy_document`` so that they hold
whatever the shipped registry says.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from nominee.core.errors import ValidationFailed
from nominee.draws.criteria import parse_criteria
from nominee.draws.policy import ita_windows
from nominee.program import streams
from nominee.scoring.policy import policy_document

STREAM = "foreign-worker"
CLOSING = date(2026, 5, 30)


def _closed_document(closing: date) -> dict[str, Any]:
    text = resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
    document: dict[str, Any] = copy.deepcopy(json.loads(text))
    for entry in document["streams"]:
        if entry["code"] == STREAM:
            entry["until"] = closing.isoformat()
    return document


@pytest.fixture
def closing() -> Iterator[date]:
    """Foreign Worker closes on 2026-05-30 (the day itself closed)."""
    with policy_document(_closed_document(CLOSING)):
        yield CLOSING


def _criteria(draw_date: date) -> dict[str, Any]:
    return {"stream": STREAM, "invitations": 10, "draw_date": draw_date.isoformat()}


@pytest.mark.django_db
def test_the_last_day_a_draw_can_be_held(closing: date) -> None:
    days = ita_windows(STREAM, date(2026, 5, 1)).candidate
    latest = closing - timedelta(days=days + 1)
    criteria = parse_criteria(_criteria(latest))
    assert criteria.draw_date == latest


@pytest.mark.django_db
def test_a_draw_whose_window_reaches_the_closing_is_refused_with_the_date(closing: date) -> None:
    days = ita_windows(STREAM, date(2026, 5, 1)).candidate
    too_late = closing - timedelta(days=days)
    with pytest.raises(ValidationFailed) as refused:
        parse_criteria(_criteria(too_late))
    message = " ".join(refused.value.fields["draw_date"])
    assert "closes on 2026-05-30" in message
    assert (closing - timedelta(days=days + 1)).isoformat() in message


@pytest.mark.django_db
def test_on_the_closing_day_the_stream_itself_is_closed(closing: date) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_criteria(_criteria(closing))
    assert "2026-05-30" in " ".join(refused.value.fields["stream"])


@pytest.mark.django_db
def test_a_stream_without_a_closing_date_has_no_such_limit() -> None:
    open_ended = "workforce-priority"
    assert streams.info(open_ended).until is None
    far = date(2099, 1, 1)
    assert parse_criteria({"stream": open_ended, "invitations": 10, "draw_date": far})
