"""Writing to the audit log. Call ``record`` inside the transaction of the change itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for a state change (``actor`` None or anonymous: the system).

    Give either ``subject`` or ``subject_type`` and ``subject_id``. ``before`` and
    ``after`` hold the fields the change touched, as JSON-able values.
    """
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    if subject_type is None or subject_id is None:
        raise ValueError("record() needs a subject")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=user,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        data=dict(data or {}),
    )


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, as JSON-able values for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out


def history(subject: models.Model) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first."""
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")


def record_refusal(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for a refused attempt, in a transaction of its own.

    A refused change writes nothing (its transaction rolls back), so the refusal is
    recorded after it, outside it; call this with no transaction open (in tests, inside
    the test's own transaction). Only refusals that matter for security are recorded
    (someone trying to use what is not theirs), never plain input mistakes.
    """
    with transaction.atomic():
        return record(
            actor=actor,
            action=action,
            subject=subject,
            subject_type=subject_type,
            subject_id=subject_id,
            data=data,
        )
