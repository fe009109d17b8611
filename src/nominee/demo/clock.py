"""The day the demo is set on: a day of the 2025 program, while its five streams were open.

The five 2025 streams closed on 2026-05-30 (DOMAIN §9), so a demo that registered their
job offers, EOIs and invitations "today" would be refused. Until the demo of today's
program (Workforce Priority) is built, the demo steps date what they load on
:data:`DEMO_DAY` (decision 44): job offers, registrations and the walkthrough draw.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from nominee.core.timeutil import PROGRAM_TZ

#: A Monday after the 2025 history the demo replays (the draws of 2025-09-02/03), with
#: every invitation window it opens ending before 2026-05-30.
DEMO_DAY = date(2025, 12, 1)


def demo_today() -> date:
    """The demo's "today": :data:`DEMO_DAY`."""
    return DEMO_DAY


def demo_now() -> datetime:
    """The demo's "now": the current time of day on :data:`DEMO_DAY`, in Toronto."""
    clock = timezone.now().astimezone(PROGRAM_TZ).time().replace(microsecond=0)
    return datetime.combine(DEMO_DAY, time(clock.hour, clock.minute, clock.second), PROGRAM_TZ)
