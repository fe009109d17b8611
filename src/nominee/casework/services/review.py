"""Review: assigning a file, requests for information and their answers, the notice of
intent to refuse, its response, and the refusal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from nominee.accounts.roles import Role, has_role
from nominee.core.errors import Conflict, PermissionDenied, ValidationFailed
from nominee.core.timeutil import end_of, program_date

from ..models import Application
from ..policy import casework_policy_at
from ..states import check
from .common import (
    Party,
    S,
    _audit,
    _decide,
    _event,
    _in_window,
    _lock,
    _notify,
    _now,
    _require_officer,
    _require_party,
    _require_ready,
    _state,
    has_employer,
)


@transaction.atomic(durable=True)
def assign_application(
    *, actor: Any, application: Application | int, officer: Any = None, now: datetime | None = None
) -> Application:
    """Assign a complete file: an officer claims it (``officer`` None or themselves); a
    manager assigns it to any officer or manager. A submitted file goes into review."""
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor)
    target = officer or actor
    if target.pk != actor.pk and not has_role(actor, Role.MANAGER):
        raise PermissionDenied("only a manager assigns a file to someone else")
    if not has_role(target, Role.OFFICER, Role.MANAGER):
        raise ValidationFailed(
            f"{target.email} is not an officer",
            fields={"officer": ["must be an officer or manager"]},
        )
    new_status = check("claim", locked)
    _require_ready(locked)
    before = _state(locked)
    if locked.status == S.SUBMITTED:
        new_status = S.IN_REVIEW
    locked.status = new_status
    locked.assignee = target
    locked.updated_at = now
    locked.save(update_fields=["status", "assignee", "updated_at"])
    _event(
        locked,
        kind="assigned",
        actor=actor,
        text=f"Assigned to {target.email}",
        for_parties=False,
        now=now,
    )
    _audit(actor, "application_assigned", locked, before, assignee=target.pk)
    return locked


@transaction.atomic(durable=True)
def request_information(
    *,
    actor: Any,
    application: Application | int,
    party: str,
    text: str,
    respond_by: date | None = None,
    now: datetime | None = None,
) -> Application:
    """Ask one party for more information by a deadline (default: policy data)."""
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor, locked)
    check("request_info", locked)
    errors: dict[str, list[str]] = {}
    if party not in Party.values or (party == Party.EMPLOYER and not has_employer(locked)):
        errors["party"] = ["the candidate, or the employer in the employer streams"]
    if not (text or "").strip():
        errors["text"] = ["say what is needed"]
    today = program_date(now)
    due = respond_by or today + timedelta(days=casework_policy_at(today).info_request_days)
    if due <= today:
        errors["respond_by"] = ["must be after today"]
    if errors:
        raise ValidationFailed("the request is not complete", fields=errors)
    before = _state(locked)
    locked.status = S.INFO_REQUESTED
    locked.awaiting = party
    locked.respond_by = due
    locked.responded_at = None
    locked.updated_at = now
    locked.save(update_fields=["status", "awaiting", "respond_by", "responded_at", "updated_at"])
    _event(
        locked,
        kind="info_requested",
        actor=actor,
        party=party,
        text=text.strip(),
        due_on=due,
        now=now,
    )
    _audit(actor, "information_requested", locked, before, party=party, respond_by=due.isoformat())
    _notify(
        locked,
        what=gettext_lazy("The program needs more information"),
        text=text.strip(),
        due_on=due,
        parties=(party,),
    )
    return locked


@transaction.atomic(durable=True)
def answer_request(
    *, actor: Any, application: Application | int, text: str, now: datetime | None = None
) -> Application:
    """The party asked answers in the portal, by the request's deadline; back to review."""
    now = _now(now)
    locked = _lock(application)
    party = locked.awaiting or Party.CANDIDATE
    _require_party(actor, locked, party)
    check("answer_info", locked)
    _in_window(locked.respond_by, now, "response")
    if not (text or "").strip():
        raise ValidationFailed("write your answer", fields={"text": ["this field is required"]})
    before = _state(locked)
    locked.status = S.IN_REVIEW
    locked.responded_at = now
    locked.awaiting = ""
    locked.updated_at = now
    locked.save(update_fields=["status", "responded_at", "awaiting", "updated_at"])
    _event(locked, kind="info_answered", actor=actor, party=party, text=text.strip(), now=now)
    _audit(actor, "request_answered", locked, before, party=party)
    return locked


