"""A representative acts for the parties who appointed them, and only while appointed.

An employer's signing officer appoints a licensed consultant to the business; the consultant
submits a job offer for it, cannot open another business, and loses the file when the
appointment is revoked, which the business keeps in its history. A candidate appoints the
same consultant (after a mistyped address, refused next to the field), who registers and
updates the candidate's EOI until revoked.

The people and the other business are rows made by the personas and the services: what
these journeys are about starts at the appointment.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from nominee.accounts.models import Appointment, User
from nominee.core.labels import action_label
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import EOI
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.factories import register_dairy, submit_offer
from tests.personas import PASSWORD, make_user

from .journeys import (
    expect_no_form_errors,
    expect_not_found,
    register_foreign_worker_eoi,
    sign_in,
    submit_job_offer,
)

# A journey through the 2025 program: it runs on a day its streams were open.
pytestmark = IN_2025

CONSULTANT = "Carol Representative (Licensed immigration consultant (CICC), R512345)"


def _another_business() -> tuple[Employer, JobOffer]:
    """Dave's Dairy in Sudbury, with an offer: a file Carol is never appointed to."""
    dave = make_user("dave@example.com", full_name="Dave Dairy")
    dairy = register_dairy(dave)
    return dairy, submit_offer(
        dave, dairy, candidate_name="Hana Candidate", candidate_email="hana@example.com"
    )


def _shown(instant: Any) -> str:
    """A date as the employer's page words it (DATE_FORMAT, the program's time zone)."""
    return date_format(timezone.localdate(instant), "DATE_FORMAT")


def _day(instant: Any) -> str:
    """A date as the pages show it (the program's time zone, America/Toronto)."""
    return str(timezone.localdate(instant).isoformat())


def _go_to_my_dashboard(page: Any, heading: str) -> None:
    """Follow "My dashboard" in the menu: each person lands on their role's page."""
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My dashboard"
    ).click()
    page.get_by_role("heading", name=heading, exact=True).wait_for()


