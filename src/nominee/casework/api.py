"""JSON API of the casework app (mounted under /api/v1/ by nominee.api.root).

``GET /allocation/{year}`` is public (INTERFACES §5). The parties' paths are under
``/applications``: a file the caller may not see answers 404. Staff paths are under
``/staff/applications``: officers and managers act, auditors read, anyone else gets 404.
Each operation calls the same service as the pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from nominee.accounts.roles import is_staff_reader
from nominee.core.errors import NotFound
from nominee.core.pagination import page_of
from nominee.core.schemas import ERRORS
from nominee.core.timeutil import today
from nominee.draws.models import Invitation

from . import queries, services
from .models import Application, Nomination

router = Router(tags=["casework"])


class StreamShare(Schema):
    """A stream's share of the year (null: not split) and the nominations it has issued."""

    nominations: int | None
    issued: int


class AllocationDoc(Schema):
    """INTERFACES §5: the year's allocation, nominations issued and remaining, by stream."""

    year: int
    nominations: int
    issued: int
    remaining: int
    by_stream: dict[str, StreamShare]


@router.get("/allocation/{year}", response={200: AllocationDoc, **ERRORS}, auth=None)
def allocation(request: HttpRequest, year: int) -> Any:
    """The year's allocation (public; nominations only as counts)."""
    return queries.allocation_document(year)


class NominationOut(Schema):
    """A nomination certificate."""

    certificate: str
    issued_on: date
    expires_on: date
    year: int
    letter: str


class PositionApprovalOut(Schema):
    """The employer's part of the file."""

    status: str
    submitted_at: datetime | None
    deadline: date | None


class ApplicationOut(Schema):
    """A file as its parties and staff see it."""

    id: int
    eoi: str
    stream: str
    status: str
    stage: str
    candidate_deadline: date
    employer_deadline: date | None
    submitted_at: datetime | None
    ready: bool
    fee_amount: int
    fee_status: str
    awaiting: str
    respond_by: date | None
    expected_decision: date | None
    position_approval: PositionApprovalOut | None
    nomination: NominationOut | None
    assignee: str | None = None


def _out(
    application: Application, *, staff: bool, times: dict[str, Any] | None = None
) -> dict[str, Any]:
    approval = getattr(application, "position_approval", None)
    nomination = getattr(application, "nomination", None)
    return {
        "id": application.pk,
        "eoi": application.eoi.external_id,
        "stream": application.stream,
        "status": application.status,
        "stage": services.stage_words(application),
        "candidate_deadline": application.invitation.candidate_deadline,
        "employer_deadline": application.invitation.employer_deadline,
        "submitted_at": application.submitted_at,
        "ready": application.ready,
        "fee_amount": application.fee_amount,
        "fee_status": application.fee_status,
        "awaiting": application.awaiting,
        "respond_by": application.respond_by,
        "expected_decision": queries.expected_decision(application, times),
        "position_approval": {
            "status": approval.status,
            "submitted_at": approval.submitted_at,
            "deadline": application.invitation.employer_deadline,
        }
        if approval is not None
        else None,
        "nomination": {
            "certificate": nomination.certificate,
            "issued_on": nomination.issued_on,
            "expires_on": nomination.expires_on,
            "year": nomination.allocation.year,
            "letter": f"/applications/{application.pk}/letter.pdf",
        }
        if nomination is not None
        else None,
        "assignee": application.assignee.email if staff and application.assignee else None,
    }


def _visible(request: HttpRequest, pk: int) -> Application:
    return queries.visible_application(request.user, pk)


@router.get("/applications", response={200: list[ApplicationOut], **ERRORS})
def my_applications(request: HttpRequest) -> Any:
    """The caller's files: as candidate, employer contact or appointed representative."""
    rows = queries.applications_for(request.user).order_by("-created_at", "-id")[:500]
    times = queries.processing_times()
    return [_out(a, staff=False, times=times) for a in rows]


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def get_application(request: HttpRequest, application_id: int) -> Any:
    """One file the caller may see (404 otherwise)."""
    application = _visible(request, application_id)
    return _out(application, staff=is_staff_reader(request.user))


class OpenIn(Schema):
    """The invitation to open the file of."""

    invitation: int


@router.post("/applications", response={201: ApplicationOut, **ERRORS})
def open_application(request: HttpRequest, payload: OpenIn) -> Any:
    """Open (or fetch) the file of one of the caller's invitations."""

    invitation = Invitation.objects.filter(pk=payload.invitation).first()
    if invitation is None:
        raise NotFound("no such invitation")
    application = services.open_application(actor=request.user, invitation=invitation)
    return Status(201, _out(application, staff=False))


class SectionIn(Schema):
    """One section of the candidate's details (see docs/casework.md)."""

    data: dict[str, str]


@router.put(
    "/applications/{application_id}/details/{section}", response={200: ApplicationOut, **ERRORS}
)
def save_section(
    request: HttpRequest, application_id: int, section: str, payload: SectionIn
) -> Any:
    """Save one section of the draft (400 with a message per field)."""
    application = _visible(request, application_id)
    saved = services.save_details(
        actor=request.user, application=application, section=section, data=payload.data
    )
    return _out(saved, staff=False)


