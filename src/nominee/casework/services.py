"""Casework services: applications, position approvals, review and nominations.

The yearly allocation and its split by stream are program policy (``nominee.program``);
``set_allocation`` is re-exported here for the casework pages and commands.

Every state change of a file is one function here: keyword-only, one durable transaction,
the file's row locked first, the state machine checked (``states.check``) and every other
refusal raised before anything is written, then the change, its history entry
(``CaseEvent``), its audit event and its e-mails (queued for after the commit).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nominee.accounts.mail import queue_email
from nominee.accounts.models import Appointment, OutgoingEmail, User
from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.accounts.services import can_act_for
from nominee.audit.services import record
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import add_months, end_of, program_date, start_of
from nominee.draws.models import Invitation
from nominee.program.models import Allocation, SpentPolicy, StreamAllocation
from nominee.program.services import set_allocation as set_allocation  # re-exported
from nominee.scoring.policy import EMPLOYER_STREAMS, STREAMS
from nominee.scoring.refdata import GTA_REGIONS

from . import details as details_module
from . import documents
from .models import (
    Application,
    CaseEvent,
    DeadlineReminder,
    Document,
    Nomination,
    PositionApproval,
)
from .policy import casework_policy_at
from .states import UNDECIDED, check, check_fee
from .tasks import send_casework_email

# --- helpers ---------------------------------------------------------------------------

S = Application.Status
Party = Application.Party
_SYSTEM_FIELDS = ("status", "fee_status", "assignee_id", "awaiting", "respond_by")


def _state(application: Application) -> dict[str, Any]:
    return {
        "status": application.status,
        "fee_status": application.fee_status,
        "assignee": application.assignee_id,
    }


def _lock(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("invitation", "eoi", "eoi__candidate", "eoi__job_offer")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotFound("no such application")
    return locked


def _candidate(application: Application) -> Any:
    return application.eoi.candidate


def _employer(application: Application) -> Any:
    offer = application.eoi.job_offer
    return offer.employer if offer is not None else None


def acts_for(user: Any, application: Application) -> set[str]:
    """The parties of the file ``user`` may act for: its own, or by a live appointment."""
    parties: set[str] = set()
    candidate = _candidate(application)
    if candidate is not None and can_act_for(user, candidate=candidate):
        parties.add(Party.CANDIDATE)
    employer = _employer(application)
    if employer is not None and can_act_for(user, employer=employer):
        parties.add(Party.EMPLOYER)
    return parties


def _require_party(user: Any, application: Application, party: str) -> None:
    """NotFound unless ``user`` acts for ``party``: a stranger may not learn the file exists."""
    if party not in acts_for(user, application):
        if is_staff_reader(user) or acts_for(user, application):
            raise PermissionDenied(f"only the {party} or their representative may do this")
        raise NotFound("no such application")


def _require_officer(user: Any, application: Application | None = None) -> None:
    """Officers and managers decide; an officer only on a file assigned to them."""
    if not has_role(user, Role.OFFICER, Role.MANAGER):
        if is_staff_reader(user):
            raise PermissionDenied("auditors read files; they do not act on them")
        raise NotFound("no such application")
    if (
        application is not None
        and not has_role(user, Role.MANAGER)
        and application.assignee_id != user.pk
    ):
        raise PermissionDenied("claim the file first: it is not assigned to you")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    application: Application,
    *,
    kind: str,
    actor: Any,
    text: str = "",
    party: str = "",
    for_parties: bool = True,
    due_on: date | None = None,
    now: datetime,
) -> CaseEvent:
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        party=party,
        text=text,
        for_parties=for_parties,
        due_on=due_on,
        created_at=now,
    )


def _audit(
    actor: Any, action: str, application: Application, before: dict[str, Any], **data: Any
) -> None:
    record(
        actor=actor,
        action=f"casework.{action}",
        subject=application,
        before=before,
        after=_state(application),
        data={"eoi": application.eoi.external_id, **data}
        if data
        else {"eoi": application.eoi.external_id},
    )


def _recipients(application: Application, parties: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The (address, account) pairs of the parties' people: themselves and representatives."""

    out: dict[str, Any] = {}
    candidate = _candidate(application)
    employer = _employer(application)
    live = Appointment.objects.filter(revoked_at__isnull=True).select_related(
        "representative__user"
    )
    if Party.CANDIDATE in parties and candidate is not None:
        if candidate.email:
            out.setdefault(candidate.email.lower(), candidate.user)
        for appointment in live.filter(candidate=candidate):
            user = appointment.representative.user
            out.setdefault(user.email.lower(), user)
    if Party.EMPLOYER in parties and employer is not None:
        for contact in employer.contacts.filter(active=True).select_related("user"):
            out.setdefault(contact.user.email.lower(), contact.user)
        for appointment in live.filter(employer=employer):
            user = appointment.representative.user
            out.setdefault(user.email.lower(), user)
    return sorted(out.items(), key=lambda item: item[0])


