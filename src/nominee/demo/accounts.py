"""Demo accounts: one per staff role, all with the password in DEMO_PASSWORD (README)."""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth.models import Group
from django.utils import timezone

from nominee.accounts.models import User
from nominee.accounts.roles import Role

DEMO_PASSWORD = "nominee-demo"  # noqa: S105 - a documented demo credential, never for production
DEMO_STAFF = [
    ("officer@demo.nominee.test", "Olivia Officer", Role.OFFICER),
    ("officer2@demo.nominee.test", "Omar Officer", Role.OFFICER),
    ("manager@demo.nominee.test", "Martin Manager", Role.MANAGER),
    ("auditor@demo.nominee.test", "Audrey Auditor", Role.AUDITOR),
]


def load(out: TextIO | Any) -> None:
    """Create the demo staff accounts."""
    for email, name, role in DEMO_STAFF:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, is_staff=True
        )
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        user.groups.add(Group.objects.get(name=role.value))
    admin = User.objects.create_superuser(
        email="admin@demo.nominee.test", password=DEMO_PASSWORD, full_name="Demo Administrator"
    )
    admin.email_confirmed_at = timezone.now()
    admin.save(update_fields=["email_confirmed_at"])
    out.write(f"  staff accounts: {len(DEMO_STAFF) + 1} (password {DEMO_PASSWORD!r})")
