"""Fixtures of the publication tests: executed draws written directly, an empty cache."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI
from tests.factories import make_eoi

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> Iterator[None]:
    """Each test starts with an empty publication cache and no version memo."""
    settings.NOMINEE_PUBLICATION_VERSION_TTL = 0
    settings.SITE_URL = "https://nominee.example"
    cache.clear()
    yield
    cache.clear()


def executed_draw(
    *,
    stream: str = "foreign-worker",
    on: date = date(2025, 9, 3),
    invitations: int = 0,
    min_score: int | None = None,
    tie_break: datetime | None = None,
    eligible: int = 0,
    **criteria: Any,
) -> Draw:
    """An executed draw row with its result fields (no invitations rows)."""
    return Draw.objects.create(
        stream=stream,
        status=Draw.Status.EXECUTED,
        draw_date=on,
        invitations_requested=invitations or None,
        executed_at=timezone.now(),
        invitations_issued=invitations,
        min_score=min_score,
        tie_break=tie_break,
        eligible=eligible,
        **criteria,
    )


def invite(draw: Draw, eois: list[EOI]) -> None:
    """Invitation rows for the EOIs (ranked in order) and their status flipped."""
    now = timezone.now()
    for rank, eoi in enumerate(eois, start=1):
        Invitation.objects.create(
            draw=draw,
            eoi=eoi,
            rank=rank,
            score=eoi.score,
            invited_at=now,
            candidate_deadline=draw.draw_date,
        )
        eoi.status = EOI.Status.INVITED
        eoi.save(update_fields=["status"])


def pool_eoi(
    stream: str = "foreign-worker", score: int = 50, *, recent: bool = False, **extra: Any
) -> EOI:
    """An active EOI registered in July 2025 (live on every 2025-09 draw date), or ten
    days ago with ``recent`` (live today: the current pool)."""
    n = next(_numbers)
    if recent:
        registered = timezone.now() - timedelta(days=10) + timedelta(minutes=n)
    else:
        registered = datetime(2025, 7, 10, 9, 0, tzinfo=PROGRAM_TZ) + timedelta(minutes=n)
    return make_eoi(stream=stream, score=score, registered_at=registered, **extra)


SAMPLE_CSV = (
    "date,stream,draw_type,invitations,min_score,profiles_from,profiles_to,targeting_"
    "notes,source_url\n"
    "2025-09-02,Employer Job Offer: Foreign Worker,targeted,1305,41,2025-07-02,2025-0"
    "9-02,Priority health: NOC 31100;31101,https://example.org/a\n"
    "2025-09-03,Employer Job Offer: International Student,targeted,759,63,2025-07-02,"
    "2025-09-03,Same 77 NOC codes,https://example.org/b ; https://example.org/c\n"
    "2025-06-06,Employer Job Offer: Foreign Worker + International Student + In-Deman"
    "d Skills,targeted,72,,,,Greater Sudbury,https://example.org/d\n"
    "2024-01-24,Masters Graduate,general,1344,50,,,,https://example.org/e\n"
    "2025-12-10,Employer Job Offer: In-Demand Skills,targeted,,,,,Counts unconfirmed,\n"
)
