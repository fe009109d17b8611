"""Job offers: the checks with named failures, the Job Offer ID, the e-mail, the lifecycle."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from nominee.accounts.models import OutgoingEmail
from nominee.accounts.services import appoint_representative
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import start_of
from nominee.employers import queries, services
from nominee.employers.models import JobOffer
from nominee.employers.services import JobOfferRefused, job_offers
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.personas import make_user

pytestmark = [pytest.mark.django_db, IN_2025]

ID_RE = re.compile(r"^JO-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def _rules(error: pytest.ExceptionInfo[Any]) -> str:
    return " ".join(m for ms in error.value.fields.values() for m in ms)


def test_it_gives_an_accepted_offer_a_readable_unique_job_offer_id(submit: Any) -> None:
    ids = {submit().public_id for _ in range(20)}
    assert len(ids) == 20
    for public_id in ids:
        assert ID_RE.match(public_id), public_id
        assert not set(public_id[3:]) & set("01OIL")


def test_it_retries_an_id_already_taken(submit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first = submit()
    issued = iter([first.public_id, first.public_id, "JO-2345-6789"])
    monkeypatch.setattr(job_offers, "new_public_id", lambda: next(issued))
    assert submit().public_id == "JO-2345-6789"


def test_it_emails_the_candidate_the_id_and_what_to_do_next(
    submit: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        offer = submit()
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]
    message = mailoutbox[0]
    assert offer.public_id in message.subject
    assert offer.public_id in message.body
    assert "expression of interest" in message.body
    assert offer.last_day.strftime("%B") in message.body
    record = OutgoingEmail.objects.get(job_offer=offer)
    assert record.kind == OutgoingEmail.Kind.JOB_OFFER_ID
    assert record.sent_at is not None


def test_it_sends_nothing_when_the_offer_is_refused(
    submit: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(JobOfferRefused):
        submit(hours_per_week=Decimal("20"))
    assert mailoutbox == []
    assert not JobOffer.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_it_records_the_submission_in_the_audit_log(submit: Any, bob: Any) -> None:
    offer = submit()
    event = AuditEvent.objects.get(action="employers.job_offer_submitted")
    assert event.actor == bob
    assert event.subject_id == str(offer.pk)
    assert event.after["public_id"] == offer.public_id


def test_it_refuses_part_time_hours_by_name(submit: Any) -> None:
    with pytest.raises(JobOfferRefused) as error:
        submit(hours_per_week=Decimal("29.75"))
    assert "job_offer.hours_per_week" in error.value.message
    assert "hours_per_week" in error.value.fields
    assert submit(hours_per_week=Decimal("30")).status == JobOffer.Status.AWAITING_EOI


def test_it_refuses_a_position_that_is_not_permanent(submit: Any) -> None:
    with pytest.raises(JobOfferRefused) as error:
        submit(permanent=False)
    assert "job_offer.permanent" in _rules(error)


def test_it_refuses_a_teer_the_stream_does_not_accept(submit: Any) -> None:
    with pytest.raises(JobOfferRefused) as error:
        submit(noc="65202", hourly_wage=Decimal("30"))  # TEER 5, foreign-worker stream
    assert "job_offer.teer" in _rules(error)


def test_it_refuses_an_occupation_off_the_in_demand_list(submit: Any) -> None:
    with pytest.raises(JobOfferRefused) as error:
        submit(stream="in-demand-skills", noc="21231")
    assert "in_demand.not_listed" in _rules(error)


def test_it_refuses_an_outside_gta_in_demand_occupation_in_toronto(submit: Any, bob: Any) -> None:
    with pytest.raises(JobOfferRefused) as error:
        submit(stream="in-demand-skills", noc="94106", hourly_wage=Decimal("30"))
    assert "in_demand.outside_gta_only" in _rules(error)
    sudbury = services.add_work_location(
        actor=bob,
        employer=bobs_bakery(bob),
        census_division="3553",
        municipality="Greater Sudbury",
        full_time_employees=5,
    )
    offer = submit(
        stream="in-demand-skills", noc="94106", hourly_wage=Decimal("30"), location=sudbury
    )
    assert offer.failures == []


def test_the_wage_floor_is_the_regional_figure_where_there_is_one(submit: Any, bob: Any) -> None:
    # NOC 72106 (welders): Ontario median $26.75/h, Northeast region (Greater Sudbury) $32.00/h.
    sudbury = services.add_work_location(
        actor=bob,
        employer=bobs_bakery(bob),
        census_division="3553",
        municipality="Greater Sudbury",
        full_time_employees=5,
    )
    with pytest.raises(JobOfferRefused) as error:
        submit(noc="72106", hourly_wage=Decimal("31.99"), location=sudbury)
    assert "job_offer.wage_floor" in _rules(error)
    assert "economic region 3590" in _rules(error)
    assert submit(noc="72106", hourly_wage=Decimal("32.00"), location=sudbury).failures == []


def test_the_wage_floor_falls_back_to_the_ontario_figure(submit: Any) -> None:
    # NOC 21231 has no figure for the Toronto region: the Ontario median $54.33/h applies.
    with pytest.raises(JobOfferRefused) as error:
        submit(hourly_wage=Decimal("54.32"))
    assert "Ontario-wide" in _rules(error)
    assert submit(hourly_wage=Decimal("54.33")).failures == []


def test_a_wage_that_cannot_be_checked_is_accepted_and_flagged(submit: Any) -> None:
    offer = submit(noc="21232", hourly_wage=Decimal("20"))  # no Job Bank figure at all
    assert [f["rule"] for f in offer.failures] == ["job_offer.wage_floor"]
    assert offer.failures[0]["severity"] == "flag"
    assert "cannot be checked" in offer.failures[0]["message"]
    assert offer.needs_review is True


def test_an_annual_salary_is_converted_over_52_weeks_of_the_weekly_hours(submit: Any) -> None:
    offer = submit(
        hourly_wage=None, annual_salary=Decimal("117000"), hours_per_week=Decimal("37.5")
    )
    assert offer.hourly_wage == Decimal("60.00")
    assert offer.annual_salary == Decimal("117000")


def test_it_wants_either_an_hourly_wage_or_an_annual_salary(submit: Any) -> None:
    with pytest.raises(ValidationFailed) as both:
        submit(annual_salary=Decimal("100000"))
    assert "hourly_wage" in both.value.fields
    with pytest.raises(ValidationFailed) as neither:
        submit(hourly_wage=None)
    assert "hourly_wage" in neither.value.fields


def test_an_ineligible_employers_offers_carry_its_failing_rules(submit: Any, bob: Any) -> None:
    employer = bobs_bakery(bob)
    employer.gross_revenue = Decimal("999999")
    employer.save()
    offer = submit()
    assert [(f["rule"], f["subject"]) for f in offer.failures] == [("employer.revenue", "employer")]
    assert offer.needs_review


def test_an_unconfirmed_contact_cannot_submit(bob: Any, submit: Any) -> None:
    bob.email_confirmed_at = None
    bob.save()
    with pytest.raises(PermissionDenied):
        submit()


def test_an_offer_is_open_through_day_30_and_lapses_on_day_31(submit: Any, at: Any) -> None:
    offer = submit(on=at(2025, 9, 1, 15))
    assert offer.lapses_at == start_of(offer.submitted_at.date() + timedelta(days=31))
    day_30 = at(2025, 10, 1, 23, 59)
    day_31 = at(2025, 10, 2, 0, 0)
    assert services.lapse_job_offers(now=day_30) == 0
    assert queries.with_effective_status(offer, now=day_30).status == JobOffer.Status.AWAITING_EOI
    assert services.lapse_job_offers(now=day_31) == 1
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.LAPSED
    assert AuditEvent.objects.filter(action="employers.job_offer_lapsed", actor=None).count() == 1


def test_a_read_shows_an_offer_the_sweep_missed_as_lapsed_and_writes_nothing(
    submit: Any, at: Any
) -> None:
    offer = submit(on=at(2025, 9, 1, 9))
    found = queries.find_offer_for_candidate(offer.public_id.lower().replace("-", " "))
    assert found is not None
    assert found.status == JobOffer.Status.LAPSED
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI
    assert not AuditEvent.objects.filter(action="employers.job_offer_lapsed").exists()
    assert services.lapse_job_offers() == 1
    assert AuditEvent.objects.filter(action="employers.job_offer_lapsed").count() == 1


def test_find_offer_for_candidate_ignores_what_cannot_be_an_id() -> None:
    assert queries.find_offer_for_candidate("JO-0000-1111") is None
    assert queries.find_offer_for_candidate("") is None
    assert queries.find_offer_for_candidate("JO-2345-6789") is None


def test_an_offer_awaiting_the_eoi_can_be_changed_and_is_checked_again(
    submit: Any, bob: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    offer = submit()
    with pytest.raises(JobOfferRefused):
        services.update_job_offer(actor=bob, offer=offer, hourly_wage=Decimal("20"))
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_job_offer(
            actor=bob,
            offer=offer,
            job_title="Senior software engineer",
            candidate_email="alice.new@example.com",
        )
    assert changed.public_id == offer.public_id
    assert changed.lapses_at == offer.lapses_at
    assert mailoutbox[-1].to == ["alice.new@example.com"]
    event = AuditEvent.objects.get(action="employers.job_offer_updated")
    assert event.before == {
        "job_title": "Software engineer",
        "candidate_email": "alice@example.com",
    }


def test_a_representative_locks_the_candidate_and_the_job_title(
    submit: Any, bob: Any, carol: Any
) -> None:
    offer = submit()
    appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    for field, value in [
        ("candidate_name", "Someone Else"),
        ("candidate_email", "else@example.com"),
        ("job_title", "Baker"),
    ]:
        with pytest.raises(Conflict) as error:
            services.update_job_offer(actor=carol, offer=offer, **{field: value})
        assert list(error.value.fields) == [field]
    changed = services.update_job_offer(actor=carol, offer=offer, hourly_wage=Decimal("60"))
    assert changed.hourly_wage == Decimal("60")


def test_withdrawing_tells_the_candidate_and_only_awaiting_offers_can_be_withdrawn(
    submit: Any, bob: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    offer = submit()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_job_offer(actor=bob, offer=offer, reason="filled")
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.WITHDRAWN
    assert "withdrew" in mailoutbox[-1].body
    with pytest.raises(Conflict):
        services.withdraw_job_offer(actor=bob, offer=offer)
    with pytest.raises(Conflict):
        services.update_job_offer(actor=bob, offer=offer, job_title="x")


def test_a_contact_of_another_employer_cannot_touch_the_offer(submit: Any, dave: Any) -> None:
    offer = submit()
    with pytest.raises(NotFound):
        services.withdraw_job_offer(actor=dave, offer=offer)
    with pytest.raises(NotFound):
        services.update_job_offer(actor=dave, offer=offer, job_title="x")
    with pytest.raises(NotFound):
        submit(actor=dave)


def test_an_officer_reviews_the_flags_and_nobody_else_may(
    submit: Any, olivia: Any, audrey: Any
) -> None:
    offer = submit(noc="21232", hourly_wage=Decimal("40"))
    with pytest.raises(PermissionDenied):
        services.review_job_offer(officer=audrey, offer=offer, note="looked")
    reviewed = services.review_job_offer(officer=olivia, offer=offer, note="Wage checked by hand.")
    assert reviewed.needs_review is False
    assert reviewed.reviewed_by == olivia
    with pytest.raises(Conflict):
        services.review_job_offer(officer=olivia, offer=offer, note="again")


def test_a_contact_invited_without_an_account_gets_a_link_to_choose_a_password(
    bob: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        contact = services.invite_contact(
            actor=bob, employer=bobs_bakery(bob), email="Erin@Example.com", full_name="Erin"
        )
    assert contact.user.email == "erin@example.com"
    assert not contact.user.has_usable_password()
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mailoutbox[0].body)
    assert link is not None
    client = Client()
    form = client.get(link.group(0).split("8000", 1)[1], follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase 7", "new_password2": "a long new passphrase 7"},
    )
    assert response.status_code == 302
    contact.user.refresh_from_db()
    assert contact.user.email_confirmed_at is not None
    assert client.get("/employer/").status_code == 302


def test_only_the_signing_officer_invites_contacts(bob: Any) -> None:
    employer = bobs_bakery(bob)
    other = make_user("frank@example.com")
    services.invite_contact(actor=bob, employer=employer, email=other.email)
    with pytest.raises(PermissionDenied):
        services.invite_contact(actor=other, employer=employer, email="gina@example.com")
    with pytest.raises(Conflict):
        services.invite_contact(actor=bob, employer=employer, email=other.email)
