"""The program's own history of changes: the page, the Atom feed and the JSON API."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from nominee.program.models import Allocation, ProgramChange
from tests.closing import closed

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CLOSING = date(2026, 5, 30)


def test_the_page_shows_a_stream_closing_and_opening(client: Client) -> None:
    with closed("foreign-worker", on=CLOSING):
        response = client.get("/program/changes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stream closed: Employer Job Offer: Foreign Worker" in html
    assert "30 May 2026" in html
    assert "Stream opened: Employer Job Offer: Foreign Worker" in html
    assert "22 November 2022" in html
    visible = re.sub(r"<[^>]+>", " ", html.split("pub-changes", 1)[-1])
    assert "foreign-worker" not in visible  # names, never codes


def test_the_page_follows_the_registry(client: Client) -> None:
    """A closing added to the registry shows at once (the cache key follows it)."""
    before = client.get("/program/changes/").content.decode()
    with closed("masters", on=CLOSING):
        during = client.get("/program/changes/").content.decode()
    assert "Stream closed: Masters Graduate" in during
    if "Stream closed: Masters Graduate" not in before:
        assert before != during


def test_a_withdrawal_and_an_allocation_are_changes(client: Client) -> None:
    ProgramChange.objects.create(
        kind=ProgramChange.Kind.EOIS_WITHDRAWN,
        stream="phd",
        effective_on=date(2026, 6, 25),
        count=1234,
        recorded_at=timezone.now(),
    )
    ProgramChange.objects.create(
        kind=ProgramChange.Kind.EOIS_WITHDRAWN,
        stream="masters",
        effective_on=date(2026, 6, 25),
        count=3,
        recorded_at=timezone.now(),
    )
    html = client.get("/program/changes/").content.decode()
    assert "Expressions of interest withdrawn: PhD Graduate" in html
    assert "1,234" in html
    assert "the &lt;5 expressions of interest" in html  # a small count is suppressed
    assert Allocation.objects.filter(year=2026).exists()
    assert "Nomination allocation 2026: 14,119" in html


def test_the_feed_has_an_entry_per_change(client: Client) -> None:
    with closed("foreign-worker", on=CLOSING):
        feed = ET.fromstring(client.get("/draws.atom").content)  # noqa: S314 - our own feed
    changes = [
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}category[@term='program-change']") is not None
    ]
    titles = [e.findtext(f"{ATOM}title") for e in changes]
    assert "30 May 2026: Stream closed: Employer Job Offer: Foreign Worker" in titles
    assert "22 November 2022: Stream opened: Employer Job Offer: Foreign Worker" in titles
    ids = [e.findtext(f"{ATOM}id") for e in changes]
    assert len(set(ids)) == len(ids)
    for entry in changes:
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        assert link.get("href", "").startswith("https://nominee.example/program/changes/#")


def test_the_api_lists_the_changes(client: Client) -> None:
    with closed("foreign-worker", on=CLOSING):
        documents = client.get("/api/v1/program/changes").json()
    closing = [d for d in documents if d["kind"] == "stream_closed"]
    fw = [d for d in closing if d["stream"] == "foreign-worker"]
    assert fw[0]["date"] == "2026-05-30"
    assert fw[0]["title"] == "Stream closed: Employer Job Offer: Foreign Worker"
    assert fw[0]["stream_name"] == "Employer Job Offer: Foreign Worker"
    assert fw[0]["scheduled"] is False
    assert any(d["kind"] == "stream_opened" for d in documents)
    assert any(d["kind"] == "allocation_set" and d["year"] == 2026 for d in documents)
    dates = [d["date"] or f"{d['year']}-01-01" for d in documents]
    assert dates == sorted(dates, reverse=True)
    assert not any("@" in str(d) for d in documents)  # no personal data
