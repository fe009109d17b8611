"""Staff roles (officer, manager, auditor): granted and revoked by program managers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import Conflict, PermissionDenied, ValidationFailed

from ..models import User
from ..roles import STAFF_ROLES, Role, has_role


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
    account that has not confirmed its address, Conflict when held already.
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
