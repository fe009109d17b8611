"""Candidates and their expressions of interest: the pools that draws select from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominee.program import streams


class Candidate(models.Model):
    """A person in the pool. ``user`` is null for candidates that came in by bulk import."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate",
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(db_index=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.full_name or self.email


class EOI(models.Model):
    """One expression of interest in one stream, scored on registration and on each update.

    ``profile`` is the profile document (spec/INTERFACES.md §1) as declared; ``score``,
    ``max_score``, ``grid`` and ``breakdown`` are the engine's answer for it. The job
    offer's NOC and location, and the facts draws target, are copied onto the row so that
    a draw reads one table. ``status`` holds what happened to the EOI; expiry is not a
    status but follows from ``expires_at`` (12 months after ``registered_at``), so that
    a draw dated in the past sees the EOIs that were live that day.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INVITED = "invited", _("Invited")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INELIGIBLE = "ineligible", _("Found ineligible")

    external_id = models.CharField(max_length=40, unique=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="eois"
    )
    # A code of the stream registry (policy data): no choices, so a new stream needs no migration.
    stream = models.CharField(max_length=30, validators=[streams.validate_stream])
    # The profile's pathway (DOMAIN §9: workforce-priority's teer-0-3, teer-4-5, physician),
    # copied from it so that draws can target it; null for a stream without pathways.
    pathway = models.CharField(max_length=30, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    is_legacy = models.BooleanField(default=False)
    registered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set when the program withdrew the EOI because its stream closed (the candidate's own
    # withdrawal leaves it empty): the change says which stream, when, by whom, and why.
    # No index and no database constraint of its own: a million rows withdrawn at once
    # would maintain one more index and queue a million deferred foreign-key checks for the
    # commit; the one writer (``eois.closing``) sets it to the change it has just created,
    # and its readers also filter on stream and status (``eoi_draw_order``) or an id range.
    withdrawn_by_change = models.ForeignKey(
        "program.ProgramChange",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    profile = models.JSONField()
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    grid = models.CharField(max_length=10)
    # The effective date of the policy version the EOI was judged by (registration or its
    # last update), beside ``grid``: an old EOI is explained by its own rules.
    policy_version = models.DateField(null=True, blank=True)
    breakdown = models.JSONField()

    job_offer = models.OneToOneField(
        "employers.JobOffer", null=True, blank=True, on_delete=models.PROTECT, related_name="eoi"
    )
    noc = models.CharField(max_length=5, null=True, blank=True)
    census_division = models.CharField(max_length=4, null=True, blank=True)
    region = models.CharField(max_length=20, null=True, blank=True)
    in_canada = models.BooleanField(default=False)
    education_level = models.CharField(max_length=30, null=True, blank=True)
    french_clb = models.PositiveSmallIntegerField(null=True, blank=True)

    flags = models.JSONField(default=list, blank=True)
    needs_review = models.BooleanField(default=False)
    # What eligibility needs beyond the profile document (``scoring.EligibilityFacts``),
    # as the portal collected it; empty for bulk-imported EOIs (DOMAIN §5).
    facts = models.JSONField(default=dict, blank=True)
    # The EOI withdrawn by its stream's closing that this one was carried over from
    # (issue 12); one-to-one, so an old EOI is carried over at most once.
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to"
    )

    class Meta:
        verbose_name = "EOI"
        verbose_name_plural = "EOIs"
        indexes = [
            # The draw's ordered scan (ARCHITECTURE "Performance facts"): status is a key
            # column, never a partial-index condition, and the targeting columns ride along
            # so that counting the eligible pool is an index-only scan (docs/draws.md).
            models.Index(
                fields=[
                    "stream",
                    "status",
                    "-score",
                    "registered_at",
                    "id",
                    "noc",
                    "expires_at",
                    "is_legacy",
                    # The 2026 draws target pathways and census divisions (regions are
                    # resolved to them): counting stays index-only (decision 62).
                    "pathway",
                    "census_division",
                ],
                name="eoi_draw_order",
            ),
            models.Index(fields=["status", "stream", "score"], name="eoi_histogram"),
            models.Index(fields=["candidate", "stream"], name="eoi_candidate_stream"),
        ]

    def __str__(self) -> str:
        return self.external_id

    def get_stream_display(self) -> str:
        """The stream's public name, from the registry (the field has no ``choices``)."""
        return streams.name(self.stream)


class ExpiryReminder(models.Model):
    """A reminder e-mail sent ``days_before`` days before an EOI expires; sent once.

    The unique constraint makes the daily sweep idempotent: a reminder that exists was
    sent (or is being sent in the same transaction) and is never sent again.
    """

    eoi = models.ForeignKey(EOI, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["eoi", "days_before"], name="eoi_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.eoi_id}: {self.days_before} days before expiry"


class ClosedStreamNotices(models.Model):
    """The notices of one batch of EOIs withdrawn by a stream's closing (DOMAIN §9).

    ``withdraw_closed_stream_eois`` enqueues one task per batch of EOIs (by id range,
    ``first_id``..``last_id`` of the EOIs its change withdrew), not one per EOI, so that the
    queue stays small for a million. The task writes this row with the ids of the e-mails
    it recorded for the batch (each candidate, the employer contacts of the job offer,
    and the representatives appointed by either) in the same transaction, so a retried
    task delivers those e-mails again (delivery skips those sent) and records no more.
    """

    change = models.ForeignKey("program.ProgramChange", on_delete=models.PROTECT, related_name="+")
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    emails = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "closed stream notices"
        constraints = [
            models.UniqueConstraint(fields=["change", "first_id"], name="closed_notices_once")
        ]

    def __str__(self) -> str:
        return f"notices of change {self.change_id}: EOIs {self.first_id}-{self.last_id}"
