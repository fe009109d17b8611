"""The audit log. Rows are inserted, never updated or deleted (the database refuses too),
and each is chained to the one before it by a hash (``chain.py``, docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit event."""


class ChainHeadMissing(RuntimeError):
    """Raised by ``record`` when the chain's head row is gone: nothing can be appended
    until someone has looked (``nominee audit verify`` names what is wrong)."""


class AuditEvent(models.Model):
    """One state change: who (``actor``, null for the system), what (``action`` and the
    subject), when (``at``), and the subject's relevant fields before and after.

    ``subject_type`` is ``app_label.model`` and ``subject_id`` its primary key as text, so
    that the log outlives the rows it speaks of.

    ``seq`` is the event's place in the chain (1, 2, 3, ... without gaps, in commit order),
    ``prev_hash`` the hash of event ``seq - 1`` and ``hash`` the SHA-256 of this event's
    content and ``prev_hash`` (``chain.link``). Only ``services.record`` writes them; the
    database refuses an event that does not extend the chain's head.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an event that exists already cannot be saved again."""
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Never: the log is append-only."""
        raise AppendOnlyError("audit events cannot be deleted")


class ChainHead(models.Model):
    """The last link of the chain: one row (id 1) holding the newest event's ``seq`` and
    ``hash`` (0 and ``chain.GENESIS`` while the log is empty).

    ``record`` locks it to append, so concurrent writers queue instead of forking the
    chain; a trigger advances it with each event. Events cut from the end of the log leave
    the head pointing past them, which ``verify`` reports.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_one_head")]

    def __str__(self) -> str:
        return f"audit chain head: event {self.seq}"