def _notify(
    application: Application,
    *,
    what: str,
    text: str = "",
    due_on: date | None = None,
    parties: tuple[str, ...] = (Party.CANDIDATE, Party.EMPLOYER),
) -> int:
    """E-mail the parties about a change of their file (recorded now, sent after commit)."""

    employer = _employer(application)
    count = 0
    for address, user in _recipients(application, parties):
        queue_email(
            kind=OutgoingEmail.Kind.OTHER,
            to=address,
            recipient=user,
            template="casework/email/change.txt",
            context={
                "application": application,
                "what": what,
                "text": text,
                "due_on": due_on.isoformat() if due_on else "",
                "stage": stage_words(application),
                "path": f"/applications/{application.pk}/",
            },
            task=send_casework_email,
            employer=employer
            if employer is not None
            and user is not None
            and user.employer_contacts.filter(employer=employer).exists()
            else None,
        )
        count += 1
    return count


def stage_words(application: Application) -> str:
    """The file's stage in plain words for its candidate and employer."""
    words = {
        S.DRAFT: "Not submitted yet",
        S.SUBMITTED: "Submitted: waiting for an officer"
        if application.ready
        else "Submitted: waiting for the other party's part",
        S.IN_REVIEW: "An officer is assessing the file",
        S.INFO_REQUESTED: "The program needs more information from you",
        S.INTENT_TO_REFUSE: "The program intends to refuse: you may respond",
        S.HELD: "Approvable, held until the next year's nominations",
        S.APPROVED: "Approved: you are nominated",
        S.REFUSED: "Refused",
        S.RETURNED: "Returned unprocessed; the fee is refunded",
        S.WITHDRAWN: "Withdrawn",
        S.DECLINED: "Invitation declined",
    }
    return words[S(application.status)]


def _in_window(deadline: date | None, now: datetime, who: str) -> None:
    """Refuse, naming the deadline, once its day has ended in Toronto (DOMAIN §7)."""
    if deadline is None or now >= end_of(deadline):
        named = deadline.isoformat() if deadline else "?"
        raise DomainError(
            f"the {who}'s window closed: the deadline was {named} (23:59 Toronto time)",
            code="application.window_closed",
            fields={"deadline": [deadline.isoformat() if deadline else "none"]},
        )


# --- opening a file ------------------------------------------------------------------------


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
        created_at=now,
        updated_at=now,
    )
    offer = eoi.job_offer
    if eoi.stream in EMPLOYER_STREAMS and offer is not None:
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
    else gets NotFound. An invitation no longer open (declined, expired) cannot be opened.
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


def _update_ready(application: Application, now: datetime) -> None:
    approval = (
        getattr(application, "position_approval", None)
        if application.stream in EMPLOYER_STREAMS
        else None
    )
    candidate_done = application.submitted_at is not None
    employer_done = application.stream not in EMPLOYER_STREAMS or (
        approval is not None and approval.status == PositionApproval.Status.SUBMITTED
    )
    if candidate_done and employer_done and not application.ready:
        application.ready = True
        application.ready_at = now


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
        what="The candidate's application was submitted",
        text=f"The fee of ${locked.fee_amount} is due.",
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
        application.updated_at = now
        application.save(update_fields=["status", "decided_at", "updated_at"])
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


# --- the employer's position approval ------------------------------------------------------


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
    _notify(locked, what="The employer's position approval was submitted")
    return approval


# --- review --------------------------------------------------------------------------------


def _require_ready(application: Application) -> None:
    if not application.ready:
        raise Conflict(
            "the file is not complete: the employer's position approval is missing",
            code="application.not_ready",
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
    if party not in Party.values or (
        party == Party.EMPLOYER and locked.stream not in EMPLOYER_STREAMS
    ):
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
        what="The program needs more information",
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
    _notify(locked, what="Notice of intent to refuse", text=reasons.strip(), due_on=due)
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


def _decide(locked: Application, *, status: str, reasons: str, now: datetime) -> dict[str, Any]:
    before = _state(locked)
    locked.status = status
    locked.decided_at = now
    locked.decision_reason = reasons
    locked.awaiting = ""
    locked.updated_at = now
    return before


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
    _notify(locked, what="The application was refused", text=reasons.strip())
    return locked


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
        what=f"Approved: nomination certificate {nomination.certificate}",
        text=f"Valid until {nomination.expires_on.isoformat()}.",
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
    _notify(locked, what="Held for the next year's nominations", text=text)
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
    _notify(locked, what="Returned unprocessed; the fee is refunded", text=reason)


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
    _notify(locked, what="The candidate withdrew the application")
    return locked


def _fee(
    action: str, *, actor: Any, application: Application | int, reference: str, now: datetime | None
) -> Application:
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor)
    target = check_fee(action, locked)
    before = _state(locked)
    locked.fee_status = target
    locked.updated_at = now
    locked.save(update_fields=["fee_status", "updated_at"])
    words = "received" if action == "fee_received" else "refunded"
    _event(
        locked,
        kind=action,
        actor=actor,
        text=f"Fee of ${locked.fee_amount} {words}. {reference}".strip(),
        now=now,
    )
    _audit(actor, action, locked, before, amount=locked.fee_amount, reference=reference)
    return locked


