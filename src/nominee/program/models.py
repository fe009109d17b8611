"""The program's policy tables: the yearly nomination allocation and its split by stream
(DOMAIN §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SpentPolicy(models.TextChoices):
    """What a year does with approvable files once its allocation is spent (DOMAIN §7)."""

    HOLD = "hold", _("Hold approved files for the next year's allocation")
    RETURN = "return", _("Return further applications unprocessed, fee refunded")


class Allocation(models.Model):
    """The number of nominations the program may issue in a calendar year (DOMAIN §7).

    Set by a manager; seeded from ``program/data/allocations.csv`` after migrate. Policy
    data, not casework: draws and publication read it, casework consumes it.
    ``nominations_issued`` only grows, under a row lock, and never exceeds ``nominations``.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    nominations = models.PositiveIntegerField()
    nominations_issued = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True)
    when_spent = models.CharField(
        max_length=10, choices=SpentPolicy.choices, default=SpentPolicy.HOLD
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table keeps the name it had in casework, so that the move lost no data.
        db_table = "casework_allocation"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nominations_issued__lte=models.F("nominations")),
                name="allocation_never_exceeded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.nominations}"

    @property
    def remaining(self) -> int:
        """Nominations still available this year."""
        return self.nominations - self.nominations_issued


class StreamAllocation(models.Model):
    """A manager's share of a year's allocation for one stream (optional split, DOMAIN §7).

    ``nominations_issued`` grows under the year's row lock, never beyond ``nominations``.
    """

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="streams")
    stream = models.CharField(max_length=30)
    nominations = models.PositiveIntegerField()
    nominations_issued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["allocation", "stream"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "stream"], name="stream_allocation_once"),
            models.CheckConstraint(
                condition=models.Q(nominations_issued__lte=models.F("nominations")),
                name="stream_allocation_never_exceeded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation.year} {self.stream}: {self.nominations}"


class PolicyKind(models.TextChoices):
    """The three kinds of policy document the engine reads (docs/policy.md)."""

    REGISTRY = "registry", _("Stream registry")
    POLICY = "policy", _("Policy version")
    GRID = "grid", _("Points grid")


class PolicyVersion(models.Model):
    """One published version of a policy document: the stream registry, a policy version
    (a stream's eligibility parameters and the program's thresholds) or a points grid.

    ``effective_from`` is a program date (America/Toronto); the version of a kind in force
    on a date is the latest with ``effective_from`` on or before it. ``document`` is the
    JSON the engine loads (the shape of the shipped files: a registry is ``{"streams":
    [...]}``, a policy version one entry of ``policy.json``'s ``versions``, a grid one
    ``grids/<date>.json``). Seeded from the shipped files after migrate (``author`` None),
    then published by a manager through ``services.publish_policy_version``. A published
    version is never edited, only superseded by a later one: the service refuses, the
    admin is read-only and the database refuses an UPDATE.
    """

    kind = models.CharField(max_length=10, choices=PolicyKind.choices)
    effective_from = models.DateField()
    document = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="policy_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_from.isoformat()}"

    @property
    def seeded(self) -> bool:
        """True for a version added from the shipped files rather than published."""
        return self.author_id is None


class ProgramChange(models.Model):
    """A change the program made by an act rather than by its policy data, recorded by the
    service that made it, for the public history of changes (``program.queries.history``).

    Streams opening and closing are read from the stream registry (their dates are policy
    data) and the yearly allocations from ``Allocation``; what happens only when someone
    acts lands here: today the withdrawal of a closed stream's un-invited EOIs
    (``eois.services.withdraw_closed_stream_eois``), with the stream, the program date,
    how many EOIs it withdrew and who did it. Each EOI withdrawn points back to its row
    (``EOI.withdrawn_by_change``). Counts only: nothing here names a person.
    """

    class Kind(models.TextChoices):
        EOIS_WITHDRAWN = "eois_withdrawn", _("Un-invited EOIs of a closed stream withdrawn")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    stream = models.CharField(max_length=30)
    effective_on = models.DateField()
    count = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.kind} {self.stream}: {self.count}"
