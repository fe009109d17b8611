"""A candidate registers an EOI with the Job Offer ID their employer's offer sent them,
sees the score breakdown, updates the EOI and withdraws it."""

from __future__ import annotations

import re
from typing import Any

from nominee.calculator.queries import score_document
from nominee.eois.models import EOI
from tests.dates import IN_2025

from .journeys import (
    CANDIDATE_EMAIL,
    JOB_OFFER_ID,
    click_label,
    employer_with_offer,
    expect_no_form_errors,
    link_in_email,
    sign_up,
)

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

CANDIDATE_NAME = "Farid Candidate"


def _expected(english: int) -> dict[str, Any]:
    """The score the engine gives the profile typed below, with the offer's job."""
    return score_document(
        {
            "stream": "foreign-worker",
            "job_offer": {"noc": "21231", "hourly_wage": 55, "census_division": "3520"},
            "permit": "work",
            "job_tenure_months": 7,
            "highest_annual_earnings": 52000,
            "languages": {"english": english, "french": None},
        }
    )


def _assert_breakdown(page: Any, expected: dict[str, Any]) -> None:
    table = page.locator("table", has=page.locator("caption", has_text="Score "))
    caption = table.locator("caption").inner_text()
    assert caption.startswith(f"Score {expected['total']} of {expected['max']}"), caption
    rows = table.locator("tbody tr")
    assert rows.count() == len(expected["factors"])
    for number, factor in enumerate(expected["factors"]):
        cells = rows.nth(number).locator("td")
        assert cells.nth(1).inner_text() == factor["reason"]
        assert cells.nth(2).inner_text() == f"{factor['points']} / {factor['max']}"


def _fill_profile(page: Any, *, english: str, prefix: str = "") -> None:
    page.locator(f"#id_{prefix}permit").wait_for()
    click_label(page, "Work permit")
    page.locator(f"#id_{prefix}job_tenure_months").fill("7")
    page.locator(f"#id_{prefix}highest_annual_earnings").fill("52000")
    page.locator(f"#id_{prefix}english").select_option(english)


def test_a_candidate_registers_with_the_job_offer_id_updates_and_withdraws(
    new_page: Any,
) -> None:
    _employer, job_offer_id = employer_with_offer(
        new_page, candidate_name=CANDIDATE_NAME, candidate_email=CANDIDATE_EMAIL
    )

    page = new_page()
    sign_up(page, role_label="I am a candidate", full_name=CANDIDATE_NAME, email=CANDIDATE_EMAIL)
    # Signed in already: following the link confirms the address and goes on to the dashboard.
    page.goto(
        link_in_email(to=CANDIDATE_EMAIL, kind="confirm_email", pattern=r"/accounts/confirm/.+/")
    )
    page.get_by_text("Thank you: your e-mail address is confirmed.").wait_for()
    page.goto("/candidate/")
    page.get_by_role("heading", name="My expressions of interest").wait_for()

    # Step 1: the stream and the Job Offer ID from the employer's e-mail.
    page.get_by_role("link", name="Register an EOI").click()
    page.wait_for_url("**/eoi/new/stream/")
    click_label(page, "Employer Job Offer: Foreign Worker")
    page.get_by_label("Job Offer ID").fill(job_offer_id)
    page.get_by_role("button", name="Continue").click()
    # Step 2: the profile.
    page.wait_for_url("**/eoi/new/profile/")
    expect_no_form_errors(page)
    _fill_profile(page, english="9")
    page.get_by_role("button", name="Continue").click()
    # Step 3: what eligibility needs beyond the profile.
    page.wait_for_url("**/eoi/new/eligibility/")
    expect_no_form_errors(page)
    page.locator("#id_experience_months_in_noc_last_5y").fill("36")
    if page.locator("#id_ontario_licence").count():
        page.locator("#id_ontario_licence").locator("label", has_text="No").click()
    page.get_by_role("button", name="Continue").click()
    # Step 4: review the score before registering.
    page.wait_for_url("**/eoi/new/review/")
    expect_no_form_errors(page)
    page.get_by_text(f"Job offer {job_offer_id}: Software engineer").wait_for()
    _assert_breakdown(page, _expected(english=9))
    click_label(page, "I confirm")
    page.get_by_role("button", name="Register my EOI").click()

    page.wait_for_url(re.compile(r".*/eoi/[^/]+/$"))
    page.get_by_text("Your EOI is registered.").wait_for()
    heading = page.get_by_role("heading", name="Expression of interest").inner_text()
    external_id = heading.rsplit(" ", 1)[-1]
    assert not JOB_OFFER_ID.fullmatch(external_id)
    assert job_offer_id in page.locator("dl").inner_text()
    _assert_breakdown(page, _expected(english=9))

    # Update: a lower English score scores again, and the registration time is kept.
    registered = EOI.objects.get(external_id=external_id).registered_at
    page.get_by_role("link", name="Update").click()
    page.wait_for_url(f"**/eoi/{external_id}/update/")
    _fill_profile(page, english="6", prefix="p-")
    page.get_by_role("button", name="Update and score again").click()
    page.wait_for_url(f"**/eoi/{external_id}/")
    page.get_by_text("Your EOI is updated and scored again.").wait_for()
    lower = _expected(english=6)
    assert lower["total"] < _expected(english=9)["total"]
    _assert_breakdown(page, lower)
    assert EOI.objects.get(external_id=external_id).registered_at == registered

    # Withdraw, after confirming: final, and the page says so.
    page.get_by_role("link", name="Withdraw").click()
    page.wait_for_url(f"**/eoi/{external_id}/withdraw/")
    page.get_by_role("button", name="Withdraw my EOI").click()
    page.locator("#id_confirm_error").wait_for()  # not without the confirmation
    click_label(page, "I confirm")
    page.get_by_role("button", name="Withdraw my EOI").click()
    page.wait_for_url(f"**/eoi/{external_id}/")
    page.get_by_text("Your EOI is withdrawn.").wait_for()
    assert page.get_by_role("link", name="Update").count() == 0
    assert EOI.objects.get(external_id=external_id).status == EOI.Status.WITHDRAWN
