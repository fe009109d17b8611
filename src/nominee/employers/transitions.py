"""The job offer's lifecycle: which status may follow which, and the one writer of a move.

Three apps move a job offer: the employer portal (withdrawn, lapsed), the EOIs (an EOI
binds it, the candidate withdraws that EOI) and the draws (the candidate is invited).
They all call ``move_offer``, so that the allowed moves live in one table and every move
leaves one audit event per offer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from nominee.audit.services import record_many

from .models import JobOffer

Status = JobOffer.Status

# The status a move may start from, for each status it leads to.
MOVES: dict[str, frozenset[str]] = {
    Status.EOI_REGISTERED: frozenset({Status.AWAITING_EOI}),
    Status.WITHDRAWN: frozenset({Status.AWAITING_EOI}),
    Status.LAPSED: frozenset({Status.AWAITING_EOI}),
    Status.INVITED: frozenset({Status.EOI_REGISTERED}),
    Status.EOI_WITHDRAWN: frozenset({Status.EOI_REGISTERED}),
}

# The audit action of each move, named after the flow that makes it (as recorded since
# each app wrote its own).
ACTIONS: dict[str, str] = {
    Status.EOI_REGISTERED: "eois.job_offer_bound",
    Status.WITHDRAWN: "employers.job_offer_withdrawn",
    Status.LAPSED: "employers.job_offer_lapsed",
    Status.INVITED: "draws.job_offer_invited",
    Status.EOI_WITHDRAWN: "eois.job_offer_eoi_withdrawn",
}


def move_offer(
    offer_ids: Iterable[int],
    *,
    to: str,
    actor: Any,
    via: str,
    now: datetime | None = None,
    after: Callable[[JobOffer], Mapping[str, Any]] | None = None,
    data: Callable[[JobOffer], Mapping[str, Any]] | None = None,
) -> list[JobOffer]:
    """Move the offers to ``to``, each from a status ``MOVES`` allows, in the caller's
    transaction; returns the offers moved, in id order.

    Offers in any other status are left as they are: whether that is a refusal is the
    caller's rule, checked before it calls. The rows are locked, the status and
    ``updated_at`` written, and one event recorded per offer (``ACTIONS``; ``before`` and
    ``after`` the status, plus ``after(offer)``; ``data`` holds ``via``, the flow that
    moved it, plus ``data(offer)``). Raises RuntimeError outside a transaction: a move is
    always part of a service's change.
    """
    if to not in MOVES:
        raise ValueError(f"no move leads to {to!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("move_offer runs inside a service's transaction")
    now = now or timezone.now()
    offers = list(
        JobOffer.objects.select_for_update(of=("self",))
        .filter(pk__in=list(offer_ids), status__in=MOVES[to])
        .order_by("pk")
    )
    if not offers:
        return []
    befores = {offer.pk: offer.status for offer in offers}
    JobOffer.objects.filter(pk__in=list(befores)).update(status=to, updated_at=now)
    for offer in offers:
        offer.status = to
        offer.updated_at = now
    record_many(
        {
            "actor": actor,
            "action": ACTIONS[to],
            "subject": offer,
            "before": {"status": befores[offer.pk]},
            "after": {"status": to, **(after(offer) if after else {})},
            "data": {"via": via, **(data(offer) if data else {})},
        }
        for offer in offers
    )
    return offers
