"""The program's policy tables: the yearly nomination allocation (DOMAIN §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
