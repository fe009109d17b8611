"""What the casework pages share: the wizard's steps, a refusal shown on its form, a
party's file and dashboard card."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from nominee.accounts.models import Appointment
from nominee.core.errors import DomainError, NotFound
from nominee.core.timeutil import today
from nominee.core.views import page_not_found
from nominee.draws.models import Invitation
from nominee.program import streams

from .. import details, queries, services
from ..models import Application

STEPS = ("confirm", "identity", "status", "history", "family", "documents", "declaration")
STEP_TITLES = {
    "confirm": gettext_lazy("Your EOI, as invited"),
    "documents": gettext_lazy("Supporting documents"),
    "declaration": gettext_lazy("Declaration and submission"),
    **{s.key: gettext_lazy(s.title) for s in details.SECTIONS},
}


def _not_found(request: HttpRequest) -> HttpResponse:
    return page_not_found(request, None)


def _form_errors(form: Any, error: DomainError) -> None:
    """A service's refusal shown on the form: per field where it names one."""
    placed = False
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _party_file(request: HttpRequest, pk: int) -> Application:
    found = queries.applications_for(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound("no such application")
    return found


def _open_invitations(user: Any) -> list[Any]:
    """Open invitations of the user's parties that have no file yet."""

    live = Appointment.objects.filter(representative__user=user, revoked_at__isnull=True)
    return list(
        Invitation.objects.filter(
            Q(eoi__candidate__user=user)
            | Q(eoi__candidate__in=live.values("candidate"))
            | Q(
                eoi__job_offer__employer__contacts__user=user,
                eoi__job_offer__employer__contacts__active=True,
            )
            | Q(eoi__job_offer__employer__in=live.values("employer")),
            status=Invitation.Status.OPEN,
            candidate_deadline__gte=today(),
            application__isnull=True,
        )
        .distinct()
        .select_related("eoi", "draw", "eoi__job_offer")
    )


def _card(
    application: Application, user: Any, times: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What a party's dashboard says about one file: both parties' progress and deadlines
    (``times``: ``queries.processing_times()``, read once for a list of cards)."""
    invitation = application.invitation
    approval = getattr(application, "position_approval", None)
    parties = services.acts_for(user, application)
    employer_done = approval is not None and approval.status == "submitted"
    candidate_done = application.submitted_at is not None
    return {
        "application": application,
        "stage": services.stage_words(application),
        "stream_name": streams.name(application.stream),
        "is_candidate": "candidate" in parties,
        "is_employer": "employer" in parties,
        "candidate_done": candidate_done,
        "employer_done": employer_done,
        "needs_employer": approval is not None,
        "candidate_deadline": invitation.candidate_deadline,
        "employer_deadline": invitation.employer_deadline,
        "expected": queries.expected_decision(application, times),
        "nomination": getattr(application, "nomination", None),
    }
