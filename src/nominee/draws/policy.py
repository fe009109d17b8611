"""The policy figures draws read, from ``nominee.scoring.policy.policy_at`` (policy is data).

Kept in one place so that the selection, the execution and the preview read the same
figures: the legacy cut-off of the employer streams and the invitation windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nominee.scoring.policy import policy_at


@dataclass(frozen=True)
class ItaWindows:
    """Days the employer (None outside the employer streams) and the candidate have to act."""

    employer: int | None
    candidate: int


def legacy_before(stream: str, on: date) -> date | None:
    """EOIs of ``stream`` registered before this program date are legacy (None: no such rule)."""
    policy = policy_at(on)
    return policy.legacy_before if policy.streams[stream].legacy_applies else None


def ita_windows(stream: str, on: date) -> ItaWindows:
    """The invitation windows of a stream under the policy in force on ``on``."""
    days = policy_at(on).streams[stream].ita_days
    return ItaWindows(employer=days.employer, candidate=days.candidate)


def deadlines(stream: str, draw_date: date) -> tuple[date, date | None]:
    """The candidate's and the employer's deadlines: the draw date plus the policy's windows."""
    windows = ita_windows(stream, draw_date)
    candidate = draw_date + timedelta(days=windows.candidate)
    employer = None if windows.employer is None else draw_date + timedelta(days=windows.employer)
    return candidate, employer
