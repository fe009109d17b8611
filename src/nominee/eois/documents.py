"""Pure helpers between the engine and the EOI row: no database, no side effects.

``eoi_columns`` turns a parsed profile and its score into the EOI row's columns; the bulk
import, the portal registration, the demo and the draws benchmark all use it, so it must
stay fast (a few dictionary lookups) and free of I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from nominee.core.timeutil import add_months
from nominee.program import streams
from nominee.scoring import Profile, ReferenceData, Score
from nominee.scoring.policy import policy_at, program_date

# Parts of a JSONL line that are not the profile document.
CANDIDATE_KEYS = ("candidate_name", "candidate_email")

#: Each stream's EOI id prefix, from the stream registry.
ID_PREFIX = streams.ID_PREFIX


def breakdown(score: Score) -> list[dict[str, Any]]:
    """The factors of a score as stored on the EOI (INTERFACES §2 ``factors``)."""
    return [
        {"factor": f.factor, "points": f.points, "max": f.max, "reason": f.reason}
        for f in score.factors
    ]


def eoi_columns(
    profile: Profile, score: Score, ref: ReferenceData, *, judged_on: date | None = None
) -> dict[str, Any]:
    """The EOI row's columns for a parsed profile (with ``registered_at``) and its score.

    Keys: stream, registered_at, expires_at (registered_at plus the policy's EOI validity,
    in calendar months), is_legacy (employer stream registered before the policy's
    ``legacy_before``), pathway, noc, census_division (the job offer's, or a physician's
    practice), region (the work location's scoring region in the region table in force on
    the registration date: Muskoka is northern from 2026-06-26),
    in_canada (a permit other than ``none``), education_level, french_clb, score,
    max_score, grid, policy_version (the effective date of the policy version in force on
    ``judged_on``, default the registration date), breakdown, profile (the canonical
    document). Raises ValueError when the profile has no ``registered_at``.
    """
    registered_at = profile.registered_at
    if registered_at is None:
        raise ValueError("the profile has no registered_at")
    registered_on = program_date(registered_at)
    policy = policy_at(registered_on)
    offer = profile.workplace
    division = ref.census_divisions.get(offer.census_division) if offer is not None else None
    education = profile.education
    return {
        "stream": profile.stream,
        "pathway": profile.pathway,
        "registered_at": registered_at,
        "expires_at": add_months(registered_at, policy.eoi_validity_months),
        "is_legacy": policy.is_legacy(profile.stream, registered_on),
        "noc": offer.noc if offer is not None else None,
        "census_division": offer.census_division if offer is not None else None,
        "region": division.region_in(policy.region_table) if division is not None else None,
        "in_canada": profile.permit != "none",
        "education_level": education.level if education is not None else None,
        "french_clb": profile.languages.french,
        "score": score.total,
        "max_score": score.max,
        "grid": score.grid,
        "policy_version": (
            policy if judged_on is None or judged_on == registered_on else policy_at(judged_on)
        ).effective_from,
        "breakdown": breakdown(score),
        "profile": profile.to_document(),
    }


def is_employer_stream(stream: str, pathway: str | None = None) -> bool:
    """Whether the stream (and pathway: the physicians' takes none) takes a job offer."""
    return streams.takes_job_offer(stream, pathway)


#: An OHIP billing (provider) number as the Ministry of Health issues it: six digits. A
#: shape check of what is typed, not a program rule (docs/decisions.md, decision 64).
OHIP_SHAPE = re.compile(r"\d{6}")
OHIP_SHAPE_HELP = _("Six digits, as on your OHIP billing registration (spaces are ignored).")


def normalise_ohip(value: str) -> str:
    """An OHIP billing number as typed, without spaces or dashes."""
    return "".join(ch for ch in str(value) if ch not in " -\t")


def ohip_shape_ok(value: str) -> bool:
    """Whether a (normalised) OHIP billing number has the issued shape."""
    return OHIP_SHAPE.fullmatch(value) is not None


def mask_ohip(value: object) -> str:
    """An OHIP billing number shown back: its last two digits only, never in full."""
    text = normalise_ohip(str(value or ""))
    return "\u2022" * max(len(text) - 2, 4) + text[-2:] if text else ""


def shown_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Stored eligibility facts as pages and the API show them: the OHIP number masked."""
    if not facts.get("ohip_billing_number"):
        return dict(facts)
    return {**facts, "ohip_billing_number": mask_ohip(facts["ohip_billing_number"])}


def normalise_name(name: str) -> str:
    """A name as compared with a job offer's: case-insensitive, whitespace collapsed."""
    return " ".join(name.split()).casefold()


def normalise_email(email: str) -> str:
    """An e-mail address as compared and stored: trimmed, lower case."""
    return email.strip().lower()


def flag(rule: str, message: str, source: str) -> dict[str, str]:
    """One flag for an officer: the rule, what it says, and where it came from."""
    return {"rule": rule, "message": message, "source": source}


def failures_as_flags(failures: Sequence[Any], source: str) -> list[dict[str, str]]:
    """Engine failures (``rule``, ``message``) or stored dicts, as EOI flags."""
    out = []
    for failure in failures:
        if isinstance(failure, dict):
            rule = str(failure.get("rule") or failure.get("code") or "rule")
            message = str(failure.get("message") or rule)
        else:
            rule, message = failure.rule, failure.message
        out.append(flag(rule, message, source))
    return out


def instant_text(value: datetime) -> str:
    """An instant as the documents carry it: UTC with a ``Z``."""
    from datetime import UTC

    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