@transaction.atomic(durable=True)
def record_fee_received(
    *, actor: Any, application: Application | int, reference: str = "", now: datetime | None = None
) -> Application:
    """An officer records the fee as received."""
    return _fee("fee_received", actor=actor, application=application, reference=reference, now=now)


@transaction.atomic(durable=True)
def record_fee_refunded(
    *, actor: Any, application: Application | int, reference: str = "", now: datetime | None = None
) -> Application:
    """An officer records a refund due as paid back."""
    return _fee("fee_refunded", actor=actor, application=application, reference=reference, now=now)


#: The staff actions of ``decide`` (pages and API), in the order the file page offers them.
STAFF_ACTIONS = (
    "claim",
    "assign",
    "request_info",
    "intent_to_refuse",
    "approve",
    "hold",
    "refuse",
    "return",
    "fee_received",
    "fee_refunded",
)


def decide(
    *,
    actor: Any,
    application: Application | int,
    action: str,
    text: str = "",
    party: str = Party.CANDIDATE,
    respond_by: date | None = None,
    officer_email: str | None = None,
) -> Any:
    """Dispatch one staff action to its service (each its own transaction and audit event).

    The pages' and the API's one entry point for officers' decisions; ValidationFailed for
    an unknown action or officer.
    """

    if action not in STAFF_ACTIONS:
        raise ValidationFailed(
            f"unknown action {action!r}", fields={"action": [f"one of {', '.join(STAFF_ACTIONS)}"]}
        )
    if action == "claim":
        return assign_application(actor=actor, application=application)
    if action == "assign":
        officer = User.objects.filter(email__iexact=(officer_email or "").strip()).first()
        if officer is None:
            raise ValidationFailed(
                "no such officer", fields={"officer": ["the e-mail address of an officer"]}
            )
        return assign_application(actor=actor, application=application, officer=officer)
    if action == "request_info":
        return request_information(
            actor=actor, application=application, party=party, text=text, respond_by=respond_by
        )
    if action == "intent_to_refuse":
        return notice_of_intent_to_refuse(actor=actor, application=application, reasons=text)
    if action == "approve":
        return approve_application(actor=actor, application=application, reasons=text)
    if action == "hold":
        return hold_application(actor=actor, application=application, reasons=text)
    if action == "refuse":
        return refuse_application(actor=actor, application=application, reasons=text)
    if action == "return":
        return return_application(actor=actor, application=application, reason=text)
    if action == "fee_received":
        return record_fee_received(actor=actor, application=application, reference=text)
    return record_fee_refunded(actor=actor, application=application, reference=text)


# --- documents -------------------------------------------------------------------------


def _may_upload(application: Application, party: str) -> bool:
    """A party adds documents to its own draft, or while the program awaits its answer."""
    if party == Party.CANDIDATE and application.status == S.DRAFT:
        return True
    if party == Party.EMPLOYER:
        approval = getattr(application, "position_approval", None)
        if approval is not None and approval.status == PositionApproval.Status.DRAFT:
            return True
    return application.status in (S.INFO_REQUESTED, S.INTENT_TO_REFUSE) and (
        application.awaiting == party
    )


