"""State changes of the accounts app: sign-up, e-mail confirmation, representation, roles, tokens.

Every function here is one transaction (``durable=True``: never call one from inside
another), takes keyword-only arguments, checks everything before writing, raises a
``nominee.core.errors.DomainError`` subclass on refusal, and writes an audit event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.audit.services import record, record_refusal, snapshot
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .mail import queue_email, site_url
from .models import ApiToken, Appointment, OutgoingEmail, RepresentativeProfile, User
from .roles import STAFF_ROLES, Role, has_role
from .signals import candidate_signed_up
from .tasks import send_account_email
from .tokens import new_token

CONFIRMATION_SALT = "nominee.accounts.confirm-email"
# How long a confirmation link works (a security setting, not program policy).
CONFIRMATION_MAX_AGE = timedelta(days=7)


class SignupRole:
    """What a person says they will use Nominee for when signing up."""

    EMPLOYER = "employer"
    CANDIDATE = "candidate"
    REPRESENTATIVE = "representative"
    CHOICES = (EMPLOYER, CANDIDATE, REPRESENTATIVE)


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


def _clean_email(email: str, field: str = "email") -> str:
    email = _normal_email(email)
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(
            _("the e-mail address is invalid"), fields={field: [_("Enter a valid e-mail address.")]}
        ) from None
    return email


def confirmation_token(user: User) -> str:
    """A signed, expiring token proving control of the user's current e-mail address."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRMATION_SALT)


def _queue_confirmation(user: User) -> OutgoingEmail:
    link = site_url(reverse("accounts:confirm_email", args=[confirmation_token(user)]))
    return queue_email(
        kind=OutgoingEmail.Kind.CONFIRM_EMAIL,
        to=user.email,
        recipient=user,
        template="accounts/email/confirm_email.txt",
        context={"user": user, "link": link, "days": CONFIRMATION_MAX_AGE.days},
        task=send_account_email,
        private_link=True,
    )


def _representative_fields(kind: str | None, licence_number: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in RepresentativeProfile.Kind.values:
        errors["representative_kind"] = [_("Choose lawyer/paralegal or licensed consultant.")]
    if not (licence_number or "").strip():
        errors["licence_number"] = [_("Enter your licence or membership number.")]
    return errors


def sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    role: str,
    representative_kind: str | None = None,
    licence_number: str | None = None,
    organisation: str = "",
) -> User:
    """Create an account and send the e-mail confirmation link.

    ``role`` is ``employer`` (the person then registers a business), ``candidate`` (a
    candidate profile is created) or ``representative`` (a representative profile with
    the licence given). The address must be unused and the password pass the validators.
    Raises ValidationFailed with a message per field. The account can do nothing but
    confirm its address until the link is followed (``nominee.accounts.middleware``). A
    sign-up refused because the address has an account is recorded as
    ``accounts.sign_up_refused``.
    """
    try:
        return _sign_up(
            email=email,
            password=password,
            full_name=full_name,
            role=role,
            representative_kind=representative_kind,
            licence_number=licence_number,
            organisation=organisation,
        )
    except ValidationFailed as error:
        address = _normal_email(email)
        if "email" in error.fields and User.objects.filter(email__iexact=address).exists():
            record_refusal(
                actor=None,
                action="accounts.sign_up_refused",
                subject_type="accounts.user",
                subject_id=User.objects.get(email__iexact=address).pk,
                data={"email": address, "reason": "email_taken"},
            )
        raise


@transaction.atomic(durable=True)
def _sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    role: str,
    representative_kind: str | None,
    licence_number: str | None,
    organisation: str,
) -> User:
    errors: dict[str, list[str]] = {}
    try:
        email = _clean_email(email)
    except ValidationFailed as error:
        errors.update(error.fields)
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    if role not in SignupRole.CHOICES:
        errors["role"] = [_("Choose how you will use Nominee.")]
    if role == SignupRole.REPRESENTATIVE:
        errors.update(_representative_fields(representative_kind, licence_number))
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address exists already: sign in.")]
    try:
        validate_password(password, User(email=email, full_name=full_name))
    except DjangoValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationFailed(_("the account cannot be created"), fields=errors)

    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    if role == SignupRole.CANDIDATE:
        # eois, above accounts, creates the candidate file (in this transaction).
        candidate_signed_up.send(sender=User, user=user, full_name=full_name)
    elif role == SignupRole.REPRESENTATIVE:
        RepresentativeProfile.objects.create(
            user=user,
            kind=representative_kind or "",
            licence_number=(licence_number or "").strip(),
            organisation=(organisation or "").strip(),
        )
    record(
        actor=user,
        action="accounts.signed_up",
        subject=user,
        after={"email": email, "full_name": full_name, "role": role},
    )
    _queue_confirmation(user)
    return user


