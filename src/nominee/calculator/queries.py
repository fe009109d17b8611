"""Scoring a profile document: the one path the API, the page and ``nominee score`` share."""

from __future__ import annotations

from datetime import date
from typing import Any

from nominee.core.errors import ValidationFailed, profile_invalid
from nominee.reference.queries import reference_data
from nominee.scoring import (
    Failure,
    NotInForce,
    Profile,
    ProfileError,
    Score,
    ScoringError,
    StreamNotOpen,
    check_profile,
    parse_profile,
)
from nominee.scoring import score_profile as engine_score


def parse_document(data: Any) -> Profile:
    """Validate a profile document, raising ValidationFailed (422) with a message per field."""
    try:
        return parse_profile(data, ref=reference_data())
    except ProfileError as error:
        raise profile_invalid(error) from None


def score(data: Any, *, at: date | None = None) -> tuple[Profile, Score]:
    """Parse and score a profile document with the grid in force at ``at`` (else its date)."""
    profile = parse_document(data)
    try:
        return profile, engine_score(profile, at=at, ref=reference_data())
    except StreamNotOpen as error:
        # INTERFACES §1: a closed or not-yet-open stream is bad input, its dates named.
        raise ValidationFailed(
            "the stream is not open on that date", fields={"stream": [str(error)]}, status=422
        ) from None
    except NotInForce as error:
        raise ValidationFailed(
            "no points grid was in force on that date", fields={"at": [str(error)]}, status=422
        ) from None
    except ScoringError as error:
        raise ValidationFailed(
            "the profile cannot be scored", fields={"body": [str(error)]}
        ) from None


def score_document(data: Any, *, at: date | None = None) -> dict[str, Any]:
    """The score JSON (spec/INTERFACES.md §2) of a profile document."""
    return score(data, at=at)[1].to_document()


def eligibility(profile: Profile, *, on: date | None = None) -> list[Failure]:
    """What the profile itself shows against the stream's minimum requirements."""
    return check_profile(profile, on=on, ref=reference_data())
