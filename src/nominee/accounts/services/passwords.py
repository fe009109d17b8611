"""Passwords: asking for a reset link, setting a password through a link e-mailed to the
account's address (reset, invitation), and changing it while signed in."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed

from ..mail import queue_email, site_url
from ..models import OutgoingEmail, User
from ..tasks import send_account_email
from .api_tokens import _revoke_all_api_tokens


def _require_usable(password: str, user: User, *, field: str) -> None:
    """Raise ValidationFailed, under ``field``, when the password fails the validators."""
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(
            _("the password cannot be used"), fields={field: list(error.messages)}
        ) from None


def _tell_password_changed(user: User) -> None:
    """E-mail the account's address that its password changed, with the way to reset it."""
    queue_email(
        kind=OutgoingEmail.Kind.PASSWORD_CHANGED,
        to=user.email,
        recipient=user,
        template="accounts/email/password_changed.txt",
        context={"user": user, "link": site_url(reverse("password_reset"))},
        task=send_account_email,
    )


def password_reset_link(user: User) -> str:
    """The absolute link that lets the holder of the account's address choose a password.

    Django's token generator: it works once (it hashes the password, the last login and
    the address, so setting a password or changing the address voids it) and expires
    after ``PASSWORD_RESET_TIMEOUT``.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse("password_reset_confirm", args=[uid, token]))


@transaction.atomic(durable=True)
def request_password_reset(*, email: str) -> OutgoingEmail | None:
    """E-mail a link to choose a new password to the active account using ``email``.

    Returns the recorded e-mail, or None when no active account uses the address (the
    page says the same either way, so that it does not tell who has an account). An
    account without a password (an invited contact who lost the invitation) gets one
    too. Audited as ``accounts.password_reset_requested``.
    """
    address = (email or "").strip()
    user = User.objects.filter(email__iexact=address, is_active=True).first() if address else None
    if user is None:
        return None
    sent = queue_email(
        kind=OutgoingEmail.Kind.PASSWORD_RESET,
        to=user.email,
        recipient=user,
        template="accounts/email/password_reset.txt",
        context={"user": user, "link": password_reset_link(user)},
        task=send_account_email,
        private_link=True,
    )
    record(actor=None, action="accounts.password_reset_requested", subject=user)
    return sent


@transaction.atomic(durable=True)
def change_password(*, user: User, old_password: str, new_password: str) -> User:
    """The signed-in person changes their password, giving the current one.

    Raises ValidationFailed when the current password is wrong or the new one fails the
    validators. Links e-mailed earlier to choose a password stop working (the token
    hashes the password); API tokens are kept (the person proved they know the
    password). The address is told, so that a change made by someone else is noticed.
    Audited as ``accounts.password_changed``.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.check_password(old_password):
        raise ValidationFailed(
            _("the current password is not right"),
            fields={"old_password": [_("Your current password is not right.")]},
        )
    _require_usable(new_password, locked, field="new_password1")
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    _tell_password_changed(locked)
    record(actor=locked, action="accounts.password_changed", subject=locked)
    return locked


@transaction.atomic(durable=True)
def set_password_by_link(*, user: User, password: str, kind: str) -> User:
    """Set the password chosen through a link e-mailed to the account's address.

    ``kind`` is ``reset`` (a password reset) or ``invitation`` (an invited contact choosing
    a first password, as ``accept_invitation``). The link reached the address, so
    following it proves control of the address: an unconfirmed account is confirmed by
    it, which is also how the owner of an address takes back an account someone else
    opened with it. Every API token of the account is revoked, since whoever made them
    may not be whoever holds the address. Raises ValidationFailed when the password fails
    the validators.
    """
    if kind not in ("reset", "invitation"):
        raise ValueError(f"unknown kind of link: {kind}")
    return _set_password(user=user, password=password, kind=kind)


@transaction.atomic(durable=True)
def accept_invitation(*, user: User, password: str) -> User:
    """An invited employer contact chooses their first password through the e-mailed link.

    Following the link proves control of the address, so the account is confirmed by it
    (``set_password_by_link``'s rules; audited as ``accounts.invitation_accepted``).
    Raises ValidationFailed when the password fails the validators.
    """
    return _set_password(user=user, password=password, kind="invitation")


def _set_password(*, user: User, password: str, kind: str) -> User:
    """The body of the two link services, in the caller's transaction."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _require_usable(password, locked, field="new_password1")
    now = timezone.now()
    locked.set_password(password)
    fields = ["password"]
    confirmed_before = locked.email_confirmed_at
    if confirmed_before is None:
        locked.email_confirmed_at = now
        fields.append("email_confirmed_at")
    locked.save(update_fields=fields)
    action = "accounts.invitation_accepted" if kind == "invitation" else "accounts.password_reset"
    revoked = _revoke_all_api_tokens(
        user=locked, actor=locked, reason=action.removeprefix("accounts.")
    )
    record(
        actor=locked,
        action=action,
        subject=locked,
        before={"email_confirmed_at": confirmed_before},
        after={"email_confirmed_at": locked.email_confirmed_at, "tokens_revoked": revoked},
    )
    return locked
