"""The candidate's side of a file: opening it from an invitation, the wizard's sections,
the snapshot confirmed, the submission and declining the invitation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from nominee.accounts.services import can_act_for, refuse_staff
from nominee.audit.services import record
from nominee.core.errors import Conflict, NotFound, ValidationFailed
from nominee.core.timeutil import program_date
from nominee.draws.models import Invitation
from nominee.program.policy_source import policy_version_on
from nominee.program.streams import takes_job_offer
from nominee.scoring.refdata import GTA_REGIONS

from .. import details as details_module
from ..models import Application, PositionApproval
from ..policy import casework_policy_at
from ..states import check
from .common import (
    Party,
    S,
    _audit,
    _event,
    _in_window,
    _lock,
    _notify,
    _now,
    _require_party,
    _state,
    _update_ready,
    acts_for,
)


def _snapshot(eoi: Any, invitation: Any) -> dict[str, Any]:
    return {
        "external_id": eoi.external_id,
        "stream": eoi.stream,
        "profile": eoi.profile,
        "score": invitation.score,
        "max_score": eoi.max_score,
        "grid": eoi.grid,
        "breakdown": eoi.breakdown,
        "registered_at": eoi.registered_at.isoformat(),
        "invited_at": invitation.invited_at.isoformat(),
    }


def _offer_snapshot(offer: Any) -> dict[str, Any]:
    return {
        "public_id": offer.public_id,
        "job_title": offer.job_title,
        "noc": offer.noc_id,
        "hourly_wage": str(offer.hourly_wage),
        "hours_per_week": str(offer.hours_per_week),
        "permanent": offer.permanent,
        "candidate_name": offer.candidate_name,
        "location": str(offer.location),
    }


def _open(*, actor: Any, invitation: Any, now: datetime) -> Application:
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("eoi", "eoi__job_offer")
        .get(pk=invitation.pk if hasattr(invitation, "pk") else invitation)
    )
    existing = Application.objects.filter(invitation=locked).first()
    if existing is not None:
        return existing
    eoi = locked.eoi
    application = Application.objects.create(
        invitation=locked,
        eoi=eoi,
        stream=eoi.stream,
        snapshot=_snapshot(eoi, locked),
        policy_version=policy_version_on(now),
        created_at=now,
        updated_at=now,
    )
    offer = eoi.job_offer
    if takes_job_offer(eoi.stream, eoi.pathway) and offer is not None:
        PositionApproval.objects.create(
            application=application,
            employer=offer.employer,
            offer_snapshot=_offer_snapshot(offer),
            created_at=now,
        )
    record(
        actor=actor,
        action="casework.application_opened",
        subject=application,
        after={"status": application.status},
        data={"eoi": eoi.external_id, "invitation": locked.pk},
    )
    return application


@transaction.atomic(durable=True)
def open_application(*, actor: Any, invitation: Any, now: datetime | None = None) -> Application:
    """The file of an invitation, opened (with the EOI frozen) the first time a party asks.

    The candidate, an employer contact or a representative of either may open it; anyone
    else gets NotFound (a staff account, StaffCannotTakePart: Decision 79). An invitation
    no longer open (declined, expired) cannot be opened.
    """

    now = _now(now)
    invitation = Invitation.objects.select_related("eoi", "eoi__candidate", "eoi__job_offer").get(
        pk=invitation.pk
    )
    existing = (
        Application.objects.filter(invitation=invitation)
        .select_related("eoi", "eoi__candidate", "eoi__job_offer")
        .first()
    )
    probe = existing or Application(invitation=invitation, eoi=invitation.eoi)
    if not acts_for(actor, probe):
        raise NotFound("no such invitation")
    refuse_staff(actor)
    if existing is not None:
        return existing
    if invitation.status != Invitation.Status.OPEN:
        raise Conflict(
            f"the invitation is {invitation.get_status_display().lower()}: "
            "no application can be started",
            code="invitation.not_open",
        )
    _in_window(invitation.candidate_deadline, now, "candidate")
    return _open(actor=actor, invitation=invitation, now=now)


# --- the candidate's application ---------------------------------------------------------


@transaction.atomic(durable=True)
def save_details(
    *, actor: Any, application: Application | int, section: str, data: dict[str, Any]
) -> Application:
    """Save one wizard section of the candidate's details to the draft (checked first)."""
    locked = _lock(application)
    _require_party(actor, locked, Party.CANDIDATE)
    check("edit", locked)
    cleaned = details_module.clean_section(section, data)
    locked.details = {**locked.details, section: cleaned}
    locked.updated_at = timezone.now()
    locked.save(update_fields=["details", "updated_at"])
    record(
        actor=actor,
        action="casework.details_saved",
        subject=locked,
        data={"eoi": locked.eoi.external_id, "section": section},
    )
    return locked


