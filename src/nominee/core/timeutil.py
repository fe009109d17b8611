"""The program's calendar: dates in America/Toronto, instants in UTC.

``PROGRAM_TZ`` and ``program_date`` are the pure engine's (``scoring.policy``), so that the
engine and the Django side can never disagree on which day an instant falls.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from nominee.scoring.policy import PROGRAM_TZ, program_date

__all__ = ["PROGRAM_TZ", "add_months", "end_of", "program_date", "start_of", "today"]


def today() -> date:
    """Today's date in the program's time zone."""
    return timezone.now().astimezone(PROGRAM_TZ).date()


def start_of(day: date) -> datetime:
    """The first instant of a program date."""
    return datetime.combine(day, time.min, tzinfo=PROGRAM_TZ)


def end_of(day: date) -> datetime:
    """The first instant after a program date: windows are ``[start_of(a), end_of(b))``.

    After 9999-12-31 there is no date: its end is the last instant a datetime can hold
    (9999-12-31 18:59:59.999999 in Toronto; a later instant of that day has no UTC time).
    """
    if day == date.max:
        return datetime.max.replace(tzinfo=UTC)
    return start_of(day + timedelta(days=1))


def add_months(instant: datetime, months: int) -> datetime:
    """The same wall-clock time ``months`` calendar months later, in the program's zone.

    A day that the target month lacks becomes its last day (2024-02-29 + 12 months is
    2025-02-28), as a person counting months on a calendar would have it.
    """
    local = instant.astimezone(PROGRAM_TZ)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(instant.tzinfo)
