"""An officer reads the pool: counts per stream, score distributions, a filtered list in
draw order, and one EOI with its whole history; an auditor reads the same pages; a
candidate and an outsider are told they do not exist.

The pool is made of EOI rows built by ``tests.factories.make_eoi`` (dates relative to
today, so that they stay live), plus one EOI registered and updated through the services
by its candidate, so that it has a history to show.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.calculator.queries import score_document
from nominee.core.labels import action_label
from nominee.core.timeutil import PROGRAM_TZ
from nominee.eois import services as eoi_services
from nominee.eois.models import EOI
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.factories import make_eoi, submit_offer
from tests.personas import PASSWORD, make_user

from .journeys import expect_not_found, sign_in

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

DECLARED: dict[str, Any] = {
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
}
FACTS = {"experience_months_in_noc_last_5y": 36}
COUNT_COLUMNS = [
    "Stream",
    "Active",
    "Flagged",
    "Legacy",
    "Expired",
    "Invited",
    "Withdrawn",
    "Ineligible",
    "Total",
]


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PROGRAM_TZ)


def _eoi_with_history(bob: User, registered: date) -> EOI:
    """Farid's Foreign Worker EOI: Bob's offer, registered on a day, updated 8 days later."""
    farid = make_user("farid@example.com", full_name="Farid Candidate")
    candidate = eoi_services.create_candidate(user=farid, full_name="Farid Candidate")
    bakery = bobs_bakery(bob)
    offer = submit_offer(
        bob,
        bakery,
        candidate_name="Farid Candidate",
        candidate_email=farid.email,
        on=_at(registered - timedelta(days=2), 10),
    )
    eoi = eoi_services.register_eoi(
        actor=farid,
        candidate=candidate,
        document={"stream": "foreign-worker", **DECLARED, "languages": {"english": 9}},
        job_offer_id=offer.public_id,
        facts=FACTS,
        now=_at(registered, 10, 15),
    )
    return eoi_services.update_eoi(
        actor=farid,
        eoi=eoi,
        document={"stream": "foreign-worker", **DECLARED, "languages": {"english": 6}},
        facts=FACTS,
        now=_at(registered + timedelta(days=8), 14, 30),
    )


def _score(*, english: int) -> int:
    """Farid's score with Bob's offer (NOC 21231, $55/h in Toronto) and that English CLB."""
    document = {
        "stream": "foreign-worker",
        "job_offer": {"noc": "21231", "hourly_wage": 55, "census_division": "3520"},
        **DECLARED,
        "languages": {"english": english, "french": None},
    }
    return int(score_document(document)["total"])


def _pool(first: date) -> list[EOI]:
    """The rows, as (id, score, NOC, region, registered, status...). ``first`` is the first
    day of the registration window the officer filters on (30 days long)."""
    toronto = {"noc": "21231", "census_division": "3520", "region": "toronto"}
    rows = [
        # In the window, NOC 21231 in Toronto: what the filter keeps.
        make_eoi(
            external_id="FW-P01", score=47, registered_at=_at(first + timedelta(3)), **toronto
        ),
        make_eoi(
            external_id="FW-P02", score=44, registered_at=_at(first + timedelta(8)), **toronto
        ),
        make_eoi(
            external_id="FW-P03", score=44, registered_at=_at(first + timedelta(5)), **toronto
        ),
        make_eoi(
            external_id="FW-P08",
            score=40,
            registered_at=_at(first + timedelta(30), 21),  # the last day of the window
            **toronto,
        ),
        make_eoi(
            external_id="FW-P09",
            score=43,
            registered_at=_at(first + timedelta(9)),
            status=EOI.Status.WITHDRAWN,
            **toronto,
        ),
        # Each left out by one filter.
        make_eoi(
            external_id="FW-P04", score=52, registered_at=_at(first - timedelta(5)), **toronto
        ),
        make_eoi(
            external_id="FW-P05",
            score=45,
            registered_at=_at(first + timedelta(6)),
            noc="31102",
            census_division="3520",
            region="toronto",
            needs_review=True,
        ),
        make_eoi(
            external_id="FW-P06",
            score=46,
            registered_at=_at(first + timedelta(7)),
            noc="21231",
            census_division="3553",
            region="northern",
        ),
        make_eoi(
            external_id="FW-P07", score=41, registered_at=_at(first + timedelta(31)), **toronto
        ),
        # Not drawable: legacy, expired, invited, found ineligible.
        make_eoi(
            external_id="FW-P10",
            score=50,
            registered_at=_at(first - timedelta(100)),
            is_legacy=True,
            **toronto,
        ),
        make_eoi(
            external_id="FW-P11", score=48, registered_at=_at(first - timedelta(340)), **toronto
        ),
        make_eoi(
            external_id="FW-P12",
            score=49,
            registered_at=_at(first + timedelta(1)),
            status=EOI.Status.INVITED,
            **toronto,
        ),
        make_eoi(
            external_id="FW-P13",
            score=20,
            registered_at=_at(first + timedelta(2)),
            status=EOI.Status.INELIGIBLE,
            **toronto,
        ),
        # Other streams.
        make_eoi(
            external_id="IS-P01",
            stream="international-student",
            noc="31102",
            score=33,
            registered_at=_at(first + timedelta(4)),
        ),
        make_eoi(
            external_id="IS-P02",
            stream="international-student",
            noc="31102",
            score=30,
            registered_at=_at(first + timedelta(5)),
        ),
        make_eoi(
            external_id="IS-P03",
            stream="international-student",
            noc="31102",
            score=30,
            registered_at=_at(first + timedelta(6)),
        ),
        make_eoi(
            external_id="MS-P01",
            stream="masters",
            score=40,
            registered_at=_at(first + timedelta(2)),
        ),
    ]
    return rows


def _cells(row: Any) -> list[str]:
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


def _rows(table: Any) -> list[list[str]]:
    rows = table.locator("tbody tr")
    return [_cells(rows.nth(i)) for i in range(rows.count())]


def _counts_table(page: Any) -> Any:
    return page.locator("table", has=page.locator("caption", has_text="EOIs by stream and status"))


def _distribution(page: Any, stream: str) -> Any:
    """What follows the stream's "Scores of active EOIs" heading: a table or a sentence."""
    heading = page.get_by_role("heading", name=f"Scores of active EOIs: {stream}", exact=True)
    return heading.locator("xpath=following-sibling::*[1]")


