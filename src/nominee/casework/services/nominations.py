"""Decisions on an approvable file: the nomination counted against the year's allocation,
holding for the next year, returning (one or a stream's), and the candidate's withdrawal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from nominee.core.errors import Conflict, DomainError, ValidationFailed
from nominee.core.timeutil import add_months, program_date, start_of
from nominee.program.models import Allocation, SpentPolicy, StreamAllocation
from nominee.program.policy_source import policy_version_on
from nominee.scoring.policy import STREAMS

from ..models import Application, Nomination
from ..policy import casework_policy_at
from ..states import UNDECIDED, check
from .common import (
    Party,
    S,
    _audit,
    _decide,
    _event,
    _lock,
    _notify,
    _now,
    _require_officer,
    _require_party,
    _require_ready,
    _state,
)


def _take_nomination(locked: Application, *, actor: Any, now: datetime) -> Nomination:
    """Count one nomination against this year's allocation, under its row lock.

    Raises ``allocation.spent`` (nothing written) when the year, or the stream's share of
    it, has none left; the check constraints back the counts.
    """
    today = program_date(now)
    allocation = Allocation.objects.select_for_update().filter(year=today.year).first()
    if allocation is None:
        raise DomainError(
            f"no nomination allocation is set for {today.year}",
            code="allocation.missing",
        )
    share = (
        StreamAllocation.objects.select_for_update()
        .filter(allocation=allocation, stream=locked.stream)
        .first()
    )
    if allocation.remaining <= 0 or (
        share is not None and share.nominations_issued >= share.nominations
    ):
        scope = (
            f"the {locked.stream} share of "
            if share is not None and allocation.remaining > 0
            else ""
        )
        then = (
            "the year's policy holds approvable files for the next year's allocation"
            if allocation.when_spent == SpentPolicy.HOLD
            else "the year's policy returns further applications with the fee refunded"
        )
        raise DomainError(
            f"{scope}the {today.year} allocation is spent "
            f"({allocation.nominations_issued} of {allocation.nominations} issued): {then}",
            code="allocation.spent",
            fields={"allocation": [f"{allocation.when_spent}"]},
        )
    Allocation.objects.filter(pk=allocation.pk).update(
        nominations_issued=F("nominations_issued") + 1
    )
    if share is not None:
        StreamAllocation.objects.filter(pk=share.pk).update(
            nominations_issued=F("nominations_issued") + 1
        )
    sequence = allocation.nominations_issued + 1
    policy = casework_policy_at(today)
    expires = add_months(start_of(today), policy.nomination_validity_months)
    return Nomination.objects.create(
        application=locked,
        allocation=allocation,
        certificate=f"ON-{today.year}-{sequence:06d}",
        stream=locked.stream,
        issued_on=today,
        expires_on=program_date(expires),
        policy_version=policy_version_on(today),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )


@transaction.atomic(durable=True)
def approve_application(
    *, actor: Any, application: Application | int, reasons: str = "", now: datetime | None = None
) -> Nomination:
    """Approve: the file becomes a nomination counted against this year's allocation.

    Refused with ``allocation.spent`` when the year (or the stream's share) has no
    nomination left, saying what the year's policy does next (hold or return).
    A notice of intent to refuse must be answered or its window passed first.
    """
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor, locked)
    check("approve", locked)
    _require_ready(locked)
    nomination = _take_nomination(locked, actor=actor, now=now)
    before = _decide(locked, status=S.APPROVED, reasons=(reasons or "").strip(), now=now)
    locked.save()
    _event(
        locked,
        kind="approved",
        actor=actor,
        text=f"Nominated: certificate {nomination.certificate}, "
        f"valid until {nomination.expires_on.isoformat()}",
        now=now,
    )
    _audit(
        actor,
        "application_approved",
        locked,
        before,
        certificate=nomination.certificate,
        year=nomination.allocation.year,
    )
    _notify(
        locked,
        what=format_lazy(
            gettext_lazy("Approved: nomination certificate {certificate}"),
            certificate=nomination.certificate,
        ),
        text=format_lazy(
            gettext_lazy("Valid until {date}."), date=nomination.expires_on.isoformat()
        ),
    )
    return nomination


@transaction.atomic(durable=True)
def hold_application(
    *, actor: Any, application: Application | int, reasons: str = "", now: datetime | None = None
) -> Application:
    """Hold an approvable file for the next year's allocation: only when this year's is
    spent and its policy is to hold (DOMAIN §7)."""
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor, locked)
    check("hold", locked)
    year = program_date(now).year
    allocation = Allocation.objects.filter(year=year).first()
    if allocation is None or allocation.remaining > 0:
        raise Conflict(
            f"the {year} allocation is not spent: approve the file instead",
            code="allocation.not_spent",
        )
    if allocation.when_spent != SpentPolicy.HOLD:
        raise Conflict(
            f"the {year} policy returns files once the allocation is spent",
            code="allocation.policy_return",
        )
    before = _state(locked)
    locked.status = S.HELD
    locked.updated_at = now
    locked.save(update_fields=["status", "updated_at"])
    text = reasons.strip() or f"The {year} allocation is spent; held for the next year's."
    _event(locked, kind="held", actor=actor, text=text, now=now)
    _audit(actor, "application_held", locked, before, year=year)
    _notify(locked, what=gettext_lazy("Held for the next year's nominations"), text=text)
    return locked


def _return(locked: Application, *, actor: Any, reason: str, now: datetime) -> None:
    check("return", locked)
    before = _decide(locked, status=S.RETURNED, reasons=reason, now=now)
    if locked.fee_status == Application.Fee.RECEIVED:
        locked.fee_status = Application.Fee.REFUND_DUE
    elif locked.fee_status in (Application.Fee.DUE, Application.Fee.NOT_DUE):
        locked.fee_status = Application.Fee.WAIVED
    locked.save()
    _event(locked, kind="returned", actor=actor, text=reason, now=now)
    _audit(actor, "application_returned", locked, before, reason=reason)
    _notify(locked, what=gettext_lazy("Returned unprocessed; the fee is refunded"), text=reason)


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed("give the reason", fields={"reason": ["this field is required"]})
    return text


@transaction.atomic(durable=True)
def return_application(
    *, actor: Any, application: Application | int, reason: str, now: datetime | None = None
) -> Application:
    """Return an undecided file unprocessed (allocation spent, labour-market fit, program
    integrity): a fee received becomes a refund due; one still due is not charged."""
    now = _now(now)
    text = _reason(reason)
    locked = _lock(application)
    _require_officer(actor, locked)
    _return(locked, actor=actor, reason=text, now=now)
    return locked


@transaction.atomic(durable=True)
def return_applications(
    *,
    actor: Any,
    stream: str,
    reason: str,
    submitted_before: date | None = None,
    now: datetime | None = None,
) -> int:
    """Return every undecided application of a stream (submitted before a date): all or
    nothing; each party notified. Returns the count (``nominee applications return``)."""
    now = _now(now)
    text = _reason(reason)
    if stream not in STREAMS:
        raise ValidationFailed(
            f"unknown stream {stream!r}", fields={"stream": [f"one of {', '.join(STREAMS)}"]}
        )
    if actor is not None:
        _require_officer(actor)
    rows = Application.objects.select_for_update(of=("self",)).filter(
        stream=stream, status__in=UNDECIDED
    )
    if submitted_before is not None:
        rows = rows.filter(submitted_at__lt=start_of(submitted_before))
    count = 0
    for locked in rows.select_related(
        "invitation", "eoi", "eoi__candidate", "eoi__job_offer"
    ).order_by("id"):
        _return(locked, actor=actor, reason=text, now=now)
        count += 1
    return count


@transaction.atomic(durable=True)
def withdraw_application(
    *, actor: Any, application: Application | int, reason: str = "", now: datetime | None = None
) -> Application:
    """The candidate withdraws a submitted file before a decision (the fee is not refunded)."""
    now = _now(now)
    locked = _lock(application)
    _require_party(actor, locked, Party.CANDIDATE)
    check("withdraw", locked)
    before = _decide(locked, status=S.WITHDRAWN, reasons=(reason or "").strip(), now=now)
    locked.save()
    _event(
        locked,
        kind="withdrawn",
        actor=actor,
        party=Party.CANDIDATE,
        text=(reason or "").strip(),
        now=now,
    )
    _audit(actor, "application_withdrawn", locked, before)
    _notify(locked, what=gettext_lazy("The candidate withdrew the application"))
    return locked
