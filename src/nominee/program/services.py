"""Program services: the yearly allocations (seeded after migrate, set by a manager)."""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

from django.db import transaction

from nominee.audit.services import record
from nominee.core.errors import ValidationFailed

from .models import Allocation


def seed_allocations(**kwargs: Any) -> None:
    """post_migrate receiver: add the shipped yearly allocations that are missing.

    A year already present is left alone: a manager's figure wins over the shipped one.
    """
    using = kwargs.get("using", "default")
    text = resources.files("nominee.program").joinpath("data", "allocations.csv").read_text()
    for row in csv.DictReader(io.StringIO(text)):
        Allocation.objects.using(using).get_or_create(
            year=int(row["year"]),
            defaults={"nominations": int(row["nominations"]), "source": row["source"]},
        )


@transaction.atomic(durable=True)
def set_allocation(*, year: int, nominations: int, actor: Any, source: str = "") -> Allocation:
    """Set a year's allocation (a manager's act). Never below the nominations already issued.

    Raises ValidationFailed before writing when the figure is negative or below what was
    already issued.
    """
    return _set_allocation(year=year, nominations=nominations, actor=actor, source=source)


def _set_allocation(*, year: int, nominations: int, actor: Any, source: str = "") -> Allocation:
    """The body of ``set_allocation``, in the caller's transaction."""
    if nominations < 0:
        raise ValidationFailed(
            "the allocation must not be negative",
            fields={"nominations": ["must be 0 or more"]},
        )
    allocation = Allocation.objects.select_for_update().filter(year=year).first()
    before = None
    if allocation is None:
        allocation = Allocation(year=year, nominations=nominations, source=source)
    else:
        if nominations < allocation.nominations_issued:
            raise ValidationFailed(
                f"{allocation.nominations_issued} nominations were already issued in {year}",
                fields={"nominations": [f"must be at least {allocation.nominations_issued}"]},
            )
        before = {"nominations": allocation.nominations}
        allocation.nominations = nominations
        allocation.source = source or allocation.source
    allocation.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    allocation.save()
    record(
        actor=actor,
        action="allocation.set",
        subject=allocation,
        before=before,
        after={"nominations": nominations},
    )
    return allocation
