"""Reads of candidates, EOIs and the pool that pages, the API and commands share."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nominee.accounts.models import Appointment
from nominee.accounts.roles import is_staff_reader
from nominee.accounts.services import can_act_for
from nominee.audit.models import AuditEvent
from nominee.core.errors import DomainError, NotFound
from nominee.core.timeutil import end_of, program_date, start_of
from nominee.employers.models import JobOffer
from nominee.program import streams
from nominee.reference.models import CensusDivision, Noc
from nominee.reference.queries import reference_data
from nominee.scoring import (
    EligibilityFacts,
    Failure,
    ProfileError,
    Score,
    ScoringError,
    check_profile,
    parse_profile,
    score_profile,
)
from nominee.scoring.engine import compile_scorer
from nominee.scoring.grids import Grid

from .carryover import withdrawn_by_closing
from .closing import ClosedStreamCount as ClosedStreamCount
from .closing import closed_stream_counts as closed_stream_counts
from .documents import instant_text
from .generate import document_line
from .models import EOI, Candidate
from .offers import check_job_offer_id, parse_facts, registration_document

# ---- who sees what ------------------------------------------------------------------


def candidate_of(user: Any) -> Candidate | None:
    """The user's own candidate profile, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Candidate.objects.filter(user=user).first()


def represented_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidates who appointed this user as their representative (not revoked)."""
    ids = Appointment.objects.filter(
        representative__user=user, revoked_at__isnull=True, candidate__isnull=False
    ).values("candidate_id")
    return Candidate.objects.filter(id__in=ids).order_by("full_name")


def candidate_for(user: Any, candidate_id: int) -> Candidate:
    """A candidate the user may act for (own or appointed); NotFound otherwise."""
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None or not can_act_for(user, candidate=candidate):
        raise NotFound("no such candidate")
    return candidate


def may_read(user: Any, eoi: EOI) -> bool:
    """Staff readers, the candidate, and their appointed representative."""
    if is_staff_reader(user):
        return True
    return eoi.candidate is not None and can_act_for(user, candidate=eoi.candidate)


def may_act(user: Any, eoi: EOI) -> bool:
    """The candidate and their representative (staff read only)."""
    return eoi.candidate is not None and can_act_for(user, candidate=eoi.candidate)


def eoi_for(user: Any, external_id: str) -> EOI:
    """An EOI the user may read; NotFound (never 403) for anyone else."""
    eoi = (
        EOI.objects.select_related("candidate", "job_offer", "job_offer__employer", "carried_from")
        .filter(external_id=external_id)
        .first()
    )
    if eoi is None or not may_read(user, eoi):
        raise NotFound("no such EOI")
    return eoi


def eois_of(candidate: Candidate) -> QuerySet[EOI]:
    """A candidate's EOIs, newest first."""
    return (
        EOI.objects.filter(candidate=candidate)
        .select_related("job_offer")
        .order_by("-registered_at", "-id")
    )


def visible_eois(user: Any) -> QuerySet[EOI]:
    """The EOIs a non-staff user may act on: their own and those of who appointed them."""
    own = Candidate.objects.filter(user=user).values("id")
    appointed = Appointment.objects.filter(
        representative__user=user, revoked_at__isnull=True, candidate__isnull=False
    ).values("candidate_id")
    return (
        EOI.objects.filter(Q(candidate_id__in=own) | Q(candidate_id__in=appointed))
        .select_related("candidate")
        .order_by("-registered_at", "-id")
    )


# ---- carry-over and the physician's practice ---------------------------------------------


def carried_to(eoi: EOI) -> EOI | None:
    """The EOI this one was carried over into, if any."""
    try:
        return eoi.carried_to
    except EOI.DoesNotExist:
        return None


def carriable(eoi: EOI) -> bool:
    """Withdrawn by its stream's closing and not carried over yet (the link to offer)."""
    return withdrawn_by_closing(eoi) and carried_to(eoi) is None


def place_name(code: str | None) -> str:
    """A census division in words, ``Toronto (3520)``; the code itself when unknown."""
    if not code:
        return ""
    division = CensusDivision.objects.filter(code=code).first()
    return f"{division.name} ({code})" if division else code


def practice_of(eoi: EOI) -> dict[str, Any] | None:
    """A physician's practice in words: NOC with its title, the census division's name."""
    practice = (eoi.profile or {}).get("practice")
    if not practice:
        return None
    noc = Noc.objects.filter(code=practice.get("noc")).first()
    division = CensusDivision.objects.filter(code=practice.get("census_division")).first()
    return {
        "noc": practice.get("noc"),
        "noc_title": noc.display_title if noc else "",
        "census_division": practice.get("census_division"),
        "place": division.name if division else "",
    }


