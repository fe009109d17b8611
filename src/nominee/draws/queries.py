"""Reads shared by the pages, the API and the command line. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from nominee.eois.models import Candidate
from nominee.program import queries as program_queries

from .criteria import DrawCriteria
from .models import Draw, Invitation
from .selection import Ranked, histogram, select
from .services import DrawResult

HISTOGRAM_SPAN = 10  # scores shown on each side of the cut-off


@dataclass(frozen=True)
class AllocationEffect:
    """The draw beside the year's nomination allocation (DOMAIN §7)."""

    year: int
    nominations: int | None
    nominations_issued: int | None
    invitations_issued: int
    this_draw: int

    @property
    def remaining(self) -> int | None:
        """Nominations still available this year (None without an allocation)."""
        if self.nominations is None or self.nominations_issued is None:
            return None
        return self.nominations - self.nominations_issued

    @property
    def invitations_after(self) -> int:
        """Invitations of the year once this draw is executed."""
        return self.invitations_issued + self.this_draw

    @property
    def exceeds_remaining(self) -> bool:
        """Whether the year's invitations would outnumber the nominations left."""
        remaining = self.remaining
        return remaining is not None and self.invitations_after > remaining

    def to_document(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {
            "year": self.year,
            "nominations": self.nominations,
            "nominations_issued": self.nominations_issued,
            "nominations_remaining": self.remaining,
            "invitations_issued": self.invitations_issued,
            "this_draw": self.this_draw,
            "invitations_after": self.invitations_after,
        }


@dataclass(frozen=True)
class Preview:
    """What a draw with these criteria would do now, computed without writing anything.

    ``eligible`` matches the stream and targeting; ``count`` is how many would be invited;
    ``min_score`` and ``tie_break`` are the score and registration time of the last of
    them; ``histogram`` holds (score, count) of the eligible pool within
    ``HISTOGRAM_SPAN`` of the cut-off, highest first; ``selected`` the ranked EOIs.
    """

    criteria: DrawCriteria
    eligible: int
    count: int
    min_score: int | None
    tie_break: datetime | None
    histogram: list[tuple[int, int]]
    allocation: AllocationEffect
    selected: list[Ranked] = field(repr=False)

    @property
    def histogram_max(self) -> int:
        """The largest bar (for scaling the chart)."""
        return max((n for _score, n in self.histogram), default=0)

    @property
    def chart_bars(self) -> list[dict[str, Any]]:
        """SVG bars (600 x 185 drawing area) of the histogram, lowest score on the left."""
        bars = sorted(self.histogram)
        if not bars:
            return []
        top = self.histogram_max or 1
        slot = 600 / len(bars)
        out = []
        for index, (score, n) in enumerate(bars):
            height = round(170 * n / top, 1)
            out.append(
                {
                    "score": score,
                    "count": n,
                    "x": round(index * slot + slot * 0.1, 1),
                    "width": round(slot * 0.8, 1),
                    "y": round(185 - height, 1),
                    "height": height,
                    "label_x": round(index * slot + slot * 0.3, 1),
                    "cut": score == self.min_score,
                    "below": self.min_score is not None and score < self.min_score,
                }
            )
        return out

    def result(self, draw: int | None = None) -> DrawResult:
        """The draw result document of a dry run."""
        return DrawResult(
            draw=draw,
            stream=self.criteria.stream,
            executed=False,
            date=self.criteria.draw_date,
            invitations=self.count,
            min_score=self.min_score,
            tie_break=self.tie_break,
            eligible=self.eligible,
            invited=[row.external_id for row in self.selected],
        )

    def to_document(self) -> dict[str, Any]:
        """JSON-able preview (API)."""
        return {
            **self.result().to_document(),
            "histogram": [{"score": s, "count": n} for s, n in self.histogram],
            "allocation": self.allocation.to_document(),
            "criteria": self.criteria.to_document(),
        }


def allocation_effect(year: int, this_draw: int) -> AllocationEffect:
    """The year's allocation, nominations issued and invitations issued, beside a draw."""
    allocation = program_queries.allocation(year)
    issued = Invitation.objects.filter(draw__draw_date__year=year).count()
    return AllocationEffect(
        year=year,
        nominations=allocation.nominations if allocation else None,
        nominations_issued=allocation.nominations_issued if allocation else None,
        invitations_issued=issued,
        this_draw=this_draw,
    )


def preview(criteria: DrawCriteria) -> Preview:
    """The preview of a draw: counts, cut-off, tie-break, histogram, allocation effect.

    Runs the same selection query as the execution (so a preview and an execution on
    the same pool agree) and one GROUP BY over the eligible pool; writes nothing.
    """
    bars = histogram(criteria)
    eligible = sum(n for _score, n in bars)
    selected = select(criteria)
    last = selected[-1] if selected else None
    cut = last.score if last else criteria.min_score
    if cut is None:
        shown = bars[: 2 * HISTOGRAM_SPAN + 1]
    else:
        shown = [(s, n) for s, n in bars if abs(s - cut) <= HISTOGRAM_SPAN]
    return Preview(
        criteria=criteria,
        eligible=eligible,
        count=len(selected),
        min_score=last.score if last else None,
        tie_break=last.registered_at if last else None,
        histogram=shown,
        allocation=allocation_effect(criteria.draw_date.year, len(selected)),
        selected=selected,
    )


def draws_for_staff() -> QuerySet[Draw]:
    """Every draw, newest first, with the people who acted on it."""
    return Draw.objects.select_related(
        "proposed_by", "approved_by", "executed_by", "occupation_list"
    ).order_by("-draw_date", "-id")


def draw_invitations(draw: Draw) -> QuerySet[Invitation]:
    """A draw's invitations in rank order with their EOIs."""
    return draw.invitations.select_related("eoi").order_by("rank")


def _with_effective_status(rows: QuerySet[Invitation]) -> list[Invitation]:
    return list(rows)


def invitations_for_candidate(candidate: Candidate) -> list[Invitation]:
    """A candidate's invitations, newest first, each showing its deadlines and status.

    An open invitation past its candidate deadline reads as expired (expiry on read)
    even before the daily sweep records it.
    """
    return _with_effective_status(
        Invitation.objects.filter(eoi__candidate=candidate)
        .select_related("draw", "eoi", "eoi__job_offer")
        .order_by("-invited_at", "-id")
    )


def invitations_for_employer(employer: Any) -> list[Invitation]:
    """The invitations issued on an employer's job offers, newest first (expiry on read)."""
    return _with_effective_status(
        Invitation.objects.filter(eoi__job_offer__employer=employer)
        .select_related("draw", "eoi", "eoi__job_offer", "eoi__candidate")
        .order_by("-invited_at", "-id")
    )
