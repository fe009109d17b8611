"""Files in review made directly (for the concurrency and transition tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from tests.casework.conftest import invite
from tests.factories import make_eoi

from nominee.casework.models import Application
from nominee.core.timeutil import PROGRAM_TZ


def ready_file(
    *, stream: str = "masters", status: str = Application.Status.IN_REVIEW, **extra: Any
) -> Application:
    """A complete graduate-stream file (no candidate account) in ``status``."""
    base = datetime(2025, 8, 1, 9, tzinfo=PROGRAM_TZ)
    eoi = make_eoi(
        stream=stream, registered_at=base + timedelta(seconds=Application.objects.count())
    )
    invitation = invite(eoi, stream=stream, employer_deadline=None)
    now = timezone.now()
    return Application.objects.create(
        invitation=invitation,
        eoi=eoi,
        stream=stream,
        status=status,
        snapshot={"external_id": eoi.external_id},
        created_at=now,
        updated_at=now,
        submitted_at=now,
        ready=True,
        ready_at=now,
        fee_status=Application.Fee.DUE,
        fee_amount=1500,
        **extra,
    )


def close(response: Any) -> None:
    """Close a response (a FileResponse's file) without the request_finished signal closing
    the test's database connection inside its transaction, as Django's test client avoids."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
