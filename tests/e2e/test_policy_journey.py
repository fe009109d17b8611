"""A manager publishes a grid version in a browser, at desktop and phone widths: the form,
the preview (the rule changes, the EOIs that would change score), the confirmation, and
the version listed as scheduled."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.program.models import PolicyVersion
from tests.personas import PASSWORD
from tests.program.policy_helpers import later, permit_grid, register_physician

from .journeys import expect_no_form_errors

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _sign_in(page: Any, email: str) -> None:
    """Sign in (the header's e-mail address is folded away at a phone's width)."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _screenshot(page: Any, name: str, tmp_path_factory: Any) -> None:
    root = os.environ.get("NOMINEE_E2E_ARTIFACTS")
    folder = Path(root) if root else tmp_path_factory.getbasetemp() / "e2e-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"policy-{name}.png"), full_page=True)


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
    _sign_in(page, martin.email)
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
    _screenshot(page, f"preview-{width}", tmp_path_factory)

    page.get_by_role("button", name="Confirm and publish").click()
    page.wait_for_url("**/staff/policy/")
    page.get_by_text(f"in force from {day.isoformat()}").wait_for()
    row = page.locator('tr[data-kind="grid"][data-state="scheduled"]')
    assert day.isoformat() in row.inner_text()
    assert martin.email in row.inner_text()
    _screenshot(page, f"published-{width}", tmp_path_factory)
    version = PolicyVersion.objects.get(kind="grid", effective_from=day)
    assert version.author == martin
