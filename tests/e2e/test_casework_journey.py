"""From the invitation to the nomination in a browser, at desktop and phone widths: the
candidate applies step by step, the employer files its position approval, an officer asks
for a document and approves, the candidate downloads the letter."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.formats import date_format

from nominee.casework.models import Application
from nominee.core.timeutil import today
from nominee.program.models import Allocation
from tests.casework.conftest import DETAILS, _invited_alice
from tests.conftest import PASSWORD
from tests.dates import IN_2025

from .journeys import WIDTHS, click_label

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

LABELS = {
    "identity": {
        "family_name": "Family name",
        "given_names": "Given names",
        "date_of_birth": "Date of birth",
        "citizenship": "Country of citizenship",
        "passport_number": "Passport number",
        "phone": "Telephone",
        "email": "E-mail address",
    },
    "status": {"status_expires_on": "Status valid until"},
    "history": {
        "work_history": "Work history",
        "education_history": "Education history",
        "address_history": "Addresses of the last 10 years",
    },
    "family": {},
}


def sign_in(page: Any, *, email: str, password: str) -> None:
    """Sign in (the header's e-mail address is folded away at a phone's width)."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-mail address", re.IGNORECASE)).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _record(page: Any, action: str, text: str = "") -> None:
    page.get_by_label("Action").select_option(action)
    if text:
        page.get_by_label("Reasons, message or reference").fill(text)
    page.get_by_role("button", name="Record").click()
    if action in ("approve", "refuse", "return", "intent_to_refuse", "fee_refunded"):
        # A final decision is restated first, then confirmed (decision 73b).
        page.get_by_text("This cannot be undone.").wait_for()
        page.locator("main form button[type=submit]").first.click()
    page.get_by_text("Done.").wait_for()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_from_invitation_to_nomination(
    new_page: Callable[..., Any],
    width: str,
    alice: Any,
    bob: Any,
    olivia: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path
    invitation = _invited_alice(
        alice,
        bob,
        draw_date=today(),
        candidate_deadline=today() + _days(17),
        employer_deadline=today() + _days(14),
    )
    viewport = WIDTHS[width]
    candidate = new_page(viewport=viewport)
    sign_in(candidate, email=alice.email, password=PASSWORD)
    candidate.goto("/applications/")
    candidate.get_by_role("button", name="Start").click()
    candidate.get_by_text("Step 1 of 7").wait_for()
    candidate.get_by_role("button", name=re.compile("These facts are correct")).click()
    for section, labels in LABELS.items():
        candidate.get_by_role("heading", level=1).wait_for()
        for name, label in labels.items():
            candidate.get_by_label(label).fill(DETAILS[section][name])
        if section == "status":
            candidate.get_by_label("Current status").select_option("work-permit")
        candidate.get_by_role("button", name="Save and continue").click()
    candidate.get_by_text("Step 6 of 7").wait_for()
    candidate.get_by_label("What is it?").fill("Passport")
    candidate.get_by_label("File (PDF, JPEG or PNG)").set_input_files(
        {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF"}
    )
    candidate.get_by_role("button", name="Add the document").click()
    candidate.get_by_text("Document added.").wait_for()
    candidate.get_by_role("button", name="Continue").click()
    candidate.get_by_text("Step 7 of 7").wait_for()
    click_label(candidate, "I declare that the information")
    candidate.get_by_label("Your full name, as a signature").fill("Alice Candidate")
    candidate.get_by_role("button", name="Submit the application").click()
    candidate.get_by_text("Your application is submitted.").wait_for()
    due = date_format(invitation.employer_deadline, "DATE_FORMAT")
    candidate.goto("/applications/")
    candidate.get_by_text(f"Your employer has not filed yet: due {due}.").wait_for()

    employer = new_page(viewport=viewport)
    sign_in(employer, email=bob.email, password=PASSWORD)
    employer.goto("/applications/")
    employer.get_by_text("The candidate's application is submitted.").wait_for()
    employer.get_by_role("link", name="File the position approval").click()
    click_label(employer, "The job offer above is the position")
    employer.get_by_label("Signing officer's full name, as a signature").fill("Bob Employer")
    employer.get_by_role("button", name="Submit the position approval").click()
    employer.get_by_text("The position approval is submitted.").wait_for()

    officer = new_page(viewport=viewport)
    sign_in(officer, email=olivia.email, password=PASSWORD)
    officer.goto("/staff/applications/")
    officer.get_by_role("link", name=invitation.eoi.external_id).click()
    _record(officer, "claim")
    _record(officer, "request_info", "Please upload your diploma.")

    candidate.goto("/applications/")
    candidate.get_by_role(
        "link", name=re.compile("Application " + invitation.eoi.external_id)
    ).click()
    candidate.get_by_text("Please upload your diploma.").first.wait_for()
    candidate.get_by_label("Your answer").fill("Attached, thank you.")
    candidate.get_by_role("button", name="Send the answer").click()
    candidate.get_by_text("Your answer is sent.").wait_for()

    remaining = Allocation.objects.get(year=today().year).remaining
    officer.reload()
    _record(officer, "approve")
    assert Allocation.objects.get(year=today().year).remaining == remaining - 1
    assert Application.objects.get(invitation=invitation).status == "approved"

    candidate.goto("/applications/")
    with candidate.expect_download() as download:
        candidate.get_by_role("link", name=re.compile("Download the nomination letter")).click()
    assert download.value.suggested_filename.startswith("ON-")


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)
