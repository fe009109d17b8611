"""An employer contact signs up, registers the business and submits a job offer."""

from __future__ import annotations

import re
from typing import Any

from nominee.accounts.models import OutgoingEmail
from tests.dates import IN_2025

from .journeys import CANDIDATE_EMAIL, WIDTHS, click_label, employer_with_offer

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025


def test_an_employer_signs_up_registers_and_gets_a_job_offer_id_by_email(new_page: Any) -> None:
    page, job_offer_id = employer_with_offer(
        new_page, candidate_name="Farid Candidate", candidate_email=CANDIDATE_EMAIL
    )

    # The offer's page lists the e-mail that carried the ID to the candidate.
    page.get_by_role("heading", name="E-mails about this offer").wait_for()
    assert job_offer_id in page.locator(".nominee-email").first.inner_text()

    # The business's e-mails page shows the same e-mail, as sent.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first.click()
    page.get_by_role("link", name="E-mails sent about your offers").click()
    page.wait_for_url(re.compile(r".*/employer/\d+/emails/$"))
    email = page.locator(".nominee-email", has_text=job_offer_id)
    assert email.count() == 1
    text = email.inner_text()
    assert f"Your Job Offer ID from Erin's Engineering Inc.: {job_offer_id}" in text
    assert CANDIDATE_EMAIL in text
    assert "Sent " in text
    assert job_offer_id in email.locator("pre").inner_text()

    # And the business's list of offers shows it awaiting the candidate's EOI.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first.click()
    row = page.locator("table tbody tr", has_text=job_offer_id)
    assert "Farid Candidate" in row.inner_text()
    sent = OutgoingEmail.objects.get(job_offer__public_id=job_offer_id)
    assert (sent.to_email, sent.sent_at is not None) == (CANDIDATE_EMAIL, True)


def test_a_refused_offer_names_the_rule_next_to_the_field(new_page: Any) -> None:
    page, _ = employer_with_offer(
        new_page, candidate_name="Farid Candidate", candidate_email=CANDIDATE_EMAIL
    )
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first.click()
    page.get_by_role("link", name="Submit a job offer").click()
    click_label(page, "Employer Job Offer: Foreign Worker")
    page.get_by_label("Occupation (NOC 2021)").fill("21231")
    page.get_by_label("Job title").fill("Part-time engineer")
    page.get_by_label("Hourly wage (CAD)").fill("55.00")
    page.get_by_label("Hours per week").fill("20")
    click_label(page, "Yes")
    page.get_by_label("Candidate's full name").fill("Gita Candidate")
    page.get_by_label("Candidate's e-mail address").fill("gita@example.com")
    page.get_by_role("button", name="Submit the job offer").click()
    error = page.locator("#id_hours_per_week_error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.get_by_label("Hours per week").input_value() == "20"
    assert not OutgoingEmail.objects.filter(to_email="gita@example.com").exists()


# The elements that reach past the screen's right edge (tag, class, width), to say why.
WIDEST = """[...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


def test_the_employer_pages_fit_a_phone(new_page: Any) -> None:
    page, _ = employer_with_offer(
        new_page, candidate_name="Farid Candidate", candidate_email=CANDIDATE_EMAIL
    )
    page.set_viewport_size(WIDTHS["phone"])
    offer_url = page.url
    page.goto(offer_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS["phone"]["width"], (width, page.evaluate(WIDEST))
    # The stream is named, not coded.
    assert "foreign-worker" not in page.locator("main").inner_text()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first.click()
    page.get_by_role("heading", name="Job offers").wait_for()
    # Measured once the stylesheets have applied (the heading is there before they are).
    page.wait_for_load_state("load")
    # The business's page fits too, its job offers table stacked.
    assert page.evaluate(WIDEST) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS["phone"]["width"], width
