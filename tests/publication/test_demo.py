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