def _expect_counts_and_distributions(page: Any, fw_scores: list[int]) -> None:
    page.get_by_role("heading", name="The pool", exact=True).wait_for()
    counts = _counts_table(page)
    assert _cells(counts.locator("thead tr")) == COUNT_COLUMNS
    # Foreign Worker: 9 live (1 flagged), 1 legacy, 1 expired, 1 invited, 1 withdrawn,
    # 1 found ineligible.
    assert _rows(counts) == [
        ["Employer Job Offer: Foreign Worker", "9", "1", "1", "1", "1", "1", "1", "14"],
        ["Employer Job Offer: International Student", "3", "0", "0", "0", "0", "0", "0", "3"],
        ["Employer Job Offer: In-Demand Skills", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["Masters Graduate", "1", "0", "0", "0", "0", "0", "0", "1"],
        ["PhD Graduate", "0", "0", "0", "0", "0", "0", "0", "0"],
        # Every stream of the registry has its row, the 2026 one (not yet open) included.
        ["Ontario Workforce Priority", "0", "0", "0", "0", "0", "0", "0", "0"],
    ]
    by_score = sorted(Counter(fw_scores).items(), reverse=True)
    fw = _distribution(page, "Employer Job Offer: Foreign Worker")
    assert [row[:2] for row in _rows(fw)] == [[str(s), str(n)] for s, n in by_score]
    # The bar of the most common score is full; the others are a share of it.
    top = max(n for _s, n in by_score)
    meters = fw.locator("meter")
    assert [meters.nth(i).get_attribute("value") for i in range(meters.count())] == [
        str(round(100 * n / top)) for _s, n in by_score
    ]
    assert [
        row[:2] for row in _rows(_distribution(page, "Employer Job Offer: International Student"))
    ] == [
        ["33", "1"],
        ["30", "2"],
    ]
    assert [row[:2] for row in _rows(_distribution(page, "Masters Graduate"))] == [["40", "1"]]
    assert _distribution(page, "PhD Graduate").inner_text() == "No active EOI."
    assert (
        _distribution(page, "Employer Job Offer: In-Demand Skills").inner_text() == "No active EOI."
    )


def _expect_listing(page: Any, expected_ids: list[str]) -> None:
    page.get_by_role("heading", name="Search the pool").wait_for()
    links = page.locator("table tbody tr td:first-child").get_by_role("link")
    assert links.all_inner_texts() == expected_ids


def _expect_history(page: Any, eoi: EOI, scores: tuple[int, int]) -> None:
    """The EOI's page: its facts, and every event, oldest first, with who did it."""
    page.get_by_role("heading", name=f"Expression of interest {eoi.external_id}").wait_for()
    facts = page.locator("dl").inner_text()
    assert "Farid Candidate" in facts
    assert "Software engineer" in facts
    assert "Bob's Bakery Inc." in facts
    # When each change was made (the audit trail's own clock), as the page's time zone shows.
    events = AuditEvent.objects.filter(subject_type="eois.eoi", subject_id=str(eoi.pk))
    when = [date_format(timezone.localtime(e.at), "DATETIME_FORMAT") for e in events.order_by("at")]
    history = page.locator("table", has=page.get_by_role("columnheader", name="Who"))
    registered, updated = action_label("eois.eoi_registered"), action_label("eois.eoi_updated")
    assert _rows(history) == [
        [when[0], f"{registered} (score {scores[0]})", "farid@example.com"],
        [when[1], f"{updated} (score {scores[1]})", "farid@example.com"],
    ]
    # Staff read the EOI; they do not change it.
    assert page.get_by_role("link", name="Update").count() == 0
    assert page.get_by_role("link", name="Withdraw").count() == 0


class Pool(NamedTuple):
    rows: list[EOI]  # every EOI, Farid's included
    farid: EOI
    scores: tuple[int, int]  # Farid's score when registered, then when updated
    first: date  # the registration window the officer filters on
    last: date


def _build_pool(bob: User) -> Pool:
    first = timezone.localdate() - timedelta(days=60)
    rows = _pool(first)
    farid = _eoi_with_history(bob, registered=first + timedelta(days=12))
    assert not farid.needs_review  # Bob's Bakery and the offer meet every rule
    # The scores the engine gives Farid's profile with English CLB 9, then 6.
    scores = (_score(english=9), _score(english=6))
    assert scores[0] > scores[1] == farid.score
    return Pool([*rows, farid], farid, scores, first, first + timedelta(days=30))


def _listing_url(pool: Pool) -> str:
    return (
        f"/staff/pool/eois/?noc=21231&region=toronto"
        f"&registered_from={pool.first.isoformat()}&registered_to={pool.last.isoformat()}"
    )


def test_officers_and_auditors_read_the_pool_counts_a_filtered_list_and_an_eois_history(
    new_page: Any, bob: User, olivia: User, audrey: User
) -> None:
    pool = _build_pool(bob)
    farid, first, last = pool.farid, pool.first, pool.last
    now = timezone.now()
    live_fw = [
        e.score
        for e in pool.rows
        if e.stream == "foreign-worker"
        and e.status == EOI.Status.ACTIVE
        and not e.is_legacy
        and e.expires_at > now
    ]
    # In draw order: score, then registration time.
    in_draw_order = [
        e.external_id for e in sorted(pool.rows, key=lambda e: (-e.score, e.registered_at))
    ]
    # Whatever their status: P09 is withdrawn, P12 invited, P13 found ineligible.
    kept = {"FW-P01", "FW-P02", "FW-P03", "FW-P08", "FW-P09", "FW-P12", "FW-P13"}
    kept.add(farid.external_id)
    kept_ids = [external_id for external_id in in_draw_order if external_id in kept]

    # The officer goes from the program office to the pool.
    officer = new_page()
    sign_in(officer, email=olivia.email, password=PASSWORD)
    officer.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Program office"
    ).click()
    officer.get_by_role("heading", name="Program office").wait_for()
    officer.get_by_role("link", name="The pool: expressions of interest by stream").click()
    officer.wait_for_url("**/staff/pool/")
    _expect_counts_and_distributions(officer, live_fw)

    # A stream's name lists that stream's EOIs, in draw order.
    _counts_table(officer).get_by_role(
        "link", name="Employer Job Offer: International Student"
    ).click()
    officer.wait_for_url("**/staff/pool/eois/?stream=international-student")
    _expect_listing(officer, ["IS-P01", "IS-P02", "IS-P03"])

    # Filters: NOC, region and the registration window (both days included).
    officer.goto("/staff/pool/eois/")
    _expect_listing(officer, in_draw_order)
    flagged = officer.locator("table tbody tr", has_text="FW-P05").locator("td").first
    assert flagged.inner_text().strip() == "FW-P05 \N{BLACK FLAG}"
    officer.get_by_label("NOC 2021 code").fill("21231")
    officer.get_by_label("Job location region").select_option(label="Toronto")
    officer.get_by_label("Registered from").fill(first.isoformat())
    officer.get_by_label("Registered to").fill(last.isoformat())
    officer.get_by_role("button", name="Filter").click()
    officer.wait_for_url("**/staff/pool/eois/?*noc=21231*")
    _expect_listing(officer, kept_ids)
    withdrawn = officer.locator("table tbody tr", has_text="FW-P09")
    assert _cells(withdrawn)[1:] == [
        "Employer Job Offer: Foreign Worker",
        "43",
        f"{(first + timedelta(days=9)).isoformat()} 09:00",
        "21231",
        "Toronto",
        "Withdrawn",
    ]
    statuses = [
        _cells(officer.locator("table tbody tr", has_text=external_id))[-1]
        for external_id in ("FW-P12", "FW-P13")
    ]
    assert statuses == ["Invited", "Found ineligible"]
    # The form shows the filters it applied.
    assert officer.get_by_label("NOC 2021 code").input_value() == "21231"
    assert officer.get_by_label("Job location region").input_value() == "toronto"
    assert officer.get_by_label("Registered from").input_value() == first.isoformat()
    assert officer.get_by_label("Registered to").input_value() == last.isoformat()

    # One EOI, with its whole history.
    officer.get_by_role("link", name=farid.external_id).click()
    officer.wait_for_url(f"**/eoi/{farid.external_id}/")
    _expect_history(officer, farid, pool.scores)

    # The auditor reads the same pages.
    auditor = new_page()
    sign_in(auditor, email=audrey.email, password=PASSWORD)
    auditor.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Program office"
    ).click()
    auditor.get_by_role("link", name="The pool: expressions of interest by stream").click()
    auditor.wait_for_url("**/staff/pool/")
    _expect_counts_and_distributions(auditor, live_fw)
    auditor.goto(_listing_url(pool))
    _expect_listing(auditor, kept_ids)
    auditor.get_by_role("link", name=farid.external_id).click()
    auditor.wait_for_url(f"**/eoi/{farid.external_id}/")
    _expect_history(auditor, farid, pool.scores)


@pytest.mark.parametrize("persona", ["alice", "oscar"], ids=["candidate", "outsider"])
def test_a_candidate_and_an_outsider_are_told_the_pool_pages_do_not_exist(
    new_page: Any, bob: User, request: pytest.FixtureRequest, persona: str
) -> None:
    pool = _build_pool(bob)
    person: User = request.getfixturevalue(persona)
    page = new_page()
    sign_in(page, email=person.email, password=PASSWORD)
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="My dashboard").wait_for()
    assert menu.get_by_role("link", name="Program office").count() == 0
    expect_not_found(page, "/staff/")
    expect_not_found(page, "/staff/pool/", "Scores of active EOIs")
    expect_not_found(page, _listing_url(pool), "FW-P01", pool.farid.external_id)
    expect_not_found(page, f"/eoi/{pool.farid.external_id}/", "Farid Candidate")
    expect_not_found(page, "/eoi/FW-P01/", "21231")
