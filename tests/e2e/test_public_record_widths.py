"""Every kind of public record page fits a 390 px phone: no sideways scrolling.

The record is the shipped published draws (the demo's publication step) beside one of
Nominee's own draws, with a pool to chart; each page is opened at the phone width of
``journeys.WIDTHS``, its screenshot saved (``journeys.screenshot``) and its document's
``scrollWidth`` compared with the viewport.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ
from nominee.demo import publication as demo_publication
from nominee.draws.models import Draw
from nominee.publication.models import PublishedDraw
from tests.factories import make_eoi

from .journeys import WIDTHS, screenshot

PHONE = WIDTHS["phone"]


def _record() -> list[str]:
    """The shipped record, a Nominee draw with targeting and tie-break, a live pool; the
    paths of every kind of public record page."""
    with transaction.atomic():
        demo_publication.load(StringIO())
    first = timezone.now() - timedelta(days=20)
    for i in range(30):
        make_eoi(score=30 + i, registered_at=first + timedelta(hours=i))
    draw = Draw.objects.create(
        stream="foreign-worker",
        status=Draw.Status.EXECUTED,
        draw_date=date(2025, 10, 20),
        invitations_requested=120,
        executed_at=timezone.now(),
        invitations_issued=120,
        min_score=47,
        tie_break=datetime(2025, 8, 1, 9, 12, 44, tzinfo=PROGRAM_TZ),
        eligible=2400,
        noc_codes=["21231", "31301", "33102"],
        registered_from=date(2025, 7, 2),
        registered_to=date(2025, 10, 20),
    )
    # A draw of 2025-09-02: ten NOC codes named, a window, several source links.
    slug = PublishedDraw.objects.filter(draw_date=date(2025, 9, 2)).order_by("line")[0].slug
    return [
        "/draws/",
        "/draws/?year=2025",
        f"/draws/{slug}/",
        f"/draws/nominee-{draw.pk}/",
        "/draws/summary/",
        "/draws/summary/2025/",
        "/draws/summary/2025/09/",
        "/draws/summary/2025/week/36/",
        "/draws/summary/2025/09/03/",
        "/draws/charts/",
        "/draws/allocation/",
        "/draws/allocation/2025/",
        "/draws/pool/",
        "/draws/sources/",
        "/program/changes/",
    ]


@pytest.mark.django_db(transaction=True)
def test_every_public_record_page_fits_a_phone(
    new_page: Any, base_url: str, tmp_path_factory: Any
) -> None:
    paths = _record()
    page = new_page(viewport=PHONE)
    too_wide = {}
    for path in paths:
        response = page.goto(path, timeout=120_000)  # the first request warms Django up
        assert response is not None
        assert response.status == 200, path
        name = "phone-" + (path.strip("/").replace("/", "-").replace("?", "-") or "home")
        page.set_default_timeout(60_000)
        screenshot(page, name, tmp_path_factory)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}
