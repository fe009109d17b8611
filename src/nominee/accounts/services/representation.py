"""Representation: who may act for an employer or a candidate, and appointing representatives."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from ..mail import queue_email, site_url
from ..models import Appointment, OutgoingEmail, RepresentativeProfile, User
from ..tasks import send_account_email
from .signup import _normal_email
from .staff_roles import refuse_staff


def _one_party(employer: Any, candidate: Any) -> None:
    if (employer is None) == (candidate is None):
        raise ValueError("give exactly one of employer and candidate")


def can_act_for(user: Any, *, employer: Any = None, candidate: Any = None) -> bool:
    """Whether ``user`` may act for the party: its own file, or a live appointment.

    For an employer: an active contact of it, or a representative it appointed (not
    revoked). For a candidate: the candidate's own account, or a representative the
    candidate appointed. Staff roles do not count here (they read through their own pages).
    """
    _one_party(employer, candidate)
    if not getattr(user, "is_authenticated", False):
        return False
    live = Appointment.objects.filter(representative__user=user, revoked_at__isnull=True)
    if employer is not None:
        if user.employer_contacts.filter(employer=employer, active=True).exists():
            return True
        return live.filter(employer=employer).exists()
    if getattr(candidate, "user_id", None) == user.pk:
        return True
    return live.filter(candidate=candidate).exists()


def _may_appoint(actor: Any, employer: Any, candidate: Any) -> None:
    """The signing officer appoints for an employer; the candidate for themself."""
    if employer is not None:
        contact = actor.employer_contacts.filter(employer=employer, active=True).first()
        if contact is None:
            if can_act_for(actor, employer=employer):
                raise PermissionDenied(_("only the employer's signing officer may do this"))
            raise NotFound(_("no such employer"))
        if not contact.is_signing_officer:
            raise PermissionDenied(_("only the employer's signing officer may do this"))
    elif getattr(candidate, "user_id", None) != getattr(actor, "pk", None):
        if can_act_for(actor, candidate=candidate):
            raise PermissionDenied(_("only the candidate may do this"))
        raise NotFound(_("no such candidate"))


def _party_model(field: str) -> Any:
    """The model an Appointment's ``employer`` or ``candidate`` foreign key points to."""
    return Appointment._meta.get_field(field).related_model


def _representative_profile(representative: Any) -> RepresentativeProfile:
    if isinstance(representative, RepresentativeProfile):
        return representative
    if isinstance(representative, str):
        user = User.objects.filter(email__iexact=_normal_email(representative)).first()
    else:
        user = representative
    profile = RepresentativeProfile.objects.filter(user=user).first() if user else None
    # An unconfirmed account may have been opened with a real representative's address by
    # someone else: appointing it would open the party's files to them.
    if profile is None or profile.user.email_confirmed_at is None:
        raise ValidationFailed(
            _("no representative with this account"),
            fields={
                "representative": [
                    _(
                        "No representative with a confirmed account uses this e-mail "
                        "address: they sign up as a representative and confirm it first."
                    )
                ]
            },
        )
    return profile


@transaction.atomic(durable=True)
def appoint_representative(
    *, actor: Any, representative: Any, employer: Any = None, candidate: Any = None
) -> Appointment:
    """Appoint a representative to act for an employer or a candidate (exactly one).

    ``representative`` is a RepresentativeProfile, the representative's User, or their
    e-mail address. For an employer the actor must be its active signing officer; for a
    candidate, the candidate themself (NotFound when the actor cannot see the party,
    PermissionDenied when they can but may not appoint). Raises Conflict when the
    representative is appointed already, ValidationFailed when they are not a registered
    representative or are the actor, StaffCannotTakePart when the actor or the
    representative is a staff account (Decision 79). The representative is told by e-mail.
    """
    return _appoint_representative(
        actor=actor, representative=representative, employer=employer, candidate=candidate
    )


def _appoint_representative(
    *, actor: Any, representative: Any, employer: Any = None, candidate: Any = None
) -> Appointment:
    """The body of ``appoint_representative``, in the caller's transaction."""
    _one_party(employer, candidate)
    # The parties' models are reached through Appointment's own foreign keys: their apps
    # sit above accounts, which does not import them (docs/architecture.md, "Layers").
    if employer is not None:
        employer = (
            _party_model("employer").objects.select_for_update().filter(pk=employer.pk).first()
        )
        if employer is None:
            raise NotFound(_("no such employer"))
    else:
        candidate = (
            _party_model("candidate").objects.select_for_update().filter(pk=candidate.pk).first()
        )
        if candidate is None:
            raise NotFound(_("no such candidate"))
    _may_appoint(actor, employer, candidate)
    refuse_staff(actor)
    profile = _representative_profile(representative)
    refuse_staff(profile.user, field="representative")
    if profile.user_id == actor.pk:
        raise ValidationFailed(
            _("you cannot appoint yourself"),
            fields={"representative": [_("Appoint someone other than yourself.")]},
        )
    live = Appointment.objects.filter(representative=profile, revoked_at__isnull=True)
    if live.filter(employer=employer, candidate=candidate).exists():
        raise Conflict(_("this representative is appointed already"))
    appointment = Appointment.objects.create(
        representative=profile,
        employer=employer,
        candidate=candidate,
        appointed_by=actor,
        appointed_at=timezone.now(),
    )
    record(
        actor=actor,
        action="accounts.representative_appointed",
        subject=appointment,
        after={
            "representative": profile.user.email,
            "employer": getattr(employer, "pk", None),
            "candidate": getattr(candidate, "pk", None),
        },
    )

    queue_email(
        kind=OutgoingEmail.Kind.APPOINTMENT,
        to=profile.user.email,
        recipient=profile.user,
        template="accounts/email/appointment.txt",
        context={
            "representative": profile.user,
            "party": employer or candidate,
            "actor": actor,
            "link": site_url(reverse("accounts:representative_dashboard")),
        },
        task=send_account_email,
        employer=employer,
    )
    return appointment


@transaction.atomic(durable=True)
def revoke_appointment(*, actor: Any, appointment: Appointment) -> Appointment:
    """End an appointment; the row stays as history with who revoked it and when.

    The party that appointed (the employer's signing officer, the candidate) or the
    representative themself may revoke. Raises NotFound for anyone else who cannot see
    it, PermissionDenied for a contact who is not the signing officer, Conflict when it
    is revoked already.
    """
    locked = (
        Appointment.objects.select_for_update()
        .select_related("representative")
        .filter(pk=appointment.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("no such appointment"))
    if locked.representative.user_id != getattr(actor, "pk", None):
        _may_appoint(actor, locked.employer, locked.candidate)
    if locked.revoked_at is not None:
        raise Conflict(_("this appointment is revoked already"))
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor=actor,
        action="accounts.appointment_revoked",
        subject=locked,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at, "revoked_by": actor.pk},
    )
    return locked
