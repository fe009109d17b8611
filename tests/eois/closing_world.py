"""A closed stream's pool: the EOIs a withdrawal takes and those it must leave alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import time_machine

from nominee.accounts import services as accounts
from nominee.core.timeutil import PROGRAM_TZ
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import EOI, Candidate
from tests.factories import make_eoi, submit_offer

CLOSING = date(2026, 5, 30)
LIVE = datetime(2026, 5, 1, 10, tzinfo=PROGRAM_TZ)  # expires 2027-05-01
EXPIRED = datetime(2025, 5, 1, 10, tzinfo=PROGRAM_TZ)  # expired on 2026-05-01
OFFER_MADE = datetime(2026, 4, 20, 10, tzinfo=PROGRAM_TZ)


@dataclass
class Pool:
    """Alice's bound EOI (Bob's offer, Carol her representative), two anonymous live ones,
    and the ones a withdrawal leaves: invited, expired, withdrawn, another stream."""

    alice_eoi: EOI
    offer: JobOffer
    live: list[EOI]
    invited: EOI
    expired: EOI
    withdrawn: EOI
    other_stream: EOI


def closing_pool(alice, bob, carol, stream: str = "foreign-worker") -> Pool:  # type: ignore[no-untyped-def]
    """The pool of tests/eois/test_closing.py, written directly (the stream may already be
    closed in the shipped registry, so the registration service is not used)."""
    candidate = Candidate.objects.get(user=alice)
    accounts.appoint_representative(actor=alice, representative=carol, candidate=candidate)
    employer = Employer.objects.get(contacts__user=bob)
    # Bob made his offer while the 2025 stream was open, before Alice registered on it.
    with time_machine.travel(OFFER_MADE, tick=False):
        offer = submit_offer(bob, employer)
    JobOffer.objects.filter(pk=offer.pk).update(status=JobOffer.Status.EOI_REGISTERED)
    alice_eoi = make_eoi(stream=stream, registered_at=LIVE, candidate=candidate, job_offer=offer)
    live = [make_eoi(stream=stream, registered_at=LIVE) for _ in range(2)]
    return Pool(
        alice_eoi=alice_eoi,
        offer=offer,
        live=live,
        invited=make_eoi(stream=stream, registered_at=LIVE, status=EOI.Status.INVITED),
        expired=make_eoi(stream=stream, registered_at=EXPIRED),
        withdrawn=make_eoi(stream=stream, registered_at=LIVE, status=EOI.Status.WITHDRAWN),
        other_stream=make_eoi(stream="masters", registered_at=LIVE),
    )
