"""``POST /api/v1/score``: public, stateless scoring of a profile document."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from nominee.core.ratelimits import limit
from nominee.core.schemas import ERRORS, request_body_schema
from nominee.scoring import Profile

from .queries import score_document

router = Router(tags=["score"])


class FactorOut(Schema):
    """One factor of a score."""

    factor: str
    points: int
    max: int
    reason: str


class ScoreOut(Schema):
    """The score document (spec/INTERFACES.md §2)."""

    stream: str
    grid: str
    total: int
    max: int
    factors: list[FactorOut]


@router.post(
    "/score",
    auth=None,
    response={200: ScoreOut, **ERRORS},
    summary="Score a profile document",
    description=(
        "Scores one profile document (spec/INTERFACES.md §1) on the grid in force on its "
        "`registered_at` (or `at`, a date). Answers 422 with a message per field when the "
        "document is invalid. The same JSON as `nominee score`."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": request_body_schema(Profile)}},
        }
    },
)
def score(
    request: HttpRequest, at: date | None = None, document: Any = Body(...)
) -> dict[str, Any]:
    """Score the posted profile document (rate-limited per client address)."""
    limit(request, "score_ip")
    return score_document(document, at=at)
