"""Roles: staff roles are Django groups granted by a manager; the others follow from data.

A candidate is a user with a candidate profile, an employer contact a user listed as a
contact of a business, a representative a user with a representative profile. Officers,
managers and auditors are groups, so that a manager can grant them in the admin and
nobody can give them to themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """The personas of DOMAIN §1 that hold an account."""

    CANDIDATE = "candidate"
    EMPLOYER_CONTACT = "employer_contact"
    REPRESENTATIVE = "representative"
    OFFICER = "officer"
    MANAGER = "manager"
    AUDITOR = "auditor"


STAFF_ROLES = (Role.OFFICER, Role.MANAGER, Role.AUDITOR)


def staff_roles(user: Any) -> set[Role]:
    """The staff roles a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[Role] | None = getattr(user, "_nominee_staff_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in STAFF_ROLES if role.value in names}
        user._nominee_staff_roles = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    """Whether the user holds any of the given roles."""
    if not getattr(user, "is_authenticated", False):
        return False
    held = staff_roles(user)
    for role in roles:
        if role in held:
            return True
        if role is Role.CANDIDATE and hasattr(user, "candidate"):
            return True
        if role is Role.REPRESENTATIVE and hasattr(user, "representative_profile"):
            return True
        if role is Role.EMPLOYER_CONTACT and user.employer_contacts.filter(active=True).exists():
            return True
    return False


def is_staff_reader(user: Any) -> bool:
    """Officers, managers and auditors may read every file."""
    return has_role(user, *STAFF_ROLES)


# What each staff role may do in the admin (the portal pages check roles themselves).
# Auditors and officers read; managers also keep the policy tables (reference data,
# occupation lists, allocations). Nobody edits people's files through the admin.
_MANAGER_EDITS = {"reference", "program"}


def ensure_staff_groups(**kwargs: Any) -> None:
    """post_migrate receiver: the staff groups exist and carry their admin permissions.

    Runs after every app's migrate (permissions of later apps appear as they migrate);
    idempotent.
    """
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    perms = Permission.objects.using(using).select_related("content_type")
    view = [p for p in perms if p.codename.startswith("view_")]
    edit = [
        p
        for p in perms
        if p.content_type.app_label in _MANAGER_EDITS and not p.codename.startswith("view_")
    ]
    for role in STAFF_ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.set(view + edit if role is Role.MANAGER else view)
