"""Reads of the program's policy tables shared by draws, publication and casework."""

from __future__ import annotations

from .models import Allocation


def allocation(year: int) -> Allocation | None:
    """The year's nomination allocation, or None when the year has none."""
    return Allocation.objects.filter(year=year).first()
