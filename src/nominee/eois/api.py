"""JSON API of the eois app (mounted under /api/v1/ by nominee.api.root).

The candidate's own EOIs (and those of the candidates who appointed the caller):
``GET/POST /eois``, ``GET/PUT /eois/{id}``, ``POST /eois/{id}/withdraw``, and
``POST /candidate`` to create one's candidate profile. Staff reads of the pool:
``GET /staff/eois`` (filtered), ``GET /staff/eois/stats``, ``GET /eois/{id}/history``.
Managers: ``GET /staff/closed-streams`` and ``POST /staff/closed-streams/{stream}/withdraw``.
"""

from __future__ import annotations

from datetime import date, datetime
from datetime import date as Date  # for annotations after a field named date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.core.errors import NotFound, PermissionDenied, ValidationFailed
from nominee.core.pagination import page_of
from nominee.core.ratelimits import limit
from nominee.core.schemas import ERRORS
from nominee.program import streams

from . import queries, services
from .documents import shown_facts
from .models import EOI

router = Router(tags=["eois"])


class FactorOut(Schema):
    """One factor of the score."""

    factor: str
    points: int
    max: int
    reason: str


class EoiOut(Schema):
    """An EOI: its profile document, score and breakdown, and where it stands."""

    id: str
    stream: str
    pathway: str | None
    state: str
    status: str
    is_legacy: bool
    registered_at: datetime
    expires_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    score: int
    max_score: int
    grid: str
    breakdown: list[FactorOut]
    job_offer_id: str | None
    noc: str | None
    region: str | None
    needs_review: bool
    flags: list[dict[str, str]]
    profile: dict[str, Any]
    facts: dict[str, Any]
    candidate_id: int | None
    carried_from: str | None


def _out(eoi: EOI) -> dict[str, Any]:
    return {
        "id": eoi.external_id,
        "stream": eoi.stream,
        "pathway": eoi.pathway,
        "state": queries.state(eoi),
        "status": eoi.status,
        "is_legacy": eoi.is_legacy,
        "registered_at": eoi.registered_at,
        "expires_at": eoi.expires_at,
        "updated_at": eoi.updated_at,
        "withdrawn_at": eoi.withdrawn_at,
        "score": eoi.score,
        "max_score": eoi.max_score,
        "grid": eoi.grid,
        "breakdown": eoi.breakdown,
        "job_offer_id": eoi.job_offer.public_id if eoi.job_offer else None,
        "noc": eoi.noc,
        "region": eoi.region,
        "needs_review": eoi.needs_review,
        "flags": eoi.flags,
        "profile": eoi.profile,
        # Never the OHIP billing number in full (it is stored, and checked, in full).
        "facts": shown_facts(eoi.facts or {}),
        "candidate_id": eoi.candidate_id,
        "carried_from": eoi.carried_from.external_id if eoi.carried_from is not None else None,
    }


class RegisterIn(Schema):
    """A registration: the profile document, the Job Offer ID, the eligibility facts.

    ``candidate_id`` is needed only by a representative acting for a candidate;
    ``carried_from`` names the EOI withdrawn by a closing that this one carries over.
    """

    document: dict[str, Any]
    job_offer_id: str | None = None
    facts: dict[str, Any] | None = None
    candidate_id: int | None = None
    carried_from: str | None = None


class UpdateIn(Schema):
    """An update: the profile document and (optionally) new eligibility facts."""

    document: dict[str, Any]
    facts: dict[str, Any] | None = None


class CandidateIn(Schema):
    """Create one's candidate profile."""

    full_name: str


class CandidateOut(Schema):
    """A candidate profile."""

    id: int
    full_name: str
    email: str


def _eoi(request: HttpRequest, external_id: str) -> EOI:
    return queries.eoi_for(request.user, external_id)


@router.post(
    "/candidate", response={201: CandidateOut, **ERRORS}, summary="Create my candidate profile"
)
def create_candidate(request: HttpRequest, payload: CandidateIn) -> Status:
    """The signed-in account becomes a candidate (409 when it is one already)."""
    candidate = services.create_candidate(user=request.user, full_name=payload.full_name)
    return Status(201, candidate)


