"""Issue 13's public record: week names, plurals, "fewer than 5", curation notes kept to
the Sources page, the allocation's opening year (decision 70)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from django.test import Client

from nominee.core.timeutil import PROGRAM_TZ
from nominee.publication import views
from nominee.publication.queries import Period, all_entries, default_allocation_year, summarise
from nominee.publication.services import import_published_draws

from .conftest import executed_draw

pytestmark = pytest.mark.django_db

HEADER = (
    "date,stream,draw_type,invitations,min_score,profiles_from,profiles_to,targeting_notes,"
    "source_url\n"
)
NOTED = HEADER + (
    "2024-05-07,Employer Job Offer: Foreign Worker,targeted,494,,,,"
    '"Derived as 2,188 - 1,694; targeting and min score UNCONFIRMED",https://example.org/a\n'
    "2025-10-02,Employer Job Offer: International Student,general,1000,60,,,"
    "Window UNCONFIRMED (DOMAIN §7),https://example.org/b\n"
    "2025-10-09,Employer Job Offer: In-Demand Skills,targeted,1,30,,,Single invitation,\n"
)
CURATION = ("UNCONFIRMED", "Derived as", "DOMAIN §7", "Single invitation")


def test_weeks_are_named_by_their_iso_number_and_dates() -> None:
    assert Period.week(2025, 49).title == "Week 49 of 2025, 1\N{EN DASH}7 December"
    assert Period.week(2025, 36).label == "week 36 of 2025, 1\N{EN DASH}7 September"
    assert Period.week(2025, 40).title == "Week 40 of 2025, 29 September \N{EN DASH} 5 October"
    assert (
        Period.week(2026, 1).title == "Week 1 of 2026, 29 December 2025 \N{EN DASH} 4 January 2026"
    )


def test_a_week_page_uses_the_same_name_in_its_title_and_paragraph(client: Client) -> None:
    draw = executed_draw(on=date(2025, 12, 3), invitations=40, min_score=50)
    detail = client.get(f"/draws/nominee-{draw.pk}/").content.decode()
    assert "Summary of week 49 of 2025, 1\N{EN DASH}7 December" in detail
    html = client.get("/draws/summary/2025/week/49/").content.decode()
    assert "Week 49 of 2025, 1\N{EN DASH}7 December" in html
    assert "In week 49 of 2025, 1\N{EN DASH}7 December, the program held 1 draw." in html
    assert "fifth week" not in html
    month = client.get("/draws/summary/2025/12/").content.decode()
    assert "Week 49 of 2025, 1\N{EN DASH}7 December" in month


def test_plurals_follow_the_counts(client: Client) -> None:
    import_published_draws(text=NOTED, source_file="noted.csv")
    day = summarise(Period.day(2025, 10, 2))
    assert day.paragraph.startswith(
        "On 2 October 2025, the program held 1 draw. It issued 1,000 invitations."
    )
    assert "The draw was general." in day.paragraph
    single = summarise(Period.day(2025, 10, 9))
    assert "It issued fewer than 5 invitations." in single.paragraph
    october = summarise(Period.month(2025, 10))
    assert "held 2 draws" in october.paragraph
    assert "1 draw was targeted. 1 draw was general." in october.paragraph
    pages = [
        "/draws/",
        "/draws/?year=2025",
        "/draws/summary/2025/10/",
        "/draws/summary/2025/10/09/",
        "/draws/allocation/2025/",
        "/draws.atom",
    ]
    for url in pages:
        text = client.get(url).content.decode()
        assert not re.search(r"(?<![\d,])1 (invitations|draws)\b", text), url
    one = client.get("/draws/?year=2025&stream=in-demand-skills").content.decode()
    assert "1 draw shown." in one
    atom = client.get("/draws.atom").content.decode()
    assert "2025-10-09: Employer Job Offer: In-Demand Skills, 1 invitation, 30 and above" in atom


def test_a_small_nominee_draw_shows_fewer_than_five_and_no_tie_break(client: Client) -> None:
    tie_break = datetime(2025, 8, 1, 9, 12, 44, tzinfo=PROGRAM_TZ)
    small = executed_draw(
        on=date(2025, 10, 15), invitations=1, eligible=1, min_score=61, tie_break=tie_break
    )
    large = executed_draw(
        on=date(2025, 10, 16), invitations=5, eligible=3000, min_score=55, tie_break=tie_break
    )
    html = client.get(f"/draws/nominee-{small.pk}/").content.decode()
    assert html.count("fewer than 5") >= 2  # invitations and eligible
    assert "2025-08-01T09:12:44" not in html
    assert "9:12:44" not in html
    assert "not shown: fewer than 5 candidates were invited" in html
    assert "2025-08-01T09:12:44" in client.get(f"/draws/nominee-{large.pk}/").content.decode()
    listing = client.get("/draws/?year=2025").content.decode()
    assert "fewer than 5" in listing
    day = client.get("/draws/summary/2025/10/15/").content.decode()
    assert "It issued fewer than 5 invitations." in day

    docs = {doc["draw"]: doc for doc in client.get("/api/v1/draws").json()}
    assert docs[small.pk]["invitations"] is None
    assert docs[small.pk]["eligible"] is None
    assert docs[small.pk]["tie_break"] is None
    assert docs[small.pk]["min_score"] == 61
    assert docs[small.pk]["suppressed"] == ["invitations", "eligible", "tie_break"]
    assert docs[large.pk]["invitations"] == 5
    assert docs[large.pk]["tie_break"] == "2025-08-01T13:12:44Z"
    assert docs[large.pk]["suppressed"] == []

    rows = {
        row["draw"]: row
        for row in csv.DictReader(io.StringIO(client.get("/draws.csv").content.decode()))
    }
    assert rows[str(small.pk)]["invitations"] == ""
    assert rows[str(small.pk)]["eligible"] == ""
    assert rows[str(small.pk)]["tie_break"] == ""
    assert rows[str(large.pk)]["tie_break"] == "2025-08-01T13:12:44Z"
    from nominee.publication.charts import monthly_chart

    october = [e for e in all_entries() if e.date.month == 10]
    small_only = [e for e in october if e.draw == small.pk]
    assert monthly_chart(small_only).rows == (("October 2025", "fewer than 5", "0"),)
    assert "1 invitation" not in monthly_chart(small_only).desc
    atom = client.get("/draws.atom").content.decode()
    assert "Invitations: fewer than 5" in atom
    assert atom.count("Tie-break:") == 1  # the large draw's only


def test_curation_notes_are_on_the_sources_page_only(client: Client) -> None:
    import_published_draws(text=NOTED, source_file="noted.csv")
    slugs = [entry.slug for entry in all_entries()]
    public = [
        "/draws/",
        "/draws/?year=2024",
        "/draws/summary/2024/05/",
        "/draws/summary/2025/10/",
        "/draws/summary/2025/week/40/",
        "/draws/allocation/2025/",
        "/draws/charts/",
        "/program/changes/",
        "/draws.atom",
        "/api/v1/draws",
        *[f"/draws/{slug}/" for slug in slugs],
    ]
    for url in public:
        text = client.get(url).content.decode()
        for note in CURATION:
            assert note not in text, (url, note)
    derived = next(e for e in all_entries() if e.date == date(2024, 5, 7))
    assert derived.targeting == (
        "Targeted draw: the targeting was not published in full (see the sources)."
    )
    detail = client.get(derived.url).content.decode()
    assert "/draws/sources/" in detail
    assert "/draws/sources/" in client.get("/draws/").content.decode()
    sources = client.get("/draws/sources/").content.decode()
    for note in CURATION:
        assert note in sources, note
    assert "Open Government Licence" in sources
    assert "https://example.org/a" in sources
    assert f'id="{derived.slug}"' in sources
    assert "10,750" in sources  # the allocations and their notes


def test_the_allocation_page_opens_on_a_year_with_figures(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_allocation_year(date(2026, 12, 1)) == 2026
    assert default_allocation_year(date(2031, 3, 1)) == 2026  # the latest with an allocation
    monkeypatch.setattr(views.timeutil, "today", lambda: date(2031, 3, 1))
    html = client.get("/draws/allocation/").content.decode()
    assert "Nomination allocation 2026" in html
    assert "14,119" in html
    assert "No allocation is set" not in html
    executed_draw(on=date(2031, 2, 1), invitations=12, min_score=50)
    assert default_allocation_year(date(2031, 3, 1)) == 2031  # draws this year
