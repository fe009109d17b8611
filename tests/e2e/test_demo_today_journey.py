"""The issue's "done when", in a browser on the loaded demo (``nominee demo load``):

an officer runs a Workforce Priority draw today (proposed, approved by the manager,
executed), a manager publishes a new grid version and sees its effect before it applies,
and the public record shows 2026's draws and the redesign. Desktop and phone widths.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from nominee.core.timeutil import today
from nominee.demo.accounts import DEMO_PASSWORD
from nominee.draws.models import Draw
from nominee.program.models import PolicyVersion

from .journeys import WIDTHS, expect_no_form_errors, screenshot, sign_in_as

pytestmark = pytest.mark.slow

OFFICER = "officer@demo.nominee.test"
MANAGER = "manager@demo.nominee.test"


def _northern_grid(day: Any) -> dict[str, Any]:
    """The shipped 2026 grid with Northern Ontario worth 20 points instead of 15."""
    text = resources.files("nominee.scoring").joinpath("data", "grids", "2026-06-26.json")
    grid: dict[str, Any] = json.loads(text.read_text("utf-8"))
    grid["effective_from"] = day.isoformat()
    grid["name"] = "Workforce Priority grid, Northern Ontario weighted"
    location = grid["factors"]["job_location"]
    location["categories"]["northern"]["points"] = 20
    location["max"] = 20
    return grid


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_today_s_program_on_the_demo(
    new_page: Callable[..., Any],
    transactional_db: None,
    settings: Any,
    width: str,
    tmp_path: Path,
    tmp_path_factory: Any,
) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path
    call_command("demo", "load", stdout=StringIO())
    cache.clear()
    viewport = WIDTHS[width]

    # An officer proposes a Workforce Priority draw dated today and previews it.
    officer = new_page(viewport=viewport)
    sign_in_as(officer, OFFICER, DEMO_PASSWORD)
    officer.goto("/staff/draws/new/")
    officer.get_by_label("Stream", exact=True).select_option("workforce-priority")
    assert officer.get_by_label("Draw date").input_value() == today().isoformat()
    officer.get_by_label("Number of invitations").fill("50")
    officer.get_by_role("button", name="Preview").click()
    officer.wait_for_url("**/staff/draws/preview/")
    expect_no_form_errors(officer)
    preview = officer.locator("section", has=officer.get_by_role("heading", name="Preview"))
    assert "Would be invited\n50" in preview.inner_text()
    screenshot(officer, f"demo-today-draw-preview-{width}", tmp_path_factory)
    officer.get_by_role("button", name="Propose the draw").click()
    officer.wait_for_url(re.compile(r".*/staff/draws/\d+/$"))
    draw_url = officer.url

    # The manager approves (the two-person rule), the officer executes.
    manager = new_page(viewport=viewport)
    sign_in_as(manager, MANAGER, DEMO_PASSWORD)
    manager.goto(draw_url)
    manager.get_by_role("button", name="Approve").click()
    # The confirmation restates what will happen (decision 73b).
    manager.get_by_text("Your approval lets draw").wait_for()
    manager.get_by_role("button", name=re.compile(r"^Approve draw \d+$")).click()
    manager.wait_for_url(draw_url)
    officer.reload()
    officer.get_by_role("button", name="Execute the draw").click()
    officer.get_by_text("This cannot be undone.").wait_for()
    officer.get_by_role("button", name=re.compile(r"^Execute draw \d+$")).click()
    officer.wait_for_url(draw_url)
    result = officer.locator("section", has=officer.get_by_role("heading", name="Result"))
    result.wait_for()
    assert "Invitations issued\n50" in result.inner_text()
    screenshot(officer, f"demo-today-draw-result-{width}", tmp_path_factory)
    draw = Draw.objects.get(status=Draw.Status.EXECUTED, stream="workforce-priority")
    assert draw.draw_date == today()

    # The manager publishes a grid version for tomorrow and sees its effect first.
    day = today() + timedelta(days=1)
    upload = tmp_path / "grid.json"
    upload.write_text(json.dumps(_northern_grid(day)))
    manager.goto("/staff/policy/")
    manager.get_by_role("link", name="Publish a new version").click()
    manager.get_by_label("Kind").select_option("grid")
    manager.get_by_label("Effective date").fill(day.isoformat())
    manager.get_by_label("Reason").fill("Northern Ontario weighs more in the location factor")
    manager.get_by_label("Or upload the JSON file").set_input_files(str(upload))
    manager.get_by_role("button", name="Preview").click()
    effect = manager.locator("section", has=manager.get_by_role("heading", name="Preview"))
    effect.wait_for()
    expect_no_form_errors(manager)
    text = effect.inner_text()
    changed = re.search(r"([\d,]+) of ([\d,]+) EOIs", text)
    assert changed is not None, text
    assert 0 < int(changed.group(1).replace(",", "")) < int(changed.group(2).replace(",", ""))
    assert "up" in text
    screenshot(manager, f"demo-today-grid-preview-{width}", tmp_path_factory)
    assert not PolicyVersion.objects.filter(kind="grid", effective_from=day).exists()
    manager.get_by_role("button", name="Confirm and publish").click()
    manager.wait_for_url("**/staff/policy/")
    assert PolicyVersion.objects.filter(kind="grid", effective_from=day).exists()

    # The public record: 2026's published draws, today's draw and the redesign.
    public = new_page(viewport=viewport)
    public.goto("/draws/")
    record = public.content()
    assert "2026-04-15" in record or "April 15, 2026" in record
    assert "Ontario Workforce Priority" in record
    screenshot(public, f"demo-today-record-{width}", tmp_path_factory)
    public.goto("/program/changes/")
    history = public.locator("main").inner_text()
    assert "Ontario Workforce Priority" in history
    assert "withdrawn" in history.lower()
    screenshot(public, f"demo-today-changes-{width}", tmp_path_factory)
