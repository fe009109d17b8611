"""What the Django admin changes about people: users (their flags and groups), groups (their
permissions), a password an administrator sets, a representative's licence (Decision 79).

The admin runs its change and delete views in one transaction, so it calls the private
bodies here (``_save_user_by_admin``...), which hold the checks and the audit event, and
write nothing before they refuse. Only the password page runs outside a transaction: it
calls the durable ``set_password_by_admin``. ``check_user_change`` and
``check_group_change`` are the same checks for the admin's forms, so that a refusal
shows next to its field rather than failing the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from nominee.audit.services import record, snapshot
from nominee.core.errors import PermissionDenied, ValidationFailed

from ..models import RepresentativeProfile, User
from ..roles import STAFF_ROLES
from .api_tokens import _revoke_all_api_tokens
from .passwords import _require_usable, _tell_password_changed
from .staff_roles import _forget_roles, refuse_participant

# The user fields the admin edits, recorded before and after (never the password hash).
USER_FIELDS = (
    "email",
    "username",
    "full_name",
    "is_active",
    "is_staff",
    "is_superuser",
    "email_confirmed_at",
)
# Fields that say what someone may do: nobody changes their own.
_POWERS = ("is_staff", "is_superuser", "groups")
STAFF_GROUPS = frozenset(role.value for role in STAFF_ROLES)
REPRESENTATIVE_FIELDS = ["kind", "licence_number", "organisation"]


def _require_perm(actor: Any, perm: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm):
        raise PermissionDenied(_("you may not change this in the admin"))


def _group_names(groups: Iterable[Group]) -> list[str]:
    return sorted(group.name for group in groups)


def _user_state(user: User) -> dict[str, Any]:
    state = snapshot(user, list(USER_FIELDS))
    state["groups"] = _group_names(user.groups.all()) if user.pk is not None else []
    return state


def check_user_change(
    *, actor: Any, user: User, values: dict[str, Any], groups: list[str] | None
) -> None:
    """Refuse an admin edit of a user before anything is written.

    ``values`` are the user fields as the form would save them, ``groups`` the names of
    the groups (None: not edited). Raises PermissionDenied when the actor edits their own
    flags or groups; ValidationFailed when a staff role or superuser status would go to an
    account that has not confirmed its address; StaffCannotTakePart (409) when it would go
    to an account that takes part in the program (the two-person rule).
    """
    old = User.objects.filter(pk=user.pk).first() if user.pk is not None else None
    before = _user_state(old) if old is not None else {"is_staff": False, "is_superuser": False}
    before.setdefault("groups", [])
    after = {**before, **values}
    if groups is not None:
        after["groups"] = sorted(groups)
    changed = [name for name in _POWERS if after.get(name) != before.get(name)]
    if changed and old is not None and old.pk == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("nobody may change their own staff roles"),
            fields={name: [_("Ask another administrator.")] for name in changed},
        )
    new_roles = set(after["groups"]) & STAFF_GROUPS - set(before["groups"])
    made_superuser = bool(after.get("is_superuser")) and not before.get("is_superuser")
    if not (new_roles or made_superuser):
        return
    field = "groups" if new_roles else "is_superuser"
    if after.get("email_confirmed_at") is None:
        raise ValidationFailed(
            _("this account has not confirmed its e-mail address"),
            code="email.unconfirmed",
            fields={field: [_("Roles go only to accounts that have confirmed their address.")]},
        )
    if old is not None:
        refuse_participant(old, field=field)


def _save_user_by_admin(
    *, actor: Any, user: User, groups: Iterable[Group] | None, adding: bool
) -> User:
    """Save an admin's add or change of a user, its groups with it, audited.

    ``user`` carries the form's values; ``groups`` the groups chosen (None: not on the
    form). Runs in the admin's transaction; the checks of ``check_user_change`` first.
    Audited as ``accounts.user_added_by_admin`` or ``accounts.user_changed_by_admin``
    with the fields that changed, before and after (flags and groups included).
    """
    _require_perm(actor, "accounts.add_user" if adding else "accounts.change_user")
    chosen = list(groups) if groups is not None else None
    before: dict[str, Any] = {}
    if not adding:
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _user_state(locked)
        # The admin's form shows an instant to the second: the same second is no change.
        kept, given = locked.email_confirmed_at, user.email_confirmed_at
        if kept and given and kept.replace(microsecond=0) == given.replace(microsecond=0):
            user.email_confirmed_at = kept
    check_user_change(
        actor=actor,
        user=user if not adding else User(),
        values=snapshot(user, list(USER_FIELDS)),
        groups=_group_names(chosen) if chosen is not None else None,
    )
    user.save()
    if chosen is not None:
        user.groups.set(chosen)
    _forget_roles(user)
    after = _user_state(user)
    if adding:
        record(actor=actor, action="accounts.user_added_by_admin", subject=user, after=after)
        return user
    changed = [name for name in after if after[name] != before.get(name)]
    if changed:
        record(
            actor=actor,
            action="accounts.user_changed_by_admin",
            subject=user,
            before={name: before.get(name) for name in changed},
            after={name: after[name] for name in changed},
        )
    return user


@transaction.atomic(durable=True)
def set_password_by_admin(*, actor: Any, user: User, password: str | None) -> User:
    """An administrator sets someone's password (or, with ``password`` None, turns
    password sign-in off for the account).

    As after a reset, every API token of the account is revoked (whoever made them may
    not be who holds the account now), and the address is told, so that the person
    notices. Raises PermissionDenied for an actor who may not change users,
    ValidationFailed when the password fails the validators. Audited as
    ``accounts.password_set_by_admin``.
    """
    _require_perm(actor, "accounts.change_user")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if password is not None:
        _require_usable(password, locked, field="password1")
        locked.set_password(password)
    else:
        locked.set_unusable_password()
    locked.save(update_fields=["password"])
    revoked = _revoke_all_api_tokens(user=locked, actor=actor, reason="password_set_by_admin")
    _tell_password_changed(locked)
    record(
        actor=actor,
        action="accounts.password_set_by_admin",
        subject=locked,
        after={"usable_password": password is not None, "tokens_revoked": revoked},
    )
    user.password = locked.password
    return locked


def _permission_names(permissions: Iterable[Permission]) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def check_group_change(*, group: Group, name: str) -> None:
    """Refuse renaming a staff role's group (officer, manager, auditor): the roles are
    read by the group's name, so a rename would take the role from everyone at once."""
    if group.pk is None:
        return
    old = Group.objects.filter(pk=group.pk).values_list("name", flat=True).first()
    if old in STAFF_GROUPS and name != old:
        raise ValidationFailed(
            _("a staff role's group keeps its name"),
            fields={"name": [_("The officer, manager and auditor groups cannot be renamed.")]},
        )


