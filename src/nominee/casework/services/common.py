"""What every casework service shares: locking a file, who acts for which party, the
officer's checks, the file's history entry, its audit event and its parties' e-mails."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email, recipient_language
from nominee.accounts.models import Appointment, OutgoingEmail
from nominee.accounts.roles import Role, has_role, is_staff_reader
from nominee.accounts.services import can_act_for, refuse_staff
from nominee.audit.services import record
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from nominee.core.locale import in_language
from nominee.core.timeutil import end_of
from nominee.program.policy_source import policy_version_on
from nominee.program.streams import takes_job_offer

from ..models import Application, CaseEvent, PositionApproval
from ..tasks import send_casework_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Application.Status
Party = Application.Party


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
    """NotFound unless ``user`` acts for ``party``: a stranger may not learn the file exists.

    A staff account that does act for it is refused all the same (Decision 79).
    """
    if party not in acts_for(user, application):
        if is_staff_reader(user) or acts_for(user, application):
            raise PermissionDenied(f"only the {party} or their representative may do this")
        raise NotFound("no such application")
    refuse_staff(user)


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
    what: StrOrPromise,
    text: StrOrPromise = "",
    due_on: date | None = None,
    parties: tuple[str, ...] = (Party.CANDIDATE, Party.EMPLOYER),
) -> int:
    """E-mail the parties about a change of their file (recorded now, sent after commit)."""

    employer = _employer(application)
    count = 0
    for address, user in _recipients(application, parties):
        with in_language(recipient_language(user, address)):
            stage = stage_words(application)
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
                "stage": stage,
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
    """The file's stage in plain words, the same for its candidate, its employer and their
    representatives: each sentence names the party it concerns, never "you"."""
    awaited = (
        _("the employer")
        if application.awaiting == Application.Party.EMPLOYER
        else _("the candidate")
    )
    words = {
        S.DRAFT: _("Not submitted yet"),
        S.SUBMITTED: _("Submitted: waiting for an officer")
        if application.ready
        else _("Submitted: waiting for the other party's part"),
        S.IN_REVIEW: _("An officer is assessing the file"),
        S.INFO_REQUESTED: _("The program needs more information from %(party)s")
        % {"party": awaited},
        S.INTENT_TO_REFUSE: _("The program intends to refuse: %(party)s may respond")
        % {"party": awaited},
        S.HELD: _("Approvable, held until the next year's nominations"),
        S.APPROVED: _("Approved: the candidate is nominated"),
        S.REFUSED: _("Refused"),
        S.RETURNED: _("Returned unprocessed; the fee is refunded"),
        S.WITHDRAWN: _("Withdrawn"),
        S.DECLINED: _("Invitation declined"),
    }
    return str(words[S(application.status)])


def _in_window(deadline: date | None, now: datetime, who: str) -> None:
    """Refuse, naming the deadline, once its day has ended in Toronto (DOMAIN §7)."""
    if deadline is None or now >= end_of(deadline):
        named = deadline.isoformat() if deadline else "?"
        raise DomainError(
            f"the {who}'s window closed: the deadline was {named} (23:59 Toronto time)",
            code="application.window_closed",
            fields={"deadline": [deadline.isoformat() if deadline else "none"]},
        )


def has_employer(application: Application) -> bool:
    """Whether the file has an employer's part: its stream, and its EOI's pathway, take a
    job offer (the registry's flag; a physician of ``workforce-priority`` has none)."""
    return takes_job_offer(application.stream, application.eoi.pathway)


def _update_ready(application: Application, now: datetime) -> None:
    employer = has_employer(application)
    approval = getattr(application, "position_approval", None) if employer else None
    candidate_done = application.submitted_at is not None
    employer_done = not employer or (
        approval is not None and approval.status == PositionApproval.Status.SUBMITTED
    )
    if candidate_done and employer_done and not application.ready:
        application.ready = True
        application.ready_at = now


def _require_ready(application: Application) -> None:
    if not application.ready:
        raise Conflict(
            "the file is not complete: the employer's position approval is missing",
            code="application.not_ready",
        )


def _decide(locked: Application, *, status: str, reasons: str, now: datetime) -> dict[str, Any]:
    before = _state(locked)
    locked.status = status
    locked.decided_at = now
    locked.decision_policy_version = policy_version_on(now)
    locked.decision_reason = reasons
    locked.awaiting = ""
    locked.updated_at = now
    return before
