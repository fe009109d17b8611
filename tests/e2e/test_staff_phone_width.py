"""Every kind of staff page fits a 390 px phone: nothing is wider than the screen
(``document.documentElement.scrollWidth``), with the demo program loaded so that the
tables hold what officers see. Screenshots of each are saved to look at."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from nominee.casework.models import Application
from nominee.draws.models import Draw
from nominee.employers.models import EmployerRegistration
from nominee.eois.models import EOI

from .journeys import WIDTHS, screenshot, sign_in_as

DEMO_PASSWORD = "nominee-demo"  # the demo accounts' (README)
PHONE = WIDTHS["phone"]


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """The demo program with a pool of 2,000 EOIs: the pages, not the volume, matter here."""
    monkeypatch.setattr("nominee.demo.eois.POOL_SIZE", 2_000)
    call_command("demo", "load", stdout=StringIO())


def _staff_paths() -> dict[str, list[str]]:
    executed = Draw.objects.filter(status="executed").order_by("pk").first()
    assert executed is not None
    open_draw = Draw.objects.exclude(status__in=("executed", "cancelled")).order_by("pk").first()
    pooled = EOI.objects.order_by("pk").first()
    assert pooled is not None
    decided = Application.objects.filter(status="approved").order_by("pk").first()
    assert decided is not None
    pending = EmployerRegistration.objects.filter(status="pending").order_by("pk").first()
    assert pending is not None
    officer = [
        "/staff/",
        "/staff/pool/",
        "/staff/pool/eois/?stream=foreign-worker",
        f"/eoi/{pooled.external_id}/",
        "/staff/draws/",
        "/staff/draws/new/",
        f"/staff/draws/{executed.pk}/",
        "/staff/draws/preview/?stream=foreign-worker&invitations=100&draw_date=2025-09-03",
        "/staff/employers/",
        "/staff/employers/registrations/",
        f"/staff/employers/registrations/{pending.pk}/approve/",
        f"/employer/{pending.employer_id}/",
        "/staff/applications/",
        f"/staff/applications/{decided.pk}/",
        "/staff/allocation/",
        "/staff/policy/",
        "/staff/policy/grid/2024-01-01/",
    ]
    if open_draw is not None:
        officer += [f"/staff/draws/{open_draw.pk}/", f"/staff/draws/{open_draw.pk}/execute/"]
    manager = ["/staff/policy/publish/", "/staff/closed-streams/", "/staff/roles/"]
    return {"officer@demo.nominee.test": officer, "manager@demo.nominee.test": manager}


def test_every_kind_of_staff_page_fits_a_phone(
    demo: None, new_page: Any, tmp_path_factory: Any
) -> None:
    too_wide: list[str] = []
    for email, paths in _staff_paths().items():
        page = new_page(viewport=PHONE)
        sign_in_as(page, email, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(path)
            assert response is not None
            assert response.status < 500, (path, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "staff"
            screenshot(page, f"staff-phone-{name}", tmp_path_factory)
            if width > PHONE["width"]:
                too_wide.append(f"{path}: {width} px")
    assert too_wide == []
