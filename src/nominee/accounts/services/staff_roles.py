"""Staff roles (officer, manager, auditor): granted and revoked by program managers.

The two-person rule (Decision 79): staff take no part in the program they run. A staff
account (a staff role, or a superuser) may not hold a candidate profile, register or change
an EOI, open or file an application, nor act for an employer or as a representative; and
a staff role is not granted to an account that takes part. ``refuse_staff`` and
``refuse_participant`` are the two checks; the services of eois, employers and casework
call the first, ``grant_role`` and the admin's user edits the second.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

from ..models import User
from ..roles import STAFF_ROLES, Role, has_role


class StaffCannotTakePart(DomainError):
    """The two-person rule: a staff account takes no part in the program (403), or a
    participant's account gets no staff role (409)."""

    status = 403
    code = "staff.cannot_take_part"


def is_program_staff(user: Any) -> bool:
    """Whether the account holds a staff role or is a superuser (read fresh, not cached)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return False
    if user.is_superuser:
        return True
    names = [role.value for role in STAFF_ROLES]
    return Group.objects.filter(user=user.pk, name__in=names).exists()


def program_parts(user: Any) -> list[str]:
    """How the account takes part in the program: ``candidate`` (a candidate profile, with
    its EOIs), ``employer_contact`` (an active contact of a business), ``representative``
    (a representative profile). Empty for an account that takes no part."""
    if getattr(user, "pk", None) is None:
        return []
    rows = User.objects.filter(pk=user.pk)
    parts = []
    if rows.filter(candidate__isnull=False).exists():
        parts.append("candidate")
    if rows.filter(employer_contacts__active=True).exists():
        parts.append("employer_contact")
    if rows.filter(representative_profile__isnull=False).exists():
        parts.append("representative")
    return parts


def refuse_staff(user: Any, *, field: str | None = None) -> None:
    """Raise StaffCannotTakePart (403) when ``user`` is a staff account.

    Called by every service through which someone takes part: a candidate profile, an EOI,
    an application, a business and its contacts, a representative profile or appointment.
    ``field`` names the form field the refusal is about (an invitee's e-mail address).
    """
    if is_program_staff(user):
        message = _(
            "staff accounts take no part in the program: officers, managers and auditors "
            "cannot be candidates, employer contacts or representatives"
        )
        raise StaffCannotTakePart(message, fields={field: [message]} if field else None)


def refuse_participant(user: Any, *, field: str = "role") -> None:
    """Raise StaffCannotTakePart (409) when ``user`` takes part in the program, so that no
    staff role (nor superuser status) goes to a candidate, an employer contact or a
    representative."""
    if parts := program_parts(user):
        message = _(
            "this account takes part in the program (%(parts)s): it cannot hold a staff role"
        ) % {"parts": ", ".join(_part_words(part) for part in parts)}
        raise StaffCannotTakePart(message, status=409, fields={field: [message]})


def _part_words(part: str) -> str:
    return {
        "candidate": _("a candidate profile"),
        "employer_contact": _("an employer contact"),
        "representative": _("a representative profile"),
    }[part]


def _staff_role(role: Any) -> Role:
    try:
        value = Role(role)
    except ValueError:
        value = None
    if value is None or value not in STAFF_ROLES:
        raise ValidationFailed(
            _("not a staff role"),
            fields={"role": [_("Choose officer, manager or auditor.")]},
        )
    return value


def _check_manager(manager: Any, user: Any) -> None:
    if not has_role(manager, Role.MANAGER):
        raise PermissionDenied(_("only a program manager may grant or revoke staff roles"))
    if getattr(user, "pk", None) == manager.pk:
        raise PermissionDenied(_("nobody may change their own staff roles"))


def _forget_roles(user: Any) -> None:
    if hasattr(user, "_nominee_staff_roles"):
        del user._nominee_staff_roles


@transaction.atomic(durable=True)
def grant_role(*, manager: Any, user: User, role: Any) -> User:
    """Grant a staff role (officer, manager, auditor) to someone else; managers only.

    The user also gets ``is_staff`` (read access to the admin by the role's permissions).
    Raises PermissionDenied for a non-manager or for oneself, ValidationFailed for an
    account that has not confirmed its address, Conflict when held already,
    StaffCannotTakePart (409) for an account that takes part in the program.
    """
    value = _staff_role(role)
    _check_manager(manager, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_confirmed_at is None:
        # Whoever opened the account may not be the person the address names.
        raise ValidationFailed(
            _("this account has not confirmed its e-mail address"),
            code="email.unconfirmed",
            fields={"email": [_("Roles go only to accounts that have confirmed their address.")]},
        )
    group = Group.objects.get(name=value.value)
    if locked.groups.filter(pk=group.pk).exists():
        raise Conflict(_("this person holds the role already"))
    refuse_participant(locked)
    locked.groups.add(group)
    if not locked.is_staff:
        locked.is_staff = True
        locked.save(update_fields=["is_staff"])
    _forget_roles(user)
    record(
        actor=manager,
        action="accounts.role_granted",
        subject=locked,
        after={"role": value.value},
    )
    return locked


@transaction.atomic(durable=True)
def revoke_role(*, manager: Any, user: User, role: Any) -> User:
    """Take a staff role away from someone else; managers only.

    ``is_staff`` is cleared when no staff role is left (superusers keep it). Raises
    PermissionDenied for a non-manager or for oneself, Conflict when not held.
    """
    value = _staff_role(role)
    _check_manager(manager, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    group = Group.objects.get(name=value.value)
    if not locked.groups.filter(pk=group.pk).exists():
        raise Conflict(_("this person does not hold the role"))
    locked.groups.remove(group)
    names = {r.value for r in STAFF_ROLES}
    if not locked.is_superuser and not locked.groups.filter(name__in=names).exists():
        locked.is_staff = False
        locked.save(update_fields=["is_staff"])
    _forget_roles(user)
    record(
        actor=manager,
        action="accounts.role_revoked",
        subject=locked,
        before={"role": value.value},
    )
    return locked
