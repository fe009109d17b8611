"""JSON API of the draws app (mounted under /api/v1/ by nominee.api.root).

Staff paths live under ``/staff/draws`` (the public ``/draws`` record is the publication
app's): officers and managers act, auditors read, anyone else gets 404. ``/invitations``
lists the caller's own invitations (as a candidate and as an employer contact).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.errors import NotFound, PermissionDenied
from nominee.core.pagination import page_of
from nominee.core.schemas import ERRORS
from nominee.reference.queries import noc_titles

from . import services
from .criteria import DrawCriteria, parse_criteria
from .models import Draw, Invitation
from .queries import (
    draw_invitations,
    draws_for_staff,
    invitations_for_candidate,
    invitations_for_employer,
    preview,
)

router = Router(tags=["draws"])


class CriteriaIn(Schema):
    """A draw's criteria (see docs/draws.md); give invitations, min_score, or both."""

    stream: str
    draw_date: date | None = None
    invitations: int | None = None
    min_score: int | None = None
    occupation_list: str | None = None
    noc_codes: list[str] = []
    pathways: list[str] = []
    regions: list[str] = []
    census_divisions: list[str] = []
    place_list: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    in_canada_only: bool = False
    min_education: str | None = None
    min_french_clb: int | None = None
    note: str = ""


class HistogramBar(Schema):
    """Scores of the matching pool."""

    score: int
    count: int


class AllocationOut(Schema):
    """The draw beside the year's nomination allocation."""

    year: int
    nominations: int | None
    nominations_issued: int | None
    nominations_remaining: int | None
    invitations_issued: int
    this_draw: int
    invitations_after: int


class ResultOut(Schema):
    """INTERFACES §3's draw result."""

    draw: int | None
    stream: str
    executed: bool
    date: date
    invitations: int
    min_score: int | None
    tie_break: str | None
    eligible: int
    invited: list[str]


class PreviewOut(ResultOut):
    """INTERFACES §3's draw result of a dry run, plus the histogram and the allocation."""

    histogram: list[HistogramBar]
    allocation: AllocationOut
    criteria: dict[str, Any]


class NocOut(Schema):
    """A targeted NOC with its title."""

    code: str
    title: str


class DrawOut(Schema):
    """A draw: its criteria, the people who acted on it, and its result once executed."""

    id: int
    stream: str
    status: str
    date: date
    targeted: bool
    criteria: dict[str, Any]
    nocs: list[NocOut]
    note: str
    proposed_by: str | None
    proposed_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    executed_by: str | None
    executed_at: datetime | None
    invitations_issued: int | None
    min_score: int | None
    tie_break: datetime | None
    eligible: int | None
    ranked_digest: str


class CancelIn(Schema):
    """Why a draw is cancelled."""

    reason: str = ""


class InvitationOut(Schema):
    """An invitation with its deadlines; ``status`` reads expired past the candidate deadline."""

    draw: int
    draw_date: date
    stream: str
    eoi: str
    rank: int
    score: int
    invited_at: datetime
    employer_deadline: date | None
    candidate_deadline: date
    status: str


def _reader(request: HttpRequest) -> None:
    if not is_staff_reader(request.user):
        raise NotFound("not found")


def _actor(request: HttpRequest) -> None:
    _reader(request)
    if not has_role(request.user, Role.OFFICER, Role.MANAGER):
        raise PermissionDenied("only program officers and managers may change draws")


def _email(user: Any) -> str | None:
    return user.email if user is not None else None


def _draw_out(draw: Draw) -> dict[str, Any]:
    criteria = DrawCriteria.from_draw(draw)
    return {
        "id": draw.pk,
        "stream": draw.stream,
        "status": draw.status,
        "date": draw.draw_date,
        "targeted": criteria.is_targeted,
        "criteria": criteria.to_document(),
        # The API's titles stay the English ones (INTERFACES.md).
        "nocs": [{"code": c, "title": t} for c, t in noc_titles(criteria.noc_codes, language="en")],
        "note": draw.note,
        "proposed_by": _email(draw.proposed_by),
        "proposed_at": draw.proposed_at,
        "approved_by": _email(draw.approved_by),
        "approved_at": draw.approved_at,
        "executed_by": _email(draw.executed_by),
        "executed_at": draw.executed_at,
        "invitations_issued": draw.invitations_issued,
        "min_score": draw.min_score,
        "tie_break": draw.tie_break,
        "eligible": draw.eligible,
        "ranked_digest": draw.ranked_digest,
    }


