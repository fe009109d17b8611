"""Draws (rounds of invitations) and the invitations they issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominee.core.timeutil import today


class Draw(models.Model):
    """A round of invitations in one stream: its criteria, approvals, and its result.

    Criteria are fixed once proposed. The result fields (``invitations_issued``,
    ``min_score``, ``tie_break``, ``eligible``, ``ranked_digest``) are written once, by
    the execution, in the same transaction as the invitations.

    ``idempotency_key`` names the request that executed the draw, unique in the database
    (decision 75): ``run:<sha256>`` for ``nominee draw run`` (the criteria and the
    operator's optional key), ``proposal:<id>`` for the execution of a proposed draw. A
    request repeated after a crash finds the draw it committed instead of drawing again.
    ``replay`` marks a recorded replay of history (the demo), the one way to date a draw
    before the day it is executed.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        EXECUTED = "executed", _("Executed")
        CANCELLED = "cancelled", _("Cancelled")

    stream = models.CharField(max_length=30)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    draw_date = models.DateField()

    invitations_requested = models.PositiveIntegerField(null=True, blank=True)
    min_score_requested = models.PositiveSmallIntegerField(null=True, blank=True)
    occupation_list = models.ForeignKey(
        "reference.OccupationList",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    noc_codes = models.JSONField(default=list, blank=True)
    # A named list of census divisions (the REDI communities); its codes are in
    # ``census_divisions`` too, so that selection reads one field.
    place_list = models.ForeignKey(
        "reference.PlaceList", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The stream's pathways targeted (registry codes, DOMAIN §9); empty: every pathway.
    pathways = models.JSONField(default=list, blank=True)
    regions = models.JSONField(default=list, blank=True)
    census_divisions = models.JSONField(default=list, blank=True)
    registered_from = models.DateField(null=True, blank=True)
    registered_to = models.DateField(null=True, blank=True)
    in_canada_only = models.BooleanField(default=False)
    min_education = models.CharField(max_length=30, null=True, blank=True)
    min_french_clb = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)

    invitations_issued = models.PositiveIntegerField(null=True, blank=True)
    min_score = models.PositiveSmallIntegerField(null=True, blank=True)
    tie_break = models.DateTimeField(null=True, blank=True)
    eligible = models.PositiveIntegerField(null=True, blank=True)
    ranked_digest = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(
        max_length=80, unique=True, null=True, blank=True, editable=False
    )
    replay = models.BooleanField(default=False, editable=False)

    class Meta:
        indexes = [models.Index(fields=["status", "draw_date"], name="draw_status_date")]
        ordering = ["-draw_date", "-id"]

    def __str__(self) -> str:
        return f"Draw {self.pk} {self.stream} {self.draw_date}"

    @property
    def is_executed(self) -> bool:
        """Whether the result fields are set."""
        return self.status == self.Status.EXECUTED


class Invitation(models.Model):
    """An invitation to apply, issued to one EOI by one draw. An EOI is invited once, ever.

    Deadlines are program dates computed from the policy's windows on the draw date:
    the candidate's application and, in the employer streams, the employer's position
    approval application.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPLIED = "applied", _("Applied")
        EXPIRED = "expired", _("Expired")
        DECLINED = "declined", _("Declined")

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="invitations")
    eoi = models.OneToOneField("eois.EOI", on_delete=models.PROTECT, related_name="invitation")
    rank = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    invited_at = models.DateTimeField()
    candidate_deadline = models.DateField()
    employer_deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    responded_at = models.DateTimeField(null=True, blank=True)
    # The effective date of the policy version whose windows set the deadlines.
    policy_version = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draw", "rank"], name="invitation_rank_once")
        ]
        indexes = [models.Index(fields=["status", "candidate_deadline"], name="invitation_sweep")]

    def __str__(self) -> str:
        return f"Invitation {self.eoi_id} in draw {self.draw_id}"

    @property
    def effective_status(self) -> str:
        """The status as of today: an open invitation past its candidate deadline is expired.

        The daily sweep (``services.expire_invitations``) records the expiry; until it
        runs, every read already shows it.
        """
        if self.status == self.Status.OPEN and self.candidate_deadline < today():
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        """The label of ``effective_status``."""
        return str(self.Status(self.effective_status).label)
