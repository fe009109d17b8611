"""Applications after invitation, their history and documents, and nominations.

The yearly allocation a nomination is counted against is program policy
(``nominee.program.models.Allocation``); its table kept its name, ``casework_allocation``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """One file after one invitation: the candidate's application for nomination and, in the
    employer streams, the employer's position approval (``PositionApproval``) (DOMAIN §7).

    Created when either party first opens it, with the EOI's facts frozen (``snapshot``).
    ``status`` moves only through ``casework.states.TRANSITIONS`` by the services.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        INFO_REQUESTED = "info_requested", _("More information requested")
        INTENT_TO_REFUSE = "intent_to_refuse", _("Notice of intent to refuse")
        HELD = "held", _("Held for the next allocation")
        APPROVED = "approved", _("Approved: nominated")
        REFUSED = "refused", _("Refused")
        RETURNED = "returned", _("Returned unprocessed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Invitation declined")

    class Fee(models.TextChoices):
        NOT_DUE = "not_due", _("Not due yet")
        DUE = "due", _("Due")
        RECEIVED = "received", _("Received")
        REFUND_DUE = "refund_due", _("Refund due")
        REFUNDED = "refunded", _("Refunded")
        WAIVED = "waived", _("Not charged")

    class Party(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        EMPLOYER = "employer", _("Employer")

    invitation = models.OneToOneField(
        "draws.Invitation", on_delete=models.PROTECT, related_name="application"
    )
    eoi = models.OneToOneField("eois.EOI", on_delete=models.PROTECT, related_name="application")
    stream = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The EOI frozen when the file opened (the invitation froze the EOI itself).
    snapshot = models.JSONField()
    # DOMAIN §7's details the EOI did not collect, one JSON object per wizard section.
    details = models.JSONField(default=dict, blank=True)
    declaration_name = models.CharField(max_length=200, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True once every part the stream needs is submitted: the file can be reviewed.
    ready = models.BooleanField(default=False)
    ready_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
    )
    # The party whose answer is awaited, and by when (a request or a notice).
    awaiting = models.CharField(max_length=10, choices=Party.choices, blank=True)
    respond_by = models.DateField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    fee_amount = models.PositiveIntegerField(default=0)
    fee_status = models.CharField(max_length=12, choices=Fee.choices, default=Fee.NOT_DUE)
    # The effective dates of the policy versions the file was opened and decided under.
    policy_version = models.DateField(null=True, blank=True)
    decision_policy_version = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "ready_at", "id"], name="application_queue"),
            models.Index(fields=["assignee", "status"], name="application_assignee"),
            models.Index(fields=["stream", "decided_at"], name="application_decided"),
        ]

    def __str__(self) -> str:
        return f"Application {self.eoi_id} ({self.status})"


class PositionApproval(models.Model):
    """The employer's application for approval of an employment position (employer streams).

    Confirms the job offer as it was at the invitation (``offer_snapshot``), adds the
    employer's declaration and documents; submitted within the employer's window.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="position_approval"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="position_approvals"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    offer_snapshot = models.JSONField()
    offer_confirmed = models.BooleanField(default=False)
    declaration_name = models.CharField(max_length=200, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Position approval for {self.application_id} ({self.status})"


class CaseEvent(models.Model):
    """One entry in a file's history: a message, a decision, a document, a fee record.

    ``for_parties`` marks what the candidate and employer see; staff see every entry.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    for_parties = models.BooleanField(default=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.application_id}"


class Document(models.Model):
    """A supporting document (PDF, JPEG or PNG, its type read from its content).

    The bytes live under ``settings.CASEWORK_DOCUMENT_ROOT`` (outside the static and media
    roots) at ``storage_name``; only the file's parties and staff may download it.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    party = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.original_name})"


class Nomination(models.Model):
    """An approved application: a certificate counted against one year's allocation."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="nomination"
    )
    allocation = models.ForeignKey(
        "program.Allocation", on_delete=models.PROTECT, related_name="issued"
    )
    certificate = models.CharField(max_length=20, unique=True)
    stream = models.CharField(max_length=30)
    issued_on = models.DateField()
    expires_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The effective date of the policy version in force on ``issued_on``.
    policy_version = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["allocation", "certificate"]

    def __str__(self) -> str:
        return self.certificate


class DeadlineReminder(models.Model):
    """A reminder e-mailed before a deadline of an invitation's file, recorded once so that
    the daily sweep never sends it twice (``kind``: candidate, employer or response)."""

    invitation = models.ForeignKey(
        "draws.Invitation", on_delete=models.CASCADE, related_name="casework_reminders"
    )
    kind = models.CharField(max_length=10)
    due_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "due_on", "days_before"],
                name="deadline_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.days_before} days before {self.due_on}"
