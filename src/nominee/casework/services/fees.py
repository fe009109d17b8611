"""The fee: an officer records it received, or a refund due as paid back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from ..models import Application
from ..states import check_fee
from .common import _audit, _event, _lock, _now, _require_officer, _state


def _fee(
    action: str, *, actor: Any, application: Application | int, reference: str, now: datetime | None
) -> Application:
    now = _now(now)
    locked = _lock(application)
    _require_officer(actor)
    target = check_fee(action, locked)
    before = _state(locked)
    locked.fee_status = target
    locked.updated_at = now
    locked.save(update_fields=["fee_status", "updated_at"])
    words = "received" if action == "fee_received" else "refunded"
    _event(
        locked,
        kind=action,
        actor=actor,
        text=f"Fee of ${locked.fee_amount} {words}. {reference}".strip(),
        now=now,
    )
    _audit(actor, action, locked, before, amount=locked.fee_amount, reference=reference)
    return locked


@transaction.atomic(durable=True)
def record_fee_received(
    *, actor: Any, application: Application | int, reference: str = "", now: datetime | None = None
) -> Application:
    """An officer records the fee as received."""
    return _fee("fee_received", actor=actor, application=application, reference=reference, now=now)


@transaction.atomic(durable=True)
def record_fee_refunded(
    *, actor: Any, application: Application | int, reference: str = "", now: datetime | None = None
) -> Application:
    """An officer records a refund due as paid back."""
    return _fee("fee_refunded", actor=actor, application=application, reference=reference, now=now)
