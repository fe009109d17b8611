"""Carrying an EOI withdrawn by its stream's closing into the stream that opened after it.

What the real program did not offer (issue 12): the candidate starts an EOI in the
successor stream prefilled from the old one instead of retyping it. Reads only: the draft
is registered through ``services.register_eoi`` (``carried_from``), which locks the old
EOI and records the link. The criterion "withdrawn by a closing" lives in one function,
:func:`withdrawn_by_closing`, so that a stored marker can replace it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from nominee.core.timeutil import program_date
from nominee.program import streams
from nominee.scoring import (
    Failure,
    ProfileError,
    ReferenceData,
    Score,
    check_profile,
    parse_profile,
    score_profile,
)
from nominee.scoring.policy import policy_at

from .documents import breakdown
from .models import EOI

#: The declared parts of a profile that carry over as they are (INTERFACES §1).
CARRIED_KEYS = ("permit", "job_tenure_months", "highest_annual_earnings", "languages")


def withdrawn_by_closing(eoi: EOI) -> bool:
    """Withdrawn, in a stream that was closed on the day of its withdrawal (DOMAIN §9)."""
    if eoi.status != EOI.Status.WITHDRAWN or eoi.withdrawn_at is None:
        return False
    if not streams.is_stream(eoi.stream):
        return False
    until = streams.info(eoi.stream).until
    return until is not None and until <= program_date(eoi.withdrawn_at)


def successor_stream(stream: str, on: date) -> str | None:
    """The stream that opened on or after the closing of ``stream`` and is open on ``on``:
    the first of the registry's (None when none is open)."""
    until = streams.info(stream).until
    if until is None:
        return None
    for code in streams.open_codes(on):
        if streams.info(code).effective_from >= until:
            return code
    return None


def fitting_pathway(stream: str, noc: str | None, on: date, ref: ReferenceData) -> str | None:
    """The pathway of ``stream`` that the old job's NOC fits: one whose NOC list holds it
    (physicians), else one whose TEERs hold its TEER. None without a NOC or a fit."""
    if noc is None or not streams.pathway_codes(stream):
        return None
    rules = policy_at(on).stream(stream)
    for code in streams.pathway_codes(stream):
        own = rules.pathway(code)
        if own is not None and own.nocs is not None and noc in own.nocs:
            return code
    occupation = ref.nocs.get(noc)
    if occupation is None:
        return None
    for code in streams.pathway_codes(stream):
        info = streams.pathway_info(stream, code)
        if info.job_offer_required and info.teers is not None and occupation.teer in info.teers:
            return code
    return None


@dataclass(frozen=True)
class CarryOver:
    """The prefilled draft of a carried-over EOI: the new document (with the old job as a
    hint in ``job_offer`` for a TEER pathway, as ``practice`` for a physician), the pathway
    that fits, its score and the requirements it fails on what is known so far."""

    old: EOI
    stream: str
    pathway: str | None
    document: dict[str, Any]
    hint: dict[str, Any] | None
    facts: dict[str, Any]
    score: Score | None = None
    failures: list[Failure] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def profile(self) -> dict[str, Any]:
        """The declared parts as the registration wizard keeps them (no job offer: the
        candidate quotes the new offer's ID, whose facts replace the hint)."""
        return {k: v for k, v in self.document.items() if k not in ("stream", "job_offer")}

    def to_document(self) -> dict[str, Any]:
        """The draft as JSON (API, ``nominee eoi carry-over --json``)."""
        return {
            "carried_from": self.old.external_id,
            "stream": self.stream,
            "pathway": self.pathway,
            "document": self.document,
            "job_offer_hint": self.hint,
            "score": None
            if self.score is None
            else {
                "stream": self.score.stream,
                "grid": self.score.grid,
                "total": self.score.total,
                "max": self.score.max,
                "factors": breakdown(self.score),
            },
            "requirements": [f.to_document() for f in self.failures],
            "errors": self.errors,
        }


def carried_document(old: EOI, stream: str, pathway: str | None) -> dict[str, Any]:
    """The new profile document mapped from the old one: languages, education (level and
    Canadian credentials), earnings, permit, months in the position kept; the Ontario work
    months start at the months in the position (a lower bound the candidate corrects)."""
    profile = dict(old.profile or {})
    doc: dict[str, Any] = {"stream": stream}
    if pathway is not None:
        doc["pathway"] = pathway
    for key in CARRIED_KEYS:
        if key in profile:
            doc[key] = profile[key]
    doc.setdefault("job_tenure_months", 0)
    physician = pathway is not None and not streams.takes_job_offer(stream, pathway)
    if streams.pathway_codes(stream) and not physician:
        # The workers' fallback ladder (DOMAIN §9): physicians have none.
        doc["ontario_work_months"] = doc["job_tenure_months"]
    education = profile.get("education") or {}
    if education.get("level") is not None or education.get("canadian_credentials"):
        doc["education"] = {
            "level": education.get("level"),
            "canadian_credentials": education.get("canadian_credentials") or 0,
        }
    offer = profile.get("job_offer") or {}
    if offer.get("noc"):
        if physician:
            doc["practice"] = {"noc": offer["noc"], "census_division": offer.get("census_division")}
        else:
            doc["job_offer"] = {
                "noc": offer["noc"],
                "hourly_wage": offer.get("hourly_wage"),
                "census_division": offer.get("census_division"),
            }
    return doc


def draft(old: EOI, stream: str, *, now: datetime, ref: ReferenceData) -> CarryOver:
    """The draft of ``old`` carried into ``stream`` at ``now``, scored with the hint."""
    on = program_date(now)
    offer = (old.profile or {}).get("job_offer") or {}
    pathway = fitting_pathway(stream, offer.get("noc"), on, ref)
    document = carried_document(old, stream, pathway)
    hint = document.get("job_offer") or document.get("practice")
    facts = dict(old.facts or {})
    try:
        profile = parse_profile({**document, "registered_at": now.isoformat()}, ref=ref)
    except ProfileError as error:
        return CarryOver(old, stream, pathway, document, hint, facts, errors=error.by_field())
    return CarryOver(
        old,
        stream,
        pathway,
        document,
        hint,
        facts,
        score=score_profile(profile, ref=ref),
        failures=check_profile(profile, on=on, ref=ref),
    )
