"""The demo step: the shipped 2024-2026 record, inside the demo command's transaction."""

from __future__ import annotations

from io import StringIO

import pytest
from django.db import transaction
from django.test import Client

from nominee.demo import publication as demo
from nominee.publication.models import PublishedDraw

pytestmark = pytest.mark.django_db


def test_the_demo_step_loads_the_2024_to_2026_record(client: Client) -> None:
    out = StringIO()
    with transaction.atomic():
        demo.load(out)
    assert PublishedDraw.objects.count() == 107
    assert "107 published draws imported" in out.getvalue()
    html = client.get("/draws/summary/2025/week/36/").content.decode()
    assert "4,536" in html
    assert "10,750" in client.get("/draws/allocation/2025/").content.decode()
    assert "2026-04-30" in client.get("/draws/?year=2026").content.decode()


def test_the_demo_week_36_states_the_published_record_not_the_replays(client: Client) -> None:
    """The demo's draws step replays 2025-09-02/03 on a scaled-down pool (234 beside the
    published 1,134, ...): the public record and its totals state the published figures
    (decision 70). The replays are built as the step builds them (its rows, scaled)."""
    from datetime import date

    from nominee.demo import draws as demo_draws
    from nominee.publication.queries import Period, allocation_use, summarise

    from .conftest import executed_draw

    replays = [
        executed_draw(
            stream=row["stream"],
            on=row["date"],
            invitations=max(1, round(row["invitations"] * 0.1)),
            min_score=row["min_score"] + 3,
            eligible=5000,
        )
        for row in demo_draws.replayable_rows()
    ]
    assert {draw.invitations_issued for draw in replays} >= {113}  # the 1,134's replay
    with transaction.atomic():
        demo.load(StringIO())
    summary = summarise(Period.week(2025, 36))
    assert summary.invitations == 4536
    assert summary.by_source == {"nominee": 0, "imported": 5}
    html = client.get("/draws/summary/2025/week/36/").content.decode()
    assert "4,536" in html
    assert "Together they issued 4,536 invitations." in html
    listing = client.get("/draws/?year=2025").content.decode()
    assert "1,134" in listing
    for draw in replays:
        assert f"/draws/nominee-{draw.pk}/" not in listing
        assert client.get(f"/draws/nominee-{draw.pk}/").status_code == 404
    api = client.get("/api/v1/draws?year=2025").json()
    assert {doc["source"] for doc in api} == {"imported"}
    day = [doc for doc in api if doc["date"] == "2025-09-03"]
    assert sorted(doc["invitations"] for doc in day) == [759, 1134]
    published_2025 = sum(doc["invitations"] or 0 for doc in api)
    assert allocation_use(2025).invitations == published_2025
    assert allocation_use(2025, until=date(2025, 9, 7)).invitations_nominee == 0
