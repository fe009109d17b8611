"""Supporting documents: checked from their content, stored outside the web roots."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction
from django.utils import timezone

from nominee.audit.services import record
from nominee.core.errors import Conflict, ValidationFailed

from .. import documents
from ..models import Application, Document, PositionApproval
from .common import Party, S, _event, _lock, _require_party


def _may_upload(application: Application, party: str) -> bool:
    """A party adds documents to its own draft, or while the program awaits its answer."""
    if party == Party.CANDIDATE and application.status == S.DRAFT:
        return True
    if party == Party.EMPLOYER:
        approval = getattr(application, "position_approval", None)
        if approval is not None and approval.status == PositionApproval.Status.DRAFT:
            return True
    return application.status in (S.INFO_REQUESTED, S.INTENT_TO_REFUSE) and (
        application.awaiting == party
    )


@transaction.atomic(durable=True)
def add_document(
    *,
    actor: Any,
    application: Application | int,
    party: str,
    label: str,
    name: str,
    content: bytes,
) -> Document:
    """Add a supporting document for ``party``: checked from its content (PDF, JPEG, PNG,
    the name agreeing), within the size limits, stored outside the web roots; audited.

    Refused before anything is kept; bytes stored before a later refusal are removed.
    """

    locked = _lock(application)
    _require_party(actor, locked, party)
    if not _may_upload(locked, party):
        raise Conflict(
            "documents can be added to a draft, or to answer the program's request",
            code="application.documents_closed",
        )
    text = (label or "").strip()
    if not text:
        raise ValidationFailed(
            "say what the document is", fields={"label": ["this field is required"]}
        )
    used = sum(locked.documents.values_list("size", flat=True))
    checked = documents.check(name, content, already_stored=used)
    stored = documents.store(content)
    try:
        now = timezone.now()
        document = Document.objects.create(
            application=locked,
            party=party,
            label=text[:200],
            original_name=os.path.basename(name)[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            storage_name=stored,
            uploaded_by=actor,
            uploaded_at=now,
        )
        _event(
            locked,
            kind="document_added",
            actor=actor,
            party=party,
            text=f"{text} ({document.original_name})",
            now=now,
        )
        record(
            actor=actor,
            action="casework.document_added",
            subject=document,
            after={"sha256": checked.sha256, "size": checked.size},
            data={"eoi": locked.eoi.external_id, "party": party, "type": checked.content_type},
        )
    except BaseException:
        documents.discard(stored)
        raise
    return document
