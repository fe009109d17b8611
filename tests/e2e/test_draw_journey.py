"""An officer proposes a draw, a manager approves it, the officer executes it, and the
public record shows it.

The pool is made of EOI rows built by ``tests.factories.make_eoi``: what this journey is
about starts at the officer's draw form.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ, today
from nominee.draws.models import Draw
from tests.dates import ON_DRAW_DAY_2025
from tests.factories import make_eoi

from .journeys import WIDTHS, expect_no_form_errors, sign_in

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


@ON_DRAW_DAY_2025  # a draw of the 2025 program, run on its own date (decision 75)
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
    officer.wait_for_url("**/staff/draws/preview/")
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
    # The confirmation restates what will happen (decision 73b).
    manager.get_by_text("Your approval lets draw").wait_for()
    manager.get_by_role("button", name=re.compile(r"^Approve draw \d+$")).click()
    manager.wait_for_url(draw_url)
    manager.get_by_text("Approved by martin@example.com").wait_for()

    officer.reload()
    officer.get_by_role("button", name="Execute the draw").click()
    officer.get_by_text("This cannot be undone.").wait_for()
    officer.get_by_role("button", name=re.compile(r"^Execute draw \d+$")).click()
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
    # Two invited: the public record withholds counts under 5 (decision 70).
    assert "fewer than 5" in row.locator("td").nth(3).inner_text()
    link = row.get_by_role("link", name="2025-09-03")
    assert link.get_attribute("href") == f"/draws/nominee-{draw.pk}/"
    link.click()
    visitor.wait_for_url(re.compile(r".*/draws/[^/]+/$"))
    assert "FW-E2E" not in visitor.content()  # the public page names nobody


def _screenshot(page: Any, name: str, tmp_path_factory: Any) -> None:
    root = os.environ.get("NOMINEE_E2E_ARTIFACTS")
    folder = Path(root) if root else tmp_path_factory.getbasetemp() / "e2e-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"draw-wp-{name}.png"), full_page=True)
    # And the window once scrolled to the criteria, as the officer sees them.
    page.locator("dl.nominee-summary-list").first.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"draw-wp-{name}-criteria.png"))


def _wp_pool() -> None:
    """Workforce Priority EOIs registered a month ago: TEER 0-3 workers in Sudbury, Muskoka
    and Toronto, a TEER 4-5 worker and a physician in Sudbury."""
    registered = datetime.combine(today() - timedelta(days=30), time(9), tzinfo=PROGRAM_TZ)
    rows = [
        ("WP-E2E1", "teer-0-3", "3553", 90),
        ("WP-E2E2", "teer-0-3", "3544", 85),
        ("WP-E2E3", "teer-0-3", "3520", 99),
        ("WP-E2E4", "teer-4-5", "3553", 95),
        ("WP-E2E5", "physician", "3553", 97),
    ]
    for external_id, pathway, cd, score in rows:
        make_eoi(
            stream="workforce-priority",
            pathway=pathway,
            census_division=cd,
            region="northern" if cd != "3520" else "toronto",
            score=score,
            registered_at=registered,
            external_id=external_id,
        )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_an_officer_previews_a_workforce_priority_draw_by_pathway_and_region_today(
    new_page: Any, olivia: User, width: str, tmp_path_factory: Any
) -> None:
    _wp_pool()
    officer = new_page()
    sign_in(officer, email=olivia.email, password=PASSWORD)  # the header names her at desktop
    officer.set_viewport_size(WIDTHS[width])
    officer.goto("/staff/draws/new/")
    assert officer.get_by_label("Draw date").input_value() == today().isoformat()
    officer.get_by_label("Stream", exact=True).select_option("workforce-priority")
    officer.get_by_label("Number of invitations").fill("10")
    # The design system's label covers its checkbox: a person clicks the label.
    officer.locator("label", has_text="Workers in TEER 0-3 occupations").click()
    officer.get_by_text("Northern Ontario", exact=True).click()
    officer.get_by_role("button", name="Preview").click()
    officer.wait_for_url("**/staff/draws/preview/")
    expect_no_form_errors(officer)
    summary = officer.locator("dl.nominee-summary-list").first.inner_text()
    assert "Ontario Workforce Priority" in summary
    assert "Workers in TEER 0-3 occupations" in summary
    assert "Northern Ontario" in summary
    preview = officer.locator("section", has=officer.get_by_role("heading", name="Preview"))
    # Sudbury and Muskoka (northern in the 2026 table); not Toronto, not the other pathways.
    assert "Would be invited\n2" in preview.inner_text()
    assert "Cut-off score (lowest invited)\n85" in preview.inner_text()
    assert Draw.objects.count() == 0
    _screenshot(officer, width, tmp_path_factory)
    # Nothing wider than the window at phone width (no horizontal scrolling).
    overflow = officer.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
