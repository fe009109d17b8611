"""Setting a password through a link e-mailed to the account's address (reset, invitation)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed

from ..models import ApiToken, User


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
    try:
        validate_password(password, locked)
    except DjangoValidationError as error:
        raise ValidationFailed(
            _("the password cannot be used"), fields={"new_password1": list(error.messages)}
        ) from None
    now = timezone.now()
    locked.set_password(password)
    fields = ["password"]
    confirmed_before = locked.email_confirmed_at
    if confirmed_before is None:
        locked.email_confirmed_at = now
        fields.append("email_confirmed_at")
    locked.save(update_fields=fields)
    revoked = list(
        ApiToken.objects.filter(user=locked, revoked_at__isnull=True).values_list("pk", flat=True)
    )
    ApiToken.objects.filter(pk__in=revoked).update(revoked_at=now)
    action = "accounts.invitation_accepted" if kind == "invitation" else "accounts.password_reset"
    record(
        actor=locked,
        action=action,
        subject=locked,
        before={"email_confirmed_at": confirmed_before},
        after={"email_confirmed_at": locked.email_confirmed_at, "tokens_revoked": revoked},
    )
    return locked