def _get(pk: int) -> Draw:
    draw = draws_for_staff().filter(pk=pk).first()
    if draw is None:
        raise NotFound("no such draw")
    return draw


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "draw": invitation.draw_id,
        "draw_date": invitation.draw.draw_date,
        "stream": invitation.draw.stream,
        "eoi": invitation.eoi.external_id,
        "rank": invitation.rank,
        "score": invitation.score,
        "invited_at": invitation.invited_at,
        "employer_deadline": invitation.employer_deadline,
        "candidate_deadline": invitation.candidate_deadline,
        "status": invitation.effective_status,
    }


class DrawPage(Schema):
    """A page of draws, newest first, and how many there are in all."""

    items: list[DrawOut]
    count: int


@router.get("/staff/draws", response={200: DrawPage, **ERRORS})
def list_draws(request: HttpRequest, limit: int = 50, offset: int = 0) -> Any:
    """Draws, newest first, a page at a time (officers, managers, auditors)."""
    _reader(request)
    rows, count = page_of(draws_for_staff(), limit=limit, offset=offset)
    return {"items": [_draw_out(draw) for draw in rows], "count": count}


@router.post("/staff/draws/preview", response={200: PreviewOut, **ERRORS})
def preview_draw(request: HttpRequest, payload: CriteriaIn) -> Any:
    """What a draw with these criteria would do now; writes nothing."""
    _reader(request)
    criteria = parse_criteria(payload.dict(exclude={"note"}))
    return preview(criteria).to_document()


@router.post("/staff/draws", response={201: DrawOut, **ERRORS})
def propose(request: HttpRequest, payload: CriteriaIn) -> Any:
    """Propose a draw (officers and managers)."""
    _actor(request)
    criteria = parse_criteria(payload.dict(exclude={"note"}))
    draw = services.propose_draw(actor=request.user, criteria=criteria, note=payload.note)
    return Status(201, _draw_out(_get(draw.pk)))


@router.get("/staff/draws/{draw_id}", response={200: DrawOut, **ERRORS})
def get_draw(request: HttpRequest, draw_id: int) -> Any:
    """One draw."""
    _reader(request)
    return _draw_out(_get(draw_id))


@router.post("/staff/draws/{draw_id}/approve", response={200: DrawOut, **ERRORS})
def approve(request: HttpRequest, draw_id: int) -> Any:
    """A manager other than the proposer approves the draw (two-person rule)."""
    _actor(request)
    services.approve_draw(actor=request.user, draw=_get(draw_id))
    return _draw_out(_get(draw_id))


@router.post("/staff/draws/{draw_id}/execute", response={200: ResultOut, **ERRORS})
def execute(request: HttpRequest, draw_id: int) -> Any:
    """Execute the draw; 409 with a message when it was executed already."""
    _actor(request)
    return services.execute_draw(actor=request.user, draw=_get(draw_id)).to_document()


@router.post("/staff/draws/{draw_id}/cancel", response={200: DrawOut, **ERRORS})
def cancel(request: HttpRequest, draw_id: int, payload: CancelIn) -> Any:
    """Cancel a draw that has not been executed."""
    _actor(request)
    services.cancel_draw(actor=request.user, draw=_get(draw_id), reason=payload.reason)
    return _draw_out(_get(draw_id))


@router.get("/staff/draws/{draw_id}/invitations", response={200: list[InvitationOut], **ERRORS})
def list_draw_invitations(request: HttpRequest, draw_id: int) -> Any:
    """A draw's invitations in rank order."""
    _reader(request)
    draw = _get(draw_id)
    return [_invitation_out(i) for i in draw_invitations(draw).select_related("draw")]


@router.get("/invitations", response={200: list[InvitationOut], **ERRORS})
def my_invitations(request: HttpRequest) -> Any:
    """The caller's invitations: as a candidate, and on the job offers of their employers."""
    user = request.user
    rows: list[Invitation] = []
    candidate = getattr(user, "candidate", None)
    if candidate is not None:
        rows.extend(invitations_for_candidate(candidate))
    for contact in user.employer_contacts.filter(active=True).select_related("employer"):  # type: ignore[union-attr]
        rows.extend(invitations_for_employer(contact.employer))
    seen: set[int] = set()
    unique = [r for r in rows if not (r.pk in seen or seen.add(r.pk))]  # type: ignore[func-returns-value]
    return [_invitation_out(i) for i in unique]
