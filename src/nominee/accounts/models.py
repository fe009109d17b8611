"""Accounts: the user, representatives and their appointments, personal API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normal_email(email: str) -> str:
    """An e-mail address as stored and compared: trimmed, lower case (all of it: no mail
    system Nominee writes to tells two addresses apart by the case of their local part)."""
    return (email or "").strip().lower()


class NomineeUserManager(UserManager["User"]):
    """Creates users whose login is their e-mail address."""

    def get_by_natural_key(self, username: str | None) -> User:
        """The account signing in, whatever the case of the address typed (Django's
        ``ModelBackend`` matched it exactly: ``Bob@Example.com`` could not sign in)."""
        return self.get(email__iexact=normal_email(username or ""))

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        """Create a user identified by e-mail (the username is set to the same value)."""
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)  # type: ignore[arg-type]

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        """Create a superuser identified by e-mail, confirmed: an operator made it at a console.

        (Accounts that sign up confirm their address by the link e-mailed to it.)
        """
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        extra.setdefault("email_confirmed_at", timezone.now())
        return super().create_superuser(email=email, password=password, **extra)  # type: ignore[arg-type]


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address, which must be unique.

    ``email_confirmed_at`` is set when the person follows the confirmation link (or a
    password-reset or invitation link, which also reached the address); until then the
    account may sign in but do nothing except confirm (``accounts.middleware``).
    ``preferred_language`` is the language of the person's e-mails and letters: the one
    active at sign-up, then the one of the last ``/en/`` or ``/fr/`` page they opened
    (Decision 69).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = NomineeUserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        constraints = [
            # Two accounts may not differ only by the case of their address.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_lower_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the address (and the username, which mirrors it) normalised, whoever writes
        it: the admin's forms do not go through ``create_user``."""
        self.email = normal_email(self.email)
        if self.username and "@" in self.username:
            self.username = normal_email(self.username)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name to greet the person with."""
        return self.full_name or self.email


class RepresentativeProfile(models.Model):
    """A lawyer or licensed consultant who may be appointed by employers or candidates."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer or paralegal (law society member)")
        CONSULTANT = "consultant", _("Licensed immigration consultant (CICC)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representative_profile"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    licence_number = models.CharField(max_length=40)
    organisation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()} {self.licence_number})"


class Appointment(models.Model):
    """A representative appointed by an employer or by a candidate; revocable, never deleted.

    Exactly one of ``employer`` and ``candidate`` is set. The representative sees only
    the files of the parties that appointed them, while the appointment is not revoked.
    """

    representative = models.ForeignKey(
        RepresentativeProfile, on_delete=models.PROTECT, related_name="appointments"
    )
    employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    candidate = models.ForeignKey(
        "eois.Candidate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(employer__isnull=False) & Q(candidate__isnull=True))
                | (Q(employer__isnull=True) & Q(candidate__isnull=False)),
                name="appointment_one_party",
            ),
            models.UniqueConstraint(
                fields=["representative", "employer"],
                condition=Q(revoked_at__isnull=True, employer__isnull=False),
                name="appointment_live_employer_once",
            ),
            models.UniqueConstraint(
                fields=["representative", "candidate"],
                condition=Q(revoked_at__isnull=True, candidate__isnull=False),
                name="appointment_live_candidate_once",
            ),
        ]

    def __str__(self) -> str:
        party = self.employer or self.candidate
        return f"{self.representative} for {party}"


class ApiToken(models.Model):
    """A personal API token for scripts. Only its SHA-256 digest is stored.

    The token is shown once on creation as ``nom_<prefix>_<secret>``; ``prefix`` lets a
    person tell tokens apart in the list without revealing them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (nom_{self.prefix}_…)"


class OutgoingEmail(models.Model):
    """An e-mail Nominee sends, recorded when the change that causes it is committed.

    The row is written in the same transaction as the change (so it exists even while the
    background worker has not run yet); a django-tasks task delivers it and sets
    ``sent_at`` (or ``error``). People see the e-mails sent to their own address, and an
    employer's contacts see those about their business (``employer``, ``job_offer``), on
    the "E-mails" pages. ``private_link`` marks e-mails that carry a secret link
    (confirmation, invitation, password): their body is shown on a page only in the demo.
    """

    class Kind(models.TextChoices):
        CONFIRM_EMAIL = "confirm_email", _("Confirm your e-mail address")
        JOB_OFFER_ID = "job_offer_id", _("Job Offer ID for the candidate")
        JOB_OFFER_CHANGED = "job_offer_changed", _("Job offer changed")
        JOB_OFFER_WITHDRAWN = "job_offer_withdrawn", _("Job offer withdrawn")
        CONTACT_INVITATION = "contact_invitation", _("Invitation to act for an employer")
        APPOINTMENT = "appointment", _("Appointment as representative")
        EOI_EXPIRY = "eoi_expiry", _("EOI expiry reminder")
        EOI_STREAM_CLOSED = "eoi_stream_closed", _("EOI withdrawn: its stream closed")
        DRAW_INVITATION = "draw_invitation", _("Invitation to apply (a draw)")
        PASSWORD_RESET = "password_reset", _("Choose a new password")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        EMAIL_CHANGE = "email_change", _("Confirm your new e-mail address")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed")
        SIGNUP_ATTEMPT = "signup_attempt", _("Someone tried to sign up with your address")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    to_email = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emails_received",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    private_link = models.BooleanField(default=False)
    employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emails",
    )
    job_offer = models.ForeignKey(
        "employers.JobOffer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emails",
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_email", "created_at"], name="email_to_created"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to_email}"