@transaction.atomic(durable=True)
def notice_of_intent_to_refuse(
    *, actor: Any, application: Application | int, reasons: str, now: datetime | None = None
) -> Application:
    """Procedural fairness: tell the candidate why the file would be refused and give them
    the policy's response window before any refusal."""
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor, locked)
    check("intent_to_refuse", locked)
    if not (reasons or "").strip():
        raise ValidationFailed("give the reasons", fields={"reasons": ["this field is required"]})
    today = program_date(now)
    due = today + timedelta(days=casework_policy_at(today).intent_to_refuse_days)
    before = _state(locked)
    locked.status = S.INTENT_TO_REFUSE
    locked.awaiting = Party.CANDIDATE
    locked.respond_by = due
    locked.responded_at = None
    locked.updated_at = now
    locked.save(update_fields=["status", "awaiting", "respond_by", "responded_at", "updated_at"])
    _event(
        locked,
        kind="intent_to_refuse",
        actor=actor,
        party=Party.CANDIDATE,
        text=reasons.strip(),
        due_on=due,
        now=now,
    )
    _audit(actor, "intent_to_refuse", locked, before, respond_by=due.isoformat())
    _notify(
        locked, what=gettext_lazy("Notice of intent to refuse"), text=reasons.strip(), due_on=due
    )
    return locked


@transaction.atomic(durable=True)
def respond_to_notice(
    *, actor: Any, application: Application | int, text: str, now: datetime | None = None
) -> Application:
    """The candidate answers a notice of intent to refuse within its window."""
    now = _now(now)
    locked = _lock(application)
    _require_party(actor, locked, Party.CANDIDATE)
    check("respond_notice", locked)
    if locked.responded_at is not None:
        raise Conflict("the notice was already answered", code="application.already_responded")
    _in_window(locked.respond_by, now, "response")
    if not (text or "").strip():
        raise ValidationFailed("write your response", fields={"text": ["this field is required"]})
    before = _state(locked)
    locked.responded_at = now
    locked.updated_at = now
    locked.save(update_fields=["responded_at", "updated_at"])
    _event(
        locked,
        kind="notice_answered",
        actor=actor,
        party=Party.CANDIDATE,
        text=text.strip(),
        now=now,
    )
    _audit(actor, "notice_answered", locked, before)
    return locked


@transaction.atomic(durable=True)
def refuse_application(
    *, actor: Any, application: Application | int, reasons: str, now: datetime | None = None
) -> Application:
    """Refuse, after a notice of intent to refuse was answered or its window has passed."""
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor, locked)
    check("refuse", locked)
    if (
        locked.responded_at is None
        and locked.respond_by is not None
        and now < end_of(locked.respond_by)
    ):
        raise Conflict(
            f"the candidate may respond to the notice until {locked.respond_by.isoformat()}",
            code="application.notice_window_open",
        )
    if not (reasons or "").strip():
        raise ValidationFailed("give the reasons", fields={"reasons": ["this field is required"]})
    before = _decide(locked, status=S.REFUSED, reasons=reasons.strip(), now=now)
    locked.save()
    _event(locked, kind="refused", actor=actor, text=reasons.strip(), now=now)
    _audit(actor, "application_refused", locked, before)
    _notify(locked, what=gettext_lazy("The application was refused"), text=reasons.strip())
    return locked
