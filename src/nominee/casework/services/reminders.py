"""The daily sweep of deadline reminders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from nominee.accounts.mail import queue_email
from nominee.accounts.models import OutgoingEmail
from nominee.audit.services import record
from nominee.core.timeutil import program_date
from nominee.draws.models import Invitation

from ..models import Application, DeadlineReminder, PositionApproval
from ..policy import casework_policy_at
from ..tasks import send_casework_email
from .common import Party, S, _recipients


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
            "candidate": gettext_lazy("Your application for nomination is due"),
            "employer": gettext_lazy("The position approval application is due"),
            "response": gettext_lazy("Your answer to the program is due"),
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