@router.post("/applications/{application_id}/confirm", response={200: ApplicationOut, **ERRORS})
def confirm(request: HttpRequest, application_id: int) -> Any:
    """Confirm the facts frozen from the EOI."""
    application = _visible(request, application_id)
    return _out(services.confirm_snapshot(actor=request.user, application=application), staff=False)


class DeclarationIn(Schema):
    """The signed declaration: the signatory's full name."""

    declaration_name: str


@router.post("/applications/{application_id}/submit", response={200: ApplicationOut, **ERRORS})
def submit(request: HttpRequest, application_id: int, payload: DeclarationIn) -> Any:
    """Submit the candidate's application (refused after the window, the deadline named)."""
    application = _visible(request, application_id)
    done = services.submit_application(
        actor=request.user, application=application, declaration_name=payload.declaration_name
    )
    return _out(done, staff=False)


class PositionApprovalIn(Schema):
    """The employer's confirmation of the job offer and its declaration."""

    offer_confirmed: bool
    declaration_name: str


@router.post(
    "/applications/{application_id}/position-approval", response={200: ApplicationOut, **ERRORS}
)
def file_position_approval(
    request: HttpRequest, application_id: int, payload: PositionApprovalIn
) -> Any:
    """Submit the employer's position approval (refused after the employer's window)."""
    application = _visible(request, application_id)
    services.save_position_approval(
        actor=request.user,
        application=application,
        offer_confirmed=payload.offer_confirmed,
        declaration_name=payload.declaration_name,
    )
    services.submit_position_approval(
        actor=request.user, application=application, declaration_name=payload.declaration_name
    )
    return _out(_visible(request, application_id), staff=False)


class TextIn(Schema):
    """A party's words: an answer, a response, a reason."""

    text: str = ""


@router.post("/applications/{application_id}/answer", response={200: ApplicationOut, **ERRORS})
def answer(request: HttpRequest, application_id: int, payload: TextIn) -> Any:
    """Answer a request for information, or respond to a notice of intent to refuse."""
    application = _visible(request, application_id)
    if application.status == Application.Status.INTENT_TO_REFUSE:
        done = services.respond_to_notice(
            actor=request.user, application=application, text=payload.text
        )
    else:
        done = services.answer_request(
            actor=request.user, application=application, text=payload.text
        )
    return _out(done, staff=False)


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **ERRORS})
def withdraw(request: HttpRequest, application_id: int, payload: TextIn) -> Any:
    """The candidate withdraws before a decision."""
    application = _visible(request, application_id)
    done = services.withdraw_application(
        actor=request.user, application=application, reason=payload.text
    )
    return _out(done, staff=False)


class QueuePage(Schema):
    """A page of the officers' queue, oldest first, and how many files in all."""

    items: list[ApplicationOut]
    count: int


def _staff(request: HttpRequest) -> None:
    if not is_staff_reader(request.user):
        raise NotFound("not found")


@router.get("/staff/applications", response={200: QueuePage, **ERRORS})
def staff_queue(
    request: HttpRequest,
    stream: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Any:
    """The officers' queue: complete, undecided files, oldest first (staff)."""
    _staff(request)
    rows, count = page_of(queries.queue(stream=stream, status=status), limit=limit, offset=offset)
    return {"items": [_out(a, staff=True) for a in rows], "count": count}


class DecisionIn(Schema):
    """An officer's decision: the action and its reasons (see docs/casework.md)."""

    action: str
    text: str = ""
    party: str = "candidate"
    respond_by: date | None = None
    officer: str | None = None


@router.post(
    "/staff/applications/{application_id}/decide", response={200: ApplicationOut, **ERRORS}
)
def decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    """Act on a file: claim, assign, request_info, intent_to_refuse, approve, hold, refuse,
    return, fee_received, fee_refunded."""
    _staff(request)
    application = _visible(request, application_id)
    services.decide(
        actor=request.user,
        application=application,
        action=payload.action,
        text=payload.text,
        party=payload.party,
        respond_by=payload.respond_by,
        officer_email=payload.officer,
    )
    return _out(_visible(request, application_id), staff=True)


class NominationRow(Schema):
    """A nomination, for staff."""

    certificate: str
    eoi: str
    stream: str
    issued_on: date
    expires_on: date


@router.get("/staff/nominations", response={200: list[NominationRow], **ERRORS})
def staff_nominations(request: HttpRequest, year: int | None = None) -> Any:
    """The year's nominations (staff), in certificate order."""

    _staff(request)
    rows = (
        Nomination.objects.filter(allocation__year=year or today().year)
        .select_related("application__eoi")
        .order_by("certificate")[:5000]
    )
    return [
        {
            "certificate": n.certificate,
            "eoi": n.application.eoi.external_id,
            "stream": n.stream,
            "issued_on": n.issued_on,
            "expires_on": n.expires_on,
        }
        for n in rows
    ]
