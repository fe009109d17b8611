"""Reads of the accounts app shared by pages, API and commands."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import OutgoingEmail, User


def mailbox(user: User) -> QuerySet[OutgoingEmail]:
    """The e-mails sent to the account at its current address since it confirmed it, newest first.

    Empty for an unconfirmed account. Matched on the recipient account *and* the address,
    so neither mail that reached the address before the account existed nor mail to an
    address it no longer has is shown.
    """
    if user.email_confirmed_at is None:
        return OutgoingEmail.objects.none()
    return OutgoingEmail.objects.filter(
        recipient=user,
        to_email__iexact=user.email,
        created_at__gte=user.email_confirmed_at,
    )
