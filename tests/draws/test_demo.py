"""The demo step replays 2025-09-02/03 with the two-person rule visible in the record."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.db import transaction

from nominee.core.timeutil import PROGRAM_TZ
from nominee.demo import accounts as accounts_demo
from nominee.demo import draws as demo
from nominee.draws.models import Draw
from tests.draws.pools import eoi_row, save_all

pytestmark = pytest.mark.django_db


def test_it_replays_the_draws_the_data_allows() -> None:
    rows = demo.replayable_rows()
    assert [(r["date"].isoformat(), r["stream"]) for r in rows] == [
        ("2025-09-02", "foreign-worker"),
        ("2025-09-02", "international-student"),
        ("2025-09-02", "in-demand-skills"),
        ("2025-09-03", "foreign-worker"),
        ("2025-09-03", "international-student"),
    ]
    assert rows[0]["in_canada"] is True
    assert demo._codes("priority-health-2025-09-02", "FW") == [
        "31100", "31101", "31102", "31300", "31301", "31302", "31303", "32101", "33102", "42202",
    ]  # fmt: skip
    assert demo._codes("priority-health-2025-09-02", "IDS") == ["44101"]
    assert len(demo._codes("targeted-2025-09-03", "IS")) == 11


def test_the_demo_step_proposes_approves_and_executes_each_draw() -> None:
    accounts_demo.load(StringIO())
    rng = random.Random(7)
    base = datetime.combine(date(2025, 7, 10), time(9), tzinfo=PROGRAM_TZ)
    nocs = ["31301", "42202", "44101", "21311", "10011"]
    streams = ["foreign-worker", "international-student", "in-demand-skills"]
    save_all(
        eoi_row(
            registered_at=base + timedelta(hours=i),
            stream=streams[i % 3],
            noc=nocs[i % 5],
            score=rng.randint(30, 70),
        )
        for i in range(300)
    )
    out = StringIO()
    with transaction.atomic():
        demo.load(out)
    draws = list(Draw.objects.order_by("id"))
    assert len(draws) == 5
    for draw in draws:
        assert draw.status == "executed"
        assert draw.proposed_by.email == demo.OFFICER  # type: ignore[union-attr]
        assert draw.approved_by.email == demo.MANAGER  # type: ignore[union-attr]
        assert draw.executed_by.email == demo.OFFICER  # type: ignore[union-attr]
    assert sum(d.invitations_issued or 0 for d in draws) > 0
    assert "published 41" in out.getvalue()