@transaction.atomic(durable=True)
def confirm_snapshot(*, actor: Any, application: Application | int) -> Application:
    """The candidate confirms the facts frozen from the EOI (they are not retyped)."""
    locked = _lock(application)
    _require_party(actor, locked, Party.CANDIDATE)
    check("edit", locked)
    locked.details = {**locked.details, "confirmed_snapshot": True}
    locked.updated_at = timezone.now()
    locked.save(update_fields=["details", "updated_at"])
    record(
        actor=actor,
        action="casework.snapshot_confirmed",
        subject=locked,
        data={"eoi": locked.eoi.external_id},
    )
    return locked


def fee_for(application: Application) -> int:
    """The application's fee under the policy in force on its invitation's date."""
    policy = casework_policy_at(program_date(application.invitation.invited_at))
    return policy.fee(stream=application.stream, job_in_gta=application.eoi.region in GTA_REGIONS)


@transaction.atomic(durable=True)
def submit_application(
    *,
    actor: Any,
    application: Application | int,
    declaration_name: str,
    now: datetime | None = None,
) -> Application:
    """Submit the candidate's application within the candidate's window, all at once.

    Refused before writing: after the window (the deadline named), with sections missing,
    the EOI's facts not confirmed, the declaration not signed with the candidate's name.
    Makes the fee due (policy data), marks the invitation applied.
    """

    now = _now(now)
    locked = _lock(application)
    _require_party(actor, locked, Party.CANDIDATE)
    check("submit", locked)
    _in_window(locked.invitation.candidate_deadline, now, "candidate")
    errors: dict[str, list[str]] = {}
    for key in details_module.missing_sections(locked.details):
        errors[key] = ["this section is not complete"]
    if not locked.details.get("confirmed_snapshot"):
        errors["snapshot"] = ["confirm the facts of your EOI"]
    name = (declaration_name or "").strip()
    expected = locked.details.get("identity") or {}
    full = f"{expected.get('given_names', '')} {expected.get('family_name', '')}".strip()
    if not name:
        errors["declaration_name"] = ["sign the declaration with your full name"]
    elif full and name.casefold() != full.casefold():
        errors["declaration_name"] = [f"sign with the name of the application: {full}"]
    if errors:
        raise ValidationFailed("the application is not complete", fields=errors)
    before = _state(locked)
    invitation_date = program_date(locked.invitation.invited_at)
    policy = casework_policy_at(invitation_date)
    locked.fee_amount = policy.fee(
        stream=locked.stream, job_in_gta=locked.eoi.region in GTA_REGIONS
    )
    locked.fee_status = Application.Fee.DUE
    locked.status = S.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.declaration_name = name
    locked.declared_at = now
    locked.updated_at = now
    _update_ready(locked, now)
    locked.save()
    Invitation.objects.filter(pk=locked.invitation_id).update(
        status=Invitation.Status.APPLIED, responded_at=now
    )
    _event(
        locked,
        kind="submitted",
        actor=actor,
        party=Party.CANDIDATE,
        text=f"Fee due: ${locked.fee_amount}",
        now=now,
    )
    _audit(actor, "application_submitted", locked, before, fee=locked.fee_amount)
    _notify(
        locked,
        what=gettext_lazy("The candidate's application was submitted"),
        text=format_lazy(gettext_lazy("The fee of ${fee} is due."), fee=locked.fee_amount),
    )
    return locked


@transaction.atomic(durable=True)
def decline_invitation(*, actor: Any, invitation: Any, now: datetime | None = None) -> Any:
    """The candidate declines the invitation before applying; the EOI is closed with it."""

    now = _now(now)
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("eoi", "eoi__candidate")
        .get(pk=invitation.pk)
    )
    candidate = locked.eoi.candidate
    if candidate is None or not can_act_for(actor, candidate=candidate):
        raise NotFound("no such invitation")
    application = Application.objects.select_for_update().filter(invitation=locked).first()
    if application is not None:
        check("decline", application)
    if locked.status != Invitation.Status.OPEN:
        raise Conflict(
            f"the invitation is {locked.get_status_display().lower()}: it cannot be declined",
            code="invitation.not_open",
        )
    Invitation.objects.filter(pk=locked.pk).update(
        status=Invitation.Status.DECLINED, responded_at=now
    )
    if application is not None:
        before = _state(application)
        application.status = S.DECLINED
        application.decided_at = now
        application.decision_policy_version = policy_version_on(now)
        application.updated_at = now
        application.save(
            update_fields=["status", "decided_at", "decision_policy_version", "updated_at"]
        )
        _event(application, kind="declined", actor=actor, party=Party.CANDIDATE, now=now)
        _audit(actor, "invitation_declined", application, before)
    else:
        record(
            actor=actor,
            action="casework.invitation_declined",
            subject=locked,
            before={"status": Invitation.Status.OPEN},
            after={"status": Invitation.Status.DECLINED},
            data={"eoi": locked.eoi.external_id},
        )
    locked.refresh_from_db()
    return locked
