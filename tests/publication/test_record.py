"""The unified record: /draws/, a draw's page, the JSON API, CSV and Atom."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from nominee.draws.models import Draw
from nominee.publication.models import PublishedDraw
from nominee.publication.services import bump_version, import_published_draws

from .conftest import SAMPLE_CSV, executed_draw

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
RESULT_FIELDS = {
    "draw",
    "stream",
    "executed",
    "date",
    "invitations",
    "min_score",
    "tie_break",
    "eligible",
}


@pytest.fixture
def record(db: None) -> dict[str, Draw]:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    fw = executed_draw(
        stream="foreign-worker",
        on=date(2025, 9, 3),
        invitations=1134,
        min_score=42,
        tie_break=datetime(2025, 8, 1, 13, 12, 44, tzinfo=UTC),
        eligible=18211,
        noc_codes=["21231", "31301"],
        registered_from=date(2025, 7, 2),
        registered_to=date(2025, 9, 3),
    )
    masters = executed_draw(
        stream="masters", on=date(2025, 10, 1), invitations=40, min_score=55, eligible=900
    )
    Draw.objects.create(stream="phd", status=Draw.Status.PROPOSED, draw_date=date(2025, 11, 1))
    Draw.objects.create(stream="phd", status=Draw.Status.CANCELLED, draw_date=date(2025, 11, 2))
    return {"fw": fw, "masters": masters}


def test_it_lists_every_published_draw_newest_first_without_login(
    client: Client, record: dict[str, Draw]
) -> None:
    response = client.get("/draws/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,134" in html
    assert "42 and above" in html
    assert "1,305" in html
    assert "Run in Nominee" in html
    assert "Published record (imported)" in html
    order = [html.index(text) for text in ("2025-12-10", "2025-10-01", "2025-09-03", "2024-01-24")]
    assert order == sorted(order)
    assert "2025-11-01" not in html  # a proposed draw is not published
    assert "2025-11-02" not in html  # nor a cancelled one
    assert html.count('href="/draws/nominee-') == 2


def test_it_filters_the_list_by_year_and_stream(client: Client, record: dict[str, Draw]) -> None:
    html = client.get("/draws/?year=2024").content.decode()
    assert "1,344" in html
    assert "1,134" not in html
    html = client.get("/draws/?year=2025&stream=international-student").content.decode()
    assert "759" in html  # the IS row
    assert "72" in html  # a row naming several streams matches each of them
    assert "1,134" not in html
    assert "1,305" not in html
    docs = client.get("/api/v1/draws?year=2025&stream=foreign-worker&source=nominee").json()
    assert [d["draw"] for d in docs] == [record["fw"].pk]


def test_it_refuses_a_bad_filter_with_a_message(client: Client, record: dict[str, Draw]) -> None:
    response = client.get("/draws/?year=twenty&stream=express-entry")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a year such as 2025." in html
    assert 'aria-invalid="true"' in html
    api = client.get("/api/v1/draws?stream=express-entry")
    assert api.status_code == 400
    assert "stream" in api.json()["fields"]
    assert client.get("/api/v1/draws?year=abc").status_code == 422


def test_a_draws_page_shows_the_targeting_nocs_and_tie_break(
    client: Client, record: dict[str, Draw]
) -> None:
    html = client.get(f"/draws/nominee-{record['fw'].pk}/").content.decode()
    assert "1,134" in html
    assert "42 and above" in html
    assert "18,211" in html
    assert "21231" in html
    assert "Software engineers and designers" in html
    assert "2025-08-01T09:12:44-04:00" in html  # the tie-break, in program time
    assert "registered 2 July 2025 to 3 September 2025" in html


def test_an_imported_draws_page_says_what_was_not_published(
    client: Client, record: dict[str, Draw]
) -> None:
    row = PublishedDraw.objects.get(stream="in-demand-skills")
    html = client.get(f"/draws/{row.slug}/").content.decode()
    assert html.count("not published") >= 3
    assert "Published record (imported)" in html


def test_an_unknown_draw_is_404(client: Client, record: dict[str, Draw]) -> None:
    assert client.get("/draws/nominee-999999/").status_code == 404
    assert client.get("/draws/2025-01-01-phd-00000000/").status_code == 404
    proposed = Draw.objects.get(status=Draw.Status.PROPOSED)
    assert client.get(f"/draws/nominee-{proposed.pk}/").status_code == 404


def test_the_api_keeps_the_draw_result_fields_and_names_every_draw(
    client: Client, record: dict[str, Draw]
) -> None:
    response = client.get("/api/v1/draws")
    assert response.status_code == 200
    docs = response.json()
    assert len(docs) == 7
    assert [d["date"] for d in docs] == sorted((d["date"] for d in docs), reverse=True)
    for doc in docs:
        assert doc.keys() >= RESULT_FIELDS
        assert "invited" not in doc
        assert doc["targeting"]
    fw = next(d for d in docs if d["source"] == "nominee" and d["stream"] == "foreign-worker")
    assert fw["draw"] == record["fw"].pk
    assert fw["invitations"] == 1134
    assert fw["min_score"] == 42
    assert fw["eligible"] == 18211
    assert fw["tie_break"] == "2025-08-01T13:12:44Z"
    assert fw["url"] == f"https://nominee.example/draws/nominee-{record['fw'].pk}/"
    imported = [d for d in docs if d["source"] == "imported"]
    assert all(d["draw"] is None for d in imported)
    assert len({d["slug"] for d in docs}) == len(docs)
    unknown = next(d for d in imported if d["stream"] == "in-demand-skills")
    assert unknown["invitations"] is None
    assert unknown["min_score"] is None


def test_the_api_is_public_and_documented(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/draws"]["get"]
    assert not operation.get("security")
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    name = schema["items"]["$ref"].rsplit("/", 1)[1]
    assert RESULT_FIELDS | {"targeting", "source", "slug", "url"} <= set(
        spec["components"]["schemas"][name]["properties"]
    )


def test_the_atom_feed_is_valid_atom_with_stable_entry_ids(
    client: Client, record: dict[str, Draw]
) -> None:
    response = client.get("/draws.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = [  # the draws' entries (the program's changes have their own, tested apart)
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}category[@term='program-change']") is None
    ]
    assert len(entries) == 7
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        assert link.get("href", "").startswith("https://nominee.example/draws/")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:nominee.example,") for i in ids)
    executed_draw(stream="phd", on=date(2025, 12, 1), invitations=3, min_score=60)
    bump_version()
    again = ET.fromstring(client.get("/draws.atom").content)  # noqa: S314 - our own feed, in a test
    new_ids = [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")]
    assert set(ids) < set(new_ids)  # old entries keep their ids; one more entry


def test_the_csv_round_trips(client: Client, record: dict[str, Draw]) -> None:
    body = client.get("/draws.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    docs = client.get("/api/v1/draws").json()
    assert [r["slug"] for r in rows] == [d["slug"] for d in docs]
    for row, doc in zip(rows, docs, strict=True):
        assert row["date"] == doc["date"]
        assert row["invitations"] == ("" if doc["invitations"] is None else str(doc["invitations"]))
        assert row["min_score"] == ("" if doc["min_score"] is None else str(doc["min_score"]))
        assert row["draw"] == ("" if doc["draw"] is None else str(doc["draw"]))
        assert row["tie_break"] == (doc["tie_break"] or "")
    # The file is in the import layout: another installation loads it as published draws.
    PublishedDraw.objects.all().delete()
    Draw.objects.filter(status=Draw.Status.EXECUTED).update(status=Draw.Status.CANCELLED)
    result = import_published_draws(text=body, source_file="draws.csv")
    assert result.created == 7
    bump_version()
    again = client.get("/api/v1/draws").json()
    assert [(d["date"], d["streams"], d["invitations"], d["min_score"]) for d in again] == [
        (d["date"], d["streams"], d["invitations"], d["min_score"]) for d in docs
    ]


def test_feeds_and_pages_carry_cache_headers_and_answer_304(
    client: Client, record: dict[str, Draw]
) -> None:
    for url in ("/draws/", "/draws.atom", "/draws.csv", "/api/v1/draws"):
        response = client.get(url)
        assert response["Cache-Control"].startswith("public, max-age=")
        assert response["ETag"]
        assert response["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url


def test_the_cache_is_refreshed_when_the_record_changes(
    client: Client, record: dict[str, Draw]
) -> None:
    before = client.get("/api/v1/draws")
    executed_draw(stream="phd", on=date(2025, 12, 20), invitations=7, min_score=61)
    after = client.get("/api/v1/draws")
    assert after["ETag"] != before["ETag"]
    assert after.json()[0]["date"] == "2025-12-20"


def test_the_csv_neutralises_formula_cells_and_reads_them_back(client: Client) -> None:
    # Decision 79: a published figure's notes come from a file or a person; a spreadsheet
    # opening /draws.csv must not run them.
    hostile = '=HYPERLINK("http://evil.example","x")'
    text = SAMPLE_CSV.replace("Greater Sudbury", hostile.replace('"', '""').join('""'))
    text = text.replace("Counts unconfirmed", "@SUM(1)")
    import_published_draws(text=text, source_file="hostile.csv")
    body = client.get("/draws.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    notes = {row["targeting_notes"] for row in rows}
    assert "'" + hostile in notes
    assert "'@SUM(1)" in notes
    assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row.values() if cell)
    # Read back (another installation importing it), the notes are the ones published.
    PublishedDraw.objects.all().delete()
    import_published_draws(text=body, source_file="draws.csv")
    stored = set(PublishedDraw.objects.values_list("targeting_notes", flat=True))
    assert {hostile, "@SUM(1)"} <= stored
