"""Businesses, their work locations and contacts, and the job offers they submit."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nominee.core.timeutil import program_date


class Employer(models.Model):
    """A business registered in the employer portal (DOMAIN §3 step 1).

    An employer that fails a threshold may still register; the failing rules are shown
    by name wherever the employer or its offers appear (see ``employers.services``).
    """

    legal_name = models.CharField(max_length=200)
    operating_name = models.CharField(max_length=200, blank=True)
    cra_business_number = models.CharField(max_length=15, unique=True)
    street_address = models.CharField(max_length=200)
    municipality = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=7)
    years_in_business = models.PositiveSmallIntegerField()
    gross_revenue = models.DecimalField(max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.operating_name or self.legal_name


class WorkLocation(models.Model):
    """A place where the employer's people work; employee counts are per location."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="locations")
    census_division = models.ForeignKey(
        "reference.CensusDivision", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.CharField(max_length=100)
    street_address = models.CharField(max_length=200, blank=True)
    full_time_employees = models.PositiveIntegerField(
        help_text=_("Full-time permanent employees who are citizens or permanent residents.")
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.employer}: {self.municipality}"


class EmployerContact(models.Model):
    """A person who acts for an employer. The first is the signing officer, who invites others."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employer_contacts"
    )
    is_signing_officer = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "user"], name="contact_once"),
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(is_signing_officer=True, active=True),
                name="one_signing_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.employer}"


class JobOffer(models.Model):
    """A job offer submitted by an employer for one named candidate (DOMAIN §3 step 2).

    ``public_id`` is the Job Offer ID the candidate quotes (``JO-XXXX-XXXX``). The offer
    lapses when no EOI binds it within the policy's validity (30 days) of ``submitted_at``;
    ``lapses_at`` is that instant, kept on the row for the sweep and for reads (which show
    a lapse at once).
    ``failures`` lists the named rules the employer or the offer fails (refusals were
    never stored; what is here is what the program flags for an officer).
    """

    class Status(models.TextChoices):
        AWAITING_EOI = "awaiting_eoi", _("Awaiting the candidate's EOI")
        EOI_REGISTERED = "eoi_registered", _("EOI registered")
        INVITED = "invited", _("Invited")
        LAPSED = "lapsed", _("Lapsed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EOI_WITHDRAWN = "eoi_withdrawn", _("The candidate withdrew the EOI")

    public_id = models.CharField(max_length=12, unique=True)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="job_offers")
    location = models.ForeignKey(WorkLocation, on_delete=models.PROTECT, related_name="job_offers")
    stream = models.CharField(max_length=30)
    noc = models.ForeignKey("reference.Noc", on_delete=models.PROTECT, related_name="+")
    job_title = models.CharField(max_length=200)
    hourly_wage = models.DecimalField(max_digits=8, decimal_places=2)
    annual_salary = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    permanent = models.BooleanField(default=True)
    candidate_name = models.CharField(max_length=200)
    candidate_email = models.EmailField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_EOI)
    failures = models.JSONField(default=list, blank=True)
    needs_review = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    lapses_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "lapses_at"], name="joboffer_lapse_sweep")]
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.job_title}"

    @property
    def last_day(self) -> date:
        """The last program date on which a candidate can still quote the offer."""
        return program_date(self.lapses_at - timedelta(microseconds=1))


class EmployerRegistration(models.Model):
    """One request of a business to be registered with the program, and its decision.

    From the policy version that sets ``employer_registration_required`` (DOMAIN §9, 2026),
    a business's job offers can be submitted, and can support an EOI, only once an officer
    has approved its registration. Each request is a row: a contact asks
    (``requested_by``, ``requested_at``), an officer or manager decides (``decided_by``,
    ``decided_at``, ``reasons``; a refusal always says why in words). A refused business
    may ask again, which makes a new row, so the rows are the business's history. At most
    one row of a business is pending or approved (a database constraint); an approval is
    final (nothing withdraws it yet). The business's state is that of its latest row, or
    "not registered" without one (``queries.registration_state``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Requested, awaiting an officer's decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_registration",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="registration_decided_when_not_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="registration_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.employer}: {self.get_status_display()}"
