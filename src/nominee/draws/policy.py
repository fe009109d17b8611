"""The policy figures draws read, from ``nominee.scoring.policy.policy_at`` (policy is data).

Kept in one place so that the selection, the execution and the preview read the same
figures: the legacy cut-off of the employer streams and the invitation windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nominee.scoring.policy import policy_at, stream_info


@dataclass(frozen=True)
class ItaWindows:
    """Days the employer (None outside the employer streams) and the candidate have to act."""

    employer: int | None
    candidate: int


def legacy_before(stream: str, on: date) -> date | None:
    """EOIs of ``stream`` registered before this program date are legacy (None: no such rule)."""
    # Whether the rule applies is the registry's (so a stream closed on ``on`` still answers);
    # the date is the version's.
    if not stream_info(stream).legacy_applies:
        return None
    return policy_at(on).legacy_before


def ita_windows(stream: str, on: date, pathway: str | None = None) -> ItaWindows:
    """The invitation windows of a stream (or of one of its pathways: the physicians' has no
    employer) from the stream registry; ``on`` is kept for callers that date the question."""
    days = stream_info(stream).ita_days_for(pathway)
    return ItaWindows(employer=days.employer, candidate=days.candidate)


def deadlines(stream: str, draw_date: date, pathway: str | None = None) -> tuple[date, date | None]:
    """The candidate's and the employer's deadlines: the draw date plus the windows of the
    stream, or of the EOI's pathway (the physicians' has no employer, so no employer
    deadline and no position approval)."""
    known = pathway if pathway in stream_info(stream).pathway_codes else None
    windows = ita_windows(stream, draw_date, known)
    candidate = draw_date + timedelta(days=windows.candidate)
    employer = None
    if stream_info(stream).takes_job_offer(known) and windows.employer:
        employer = draw_date + timedelta(days=windows.employer)
    return candidate, employer