def _save_group_by_admin(
    *, actor: Any, group: Group, permissions: Iterable[Permission] | None, adding: bool
) -> Group:
    """Save an admin's add or change of a group and its permissions, audited as
    ``accounts.group_added_by_admin`` or ``accounts.group_changed_by_admin`` (name and
    permissions before and after, permissions as ``app_label.codename``). Runs in the
    admin's transaction."""
    _require_perm(actor, "auth.add_group" if adding else "auth.change_group")
    chosen = list(permissions) if permissions is not None else None
    before: dict[str, Any] = {}
    if not adding:
        locked = Group.objects.select_for_update().get(pk=group.pk)
        before = {"name": locked.name, "permissions": _permission_names(locked.permissions.all())}
    check_group_change(group=group, name=group.name)
    group.save()
    if chosen is not None:
        group.permissions.set(chosen)
    after = {"name": group.name, "permissions": _permission_names(group.permissions.all())}
    if adding:
        record(actor=actor, action="accounts.group_added_by_admin", subject=group, after=after)
        return group
    changed = [key for key in after if after[key] != before.get(key)]
    if changed:
        record(
            actor=actor,
            action="accounts.group_changed_by_admin",
            subject=group,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return group


def _delete_group_by_admin(*, actor: Any, group: Group) -> None:
    """Delete a group from the admin, audited as ``accounts.group_deleted_by_admin`` with
    its name, permissions and members. A staff role's group is not deleted (PermissionDenied).
    Runs in the admin's transaction."""
    _require_perm(actor, "auth.delete_group")
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if locked.name in STAFF_GROUPS:
        raise PermissionDenied(_("a staff role's group is not deleted"))
    before = {
        "name": locked.name,
        "permissions": _permission_names(locked.permissions.all()),
        "members": sorted(locked.user_set.values_list("email", flat=True)),
    }
    record(actor=actor, action="accounts.group_deleted_by_admin", subject=locked, before=before)
    locked.delete()


def _save_representative_profile_by_admin(
    *, actor: Any, profile: RepresentativeProfile
) -> RepresentativeProfile:
    """Correct a representative's kind, licence or organisation from the admin, audited as
    ``accounts.representative_changed_by_admin`` (the fields before and after). Runs in
    the admin's transaction; the profile's account never changes here."""
    _require_perm(actor, "accounts.change_representativeprofile")
    locked = RepresentativeProfile.objects.select_for_update().get(pk=profile.pk)
    before = snapshot(locked, REPRESENTATIVE_FIELDS)
    profile.user_id = locked.user_id
    profile.save(update_fields=REPRESENTATIVE_FIELDS)
    after = snapshot(profile, REPRESENTATIVE_FIELDS)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        record(
            actor=actor,
            action="accounts.representative_changed_by_admin",
            subject=profile,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return profile
