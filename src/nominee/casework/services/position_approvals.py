"""The employer's position approval: its draft saved, and submitted within the employer's
window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from nominee.audit.services import record
from nominee.core.errors import Conflict, ValidationFailed

from ..models import Application, PositionApproval
from ..states import check
from .common import (
    Party,
    _audit,
    _event,
    _in_window,
    _lock,
    _notify,
    _now,
    _require_party,
    _state,
    _update_ready,
)


@transaction.atomic(durable=True)
def save_position_approval(
    *, actor: Any, application: Application | int, offer_confirmed: bool, declaration_name: str = ""
) -> PositionApproval:
    """Save the employer's draft: the job offer confirmed, the declaration's signatory."""
    locked = _lock(application)
    _require_party(actor, locked, Party.EMPLOYER)
    check("file_position_approval", locked)
    approval = PositionApproval.objects.select_for_update().get(application=locked)
    if approval.status != PositionApproval.Status.DRAFT:
        raise Conflict(
            "the position approval was already submitted", code="position_approval.submitted"
        )
    approval.offer_confirmed = bool(offer_confirmed)
    approval.declaration_name = (declaration_name or "").strip()[:200]
    approval.save(update_fields=["offer_confirmed", "declaration_name"])
    record(
        actor=actor,
        action="casework.position_approval_saved",
        subject=approval,
        data={"eoi": locked.eoi.external_id},
    )
    return approval


@transaction.atomic(durable=True)
def submit_position_approval(
    *,
    actor: Any,
    application: Application | int,
    declaration_name: str,
    now: datetime | None = None,
) -> PositionApproval:
    """Submit the employer's position approval within the employer's window, all at once."""
    now = _now(now)
    locked = _lock(application)
    _require_party(actor, locked, Party.EMPLOYER)
    check("file_position_approval", locked)
    approval = PositionApproval.objects.select_for_update().get(application=locked)
    if approval.status != PositionApproval.Status.DRAFT:
        raise Conflict(
            "the position approval was already submitted", code="position_approval.submitted"
        )
    _in_window(locked.invitation.employer_deadline, now, "employer")
    errors: dict[str, list[str]] = {}
    if not approval.offer_confirmed:
        errors["offer_confirmed"] = ["confirm the job offer"]
    name = (declaration_name or "").strip()
    if not name:
        errors["declaration_name"] = ["sign the declaration with your full name"]
    if errors:
        raise ValidationFailed("the position approval is not complete", fields=errors)
    before = _state(locked)
    approval.status = PositionApproval.Status.SUBMITTED
    approval.submitted_at = now
    approval.submitted_by = actor
    approval.declaration_name = name
    approval.declared_at = now
    approval.save()
    _update_ready(locked, now)
    locked.updated_at = now
    locked.save(update_fields=["ready", "ready_at", "updated_at"])
    _event(locked, kind="position_approval_submitted", actor=actor, party=Party.EMPLOYER, now=now)
    _audit(actor, "position_approval_submitted", locked, before)
    _notify(locked, what=gettext_lazy("The employer's position approval was submitted"))
    return approval