def confirm_email(*, token: str) -> User:
    """Mark the address in a confirmation token as confirmed (idempotent for the same address).

    Raises ValidationFailed when the token is forged, expired, or names an address the
    account no longer has; such a refusal is recorded as ``accounts.confirmation_refused``.
    """
    try:
        return _confirm_email(token=token)
    except ValidationFailed as error:
        record_refusal(
            actor=None,
            action="accounts.confirmation_refused",
            subject_type="accounts.user",
            subject_id=_token_user_id(token) or "unknown",
            data={"reason": (error.fields.get("token") or ["invalid"])[0]},
        )
        raise


def _token_user_id(token: str) -> int | None:
    """The account a (possibly expired) confirmation token names, for the audit log only."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


@transaction.atomic(durable=True)
def _confirm_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationFailed(
            _("this confirmation link has expired: ask for a new one"),
            fields={"token": [_("expired")]},
        ) from None
    except signing.BadSignature:
        raise ValidationFailed(
            _("this confirmation link is not valid"), fields={"token": [_("invalid")]}
        ) from None
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email != data.get("e"):
        raise ValidationFailed(
            _("this confirmation link is not valid"), fields={"token": [_("invalid")]}
        )
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        record(
            actor=user,
            action="accounts.email_confirmed",
            subject=user,
            before={"email_confirmed_at": None},
            after={"email_confirmed_at": user.email_confirmed_at},
        )
    return user


@transaction.atomic(durable=True)
def resend_confirmation(*, user: User) -> OutgoingEmail:
    """Send a new confirmation link. Raises Conflict when the address is confirmed already."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_confirmed_at is not None:
        raise Conflict(_("your e-mail address is confirmed already"))
    email = _queue_confirmation(locked)
    record(actor=locked, action="accounts.confirmation_resent", subject=locked)
    return email


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


@transaction.atomic(durable=True)
def become_representative(
    *, user: User, kind: str, licence_number: str, organisation: str = ""
) -> RepresentativeProfile:
    """Give an existing account a representative profile (a lawyer or licensed consultant).

    Raises Conflict when it has one already, ValidationFailed for a missing kind or licence.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if RepresentativeProfile.objects.filter(user=locked).exists():
        raise Conflict(_("you are registered as a representative already"))
    if errors := _representative_fields(kind, licence_number):
        raise ValidationFailed(_("the representative profile is incomplete"), fields=errors)
    profile = RepresentativeProfile.objects.create(
        user=locked,
        kind=kind,
        licence_number=licence_number.strip(),
        organisation=(organisation or "").strip(),
    )
    record(
        actor=locked,
        action="accounts.representative_registered",
        subject=profile,
        after=snapshot(profile, ["kind", "licence_number", "organisation"]),
    )
    return profile


# ---- Representation ----------------------------------------------------------------


def _one_party(employer: Any, candidate: Any) -> None:
    if (employer is None) == (candidate is None):
        raise ValueError("give exactly one of employer and candidate")


def can_act_for(user: Any, *, employer: Any = None, candidate: Any = None) -> bool:
    """Whether ``user`` may act for the party: its own file, or a live appointment.

    For an employer: an active contact of it, or a representative it appointed (not
    revoked). For a candidate: the candidate's own account, or a representative the
    candidate appointed. Staff roles do not count here (they read through their own pages).
    """
    _one_party(employer, candidate)
    if not getattr(user, "is_authenticated", False):
        return False
    live = Appointment.objects.filter(representative__user=user, revoked_at__isnull=True)
    if employer is not None:
        if user.employer_contacts.filter(employer=employer, active=True).exists():
            return True
        return live.filter(employer=employer).exists()
    if getattr(candidate, "user_id", None) == user.pk:
        return True
    return live.filter(candidate=candidate).exists()


def _may_appoint(actor: Any, employer: Any, candidate: Any) -> None:
    """The signing officer appoints for an employer; the candidate for themself."""
    if employer is not None:
        contact = actor.employer_contacts.filter(employer=employer, active=True).first()
        if contact is None:
            if can_act_for(actor, employer=employer):
                raise PermissionDenied(_("only the employer's signing officer may do this"))
            raise NotFound(_("no such employer"))
        if not contact.is_signing_officer:
            raise PermissionDenied(_("only the employer's signing officer may do this"))
    elif getattr(candidate, "user_id", None) != getattr(actor, "pk", None):
        if can_act_for(actor, candidate=candidate):
            raise PermissionDenied(_("only the candidate may do this"))
        raise NotFound(_("no such candidate"))


def _party_model(field: str) -> Any:
    """The model an Appointment's ``employer`` or ``candidate`` foreign key points to."""
    return Appointment._meta.get_field(field).related_model


