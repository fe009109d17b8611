"""An employer asks to be registered with the program and an officer approves, in a browser,
at desktop and phone widths; the policy requires registration, so until the approval the
business's page says its job offers cannot be submitted or used."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nominee.core.labels import rule_label
from nominee.employers import queries
from nominee.employers.models import Employer
from tests.conftest import PASSWORD

from .journeys import WIDTHS


def sign_in(page: Any, *, email: str) -> None:
    """Sign in (the header's e-mail address is folded away at a phone's width)."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_bob_requests_registration_and_olivia_approves(
    new_page: Callable[..., Any],
    width: str,
    bob: Any,
    olivia: Any,
    registration_required: Any,
    tmp_path: Path,
) -> None:
    shots = Path(os.environ.get("NOMINEE_E2E_ARTIFACTS") or tmp_path) / f"registration-{width}"
    shots.mkdir(parents=True, exist_ok=True)
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    viewport = WIDTHS[width]

    contact = new_page(viewport=viewport)
    sign_in(contact, email=bob.email)
    contact.goto("/employer/")
    contact.get_by_role("heading", name="Registration with the program").wait_for()
    contact.get_by_role("heading", name="Not registered").wait_for()
    contact.get_by_text("Job offers cannot be submitted or used yet").wait_for()
    assert rule_label("employer.not_registered") in contact.content()
    contact.get_by_text("What this means").wait_for()
    _shot(contact, shots, "1-business-not-registered")
    contact.get_by_role("button", name="Request registration with the program").click()
    contact.get_by_text("Your request is sent").wait_for()
    contact.get_by_role("heading", name="Requested, awaiting an officer's decision").wait_for()
    _shot(contact, shots, "2-business-requested")
    assert queries.registration_state(employer) == "pending"

    officer = new_page(viewport=viewport)
    sign_in(officer, email=olivia.email)
    officer.goto("/staff/")
    officer.get_by_role("link", name=re.compile("Employer registrations to decide")).click()
    officer.wait_for_url("**/staff/employers/registrations/")
    row = officer.locator("table tbody tr", has_text="Bob's Bakery Inc.")
    assert "Bob Employer" in row.inner_text()
    _shot(officer, shots, "3-queue")
    row.get_by_role("link", name=re.compile("^Approve")).click()
    officer.get_by_role("heading", name="What will happen").wait_for()
    officer.get_by_text("becomes registered with the program").wait_for()
    officer.get_by_label("Note for the employer").fill("Premises checked.")
    _shot(officer, shots, "4-confirm-approval")
    officer.get_by_role("button", name="Yes, approve the registration").click()
    officer.get_by_text("is registered with the program; its contacts are e-mailed.").wait_for()
    officer.get_by_text("No request awaits a decision.").wait_for()
    _shot(officer, shots, "5-queue-empty")
    assert queries.registration_state(employer) == "approved"

    # The business's staff page shows the decision with its history.
    officer.goto(f"/employer/{employer.pk}/")
    history = officer.locator("table", has_text="Requests and decisions")
    history.wait_for()
    assert "Premises checked." in history.inner_text()
    assert "Olivia Officer" in history.inner_text()
    _shot(officer, shots, "6-staff-business-page")

    contact.reload()
    contact.get_by_role("heading", name="Registered with the program").wait_for()
    assert contact.get_by_text("Job offers cannot be submitted or used yet").count() == 0
    _shot(contact, shots, "7-business-registered")
