"""The shipped record of 2024-2026 on every face of the public record."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from nominee.publication.services import import_published_draws
from nominee.reference.services import data_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped() -> None:
    import_published_draws(text=data_file("oinp_draws.csv"), source_file="oinp_draws.csv")


def test_the_2026_draws_are_on_the_list_page(client: Client, shipped: None) -> None:
    html = client.get("/draws/?year=2026").content.decode()
    assert "30 April 2026" in html or "2026-04-30" in html
    assert "Northern Ontario" in html
    assert client.get("/draws/").status_code == 200


def test_the_2026_draws_are_in_the_csv(client: Client, shipped: None) -> None:
    body = client.get("/draws.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 107
    last = [row for row in rows if row["date"] == "2026-04-30"]
    assert sorted(row["invitations"] for row in last) == ["277", "786"]
    northern = [r for r in rows if r["date"] == "2025-06-03" and r["invitations"] == "391"]
    assert [r["min_score"] for r in northern] == ["36"]


def test_the_2026_draws_are_in_the_atom_feed(client: Client, shipped: None) -> None:
    body = client.get("/draws.atom").content.decode()
    assert body.count("<entry>") - body.count('term="program-change"') == 107
    assert "2026-04-30: Employer Job Offer: Foreign Worker, 786 invitations" in body


def test_the_2026_draws_are_in_the_api(client: Client, shipped: None) -> None:
    documents = json.loads(client.get("/api/v1/draws?year=2026").content)
    assert len(documents) == 56
    assert documents[0]["date"] == "2026-04-30"
    assert {d["stream"] for d in documents} == {
        "foreign-worker",
        "international-student",
        "in-demand-skills",
        "masters",
        "phd",
    }
    assert len(json.loads(client.get("/api/v1/draws").content)) == 107


def test_the_notes_name_the_regions_and_the_redi_communities(client: Client, shipped: None) -> None:
    documents = json.loads(client.get("/api/v1/draws?year=2026").content)
    eastern = [d for d in documents if d["date"] == "2026-04-23" and d["invitations"] == 318]
    assert eastern[0]["regions"] == ["eastern"]
    gta = [d for d in documents if d["date"] == "2026-04-30"]
    assert all(d["regions"] == ["toronto", "greater-toronto"] for d in gta)
    redi = [d for d in documents if d["date"] == "2026-02-02" and d["invitations"] == 14]
    assert redi[0]["census_divisions"] == ["3507", "3509", "3538", "3558"]
    assert redi[0]["regions"] == []
    page = client.get(f"/draws/{eastern[0]['slug']}/").content.decode()
    assert "Eastern Ontario" in page