# ---- state in words -------------------------------------------------------------------


def state(eoi: EOI, now: datetime | None = None) -> str:
    """``active``, ``expired``, ``legacy``, or the stored status (invited, withdrawn...)."""
    now = now or timezone.now()
    if eoi.status != EOI.Status.ACTIVE:
        return str(eoi.status)
    if eoi.is_legacy:
        return "legacy"
    if eoi.expires_at <= now:
        return "expired"
    return "active"


def history(eoi: EOI) -> QuerySet[AuditEvent]:
    """Every audit event about the EOI, oldest first."""
    return (
        AuditEvent.objects.filter(subject_type="eois.eoi", subject_id=str(eoi.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


# ---- the pool for staff -------------------------------------------------------------------


@dataclass(frozen=True)
class PoolFilter:
    """Filters of the staff pool list; every field optional."""

    stream: str | None = None
    status: str | None = None
    noc: str | None = None
    region: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    needs_review: bool | None = None


def pool(filters: PoolFilter) -> QuerySet[EOI]:
    """The pool filtered, in draw order (score, then registration time, then id)."""
    qs = EOI.objects.all()
    if filters.stream:
        qs = qs.filter(stream=filters.stream)
    if filters.status == "legacy":
        qs = qs.filter(status=EOI.Status.ACTIVE, is_legacy=True)
    elif filters.status == "expired":
        qs = qs.filter(status=EOI.Status.ACTIVE, is_legacy=False, expires_at__lte=timezone.now())
    elif filters.status == "active":
        qs = qs.filter(status=EOI.Status.ACTIVE, is_legacy=False, expires_at__gt=timezone.now())
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.noc:
        qs = qs.filter(noc=filters.noc)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.registered_from:
        qs = qs.filter(registered_at__gte=start_of(filters.registered_from))
    if filters.registered_to:
        qs = qs.filter(registered_at__lt=end_of(filters.registered_to))
    if filters.needs_review is not None:
        qs = qs.filter(needs_review=filters.needs_review)
    return qs.select_related("candidate").order_by("-score", "registered_at", "id")


def pool_counts(now: datetime | None = None) -> list[dict[str, Any]]:
    """Per stream: active (live), legacy, expired, invited, withdrawn, ineligible, total."""
    now = now or timezone.now()
    active = Q(status=EOI.Status.ACTIVE)
    rows = EOI.objects.values("stream").annotate(
        total=Count("id"),
        live=Count("id", filter=active & Q(is_legacy=False, expires_at__gt=now)),
        legacy=Count("id", filter=active & Q(is_legacy=True)),
        expired=Count("id", filter=active & Q(is_legacy=False, expires_at__lte=now)),
        invited=Count("id", filter=Q(status=EOI.Status.INVITED)),
        withdrawn=Count("id", filter=Q(status=EOI.Status.WITHDRAWN)),
        ineligible=Count("id", filter=Q(status=EOI.Status.INELIGIBLE)),
        review=Count("id", filter=active & Q(needs_review=True)),
    )
    by_stream = {row["stream"]: row for row in rows}
    empty = dict.fromkeys(
        ("total", "live", "legacy", "expired", "invited", "withdrawn", "ineligible", "review"), 0
    )
    return [{"stream": s, **empty, **by_stream.get(s, {})} for s in streams.codes()]


def score_distribution(stream: str, now: datetime | None = None) -> list[tuple[int, int]]:
    """(score, count) of the stream's live EOIs, highest score first."""
    now = now or timezone.now()
    rows = (
        EOI.objects.filter(
            stream=stream, status=EOI.Status.ACTIVE, is_legacy=False, expires_at__gt=now
        )
        .values("score")
        .annotate(n=Count("id"))
        .order_by("-score")
    )
    return [(row["score"], row["n"]) for row in rows]


# ---- export -------------------------------------------------------------------------------


# The profile document's key order (INTERFACES §1); PostgreSQL's jsonb does not keep it.
_ORDER = {
    "": (
        "id",
        "stream",
        "registered_at",
        "job_offer",
        "permit",
        "job_tenure_months",
        "highest_annual_earnings",
        "education",
        "languages",
    ),
    "job_offer": ("noc", "hourly_wage", "census_division"),
    "education": ("level", "field", "canadian_credentials", "study_census_division"),
    "languages": ("english", "french"),
}


def _ordered(document: dict[str, Any], part: str = "") -> dict[str, Any]:
    order = _ORDER.get(part, ())
    keys = [k for k in order if k in document] + [k for k in document if k not in order]
    return {
        k: _ordered(document[k], k) if isinstance(document[k], dict) and not part else document[k]
        for k in keys
    }


def export_document(eoi: EOI, candidate: tuple[str, str] | None) -> dict[str, Any]:
    """The profile document of an EOI as import takes it (with candidate name and e-mail)."""
    doc = dict(eoi.profile)
    doc["id"] = eoi.external_id
    doc["registered_at"] = doc.get("registered_at") or instant_text(eoi.registered_at)
    ordered = _ordered(doc)
    if candidate is not None:
        ordered["candidate_name"], ordered["candidate_email"] = candidate
    return ordered


def export_lines(*, stream: str | None = None) -> Iterator[str]:
    """JSONL lines of the pool (in id order), the format ``nominee eoi import`` reads."""
    qs = EOI.objects.order_by("id")
    if stream:
        qs = qs.filter(stream=stream)
    rows = qs.values_list(
        "id", "external_id", "registered_at", "profile", "candidate__full_name", "candidate__email"
    )
    for _pk, external_id, registered_at, profile, name, email in rows.iterator(chunk_size=5000):
        if isinstance(profile, str):  # pragma: no cover - some drivers hand back text
            profile = json.loads(profile)
        eoi = EOI(external_id=external_id, registered_at=registered_at, profile=profile)
        candidate = (name, email) if email else None
        yield document_line(export_document(eoi, candidate))


# ---- registration preview -----------------------------------------------------------


@dataclass(frozen=True)
class RegistrationPreview:
    """What registering a document would give: its score and the stream's requirements
    it fails, or the profile's errors by field; and the offer it would bind, if any."""

    offer: JobOffer | None
    score: Score | None = None
    failures: list[Failure] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


def preview_registration(
    candidate: Candidate,
    document: Mapping[str, Any],
    job_offer_id: str | None,
    facts: EligibilityFacts | Mapping[str, Any] | None,
    *,
    now: datetime | None = None,
) -> RegistrationPreview:
    """Score and check a document as ``register_eoi`` would at ``now``; nothing is stored.

    The same document (``offers.registration_document``), the same offer check and the
    same facts as the service. An offer is shown only when it is addressed to this
    candidate (any refusal of it shows no offer, and the service gives the reason).
    Raises ValidationFailed for facts that cannot be read.
    """
    now = now or timezone.now()
    ref = reference_data()
    offer = None
    if job_offer_id:
        with contextlib.suppress(DomainError):
            offer = check_job_offer_id(
                job_offer_id=job_offer_id,
                stream=str(document.get("stream")),
                candidate=candidate,
                now=now,
                pathway=document.get("pathway")
                if isinstance(document.get("pathway"), str)
                else None,
            )
    try:
        profile = parse_profile(registration_document(document, offer, now), ref=ref)
    except ProfileError as error:
        return RegistrationPreview(offer=offer, errors=error.by_field())
    failures = check_profile(profile, facts=parse_facts(facts), on=program_date(now), ref=ref)
    return RegistrationPreview(
        offer=offer, score=score_profile(profile, ref=ref), failures=failures
    )


def score_changes(on: date, stream_codes: Sequence[str], grid: Grid) -> dict[str, dict[str, int]]:
    """For a policy version's preview (registered with ``program.policy_source``): the EOIs
    live on ``on`` in each stream, and how many score differently from their stored score
    when re-scored on ``grid`` (the proposed grid in force that day). A profile the engine
    no longer parses counts as live, not changed; so does a stream the grid does not score.
    """
    found: dict[str, dict[str, int]] = {}
    if not stream_codes:
        return found
    ref = reference_data()
    scorers: dict[tuple[str, str | None], Any] = {}
    live = (
        EOI.objects.filter(
            stream__in=list(stream_codes),
            status=EOI.Status.ACTIVE,
            is_legacy=False,
            registered_at__lt=end_of(on),
            expires_at__gt=start_of(on),
        )
        .only("stream", "pathway", "score", "profile")
        .order_by("pk")
    )
    for eoi in live.iterator(chunk_size=2000):
        counts = found.setdefault(eoi.stream, {"live": 0, "changed": 0, "up": 0, "down": 0})
        counts["live"] += 1
        column = (eoi.stream, eoi.pathway)
        if column not in scorers:
            try:
                scorers[column] = compile_scorer(grid, eoi.stream, ref, eoi.pathway)
            except KeyError:
                scorers[column] = None
        scorer = scorers[column]
        if scorer is None:
            continue
        try:
            total = scorer(parse_profile(eoi.profile, ref=ref)).total
        except (ProfileError, ScoringError):
            continue
        if total != eoi.score:
            counts["changed"] += 1
            counts["up" if total > eoi.score else "down"] += 1
    return found
