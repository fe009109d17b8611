"""A manager publishes a grid version in a browser, at desktop and phone widths: the form,
the preview (the rule changes, the EOIs that would change score), the confirmation, and
the version listed as scheduled."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.program.models import PolicyVersion
from tests.personas import PASSWORD
from tests.program.policy_helpers import later, permit_grid, register_physician

from .journeys import WIDTHS, expect_no_form_errors, screenshot, sign_in_as


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_manager_previews_and_publishes_a_grid_version(
    new_page: Callable[..., Any], martin: User, width: str, tmp_path: Path, tmp_path_factory: Any
) -> None:
    register_physician("work@example.com", permit="work")
    register_physician("study@example.com", permit="study")
    day = later()
    upload = tmp_path / "grid.json"
    upload.write_text(json.dumps(permit_grid(day)))

    page = new_page(viewport=WIDTHS[width])
    sign_in_as(page, martin.email, PASSWORD)
    page.goto("/staff/")
    page.get_by_role("link", name="Policy and grid versions").click()
    page.get_by_role("heading", name="Policy and grid versions", level=1).wait_for()
    page.get_by_role("link", name="Publish a new version").click()

    page.get_by_label("Kind").select_option("grid")
    page.get_by_label("Effective date").fill(day.isoformat())
    page.get_by_label("Reason").fill("Work permits weigh more, study permits less")
    page.get_by_label("Or upload the JSON file").set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section", has=page.get_by_role("heading", name="Preview"))
    preview.wait_for()
    expect_no_form_errors(page)
    text = preview.inner_text()
    assert "permit: work" in text
    assert "permit: study" in text
    assert "2 of 2 EOIs" in text
    assert "1 up, 1 down" in text
    assert f"in force from {day.isoformat()}" in text
    assert not PolicyVersion.objects.filter(effective_from=day).exists()  # nothing written
    screenshot(page, f"policy-preview-{width}", tmp_path_factory)

    page.get_by_role("button", name="Confirm and publish").click()
    page.wait_for_url("**/staff/policy/")
    page.get_by_text(f"in force from {day.isoformat()}").wait_for()
    row = page.locator('tr[data-kind="grid"][data-state="scheduled"]')
    assert day.isoformat() in row.inner_text()
    assert martin.email in row.inner_text()
    screenshot(page, f"policy-published-{width}", tmp_path_factory)
    version = PolicyVersion.objects.get(kind="grid", effective_from=day)
    assert version.author == martin