def _table_rows(page: Any, caption: str) -> list[list[str]]:
    """The cells' text of each body row of the table with that caption."""
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    rows = table.locator("tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_a_representative_works_on_the_business_file_until_the_appointment_is_revoked(
    new_page: Any, bob: User, carol: User
) -> None:
    bakery = bobs_bakery(bob)
    dairy, dairy_offer = _another_business()

    # Bob, the signing officer, appoints Carol from the business's page.
    employer = new_page()
    sign_in(employer, email=bob.email, password=PASSWORD)
    _go_to_my_dashboard(employer, "Bob's Bakery Inc.")
    employer.get_by_text("No representative is appointed.").wait_for()
    employer.get_by_role("link", name="Appoint a representative").click()
    employer.wait_for_url(f"**/employer/{bakery.pk}/representatives/appoint/")
    employer.get_by_label("The representative's e-mail address").fill(carol.email)
    employer.get_by_role("button", name="Appoint", exact=True).click()
    employer.wait_for_url(f"**/employer/{bakery.pk}/")
    expect_no_form_errors(employer)
    employer.get_by_text("The representative is appointed and told by e-mail.").wait_for()
    appointment = Appointment.objects.get(employer=bakery)
    today = _day(appointment.appointed_at)
    appointed = employer.locator("li", has_text="Carol Representative")
    assert appointed.count() == 1
    assert CONSULTANT in appointed.inner_text()
    assert f"appointed {_shown(appointment.appointed_at)}" in appointed.inner_text()
    assert employer.get_by_text("No representative is appointed.").count() == 0

    # Carol is told by e-mail, and finds the business on her dashboard.
    representative = new_page()
    sign_in(representative, email=carol.email, password=PASSWORD)
    representative.goto("/accounts/emails/")
    email = representative.locator(".nominee-email", has_text="Bob's Bakery Inc.")
    assert email.count() == 1
    assert "you are appointed to act for Bob's Bakery Inc." in email.inner_text()
    _go_to_my_dashboard(representative, "Your clients")
    assert _table_rows(representative, "Appointments in force") == [
        [
            "Bob's Bakery Inc.",
            "Employer",
            f"{today} by bob@example.com",
            "Stop acting for this client",
        ]
    ]
    representative.get_by_role("link", name="Bob's Bakery Inc.").click()
    representative.wait_for_url(f"**/employer/{bakery.pk}/")
    representative.get_by_role("heading", name="Bob's Bakery Inc.").wait_for()
    # She acts for the business but does not appoint or invite people for it.
    assert representative.get_by_role("link", name="Appoint a representative").count() == 0
    assert representative.get_by_role("link", name="Invite a contact").count() == 0

    # She submits a job offer for the business; its history names her.
    job_offer_id = submit_job_offer(
        representative, candidate_name="Gita Candidate", candidate_email="gita@example.com"
    )
    offer_url = f"/employer/job-offers/{job_offer_id}/"
    history = representative.locator(
        "table", has=representative.locator("caption", has_text="Audit events")
    )
    assert "carol@example.com" in history.inner_text()

    # Another business's file does not exist for her.
    expect_not_found(representative, f"/employer/{dairy.pk}/", "Dave's Dairy")
    expect_not_found(
        representative, f"/employer/job-offers/{dairy_offer.public_id}/", "Hana Candidate"
    )
    expect_not_found(representative, f"/employer/{dairy.pk}/job-offers/new/")

    # Bob sees the offer Carol submitted, then revokes her appointment.
    employer.reload()
    offer_row = employer.locator("table tbody tr", has_text=job_offer_id)
    assert offer_row.count() == 1
    assert "Gita Candidate" in offer_row.inner_text()
    employer.get_by_role("button", name="Revoke").click()
    employer.get_by_role("button", name="Revoke the appointment").click()  # confirmed
    employer.wait_for_url(f"**/employer/{bakery.pk}/")
    employer.get_by_text("The appointment is revoked.").wait_for()
    employer.get_by_text("No representative is appointed.").wait_for()
    assert employer.get_by_role("button", name="Revoke").count() == 0
    # The appointment stays in the business's history.
    past = employer.locator("details", has_text="Past appointments")
    past.get_by_text("Past appointments").click()
    past_item = past.locator("li")
    past_item.wait_for()
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None
    ended = _shown(appointment.revoked_at)
    began = _shown(appointment.appointed_at)
    assert past_item.inner_text() == f"Carol Representative: {began} \N{EN DASH} {ended}"
    # And so does what she did for it.
    employer.get_by_role("link", name=job_offer_id).click()
    employer.wait_for_url(f"**{offer_url}")
    history = employer.locator("table", has=employer.locator("caption", has_text="Audit events"))
    assert "carol@example.com" in history.inner_text()

    # Carol has lost the file: every page of it is "not found".
    expect_not_found(representative, f"/employer/{bakery.pk}/", "Bob's Bakery")
    expect_not_found(representative, offer_url, "Gita Candidate")
    expect_not_found(representative, f"/employer/{bakery.pk}/job-offers/new/")
    expect_not_found(representative, f"/employer/{bakery.pk}/emails/", job_offer_id)
    # Her dashboard keeps the past appointment, without a link to the file.
    _go_to_my_dashboard(representative, "Your clients")
    assert _table_rows(representative, "Appointments in force") == [
        ["Nobody has appointed you yet. Give clients the e-mail address of this account."]
    ]
    assert _table_rows(representative, "Past appointments") == [
        ["Bob's Bakery Inc.", today, f"{_day(appointment.revoked_at)} by bob@example.com"]
    ]
    assert representative.get_by_role("link", name="Bob's Bakery Inc.").count() == 0


