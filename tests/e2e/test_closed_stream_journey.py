"""A manager withdraws the un-invited EOIs of a closed stream: from the program office,
the preview with the count per stream, the confirmation that restates what will happen,
then the result; at desktop and phone widths, with screenshots kept for a look.

The stream is closed for the journey with ``tests.closing.closed`` (the live server runs
in a thread of this process, so the swapped policy is the one it serves).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nominee.eois.models import EOI
from tests.closing import closed
from tests.eois.closing_world import CLOSING, closing_pool
from tests.personas import PASSWORD

from .journeys import WIDTHS, click_label, sign_in


def _shots(tmp_path_factory: Any) -> Path:
    root = Path(os.environ.get("NOMINEE_E2E_ARTIFACTS") or tmp_path_factory.getbasetemp())
    folder = root / "closed-stream"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_manager_previews_and_confirms_the_withdrawal(
    new_page: Callable[..., Any],
    width: str,
    alice: Any,
    bob: Any,
    carol: Any,
    martin: Any,
    tmp_path_factory: Any,
) -> None:
    pool = closing_pool(alice, bob, carol)
    shots = _shots(tmp_path_factory)
    with closed("foreign-worker", on=CLOSING):
        page = new_page(viewport=WIDTHS["desktop"])
        # Signed in at desktop width (the phone header folds the account's e-mail away).
        sign_in(page, email=martin.email, password=PASSWORD)
        page.set_viewport_size(WIDTHS[width])
        page.goto("/staff/")
        page.get_by_role("link", name="Closed streams: withdraw the EOIs").click()
        page.get_by_role("heading", name="Withdraw the EOIs of closed streams").wait_for()
        row = page.get_by_role("row").filter(has_text="Employer Job Offer: Foreign Worker")
        assert row.get_by_role("cell").nth(2).inner_text().strip() == "3"
        page.screenshot(path=str(shots / f"preview-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        row.get_by_role("link").click()
        page.get_by_text("withdraw 3 expressions of interest").wait_for()
        page.get_by_text("release 1 job offer bound to them").wait_for()
        page.screenshot(path=str(shots / f"confirm-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.get_by_role("button", name="Withdraw 3 EOIs").click()
        page.get_by_text("Check the box to confirm").or_(
            page.get_by_text("This field is required")
        ).first.wait_for()
        assert EOI.objects.get(pk=pool.alice_eoi.pk).status == EOI.Status.ACTIVE
        click_label(page, "I confirm")
        page.get_by_role("button", name="Withdraw 3 EOIs").click()
        page.get_by_text("3 EOIs of Employer Job Offer: Foreign Worker withdrawn").wait_for()
        page.screenshot(path=str(shots / f"result-{width}.png"), full_page=True)
        row = page.get_by_role("row").filter(has_text="Employer Job Offer: Foreign Worker")
        assert row.get_by_role("cell").nth(2).inner_text().strip() == "0"
    assert EOI.objects.get(pk=pool.alice_eoi.pk).status == EOI.Status.WITHDRAWN
    assert EOI.objects.get(pk=pool.invited.pk).status == EOI.Status.INVITED
