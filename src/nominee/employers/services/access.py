"""Who may act for an employer: the locks and checks every employer service starts with."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from nominee.accounts.services import can_act_for, refuse_staff
from nominee.core.errors import NotFound, PermissionDenied

from ..models import Employer, EmployerContact


def lock_employer(employer: Employer | int) -> Employer:
    pk = employer.pk if isinstance(employer, Employer) else employer
    locked = Employer.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(_("no such employer"))
    return locked


def require_access(actor: Any, employer: Employer) -> None:
    """NotFound for anyone who may not act for the employer (its existence is private);
    StaffCannotTakePart for a staff account that could (Decision 79: staff take no part)."""
    if not can_act_for(actor, employer=employer):
        raise NotFound(_("no such employer"))
    refuse_staff(actor)


def require_confirmed(actor: Any) -> None:
    if getattr(actor, "email_confirmed_at", None) is None:
        raise PermissionDenied(
            _("confirm your e-mail address first: follow the link in the e-mail we sent you"),
            code="email.unconfirmed",
        )


def require_signing_officer(actor: Any, employer: Employer) -> None:
    require_access(actor, employer)
    if not EmployerContact.objects.filter(
        employer=employer, user=actor, active=True, is_signing_officer=True
    ).exists():
        raise PermissionDenied(_("only the employer's signing officer may do this"))
