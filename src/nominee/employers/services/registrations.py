"""A business's registration with the program (DOMAIN §9): a contact asks, an officer decides.

From the policy version that requires it, an employer's job offers can be submitted, and
can support an EOI, only once its registration is approved (``queries.registration_failure``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email, site_url
from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.roles import Role, has_role
from nominee.audit.services import record
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from ..models import Employer, EmployerContact, EmployerRegistration
from ..tasks import send_employer_email
from .access import lock_employer, require_access, require_confirmed

# The roles that decide a registration: the program's officers and its managers.
DECIDERS = (Role.OFFICER, Role.MANAGER)

# A refusal's reasons are read by the employer: words, not a code or a mark.
_WORDS = re.compile(r"[^\W\d_]{2,}")
MIN_REASON_WORDS = 2


def _require_contact(actor: User, employer: Employer) -> None:
    """The business's own people ask: an active contact (the signing officer or another)."""
    require_access(actor, employer)
    if not EmployerContact.objects.filter(employer=employer, user=actor, active=True).exists():
        raise PermissionDenied(
            _("only the business's contacts may ask for its registration with the program"),
            code="registration.contacts_only",
        )


def _notify_contacts(employer: Employer, template: str, **context: Any) -> int:
    """E-mail every active contact of the business (recorded now, sent after commit)."""
    contacts = (
        EmployerContact.objects.filter(employer=employer, active=True)
        .select_related("user")
        .order_by("-is_signing_officer", "id")
    )
    count = 0
    for contact in contacts:
        queue_email(
            kind=OutgoingEmail.Kind.OTHER,
            to=contact.user.email,
            recipient=contact.user,
            template=template,
            context={
                "employer": employer,
                "user": contact.user,
                "link": site_url(reverse("employers:detail", args=[employer.pk])),
                **context,
            },
            task=send_employer_email,
            employer=employer,
        )
        count += 1
    return count


def _record(action: str, actor: User, registration: EmployerRegistration, **extra: Any) -> None:
    record(
        actor=actor,
        action=action,
        subject=registration,
        data={"employer": registration.employer_id},
        **extra,
    )


@transaction.atomic(durable=True)
def request_registration(*, actor: User, employer: Employer) -> EmployerRegistration:
    """A contact of the business asks the program to register it; its contacts are told.

    Any active contact may ask (the signing officer or a contact they invited; not an
    appointed representative: docs/decisions.md). A business refused before may ask again
    (a new request, the refusal kept as history). Raises NotFound for anyone who may not
    see the business, PermissionDenied for a representative or an unconfirmed e-mail
    address, Conflict when a request is pending or the registration is approved already.
    """
    return _request_registration(actor=actor, employer=employer)


def _request_registration(*, actor: User, employer: Employer) -> EmployerRegistration:
    """The body of ``request_registration``, in the caller's transaction."""
    locked = lock_employer(employer)
    _require_contact(actor, locked)
    require_confirmed(actor)
    open_request = (
        EmployerRegistration.objects.filter(
            employer=locked,
            status__in=[EmployerRegistration.Status.PENDING, EmployerRegistration.Status.APPROVED],
        )
        .values_list("status", flat=True)
        .first()
    )
    if open_request == EmployerRegistration.Status.APPROVED:
        raise Conflict(
            _("the business is registered with the program already"),
            code="registration.approved",
        )
    if open_request == EmployerRegistration.Status.PENDING:
        raise Conflict(
            _("the business's request is awaiting an officer's decision already"),
            code="registration.pending",
        )
    registration = EmployerRegistration.objects.create(
        employer=locked, requested_by=actor, requested_at=timezone.now()
    )
    _record(
        "employers.registration_requested",
        actor,
        registration,
        after={"status": registration.status, "requested_by": actor.email},
    )
    _notify_contacts(
        locked,
        "employers/email/registration_requested.txt",
        registration=registration,
        actor=actor,
    )
    return registration


def _lock_registration(registration: EmployerRegistration | int) -> EmployerRegistration:
    pk = registration.pk if isinstance(registration, EmployerRegistration) else registration
    # The business first, as every change of it does, then its request.
    employer_id = (
        EmployerRegistration.objects.filter(pk=pk).values_list("employer_id", flat=True).first()
    )
    if employer_id is None:
        raise NotFound(_("no such registration request"))
    lock_employer(employer_id)
    return EmployerRegistration.objects.select_for_update().select_related("employer").get(pk=pk)


def _require_decider(actor: Any) -> None:
    if not has_role(actor, *DECIDERS):
        raise PermissionDenied(
            _("only a program officer or manager may decide an employer's registration")
        )


def _clean_reasons(reasons: str, *, required: bool) -> str:
    text = (reasons or "").strip()
    if required and len(_WORDS.findall(text)) < MIN_REASON_WORDS:
        raise ValidationFailed(
            _("a refusal needs its reasons, in words"),
            fields={
                "reasons": [
                    _(
                        "Say in words why the registration is refused: the employer reads "
                        "this and may ask again once it is resolved."
                    )
                ]
            },
        )
    if len(text) > 4000:
        raise ValidationFailed(
            _("the reasons are too long"),
            fields={"reasons": [_("Use at most %(n)d characters.") % {"n": 4000}]},
        )
    return text


def _decide(
    *,
    actor: User,
    registration: EmployerRegistration | int,
    status: str,
    reasons: str,
) -> EmployerRegistration:
    _require_decider(actor)
    refusing = status == EmployerRegistration.Status.REFUSED
    text = _clean_reasons(reasons, required=refusing)
    locked = _lock_registration(registration)
    if locked.status != EmployerRegistration.Status.PENDING:
        raise Conflict(
            _("this registration request was decided already (%(status)s)")
            % {"status": locked.get_status_display().lower()},
            code="registration.decided",
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reasons = text
    locked.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
    _record(
        "employers.registration_approved" if not refusing else "employers.registration_refused",
        actor,
        locked,
        before={"status": EmployerRegistration.Status.PENDING},
        after={"status": status, "reasons": text},
    )
    _notify_contacts(
        locked.employer,
        "employers/email/registration_decided.txt",
        registration=locked,
        approved=not refusing,
    )
    return locked


@transaction.atomic(durable=True)
def approve_registration(
    *, actor: User, registration: EmployerRegistration | int, reasons: str = ""
) -> EmployerRegistration:
    """An officer or manager approves a pending request (with an optional note); from then
    the business's job offers meet ``employer.not_registered``. Its contacts are e-mailed.

    Raises PermissionDenied for anyone else, NotFound for an unknown request, Conflict
    when the request was decided already.
    """
    return _approve_registration(actor=actor, registration=registration, reasons=reasons)


def _approve_registration(
    *, actor: User, registration: EmployerRegistration | int, reasons: str = ""
) -> EmployerRegistration:
    """The body of ``approve_registration``, in the caller's transaction."""
    return _decide(
        actor=actor,
        registration=registration,
        status=EmployerRegistration.Status.APPROVED,
        reasons=reasons,
    )


@transaction.atomic(durable=True)
def refuse_registration(
    *, actor: User, registration: EmployerRegistration | int, reasons: str
) -> EmployerRegistration:
    """An officer or manager refuses a pending request, saying why in words; the business's
    contacts are e-mailed the reasons, and it may ask again.

    Raises PermissionDenied for anyone else, ValidationFailed without reasons in words
    (at least two words), NotFound for an unknown request, Conflict when the request was
    decided already.
    """
    return _decide(
        actor=actor,
        registration=registration,
        status=EmployerRegistration.Status.REFUSED,
        reasons=reasons,
    )