@transaction.atomic(durable=True)
def add_document(
    *,
    actor: Any,
    application: Application | int,
    party: str,
    label: str,
    name: str,
    content: bytes,
) -> Document:
    """Add a supporting document for ``party``: checked from its content (PDF, JPEG, PNG,
    the name agreeing), within the size limits, stored outside the web roots; audited.

    Refused before anything is kept; bytes stored before a later refusal are removed.
    """

    locked = _lock(application)
    _require_party(actor, locked, party)
    if not _may_upload(locked, party):
        raise Conflict(
            "documents can be added to a draft, or to answer the program's request",
            code="application.documents_closed",
        )
    text = (label or "").strip()
    if not text:
        raise ValidationFailed(
            "say what the document is", fields={"label": ["this field is required"]}
        )
    used = sum(locked.documents.values_list("size", flat=True))
    checked = documents.check(name, content, already_stored=used)
    stored = documents.store(content)
    try:
        now = timezone.now()
        document = Document.objects.create(
            application=locked,
            party=party,
            label=text[:200],
            original_name=os.path.basename(name)[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            storage_name=stored,
            uploaded_by=actor,
            uploaded_at=now,
        )
        _event(
            locked,
            kind="document_added",
            actor=actor,
            party=party,
            text=f"{text} ({document.original_name})",
            now=now,
        )
        record(
            actor=actor,
            action="casework.document_added",
            subject=document,
            after={"sha256": checked.sha256, "size": checked.size},
            data={"eoi": locked.eoi.external_id, "party": party, "type": checked.content_type},
        )
    except BaseException:
        documents.discard(stored)
        raise
    return document


# --- reminders -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def send_deadline_reminders(*, on: date | None = None) -> int:
    """The daily sweep: e-mail each party whose deadline is the policy's days away (3 and 1)
    and who has not acted yet: the candidate's application, the employer's position
    approval, an answer the program awaits. Each reminder is recorded once; idempotent.
    Returns how many e-mails were queued.
    """

    on = on or program_date(timezone.now())
    days = casework_policy_at(on).deadline_reminder_days
    targets = {on + timedelta(days=d): d for d in days}
    now = timezone.now()
    due: list[tuple[Any, str, date, int, tuple[str, ...]]] = []
    open_invitations = Invitation.objects.filter(status=Invitation.Status.OPEN).select_related(
        "eoi", "eoi__candidate", "eoi__job_offer"
    )
    for invitation in open_invitations.filter(candidate_deadline__in=list(targets)):
        due.append(
            (
                invitation,
                "candidate",
                invitation.candidate_deadline,
                targets[invitation.candidate_deadline],
                (Party.CANDIDATE,),
            )
        )
    employer_due = Invitation.objects.filter(
        status__in=[Invitation.Status.OPEN, Invitation.Status.APPLIED],
        employer_deadline__in=list(targets),
    ).select_related("eoi", "eoi__candidate", "eoi__job_offer")
    for invitation in employer_due:
        approval = PositionApproval.objects.filter(application__invitation=invitation).first()
        if approval is not None and approval.status == PositionApproval.Status.SUBMITTED:
            continue
        if invitation.eoi.job_offer is None:
            continue
        assert invitation.employer_deadline is not None
        due.append(
            (
                invitation,
                "employer",
                invitation.employer_deadline,
                targets[invitation.employer_deadline],
                (Party.EMPLOYER,),
            )
        )
    awaiting = (
        Application.objects.filter(
            status__in=[S.INFO_REQUESTED, S.INTENT_TO_REFUSE], respond_by__in=list(targets)
        )
        .exclude(awaiting="")
        .select_related("invitation", "eoi", "eoi__candidate", "eoi__job_offer")
    )
    for application in awaiting:
        if application.status == S.INTENT_TO_REFUSE and application.responded_at is not None:
            continue
        assert application.respond_by is not None
        due.append(
            (
                application.invitation,
                "response",
                application.respond_by,
                targets[application.respond_by],
                (application.awaiting,),
            )
        )
    sent = set(
        DeadlineReminder.objects.filter(due_on__in=list(targets)).values_list(
            "invitation_id", "kind", "due_on", "days_before"
        )
    )
    count = created = 0
    for invitation, kind, deadline, before, parties in due:
        key = (invitation.pk, kind, deadline, before)
        if key in sent:
            continue
        DeadlineReminder.objects.create(
            invitation=invitation, kind=kind, due_on=deadline, days_before=before, sent_at=now
        )
        sent.add(key)
        created += 1
        application = Application.objects.filter(invitation=invitation).first() or Application(
            invitation=invitation, eoi=invitation.eoi, stream=invitation.eoi.stream
        )
        what = {
            "candidate": "Your application for nomination is due",
            "employer": "The position approval application is due",
            "response": "Your answer to the program is due",
        }[kind]
        for address, user in _recipients(application, parties):
            queue_email(
                kind=OutgoingEmail.Kind.OTHER,
                to=address,
                recipient=user,
                template="casework/email/reminder.txt",
                context={
                    "what": what,
                    "eoi": invitation.eoi.external_id,
                    "due_on": deadline.isoformat(),
                    "days": before,
                    "path": f"/applications/{application.pk}/"
                    if application.pk
                    else "/applications/",
                },
                task=send_casework_email,
            )
            count += 1
    if created:
        record(
            actor=None,
            action="casework.deadline_reminders",
            subject_type="casework.deadlinereminder",
            subject_id=f"sweep-{on.isoformat()}",
            data={"on": on.isoformat(), "emails": count},
        )
    return count