def _representative_profile(representative: Any) -> RepresentativeProfile:
    if isinstance(representative, RepresentativeProfile):
        return representative
    if isinstance(representative, str):
        user = User.objects.filter(email__iexact=_normal_email(representative)).first()
    else:
        user = representative
    profile = RepresentativeProfile.objects.filter(user=user).first() if user else None
    # An unconfirmed account may have been opened with a real representative's address by
    # someone else: appointing it would open the party's files to them.
    if profile is None or profile.user.email_confirmed_at is None:
        raise ValidationFailed(
            _("no representative with this account"),
            fields={
                "representative": [
                    _(
                        "No representative with a confirmed account uses this e-mail "
                        "address: they sign up as a representative and confirm it first."
                    )
                ]
            },
        )
    return profile


@transaction.atomic(durable=True)
def appoint_representative(
    *, actor: Any, representative: Any, employer: Any = None, candidate: Any = None
) -> Appointment:
    """Appoint a representative to act for an employer or a candidate (exactly one).

    ``representative`` is a RepresentativeProfile, the representative's User, or their
    e-mail address. For an employer the actor must be its active signing officer; for a
    candidate, the candidate themself (NotFound when the actor cannot see the party,
    PermissionDenied when they can but may not appoint). Raises Conflict when the
    representative is appointed already, ValidationFailed when they are not a registered
    representative or are the actor. The representative is told by e-mail.
    """
    return _appoint_representative(
        actor=actor, representative=representative, employer=employer, candidate=candidate
    )


def _appoint_representative(
    *, actor: Any, representative: Any, employer: Any = None, candidate: Any = None
) -> Appointment:
    """The body of ``appoint_representative``, in the caller's transaction."""
    _one_party(employer, candidate)
    # The parties' models are reached through Appointment's own foreign keys: their apps
    # sit above accounts, which does not import them (docs/architecture.md, "Layers").
    if employer is not None:
        employer = (
            _party_model("employer").objects.select_for_update().filter(pk=employer.pk).first()
        )
        if employer is None:
            raise NotFound(_("no such employer"))
    else:
        candidate = (
            _party_model("candidate").objects.select_for_update().filter(pk=candidate.pk).first()
        )
        if candidate is None:
            raise NotFound(_("no such candidate"))
    _may_appoint(actor, employer, candidate)
    profile = _representative_profile(representative)
    if profile.user_id == actor.pk:
        raise ValidationFailed(
            _("you cannot appoint yourself"),
            fields={"representative": [_("Appoint someone other than yourself.")]},
        )
    live = Appointment.objects.filter(representative=profile, revoked_at__isnull=True)
    if live.filter(employer=employer, candidate=candidate).exists():
        raise Conflict(_("this representative is appointed already"))
    appointment = Appointment.objects.create(
        representative=profile,
        employer=employer,
        candidate=candidate,
        appointed_by=actor,
        appointed_at=timezone.now(),
    )
    record(
        actor=actor,
        action="accounts.representative_appointed",
        subject=appointment,
        after={
            "representative": profile.user.email,
            "employer": getattr(employer, "pk", None),
            "candidate": getattr(candidate, "pk", None),
        },
    )

    queue_email(
        kind=OutgoingEmail.Kind.APPOINTMENT,
        to=profile.user.email,
        recipient=profile.user,
        template="accounts/email/appointment.txt",
        context={
            "representative": profile.user,
            "party": employer or candidate,
            "actor": actor,
            "link": site_url(reverse("accounts:representative_dashboard")),
        },
        task=send_account_email,
        employer=employer,
    )
    return appointment


@transaction.atomic(durable=True)
def revoke_appointment(*, actor: Any, appointment: Appointment) -> Appointment:
    """End an appointment; the row stays as history with who revoked it and when.

    The party that appointed (the employer's signing officer, the candidate) or the
    representative themself may revoke. Raises NotFound for anyone else who cannot see
    it, PermissionDenied for a contact who is not the signing officer, Conflict when it
    is revoked already.
    """
    locked = (
        Appointment.objects.select_for_update()
        .select_related("representative")
        .filter(pk=appointment.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("no such appointment"))
    if locked.representative.user_id != getattr(actor, "pk", None):
        _may_appoint(actor, locked.employer, locked.candidate)
    if locked.revoked_at is not None:
        raise Conflict(_("this appointment is revoked already"))
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor=actor,
        action="accounts.appointment_revoked",
        subject=locked,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at, "revoked_by": actor.pk},
    )
    return locked


# ---- Staff roles -------------------------------------------------------------------


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


# ---- API tokens --------------------------------------------------------------------


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
