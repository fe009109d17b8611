"""Helpers that build the personas' accounts and sign them in (the fixtures are in conftest).

Kept out of ``conftest.py``, which pytest loads itself and which tests should not import.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from nominee.accounts.models import User
from nominee.accounts.roles import Role

PASSWORD = "correct horse battery staple 42"


def make_user(email: str, *roles: Role, full_name: str = "", confirmed: bool = True) -> User:
    """A user with a confirmed e-mail and the given staff roles."""
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    if confirmed:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def client_for(user: User | None) -> Client:
    """A test client signed in as the user (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
