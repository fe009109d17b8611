"""Signing up, confirming the e-mail address, and registering as a representative.

A new account can do nothing but confirm its address until the link is followed
(``nominee.accounts.middleware``); the helpers for e-mail addresses and a representative
profile's fields live here because sign-up is where they are first needed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nominee.audit.services import record, record_refusal, snapshot
from nominee.core.errors import Conflict, ValidationFailed
from nominee.core.locale import supported_language

from ..mail import queue_email, site_url
from ..models import OutgoingEmail, RepresentativeProfile, User
from ..signals import candidate_signed_up
from ..tasks import send_account_email
from .staff_roles import refuse_staff

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
    language: str | None = None,
) -> User | None:
    """Create an account and send the e-mail confirmation link.

    ``language`` (default: the active one, the page's or the API request's) is the
    account's preferred language, that of the confirmation e-mail and those to come.

    ``role`` is ``employer`` (the person then registers a business), ``candidate`` (a
    candidate profile is created) or ``representative`` (a representative profile with
    the licence given). The password must pass the validators. Raises ValidationFailed
    with a message per field. The account can do nothing but confirm its address until the
    link is followed (``nominee.accounts.middleware``).

    When the address has an account already, nothing is created and None is returned: the
    account's owner is e-mailed that someone tried to sign up with it (and how to sign in
    or choose a new password), and the caller gives the same answer as for a new account,
    so that sign-up does not tell who has an account (Decision 78). Recorded as
    ``accounts.sign_up_refused``.
    """
    return _sign_up(
        email=email,
        password=password,
        full_name=full_name,
        role=role,
        representative_kind=representative_kind,
        licence_number=licence_number,
        organisation=organisation,
        language=supported_language(language or translation.get_language()),
    )


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
    language: str = "en",
) -> User | None:
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
    owner = (
        None
        if "email" in errors
        else User.objects.filter(email__iexact=email, is_active=True).first()
    )
    try:
        validate_password(password, User(email=email, full_name=full_name))
    except DjangoValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationFailed(_("the account cannot be created"), fields=errors)
    if owner is not None or User.objects.filter(email__iexact=email).exists():
        _signed_up_again(owner, email=email, password=password, role=role)
        return None

    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, preferred_language=language
    )
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


def _signed_up_again(owner: User | None, *, email: str, password: str, role: str) -> None:
    """A sign-up with an address that has an account: its owner is told, nothing is made.

    The password is hashed all the same, so that the answer takes as long as a new
    account's. An inactive account gets no e-mail (it cannot sign in or reset).
    """
    make_password(password)
    subject = owner or User.objects.get(email__iexact=email)
    if owner is not None:
        queue_email(
            kind=OutgoingEmail.Kind.SIGNUP_ATTEMPT,
            to=owner.email,
            recipient=owner,
            template="accounts/email/signup_attempt.txt",
            context={
                "user": owner,
                "login_link": site_url(reverse("login")),
                "reset_link": site_url(reverse("password_reset")),
            },
            task=send_account_email,
        )
    record(
        actor=None,
        action="accounts.sign_up_refused",
        subject=subject,
        data={"email": email, "reason": "email_taken", "role": role},
    )


def confirm_email(*, token: str) -> User:
    """Mark the address in a confirmation token as confirmed (idempotent for the same address).

    A token of ``request_email_change`` (it names a new address) changes the account's
    address to the new one, confirmed by following the link sent to it.

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
    if user is not None and "n" in data:
        return _change_email(user, old=data.get("e"), new=data.get("n"))
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


def _change_email(user: User, *, old: object, new: object) -> User:
    """Follow an e-mail change link: the account's address becomes the new one, confirmed.

    Idempotent (a second click finds the new address in place); refused when the account
    changed its address since the link was sent or another account took the new one.
    """
    if user.email == new:
        return user
    if user.email != old or not isinstance(new, str):
        raise ValidationFailed(
            _("this confirmation link is not valid"), fields={"token": [_("invalid")]}
        )
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise ValidationFailed(
            _("another account uses this e-mail address now"), fields={"token": [_("taken")]}
        )
    before = {"email": user.email, "email_confirmed_at": user.email_confirmed_at}
    user.email = new
    user.username = new
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "username", "email_confirmed_at"])
    record(
        actor=user,
        action="accounts.email_changed",
        subject=user,
        before=before,
        after={"email": new, "email_confirmed_at": user.email_confirmed_at},
    )
    queue_email(
        kind=OutgoingEmail.Kind.EMAIL_CHANGED,
        to=str(old),
        recipient=user,
        template="accounts/email/email_changed.txt",
        context={"user": user, "old": old, "new": new, "link": site_url(reverse("login"))},
        task=send_account_email,
    )
    return user


@transaction.atomic(durable=True)
def request_email_change(*, user: User, password: str, new_email: str) -> OutgoingEmail:
    """Send a link to confirm a new e-mail address; following it makes it the account's.

    The account keeps its address until then (``confirm_email`` does the change, through
    the same signed, expiring confirmation token, which names both addresses). Raises
    ValidationFailed when the password is wrong, the address invalid, the account's own
    or another account's. Audited as ``accounts.email_change_requested``.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, list[str]] = {}
    if not locked.check_password(password):
        errors["password"] = [_("Your password is not right.")]
    try:
        address = _clean_email(new_email)
    except ValidationFailed as error:
        errors.update(error.fields)
    else:
        if address == locked.email.lower():
            errors["email"] = [_("This is already the address of your account.")]
        elif User.objects.filter(email__iexact=address).exists():
            errors["email"] = [_("Another account uses this e-mail address.")]
    if errors:
        raise ValidationFailed(_("the e-mail address cannot be changed"), fields=errors)
    token = signing.dumps({"u": locked.pk, "e": locked.email, "n": address}, salt=CONFIRMATION_SALT)
    sent = queue_email(
        kind=OutgoingEmail.Kind.EMAIL_CHANGE,
        to=address,
        recipient=locked,
        template="accounts/email/confirm_email_change.txt",
        context={
            "user": locked,
            "link": site_url(reverse("accounts:confirm_email", args=[token])),
            "days": CONFIRMATION_MAX_AGE.days,
            "new": address,
        },
        task=send_account_email,
        private_link=True,
    )
    record(
        actor=locked,
        action="accounts.email_change_requested",
        subject=locked,
        data={"email": locked.email, "new_email": address},
    )
    return sent


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
def become_representative(
    *, user: User, kind: str, licence_number: str, organisation: str = ""
) -> RepresentativeProfile:
    """Give an existing account a representative profile (a lawyer or licensed consultant).

    Raises Conflict when it has one already, ValidationFailed for a missing kind or licence,
    StaffCannotTakePart for a staff account (Decision 79).
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    refuse_staff(locked)
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


@transaction.atomic(durable=True)
def set_preferred_language(*, user: User, language: str) -> bool:
    """Make ``language`` the account's language for e-mails and letters (Decision 69).

    Called when a signed-in person opens a page under ``/en/`` or ``/fr/``; returns whether
    it changed (nothing is written, nor recorded, when it is the account's already).
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("the language is not offered"), fields={"language": [_("Choose English or French.")]}
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.preferred_language == language:
        return False
    before = locked.preferred_language
    locked.preferred_language = language
    locked.save(update_fields=["preferred_language"])
    user.preferred_language = language
    record(
        actor=locked,
        action="accounts.preferred_language_set",
        subject=locked,
        before={"preferred_language": before},
        after={"preferred_language": language},
    )
    return True
