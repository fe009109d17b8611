"""Period summaries: the figures of a fixed set of draws (not the wording)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from nominee.publication.queries import Period, all_entries, replayed_draw_ids, summarise
from nominee.publication.services import import_published_draws

from .conftest import executed_draw

pytestmark = pytest.mark.django_db

FIRST_WEEK_OF_SEPTEMBER = (
    "date,stream,draw_type,invitations,min_score,profiles_from,profiles_to,targeting_"
    "notes,source_url\n"
    "2025-09-02,Employer Job Offer: Foreign Worker,targeted,1305,41,2025-07-02,2025-0"
    "9-02,NOC 31100;31101;31102;31300;31301;31302;31303;32101;33102;42202,\n"
    "2025-09-02,Employer Job Offer: International Student,targeted,1105,58,2025-07-02"
    ",2025-09-02,Same 10 NOCs as FW row,\n"
    "2025-09-02,Employer Job Offer: In-Demand Skills,targeted,233,33,2025-07-02,2025-"
    "09-02,NOC 44101 home support workers,\n"
    "2025-09-03,Employer Job Offer: Foreign Worker,targeted,1134,42,2025-07-02,2025-0"
    "9-03,77 NOC codes,\n"
    "2025-09-03,Employer Job Offer: International Student,targeted,759,63,2025-07-02,"
    "2025-09-03,Same 77 NOC codes,\n"
    "2025-08-28,Employer Job Offer: Foreign Worker,targeted,94,53,2025-07-02,2025-08-"
    "28,Northern Ontario,\n"
    "2025-09-10,Employer Job Offer: In-Demand Skills,targeted,,,,,Unconfirmed,\n"
)


@pytest.fixture
def september(db: None) -> None:
    import_published_draws(text=FIRST_WEEK_OF_SEPTEMBER, source_file="sept.csv")


def test_the_first_week_of_september_2025_adds_up(september: None) -> None:
    summary = summarise(Period.week(2025, 36))
    assert (summary.period.start, summary.period.end) == (date(2025, 9, 1), date(2025, 9, 7))
    assert summary.draws == 5
    assert summary.invitations == 4536
    totals = {row.key: row for row in summary.by_stream}
    assert totals["foreign-worker"].invitations == 2439
    assert totals["foreign-worker"].draws == 2
    assert (totals["foreign-worker"].lowest_score, totals["foreign-worker"].highest_score) == (
        41,
        42,
    )
    assert totals["international-student"].invitations == 1864
    assert totals["in-demand-skills"].lowest_score == 33
    assert summary.targeted == 5
    assert summary.general == 0
    assert summary.occupations == 11  # the 10 health NOCs and 44101
    assert summary.windows == (
        (date(2025, 7, 2), date(2025, 9, 2)),
        (date(2025, 7, 2), date(2025, 9, 3)),
    )
    assert summary.allocation is not None
    assert summary.allocation.nominations == 10750
    assert summary.allocation.invitations == 94 + 4536  # the year so far, to 7 September
    for figure in ("4,536", "2,439", "1,864", "10,750", "41", "63", "11"):
        assert figure in summary.paragraph
    assert summary.paragraph.startswith(
        "In week 36 of 2025, 1\N{EN DASH}7 September, the program held 5 draws. "
        "Together they issued 4,536 invitations."
    )


def test_a_month_counts_unknown_figures_apart(september: None) -> None:
    summary = summarise(Period.month(2025, 9))
    assert summary.draws == 6
    assert summary.invitations == 4536
    assert summary.unknown_counts == 1


def test_a_day_and_a_quiet_day(september: None) -> None:
    assert summarise(Period.day(2025, 9, 3)).invitations == 1893
    quiet = summarise(Period.day(2025, 9, 4))
    assert quiet.draws == 0
    assert quiet.invitations == 0
    assert "no draws" in quiet.paragraph


def test_a_replay_of_a_published_draw_is_not_public(client: Client, september: None) -> None:
    """Decision 70: the published record wins; Nominee's replay of a published draw (the
    demo's scaled-down 234 beside the published 1,134) is neither listed nor counted."""
    replay = executed_draw(
        stream="foreign-worker", on=date(2025, 9, 3), invitations=234, min_score=44, eligible=900
    )
    own = executed_draw(stream="in-demand-skills", on=date(2025, 9, 3), invitations=7)
    summary = summarise(Period.day(2025, 9, 3))
    assert summary.invitations == 1134 + 759 + 7
    assert summary.draws == 3
    week = summarise(Period.week(2025, 36))
    assert week.invitations == 4536 + 7
    slugs = {e.slug for e in all_entries()}
    assert f"nominee-{replay.pk}" not in slugs
    assert f"nominee-{own.pk}" in slugs
    assert replayed_draw_ids() == {replay.pk}
    html = client.get("/draws/?year=2025").content.decode()
    assert "1,134" in html
    assert "234" not in html
    assert client.get(f"/draws/nominee-{replay.pk}/").status_code == 404
    api = client.get("/api/v1/draws?year=2025").json()
    assert replay.pk not in {doc["draw"] for doc in api}
    assert "234" not in client.get("/draws.csv").content.decode().split("\n", 1)[1]


def test_the_summary_pages_use_the_url_scheme(client: Client, september: None) -> None:
    for url in (
        "/draws/summary/2025/week/36/",
        "/draws/summary/2025/09/",
        "/draws/summary/2025/09/03/",
        "/draws/summary/2025/",
        "/draws/summary/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/draws/summary/2025/week/36/").content.decode()
    assert "4,536" in html
    assert "2,439" in html
    for url in (
        "/draws/summary/2025/13/",
        "/draws/summary/2025/week/54/",
        "/draws/summary/2025/02/30/",
    ):
        assert client.get(url).status_code == 404, url
