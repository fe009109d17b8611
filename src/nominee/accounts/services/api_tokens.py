"""Personal API tokens: created (shown once) and revoked by their owner."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.audit.services import record
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from ..models import ApiToken, User
from ..tokens import new_token


@transaction.atomic(durable=True)
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the row and the token, shown this once only.

    Only the token's SHA-256 digest is stored. Raises PermissionDenied for an account that
    has not confirmed its address, ValidationFailed for an empty or over-long name,
    Conflict when the person has a live token of that name already.
    """
    if user.email_confirmed_at is None:
        raise PermissionDenied(
            _("confirm your e-mail address before you create an API token"),
            code="email.unconfirmed",
        )
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            _("the token needs a name"),
            fields={"name": [_("Name the token (up to 100 characters), e.g. 'nightly export'.")]},
        )
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise Conflict(
            _("you have a token of this name already"),
            fields={"name": [_("Choose another name or revoke the other token.")]},
        )
    token, prefix, hashed = new_token()
    row = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=hashed)
    record(actor=user, action="accounts.api_token_created", subject=row, after={"name": name})
    return row, token


def _revoke_all_api_tokens(*, user: User, actor: User | None, reason: str) -> list[int]:
    """Revoke every live token of ``user`` in the caller's transaction; returns their ids.

    Each is audited as ``accounts.api_token_revoked`` like a revocation by its owner, with
    the ``reason`` (``password_reset``, ``invitation_accepted``): whoever made a token may
    not be whoever now holds the account's address.
    """
    rows = list(
        ApiToken.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    for row in rows:
        row.revoked_at = now
        row.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="accounts.api_token_revoked",
            subject=row,
            before={"revoked_at": None},
            after={"revoked_at": now},
            data={"reason": reason},
        )
    return [row.pk for row in rows]


@transaction.atomic(durable=True)
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once.

    Raises NotFound for someone else's token, Conflict when revoked already.
    """
    locked = ApiToken.objects.select_for_update().filter(pk=token.pk, user=actor).first()
    if locked is None:
        raise NotFound(_("no such token"))
    if locked.revoked_at is not None:
        raise Conflict(_("this token is revoked already"))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="accounts.api_token_revoked",
        subject=locked,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at},
    )
    return locked