def test_a_representative_registers_and_updates_the_candidates_eoi_until_revoked(
    new_page: Any, alice: User, bob: User, carol: User
) -> None:
    offer = submit_offer(bob, bobs_bakery(bob), candidate_email=alice.email)

    # Alice appoints Carol from her own page: first with an address that is not a
    # representative's, which is refused next to the field, with what she typed kept.
    candidate = new_page()
    sign_in(candidate, email=alice.email, password=PASSWORD)
    _go_to_my_dashboard(candidate, "My expressions of interest")
    address = candidate.get_by_label("Representative's e-mail address")
    address.fill("carol@example.org")
    candidate.get_by_role("button", name="Appoint", exact=True).click()
    error = candidate.locator("#id_representative_error")
    error.wait_for()
    message = "No representative with a confirmed account uses this e-mail address"
    assert message in error.inner_text()
    assert address.input_value() == "carol@example.org"
    assert candidate.locator("li", has_text="Carol Representative").count() == 0
    address.fill(carol.email)
    candidate.get_by_role("button", name="Appoint", exact=True).click()
    candidate.wait_for_url("**/candidate/")
    candidate.get_by_text("Your representative can now act for you.").wait_for()
    appointment = Appointment.objects.get(candidate__user=alice)
    today = _day(appointment.appointed_at)
    assert (
        candidate.locator("li", has_text="Carol Representative").inner_text().splitlines()[0]
        == "Carol Representative (carol@example.com)"
    )

    # Carol opens Alice's file from her dashboard.
    representative = new_page()
    sign_in(representative, email=carol.email, password=PASSWORD)
    _go_to_my_dashboard(representative, "Your clients")
    assert _table_rows(representative, "Appointments in force") == [
        [
            "Alice Candidate",
            "Candidate",
            f"{today} by alice@example.com",
            "Stop acting for this client",
        ]
    ]
    representative.get_by_role("link", name="Alice Candidate").click()
    representative.wait_for_url(re.compile(r".*/candidate/\d+/$"))
    candidate_url = representative.url
    representative.get_by_role(
        "heading", name="Expressions of interest of Alice Candidate"
    ).wait_for()
    representative.get_by_text("No expression of interest yet.").wait_for()
    # She acts for Alice but does not appoint representatives for her.
    assert representative.get_by_role("heading", name="Your representative").count() == 0

    # She registers Alice's EOI with the Job Offer ID of Bob's offer, then updates it.
    external_id = register_foreign_worker_eoi(representative, job_offer_id=offer.public_id)
    representative.get_by_text("Your EOI is registered.").wait_for()
    assert "Alice Candidate" in representative.locator("dl").inner_text()
    representative.get_by_role("link", name="Update").click()
    representative.wait_for_url(f"**/eoi/{external_id}/update/")
    representative.locator("#id_p-english").select_option("6")
    representative.get_by_role("button", name="Update and score again").click()
    representative.wait_for_url(f"**/eoi/{external_id}/")
    expect_no_form_errors(representative)
    representative.get_by_text("Your EOI is updated and scored again.").wait_for()
    eoi = EOI.objects.get(external_id=external_id)
    assert eoi.candidate is not None
    assert eoi.candidate.user == alice

    # Alice sees the EOI on her page, and who did what in its history.
    _go_to_my_dashboard(candidate, "My expressions of interest")
    eoi_row = candidate.locator("table tbody tr", has_text=external_id)
    assert eoi_row.count() == 1
    assert f"{eoi.score} / {eoi.max_score}" in eoi_row.inner_text()
    eoi_row.get_by_role("link", name=external_id).click()
    candidate.wait_for_url(f"**/eoi/{external_id}/")
    history = candidate.locator("table", has=candidate.get_by_role("columnheader", name="Who"))
    rows = history.locator("tbody tr")
    actions = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    who = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert [a.rsplit(" (", 1)[0] for a in actions] == [
        action_label("eois.eoi_registered"),
        action_label("eois.eoi_updated"),
    ]
    assert actions[1] == f"{action_label('eois.eoi_updated')} (score {eoi.score})"
    assert who == ["carol@example.com", "carol@example.com"]

    # Alice revokes the appointment.
    _go_to_my_dashboard(candidate, "My expressions of interest")
    candidate.get_by_role("button", name="Revoke").click()
    candidate.get_by_text("Carol Representative can no longer act for you").wait_for()
    candidate.get_by_role("button", name="Revoke the appointment").click()  # confirmed
    candidate.get_by_text("The appointment is revoked.").wait_for()
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None
    ended = _day(appointment.revoked_at)
    assert candidate.locator("li", has_text="Carol Representative").count() == 0

    # Carol has lost Alice's file.
    expect_not_found(representative, candidate_url, "Alice Candidate")
    expect_not_found(representative, f"/eoi/{external_id}/", "Alice Candidate")
    expect_not_found(representative, f"/eoi/{external_id}/update/")
    expect_not_found(representative, f"{candidate_url}eoi/new/stream/")
    _go_to_my_dashboard(representative, "Your clients")
    assert _table_rows(representative, "Past appointments") == [
        ["Alice Candidate", today, f"{ended} by alice@example.com"]
    ]
    assert representative.get_by_role("link", name="Alice Candidate").count() == 0
    # Alice's EOI is hers, as Carol left it.
    assert EOI.objects.get(external_id=external_id).status == EOI.Status.ACTIVE
