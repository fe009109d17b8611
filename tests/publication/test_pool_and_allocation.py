"""The pool's distribution ("<5" suppression, snapshots at each draw) and the allocation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from nominee.core.timeutil import today
from nominee.draws import services as draw_services
from nominee.draws.criteria import DrawCriteria
from nominee.draws.signals import draw_executed
from nominee.publication.models import PoolSnapshot, PublicationState
from nominee.publication.queries import allocation_use, bands, suppressed
from nominee.publication.services import import_published_draws

from .conftest import SAMPLE_CSV, executed_draw, invite, pool_eoi

pytestmark = pytest.mark.django_db


def test_counts_under_five_are_shown_as_less_than_five() -> None:
    assert [suppressed(n) for n in (0, 1, 4, 5, 1234)] == ["<5", "<5", "<5", "5", "1,234"]


def test_scores_are_banded_from_the_top_band_down() -> None:
    banded = bands([(52, 3), (50, 4), (41, 7), (44, 1)])
    assert [(b.low, b.high, b.count, b.shown) for b in banded] == [
        (50, 54, 7, "7"),
        (45, 49, 0, "<5"),
        (40, 44, 8, "8"),
    ]


def test_the_pool_page_suppresses_small_bands(client: Client) -> None:
    for score in (50, 51, 52, 53, 54, 55):  # 5 in 50-54, 1 in 55-59
        pool_eoi(score=score, recent=True)
    pool_eoi(stream="phd", score=70, recent=True)
    pool_eoi(score=90)  # expired by now: not in today's pool
    html = client.get("/draws/pool/").content.decode()
    assert "50\N{EN DASH}54" in html
    assert "55\N{EN DASH}59" in html
    assert "&lt;5" in html
    assert "6 expressions of interest" in html  # the FW total is 6
    assert "<td>1</td>" not in html
    assert "90\N{EN DASH}94" not in html


def test_a_draw_snapshots_the_pool_as_it_stood_and_refreshes_the_pages(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    eois = [pool_eoi(score=40 + i, recent=True) for i in range(8)]
    before_page = client.get("/draws/pool/").content.decode()
    version = PublicationState.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        result = draw_services.run_draw(
            criteria=DrawCriteria(stream="foreign-worker", draw_date=today(), invitations=3)
        )
    snapshot = PoolSnapshot.objects.get(draw_id=result.draw)
    assert snapshot.total == 8  # the 3 invited were still in the pool when it ran
    assert snapshot.scores[0] == [47, 1]
    assert PublicationState.objects.get().version > (version.version if version else 0)
    after_page = client.get("/draws/pool/").content.decode()
    assert after_page != before_page  # the cache was invalidated: 5 left
    html = client.get(f"/draws/nominee-{result.draw}/").content.decode()
    assert "The pool when the draw ran" in html
    assert "45\N{EN DASH}49" in html
    assert len(eois) == 8


def test_the_receiver_is_idempotent() -> None:
    draw = executed_draw(invitations=0)
    draw_executed.send(sender=type(draw), draw=draw)
    draw_executed.send(sender=type(draw), draw=draw)
    assert PoolSnapshot.objects.filter(draw=draw).count() == 1


def test_the_allocation_counts_invitations_from_both_sources() -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    draw = executed_draw(stream="masters", on=date(2025, 10, 1), invitations=2, min_score=60)
    invite(draw, [pool_eoi(stream="masters", score=60), pool_eoi(stream="masters", score=62)])
    use = allocation_use(2025)
    assert use.nominations == 10750
    assert use.nominations_issued == 0
    assert use.remaining == 10750
    by = {row.key: row for row in use.by_stream}
    assert by["masters"].nominee == 2
    assert by["foreign-worker"].imported == 1305
    assert by["international-student"].imported == 759
    assert by["in-demand-skills"].unknown_draws == 1
    assert by["foreign-worker+international-student+in-demand-skills"].imported == 72
    assert use.invitations == 2 + 1305 + 759 + 72
    assert allocation_use(2024).invitations == 1344


def test_the_allocation_page_shows_the_year(client: Client) -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    html = client.get("/draws/allocation/2025/").content.decode()
    assert "10,750" in html
    assert "2,136" in html
    assert client.get("/draws/allocation/").status_code == 200


def test_the_pool_counts_whom_a_draw_would_consider() -> None:
    from datetime import datetime, timedelta

    from nominee.core.timeutil import PROGRAM_TZ
    from nominee.draws.selection import histogram
    from nominee.eois.models import EOI
    from nominee.publication.queries import pool_scores
    from tests.factories import make_eoi

    day = date(2025, 9, 3)
    at = datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ)
    make_eoi(score=50, registered_at=at)
    make_eoi(score=51, registered_at=at, status=EOI.Status.WITHDRAWN)
    make_eoi(score=52, registered_at=datetime(2025, 6, 1, tzinfo=PROGRAM_TZ), is_legacy=True)
    make_eoi(score=53, registered_at=datetime(2025, 9, 4, 9, tzinfo=PROGRAM_TZ))  # after the day
    make_eoi(score=54, registered_at=at - timedelta(days=400))  # expired
    make_eoi(stream="masters", score=60, registered_at=datetime(2025, 1, 5, tzinfo=PROGRAM_TZ))
    scores = pool_scores(day)
    for stream, found in scores.items():
        assert found == histogram(DrawCriteria(stream=stream, draw_date=day)), stream
    assert scores["foreign-worker"] == [(50, 1)]
    assert scores["masters"] == [(60, 1)]
