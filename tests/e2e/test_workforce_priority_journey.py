"""Ontario Workforce Priority in a browser, at desktop and phone widths (issue 12): a
physician registers with no job offer, and a candidate whose 2025 EOI was withdrawn when
its stream closed carries it over once the employer has submitted a new offer.

Set ``NOMINEE_E2E_SHOTS`` to a folder to keep a screenshot of each page of the journeys.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from nominee.core.timeutil import PROGRAM_TZ
from nominee.employers.models import Employer
from nominee.eois.models import EOI, Candidate
from tests.factories import make_eoi, registered_with_program, submit_offer
from tests.personas import PASSWORD

from .journeys import WIDTHS, click_label, expect_no_form_errors, sign_in_as

OHIP = "123456"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("NOMINEE_E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _choose(page: Any, field: str, text: str) -> None:
    page.locator(f"#id_{field}").locator("label", has_text=text).click()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_physician_registers_without_a_job_offer(
    new_page: Callable[..., Any], width: str, alice: Any
) -> None:
    page = new_page(viewport=WIDTHS[width])
    sign_in_as(page, alice.email, PASSWORD)
    page.goto("/candidate/")
    page.get_by_role("link", name="Register an EOI").click()
    page.wait_for_url("**/eoi/new/stream/")
    page.get_by_text("closed on 2026-05-30").wait_for()
    _shot(page, f"physician-1-stream-{width}")
    _choose(page, "stream", "Ontario Workforce Priority")
    _choose(page, "pathway", "Self-employed physicians")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/profile/")
    expect_no_form_errors(page)
    click_label(page, "Work permit")
    page.get_by_label("Months of medical practice in Ontario").fill("30")
    assert page.locator("#id_ontario_work_months").count() == 0  # the workers' ladder only
    page.locator("#id_highest_annual_earnings").fill("0")
    page.locator("#id_english").select_option("9")
    page.locator("#id_practice_noc").select_option("31102")
    page.locator("#id_practice_census_division").select_option("3553")
    _shot(page, f"physician-2-profile-{width}")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/eligibility/")
    expect_no_form_errors(page)
    page.locator("#id_cpso_class").select_option("independent-practice")
    page.get_by_label("Your OHIP billing number").fill("123 456")
    _shot(page, f"physician-3-eligibility-{width}")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/review/")
    expect_no_form_errors(page)
    page.get_by_text("Pathway: Self-employed physicians.").wait_for()
    caption = page.locator("caption", has_text="Score ").inner_text()
    assert "of 115" in caption, caption
    assert OHIP not in page.content()
    _shot(page, f"physician-4-review-{width}")
    click_label(page, "I confirm")
    page.get_by_role("button", name="Register my EOI").click()

    page.wait_for_url(re.compile(r".*/eoi/WP-[^/]+/$"))
    page.get_by_text("Your EOI is registered.").wait_for()
    details = page.locator("dl").inner_text()
    assert "Self-employed physicians" in details
    assert "General practitioners and family physicians" in details
    assert "Greater Sudbury" in details
    assert OHIP not in page.content()
    _shot(page, f"physician-5-eoi-{width}")
    eoi = EOI.objects.get()
    assert (eoi.pathway, eoi.job_offer_id, eoi.facts["ohip_billing_number"]) == (
        "physician",
        None,
        OHIP,
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_candidate_carries_over_a_withdrawn_eoi(
    new_page: Callable[..., Any], width: str, alice: Any, bob: Any
) -> None:
    candidate = Candidate.objects.get(user=alice)
    old = make_eoi(
        registered_at=datetime(2025, 11, 17, 10, 0, tzinfo=PROGRAM_TZ),
        status=EOI.Status.WITHDRAWN,
        withdrawn_at=datetime(2026, 6, 25, 9, 0, tzinfo=PROGRAM_TZ),
        candidate=candidate,
        profile={
            "stream": "foreign-worker",
            "job_offer": {"noc": "21231", "hourly_wage": 55, "census_division": "3520"},
            "permit": "work",
            "job_tenure_months": 7,
            "highest_annual_earnings": 52000,
            "education": {"level": "masters", "canadian_credentials": 2},
            "languages": {"english": 9, "french": None},
        },
    )
    # The employer submits the offer again, under the new rules.
    employer = Employer.objects.get(contacts__user=bob)
    registered_with_program(employer)  # today's program takes registered employers only
    offer = submit_offer(bob, employer, stream="workforce-priority")

    page = new_page(viewport=WIDTHS[width])
    sign_in_as(page, alice.email, PASSWORD)
    page.goto("/candidate/")
    _shot(page, f"carry-1-dashboard-{width}")
    page.get_by_role("link", name="Start a Workforce Priority EOI from this one").first.click()
    page.wait_for_url(f"**/eoi/{old.external_id}/carry-over/")
    page.get_by_text("Workers in TEER 0-3 occupations (teer-0-3)").wait_for()
    assert "of 130" in page.locator("caption", has_text="Score ").inner_text()
    _shot(page, f"carry-2-draft-{width}")
    page.get_by_role("button", name="Start the new EOI").click()

    page.wait_for_url("**/eoi/new/stream/")
    page.get_by_text("new Job Offer ID").first.wait_for()
    assert page.locator("#id_pathway input[value='teer-0-3']").is_checked()
    page.locator("#id_job_offer_id").fill(offer.public_id)
    _shot(page, f"carry-3-stream-{width}")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/profile/")
    expect_no_form_errors(page)
    assert page.locator("#id_highest_annual_earnings").input_value().startswith("52000")
    assert page.locator("#id_english").input_value() == "9"
    page.locator("#id_ontario_work_months").fill("20")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/eligibility/")
    page.locator("#id_position_months_last_12").fill("7")
    page.locator("#id_experience_months_in_noc_last_5y").fill("30")
    _choose(page, "ontario_licence", "No")
    page.locator("#id_post_secondary").select_option("canadian")
    _choose(page, "credential_in_ontario", "No")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/eoi/new/review/")
    expect_no_form_errors(page)
    page.get_by_text(f"Job offer {offer.public_id}").wait_for()
    _shot(page, f"carry-4-review-{width}")
    click_label(page, "I confirm")
    page.get_by_role("button", name="Register my EOI").click()

    page.wait_for_url(re.compile(r".*/eoi/WP-[^/]+/$"))
    page.get_by_text("Your EOI is registered.").wait_for()
    assert old.external_id in page.locator("dl").inner_text()
    _shot(page, f"carry-5-eoi-{width}")
    new = EOI.objects.get(carried_from=old)
    assert new.job_offer_id == offer.pk
    page.goto("/candidate/")
    assert (
        page.get_by_role("link", name="Start a Workforce Priority EOI from this one").count() == 0
    )
