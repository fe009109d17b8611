"""An officer proposes a draw, a manager approves it, the officer executes it, and the
public record shows it.

The pool is made of EOI rows built by ``tests.factories.make_eoi``: what this journey is
about starts at the officer's draw form.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache

from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw
from tests.dates import IN_2025
from tests.factories import make_eoi

from .journeys import expect_no_form_errors, sign_in

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

PASSWORD = "correct horse battery staple 42"  # tests.personas.PASSWORD


def _pool() -> list[str]:
    """Four Foreign Worker EOIs in Toronto, NOC 21231, scoring 40 to 43."""
    first = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
    for i in range(4):
        make_eoi(score=40 + i, registered_at=first + timedelta(hours=i), external_id=f"FW-E2E{i}")
    return [f"FW-E2E{i}" for i in range(4)]


def _fill_draw_form(page: Any) -> None:
    page.get_by_label("Stream", exact=True).select_option("foreign-worker")
    page.get_by_label("Draw date").fill("2025-09-03")
    page.get_by_label("Number of invitations").fill("2")
    page.get_by_label("NOC codes").fill("21231")
    page.get_by_label("Registered from").fill("2025-07-02")
    page.get_by_label("Registered to").fill("2025-09-03")


def test_a_draw_is_proposed_approved_executed_and_published(
    new_page: Any, olivia: User, martin: User
) -> None:
    _pool()
    cache.clear()  # the public record is cached per process; start from what is in the database

    officer = new_page()
    sign_in(officer, email=olivia.email, password=PASSWORD)
    officer.goto("/staff/draws/new/")
    _fill_draw_form(officer)
    officer.get_by_role("button", name="Preview").click()
    officer.wait_for_url("**/staff/draws/preview/?*")
    preview = officer.locator("section", has=officer.get_by_role("heading", name="Preview"))
    assert "Would be invited\n2" in preview.inner_text()
    assert "Cut-off score (lowest invited)\n42" in preview.inner_text()
    assert Draw.objects.count() == 0  # a preview writes nothing

    officer.get_by_role("button", name="Propose the draw").click()
    officer.wait_for_url(re.compile(r".*/staff/draws/\d+/$"))
    expect_no_form_errors(officer)
    draw_url = officer.url
    officer.get_by_text("Awaiting a manager's approval (two-person rule).").wait_for()
    assert officer.get_by_role("button", name="Approve").count() == 0
    assert officer.get_by_role("button", name="Execute the draw").count() == 0

    manager = new_page()
    sign_in(manager, email=martin.email, password=PASSWORD)
    manager.goto(draw_url)
    manager.get_by_role("button", name="Approve").click()
    manager.wait_for_url(draw_url)
    manager.get_by_text("Approved by martin@example.com").wait_for()

    officer.reload()
    officer.get_by_role("button", name="Execute the draw").click()
    officer.wait_for_url(draw_url)
    result = officer.locator("section", has=officer.get_by_role("heading", name="Result"))
    result.wait_for()
    assert "Invitations issued\n2" in result.inner_text()
    assert "Lowest score invited\n42" in result.inner_text()
    rows = result.locator("table tbody tr")
    invited = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    assert invited == ["FW-E2E3", "FW-E2E2"]
    draw = Draw.objects.get()
    assert (draw.status, draw.proposed_by, draw.approved_by, draw.executed_by) == (
        "executed",
        olivia,
        martin,
        olivia,
    )

    # Anybody, signed out, sees the executed draw in the public record.
    visitor = new_page(java_script_enabled=False)
    visitor.goto("/draws/")
    row = visitor.locator("table tbody tr", has_text="2025-09-03")
    assert row.count() == 1
    assert "Foreign Worker" in row.inner_text()
    assert re.search(r"\b2\b", row.locator("td").nth(3).inner_text())
    link = row.get_by_role("link", name="2025-09-03")
    assert link.get_attribute("href") == f"/draws/nominee-{draw.pk}/"
    link.click()
    visitor.wait_for_url(re.compile(r".*/draws/[^/]+/$"))
    assert "FW-E2E" not in visitor.content()  # the public page names nobody
