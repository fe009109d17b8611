"""The file from the invitation to the decision, through the services (DOMAIN §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.casework.conftest import CANDIDATE_DEADLINE, DETAILS, EMPLOYER_DEADLINE, IN_WINDOW
from tests.personas import client_for

from nominee.accounts.models import OutgoingEmail
from nominee.audit.models import AuditEvent
from nominee.casework import services
from nominee.casework.models import Application, CaseEvent, Nomination
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Invitation
from nominee.program.models import Allocation
from nominee.scoring.policy import policy_at

pytestmark = pytest.mark.django_db


def _tables() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "events": CaseEvent.objects.count(),
        "nominations": Nomination.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_opening_freezes_the_eoi_as_invited(invitation: Invitation, alice: Any) -> None:
    app = services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    assert app.snapshot["external_id"] == invitation.eoi.external_id
    assert app.snapshot["score"] == 61
    assert app.snapshot["grid"] == invitation.eoi.grid
    assert app.policy_version == policy_at(IN_WINDOW).effective_from
    invitation.eoi.score = 10
    invitation.eoi.save(update_fields=["score"])
    again = services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    assert again.pk == app.pk
    assert again.snapshot["score"] == 61
    assert app.position_approval.offer_snapshot["public_id"] == "JO-TEST-0001"


def test_a_stranger_cannot_open_someone_elses_invitation(
    invitation: Invitation, oscar: Any
) -> None:
    with pytest.raises(NotFound):
        services.open_application(actor=oscar, invitation=invitation, now=IN_WINDOW)
    assert not Application.objects.exists()


def test_a_section_with_errors_names_each_field(application: Application, alice: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.save_details(
            actor=alice,
            application=application,
            section="identity",
            data={
                **DETAILS["identity"],
                "date_of_birth": "2 March",
                "email": "nope",
                "given_names": "",
            },
        )
    assert set(caught.value.fields) == {"date_of_birth", "email", "given_names"}
    application.refresh_from_db()
    assert application.details["identity"]["date_of_birth"] == "1994-03-02"


def test_submitting_makes_the_fee_due_from_policy_and_marks_the_invitation(
    application: Application, alice: Any
) -> None:
    app = services.submit_application(
        actor=alice, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    assert app.status == Application.Status.SUBMITTED
    assert app.fee_status == Application.Fee.DUE
    assert app.fee_amount == 2000  # a GTA job offer in the Foreign Worker stream
    assert not app.ready  # the employer has not filed yet
    assert Invitation.objects.get(pk=app.invitation_id).status == Invitation.Status.APPLIED
    assert AuditEvent.objects.filter(action="casework.application_submitted").count() == 1
    subjects = OutgoingEmail.objects.values_list("to_email", "subject")
    assert (
        "alice@example.com",
        f"The candidate's application was submitted ({app.eoi.external_id})",
    ) in subjects
    assert any(to == "bob@example.com" for to, _subject in subjects)


def test_an_incomplete_application_is_refused_naming_what_is_missing(
    invitation: Invitation, alice: Any
) -> None:
    app = services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    before = _tables()
    with pytest.raises(ValidationFailed) as caught:
        services.submit_application(
            actor=alice, application=app, declaration_name="", now=IN_WINDOW
        )
    assert {"identity", "status", "history", "snapshot", "declaration_name"} <= set(
        caught.value.fields
    )
    assert _tables() == before
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT


def test_the_declaration_is_signed_with_the_applications_name(
    application: Application, alice: Any
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.submit_application(
            actor=alice, application=application, declaration_name="Someone Else", now=IN_WINDOW
        )
    assert "Alice Candidate" in caught.value.fields["declaration_name"][0]


@pytest.mark.parametrize(
    ("instant", "in_time"),
    [
        # 2025-11-03 is day 17; the clocks went back on 2025-11-02 (EST, UTC-5).
        (datetime(2025, 11, 3, 23, 59, 59, tzinfo=PROGRAM_TZ), True),
        (datetime(2025, 11, 4, 4, 59, 59, tzinfo=UTC), True),
        (datetime(2025, 11, 4, 0, 0, tzinfo=PROGRAM_TZ), False),
        (datetime(2025, 11, 4, 5, 0, tzinfo=UTC), False),
        (datetime(2025, 11, 18, 12, tzinfo=PROGRAM_TZ), False),
    ],
)
def test_the_candidates_window_ends_with_day_17_in_toronto(
    application: Application, alice: Any, instant: datetime, in_time: bool
) -> None:
    if in_time:
        app = services.submit_application(
            actor=alice, application=application, declaration_name="Alice Candidate", now=instant
        )
        assert app.status == Application.Status.SUBMITTED
        return
    before = _tables()
    with pytest.raises(DomainError) as caught:
        services.submit_application(
            actor=alice, application=application, declaration_name="Alice Candidate", now=instant
        )
    assert caught.value.code == "application.window_closed"
    assert CANDIDATE_DEADLINE.isoformat() in caught.value.message
    assert _tables() == before


def test_the_employers_window_is_its_own(application: Application, bob: Any) -> None:
    services.save_position_approval(
        actor=bob, application=application, offer_confirmed=True, declaration_name="Bob Employer"
    )
    late = datetime(2025, 11, 1, 0, 0, tzinfo=PROGRAM_TZ)
    with pytest.raises(DomainError) as caught:
        services.submit_position_approval(
            actor=bob, application=application, declaration_name="Bob Employer", now=late
        )
    assert EMPLOYER_DEADLINE.isoformat() in caught.value.message
    in_time = datetime(2025, 10, 31, 23, 59, 59, tzinfo=PROGRAM_TZ)
    approval = services.submit_position_approval(
        actor=bob, application=application, declaration_name="Bob Employer", now=in_time
    )
    assert approval.status == "submitted"


def test_the_candidate_cannot_file_the_employers_part(application: Application, alice: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.save_position_approval(
            actor=alice, application=application, offer_confirmed=True, declaration_name="x"
        )


def test_a_representative_acts_for_whoever_appointed_them(
    application: Application, alice: Any, carol: Any
) -> None:
    from nominee.accounts.services import appoint_representative

    with pytest.raises(NotFound):
        services.submit_application(
            actor=carol, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
        )
    appoint_representative(actor=alice, representative=carol, candidate=alice.candidate)
    app = services.submit_application(
        actor=carol, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    assert app.submitted_by == carol


def test_declining_closes_the_invitation(invitation: Invitation, alice: Any) -> None:
    declined = services.decline_invitation(actor=alice, invitation=invitation)
    assert declined.status == Invitation.Status.DECLINED
    with pytest.raises(Conflict):
        services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)


def test_declining_after_submitting_is_refused(application: Application, alice: Any) -> None:
    services.submit_application(
        actor=alice, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    with pytest.raises(Conflict):
        services.decline_invitation(actor=alice, invitation=application.invitation)


def test_a_file_waits_for_both_parts_before_review(
    application: Application, alice: Any, olivia: Any
) -> None:
    services.submit_application(
        actor=alice, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    with pytest.raises(Conflict) as caught:
        services.assign_application(actor=olivia, application=application)
    assert caught.value.code == "application.not_ready"


def test_only_a_manager_assigns_to_someone_else(
    submitted: Application, olivia: Any, martin: Any, audrey: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.assign_application(actor=olivia, application=submitted, officer=martin)
    with pytest.raises(PermissionDenied):
        services.assign_application(actor=audrey, application=submitted)
    app = services.assign_application(actor=martin, application=submitted, officer=olivia)
    assert app.assignee == olivia
    assert app.status == Application.Status.IN_REVIEW


def test_an_officer_decides_only_files_assigned_to_them(
    in_review: Application, martin: Any
) -> None:
    from tests.personas import make_user

    from nominee.accounts.roles import Role

    other = make_user("otto@example.org", Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.approve_application(actor=other, application=in_review)


def test_request_information_then_the_party_answers(
    in_review: Application, olivia: Any, alice: Any
) -> None:
    now = datetime(2025, 11, 10, 9, tzinfo=PROGRAM_TZ)
    app = services.request_information(
        actor=olivia, application=in_review, party="candidate", text="Send your passport", now=now
    )
    assert app.status == Application.Status.INFO_REQUESTED
    assert app.respond_by == date(2025, 12, 10)  # 30 days: policy data
    with pytest.raises(DomainError):
        services.answer_request(
            actor=alice, application=app, text="late", now=datetime(2025, 12, 11, tzinfo=PROGRAM_TZ)
        )
    app = services.answer_request(actor=alice, application=app, text="Attached.", now=now)
    assert app.status == Application.Status.IN_REVIEW
    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["info_requested", "info_answered"]


def test_the_employer_answers_a_request_addressed_to_it(
    in_review: Application, olivia: Any, alice: Any, bob: Any
) -> None:
    app = services.request_information(
        actor=olivia,
        application=in_review,
        party="employer",
        text="Payroll records",
        respond_by=date(2025, 11, 20),
        now=IN_WINDOW,
    )
    with pytest.raises(PermissionDenied):
        services.answer_request(actor=alice, application=app, text="x", now=IN_WINDOW)
    assert (
        services.answer_request(actor=bob, application=app, text="Sent", now=IN_WINDOW).status
        == "in_review"
    )


def test_refusal_waits_for_the_notice_window(
    in_review: Application, olivia: Any, alice: Any
) -> None:
    now = datetime(2025, 11, 10, 9, tzinfo=PROGRAM_TZ)
    app = services.notice_of_intent_to_refuse(
        actor=olivia, application=in_review, reasons="Wage below the floor", now=now
    )
    assert app.respond_by == now.date() + timedelta(days=30)
    with pytest.raises(Conflict) as caught:
        services.refuse_application(actor=olivia, application=app, reasons="x", now=now)
    assert caught.value.code == "application.notice_window_open"
    services.respond_to_notice(actor=alice, application=app, text="The wage was raised", now=now)
    refused = services.refuse_application(
        actor=olivia, application=app, reasons="Still below", now=now
    )
    assert refused.status == Application.Status.REFUSED
    assert refused.decided_at == now
    assert refused.decision_policy_version == policy_at(now).effective_from


def test_approval_issues_a_nomination_from_the_years_allocation(
    in_review: Application, olivia: Any
) -> None:
    Allocation.objects.filter(year=2025).update(nominations_issued=41)
    now = datetime(2025, 11, 12, 15, tzinfo=PROGRAM_TZ)
    nomination = services.approve_application(actor=olivia, application=in_review, now=now)
    assert nomination.certificate == "ON-2025-000042"
    assert nomination.issued_on == date(2025, 11, 12)
    assert nomination.expires_on == date(2026, 5, 12)  # 6 months: policy data
    assert Allocation.objects.get(year=2025).nominations_issued == 42
    in_review.refresh_from_db()
    assert in_review.status == Application.Status.APPROVED
    # Each records the policy version it was judged by (docs/policy.md).
    assert nomination.policy_version == policy_at(nomination.issued_on).effective_from
    assert in_review.decision_policy_version == policy_at(now).effective_from


def test_a_spent_allocation_refuses_the_approval_and_names_the_policy(
    in_review: Application, olivia: Any
) -> None:
    Allocation.objects.filter(year=2025).update(nominations_issued=10750)
    now = datetime(2025, 12, 18, 9, tzinfo=PROGRAM_TZ)
    before = _tables()
    with pytest.raises(DomainError) as caught:
        services.approve_application(actor=olivia, application=in_review, now=now)
    assert caught.value.code == "allocation.spent"
    assert "10750 of 10750" in caught.value.message
    assert "holds" in caught.value.message
    assert _tables() == before
    held = services.hold_application(actor=olivia, application=in_review, now=now)
    assert held.status == Application.Status.HELD
    # The next year's allocation takes it.
    nomination = services.approve_application(
        actor=olivia, application=held, now=datetime(2026, 1, 5, 9, tzinfo=PROGRAM_TZ)
    )
    assert nomination.allocation.year == 2026


def test_a_year_that_returns_refuses_holding(
    in_review: Application, olivia: Any, martin: Any
) -> None:
    services.set_allocation(year=2025, nominations=10750, actor=martin, when_spent="return")
    Allocation.objects.filter(year=2025).update(nominations_issued=10750)
    now = datetime(2025, 12, 18, 9, tzinfo=PROGRAM_TZ)
    with pytest.raises(DomainError) as caught:
        services.approve_application(actor=olivia, application=in_review, now=now)
    assert "returns" in caught.value.message
    with pytest.raises(Conflict):
        services.hold_application(actor=olivia, application=in_review, now=now)


def test_a_stream_share_is_never_exceeded(in_review: Application, olivia: Any, martin: Any) -> None:
    services.set_allocation(year=2025, nominations=0, actor=martin, stream="foreign-worker")
    with pytest.raises(DomainError) as caught:
        services.approve_application(
            actor=olivia, application=in_review, now=datetime(2025, 11, 12, tzinfo=PROGRAM_TZ)
        )
    assert "foreign-worker share" in caught.value.message


def test_returning_refunds_a_fee_received(in_review: Application, olivia: Any) -> None:
    app = services.record_fee_received(actor=olivia, application=in_review, reference="PAY-1")
    assert app.fee_status == Application.Fee.RECEIVED
    with pytest.raises(Conflict):
        services.record_fee_refunded(actor=olivia, application=app)
    app = services.return_application(actor=olivia, application=app, reason="Allocation spent")
    assert app.status == Application.Status.RETURNED
    assert app.fee_status == Application.Fee.REFUND_DUE
    app = services.record_fee_refunded(actor=olivia, application=app, reference="REF-1")
    assert app.fee_status == Application.Fee.REFUNDED
    assert AuditEvent.objects.filter(action="casework.fee_refunded").exists()


def test_the_candidate_withdraws_before_a_decision(
    in_review: Application, alice: Any, bob: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.withdraw_application(actor=bob, application=in_review)
    app = services.withdraw_application(actor=alice, application=in_review, reason="Moved")
    assert app.status == Application.Status.WITHDRAWN
    with pytest.raises(Conflict):
        services.withdraw_application(actor=alice, application=app)


def test_bulk_return_is_all_or_nothing_and_counts(submitted: Application, martin: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.return_applications(actor=martin, stream="skilled-trades", reason="x")
    count = services.return_applications(
        actor=martin,
        stream="foreign-worker",
        reason="Program integrity",
        submitted_before=date(2025, 10, 21),
    )
    assert count == 1
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.RETURNED
    assert services.return_applications(actor=martin, stream="foreign-worker", reason="x") == 0


def test_a_graduate_stream_file_needs_no_employer(alice: Any, olivia: Any) -> None:
    from tests.casework.conftest import invite
    from tests.factories import make_eoi

    eoi = make_eoi(
        stream="masters",
        registered_at=datetime(2025, 8, 1, tzinfo=PROGRAM_TZ),
        candidate=alice.candidate,
    )
    invitation = invite(
        eoi, stream="masters", candidate_deadline=date(2025, 10, 31), employer_deadline=None
    )
    app = services.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    for key, data in DETAILS.items():
        services.save_details(actor=alice, application=app, section=key, data=data)
    services.confirm_snapshot(actor=alice, application=app)
    app = services.submit_application(
        actor=alice, application=app, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    assert app.ready
    assert app.fee_amount == 1500
    assert not hasattr(app, "position_approval") or app.position_approval is None


@pytest.mark.parametrize("party", ["candidate", "employer"])
def test_the_stage_names_the_party_it_concerns_never_you(
    in_review: Application, olivia: Any, party: str
) -> None:
    # Both parties and their representatives read the same sentence on their dashboards.
    app = services.request_information(
        actor=olivia, application=in_review, party=party, text="Send it", now=IN_WINDOW
    )
    assert services.stage_words(app) == f"The program needs more information from the {party}"


def test_an_approved_file_tells_the_employer_who_is_nominated(
    in_review: Application, olivia: Any, bob: Any
) -> None:
    services.approve_application(actor=olivia, application=in_review, now=IN_WINDOW)
    app = Application.objects.get(pk=in_review.pk)
    assert services.stage_words(app) == "Approved: the candidate is nominated"
    page = client_for(bob).get("/applications/").content.decode()
    assert "Approved: the candidate is nominated" in page
    assert "you are nominated" not in page
    assert "Employer Job Offer: Foreign Worker" in page  # the stream's name, not its code


def test_the_public_allocation_page_names_streams_and_groups_digits(
    in_review: Application, olivia: Any
) -> None:
    services.approve_application(actor=olivia, application=in_review, now=IN_WINDOW)
    page = client_for(None).get("/allocation/2025/").content.decode()
    assert "<td>Employer Job Offer: Foreign Worker</td>" in page
    assert "<td>foreign-worker</td>" not in page
    assert "<dd>10,750</dd>" in page  # the 2025 allocation, as people write it
