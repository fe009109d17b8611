"""A person works out a Foreign Worker score on /calculator/, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nominee.calculator.queries import parse_document, score_document
from nominee.calculator.views import FACTOR_LABELS
from nominee.core.errors import ValidationFailed
from tests.dates import IN_2025

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

PROFILE: dict[str, Any] = {
    "stream": "foreign-worker",
    "job_offer": {"noc": "21231", "hourly_wage": 41.25, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}


def _fill_foreign_worker(page: Any, *, noc: str = "21231") -> None:
    """Type the profile into the form as a person would, field by field."""
    page.goto("/calculator/")
    page.get_by_label("Stream", exact=True).select_option("foreign-worker")
    page.get_by_label("Job offer: NOC 2021 code").fill(noc)
    page.get_by_label("Job offer: hourly wage (CAD)").fill("41.25")
    page.get_by_label("Job offer: work location").select_option("3520")
    # ODS draws its own radio over the input: a person clicks the label.
    page.locator("label", has_text="Work permit").click()
    assert page.get_by_label("Work permit").is_checked()
    page.get_by_label("Months in the job-offer position in Ontario").fill("7")
    page.get_by_label("Highest Canadian employment income in one year").fill("52000")
    page.get_by_label("English: lowest CLB of the four abilities").select_option("9")
    page.get_by_role("button", name="Calculate").click()


def _assert_score_and_breakdown(page: Any) -> None:
    expected = score_document(PROFILE)
    heading = page.get_by_role("heading", name="Score:")
    heading.wait_for()
    assert heading.inner_text().strip() == f"Score: {expected['total']} of 76"
    rows = page.locator("table tbody tr")
    assert rows.count() == len(expected["factors"])
    for number, factor in enumerate(expected["factors"]):
        cells = [rows.nth(number).locator("th, td").nth(i).inner_text() for i in range(4)]
        assert cells == [
            str(FACTOR_LABELS[factor["factor"]]),
            factor["reason"],
            str(factor["points"]),
            str(factor["max"]),
        ]
    total = page.locator("table tfoot td").first.inner_text()
    assert total == str(expected["total"])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_person_sees_the_foreign_worker_score_and_its_breakdown(
    new_page: Callable[..., Any], javascript: bool
) -> None:
    page = new_page(java_script_enabled=javascript)
    _fill_foreign_worker(page)
    page.wait_for_url("**/calculator/?stream=foreign-worker*")
    _assert_score_and_breakdown(page)
    # The answer is a plain GET: its address can be shared and re-opened.
    shared = new_page(java_script_enabled=javascript)
    shared.goto(page.url)
    _assert_score_and_breakdown(shared)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_bad_noc_is_explained_next_to_the_noc_field(
    new_page: Callable[..., Any], javascript: bool
) -> None:
    bad = {**PROFILE, "job_offer": {**PROFILE["job_offer"], "noc": "99999"}}
    with pytest.raises(ValidationFailed) as refused:
        parse_document(bad)
    message = refused.value.fields["job_offer.noc"][0]

    page = new_page(java_script_enabled=javascript)
    response_codes: list[int] = []
    page.on(
        "response",
        lambda r: response_codes.append(r.status) if "/calculator/?" in r.url else None,
    )
    _fill_foreign_worker(page, noc="99999")
    error = page.locator("#id_noc_error")
    error.wait_for()
    assert message in error.inner_text()
    # Next to the field: in the NOC field's own group, and the input points at it.
    group = page.locator(".ontario-form-group", has=page.locator("#id_noc"))
    assert group.locator("#id_noc_error").count() == 1
    noc_input = page.locator("#id_noc")
    assert noc_input.get_attribute("aria-invalid") == "true"
    assert "id_noc_error" in (noc_input.get_attribute("aria-describedby") or "")
    assert noc_input.input_value() == "99999"
    assert page.get_by_role("heading", name="Score:").count() == 0
    assert response_codes == [400]
