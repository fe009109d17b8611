"""Charts: accessible SVG drawn on the server, the data table beside each, no inline style."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from nominee.publication.services import import_published_draws

from .conftest import SAMPLE_CSV, executed_draw

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def record(db: None) -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    executed_draw(stream="masters", on=date(2025, 10, 1), invitations=40, min_score=55)


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(block) for block in re.findall(r"<svg .*?</svg>", html, re.S)]  # noqa: S314 - our own feed, in a test


@pytest.mark.parametrize(
    "url", ["/draws/charts/", "/draws/allocation/2025/", "/draws/summary/2025/"]
)
def test_every_chart_is_an_accessible_image_with_its_table(
    client: Client, record: None, url: str
) -> None:
    html = client.get(url).content.decode()
    svgs = _svgs(html)
    assert svgs, url
    for svg in svgs:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None
        assert title.text
        assert desc is not None
        assert desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert html.count('class="pub-chart"') == html.count("<svg ")
    assert html.count("Data of the chart") == len(svgs)


def test_the_charts_show_the_figures_in_their_tables(client: Client, record: None) -> None:
    html = client.get("/draws/charts/?year=2025").content.decode()
    assert "Cut-off score by stream over time" in html
    assert "<td>41</td>" in html  # FW cut-off of 2025-09-02
    assert "September 2025" in html
    assert "1,305" in html
    assert "Allocation: 10,750 nominations" in html


@pytest.mark.parametrize(
    "url",
    ["/draws/", "/draws/charts/", "/draws/pool/", "/draws/allocation/", "/draws/summary/2025/"],
)
def test_no_page_uses_inline_styles_or_scripts(client: Client, record: None, url: str) -> None:
    html = client.get(url).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