@router.get("/eois", response={200: list[EoiOut], **ERRORS}, summary="My EOIs")
def my_eois(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's EOIs and those of the candidates who appointed them, newest first."""
    return [
        _out(e)
        for e in queries.visible_eois(request.user).select_related("job_offer", "carried_from")
    ]


@router.post("/eois", response={201: EoiOut, **ERRORS}, summary="Register an EOI")
def register(request: HttpRequest, payload: RegisterIn) -> Status:
    """Register an EOI; the score and breakdown come back at once.

    Employer streams need ``job_offer_id``; refusals name the rule (422), a second live
    EOI in the stream or a used Job Offer ID is 409. Rate-limited per account.
    """
    limit(request, "eoi_register", str(request.user.pk))
    if payload.candidate_id is not None:
        candidate = queries.candidate_for(request.user, payload.candidate_id)
    else:
        own = queries.candidate_of(request.user)
        if own is None:
            raise NotFound("you have no candidate profile: POST /api/v1/candidate first")
        candidate = own
    carried = None
    if payload.carried_from is not None:
        carried = _eoi(request, payload.carried_from)
        if not queries.may_act(request.user, carried):
            raise NotFound("no such EOI")
    eoi = services.register_eoi(
        actor=request.user,
        candidate=candidate,
        document=payload.document,
        job_offer_id=payload.job_offer_id,
        facts=payload.facts,
        carried_from=carried,
    )
    return Status(201, _out(eoi))


class CarryOverOut(Schema):
    """The prefilled draft of an EOI carried over from one withdrawn by a closing."""

    carried_from: str
    stream: str
    pathway: str | None
    document: dict[str, Any]
    job_offer_hint: dict[str, Any] | None
    score: dict[str, Any] | None
    requirements: list[dict[str, str]]
    errors: dict[str, list[str]]


@router.get(
    "/eois/{external_id}/carry-over",
    response={200: CarryOverOut, **ERRORS},
    summary="The draft of a carried-over EOI",
)
def carry_over(request: HttpRequest, external_id: str) -> dict[str, Any]:
    """The new stream's document prefilled from an EOI withdrawn by its stream's closing,
    its score and the pathway that fits; register it with ``POST /eois`` and
    ``carried_from`` (409 when it cannot be carried, 404 not yours)."""
    eoi = _eoi(request, external_id)
    if not queries.may_act(request.user, eoi):
        raise NotFound("no such EOI")
    return services.carry_over_eoi(actor=request.user, eoi=eoi).to_document()


@router.get("/eois/{external_id}", response={200: EoiOut, **ERRORS}, summary="Read an EOI")
def read(request: HttpRequest, external_id: str) -> dict[str, Any]:
    """One EOI: its candidate, their representative, or staff (404 for anyone else)."""
    return _out(_eoi(request, external_id))


@router.put("/eois/{external_id}", response={200: EoiOut, **ERRORS}, summary="Update an EOI")
def update(request: HttpRequest, external_id: str, payload: UpdateIn) -> dict[str, Any]:
    """Re-score with a new profile document; the registration time is kept."""
    eoi = _eoi(request, external_id)
    if not queries.may_act(request.user, eoi):
        raise NotFound("no such EOI")
    return _out(
        services.update_eoi(
            actor=request.user, eoi=eoi, document=payload.document, facts=payload.facts
        )
    )


@router.post(
    "/eois/{external_id}/withdraw", response={200: EoiOut, **ERRORS}, summary="Withdraw an EOI"
)
def withdraw(request: HttpRequest, external_id: str) -> dict[str, Any]:
    """Withdraw for good (409 when not active)."""
    eoi = _eoi(request, external_id)
    if not queries.may_act(request.user, eoi):
        raise NotFound("no such EOI")
    return _out(services.withdraw_eoi(actor=request.user, eoi=eoi))


class EventOut(Schema):
    """One audit event about an EOI."""

    at: datetime
    action: str
    actor: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get(
    "/eois/{external_id}/history",
    response={200: list[EventOut], **ERRORS},
    summary="An EOI's history",
)
def history(request: HttpRequest, external_id: str) -> list[dict[str, Any]]:
    """Every recorded change of the EOI, oldest first."""
    eoi = _eoi(request, external_id)
    return [
        {
            "at": e.at,
            "action": e.action,
            "actor": e.actor.email if e.actor else None,
            "before": e.before,
            "after": e.after,
        }
        for e in queries.history(eoi)
    ]


def _staff(request: HttpRequest) -> None:
    if not is_staff_reader(request.user):
        raise NotFound("not found")


class PoolPage(Schema):
    """A page of the pool: the EOIs and how many match in all."""

    items: list[EoiOut]
    count: int


@router.get("/staff/eois", response={200: PoolPage, **ERRORS}, summary="The pool (staff)")
def pool(
    request: HttpRequest,
    stream: str | None = None,
    status: str | None = None,
    noc: str | None = None,
    region: str | None = None,
    registered_from: date | None = None,
    registered_to: date | None = None,
    needs_review: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The pool in draw order, filtered; officers, managers and auditors only (404 else).

    ``status`` is ``active`` (live), ``expired``, ``legacy``, ``invited``, ``withdrawn``
    or ``ineligible``; dates are program dates, both inclusive.
    """
    _staff(request)
    if stream is not None and not streams.is_stream(stream):
        raise ValidationFailed(
            "the filter is invalid",
            fields={"stream": [f"unknown stream; one of {', '.join(streams.codes())}"]},
            status=422,
        )
    qs = queries.pool(
        queries.PoolFilter(
            stream=stream,
            status=status,
            noc=noc,
            region=region,
            registered_from=registered_from,
            registered_to=registered_to,
            needs_review=needs_review,
        )
    ).select_related("job_offer", "carried_from")
    rows, count = page_of(qs, limit=limit, offset=offset)
    return {"items": [_out(e) for e in rows], "count": count}


class StreamStats(Schema):
    """Counts of one stream by state, and its live score distribution."""

    stream: str
    total: int
    live: int
    legacy: int
    expired: int
    invited: int
    withdrawn: int
    ineligible: int
    review: int
    scores: list[tuple[int, int]]


@router.get(
    "/staff/eois/stats", response={200: list[StreamStats], **ERRORS}, summary="Pool statistics"
)
def stats(request: HttpRequest) -> list[dict[str, Any]]:
    """Counts by stream and status, and the score distribution of each stream's live EOIs."""
    _staff(request)
    return [
        {**row, "scores": queries.score_distribution(row["stream"])}
        for row in queries.pool_counts()
    ]


# ---- withdrawing a closed stream's EOIs (managers) --------------------------------------


class ClosedStreamOut(Schema):
    """A stream closed today and how many of its EOIs a withdrawal would take."""

    stream: str
    stream_name: str
    closed_on: date
    count: int


class WithdrawClosedIn(Schema):
    """``dry_run``: count only, write nothing."""

    dry_run: bool = False


class WithdrawClosedOut(Schema):
    """What the withdrawal did (``dry_run``: would do)."""

    stream: str
    stream_name: str
    closed_on: Date
    date: Date
    withdrawn: int
    job_offers_released: int
    notice_batches: int
    dry_run: bool


def _manager(request: HttpRequest) -> None:
    if not has_role(request.user, Role.MANAGER):
        raise PermissionDenied("only a program manager may withdraw the EOIs of a closed stream")


@router.get(
    "/staff/closed-streams",
    response={200: list[ClosedStreamOut], **ERRORS},
    summary="Closed streams and their EOIs to withdraw (managers)",
)
def closed_stream_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Each stream closed today with the count of its active, unexpired EOIs."""
    _manager(request)
    return [
        {
            "stream": c.stream,
            "stream_name": c.stream_name,
            "closed_on": c.closed_on,
            "count": c.count,
        }
        for c in queries.closed_stream_counts()
    ]


@router.post(
    "/staff/closed-streams/{stream}/withdraw",
    response={200: WithdrawClosedOut, **ERRORS},
    summary="Withdraw the un-invited EOIs of a closed stream (managers)",
)
def withdraw_closed(
    request: HttpRequest, stream: str, payload: WithdrawClosedIn | None = None
) -> dict[str, Any]:
    """All or nothing; idempotent (a second call withdraws 0); each party notified."""
    result = services.withdraw_closed_stream_eois(
        actor=request.user, stream=stream, dry_run=bool(payload and payload.dry_run)
    )
    return {
        "stream": result.stream,
        "stream_name": result.stream_name,
        "closed_on": result.closed_on,
        "date": result.on,
        "withdrawn": result.count,
        "job_offers_released": result.job_offers,
        "notice_batches": result.batches,
        "dry_run": result.dry_run,
    }
