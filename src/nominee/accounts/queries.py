"""Reads of the accounts app shared by pages, API and commands."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken, Appointment, OutgoingEmail, User


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


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The account's API tokens, newest first (pages, API and ``nominee token list``)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_of(user: User, *, pk: int | None = None, prefix: str | None = None) -> ApiToken | None:
    """One of the account's tokens by id or by prefix; None when it is not theirs."""
    rows = ApiToken.objects.filter(user=user)
    if pk is not None:
        rows = rows.filter(pk=pk)
    if prefix is not None:
        rows = rows.filter(prefix=prefix)
    return rows.first()


def appointments_of(representative: User) -> QuerySet[Appointment]:
    """A representative's appointments, live first then newest (dashboard and API)."""
    return (
        Appointment.objects.filter(representative__user=representative)
        .select_related(
            "representative__user", "employer", "candidate", "appointed_by", "revoked_by"
        )
        .order_by("revoked_at", "-appointed_at")
    )


def appointment_of(representative: User, pk: int) -> Appointment | None:
    """One of a representative's appointments; None when it is not theirs."""
    return Appointment.objects.filter(pk=pk, representative__user=representative).first()
