"""Reads of the casework app shared by pages, API and commands."""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from nominee.accounts.models import Appointment
from nominee.accounts.roles import is_staff_reader
from nominee.core import csvcells
from nominee.core.errors import NotFound, ValidationFailed
from nominee.core.timeutil import program_date, start_of, today
from nominee.draws.models import Invitation
from nominee.program.models import Allocation, StreamAllocation
from nominee.scoring.policy import STREAMS, stream_info

from .models import Application, CaseEvent, Nomination
from .policy import casework_policy_at
from .states import UNDECIDED

EXPORT_HEADER = [
    "certificate",
    "issued_on",
    "expires_on",
    "stream",
    "pathway",
    "eoi",
    "family_name",
    "given_names",
    "date_of_birth",
    "citizenship",
    "noc",
    "employer",
    "job_offer",
    "employer_business_number",
]


def allocation_document(year: int) -> dict[str, Any]:
    """INTERFACES §5's ``allocation show --json`` document; NotFound for a year not set."""
    allocation = Allocation.objects.filter(year=year).first()
    if allocation is None:
        raise NotFound(f"no allocation is set for {year}", fields={"year": [str(year)]})
    shares = {s.stream: s for s in StreamAllocation.objects.filter(allocation=allocation)}
    issued = dict(
        Nomination.objects.filter(allocation=allocation)
        .values_list("stream")
        .annotate(n=Count("id"))
        .values_list("stream", "n")
    )
    return {
        "year": allocation.year,
        "nominations": allocation.nominations,
        "issued": allocation.nominations_issued,
        "remaining": allocation.remaining,
        "by_stream": {
            stream: {
                "nominations": shares[stream].nominations if stream in shares else None,
                "issued": issued.get(stream, 0),
            }
            for stream in _streams_of_year(year, set(shares) | set(issued))
        },
    }


def _streams_of_year(year: int, used: set[str]) -> list[str]:
    """The streams open on some day of ``year`` (DOMAIN §9: 2025's five, 2026's six), and
    any other that has a share or a nomination in it (a file decided after its stream
    closed counts against the year of its decision), in registry order."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return [s for s in STREAMS if stream_info(s).overlaps(start, end) or s in used]


def small(count: int) -> str:
    """A count as published: under 5 shown as "<5" so that nobody can be singled out."""
    return "<5" if 0 < count < 5 else str(count)


@dataclass(frozen=True)
class ProcessingTime:
    """A stream's median days from submission to decision, and its oldest file in review."""

    stream: str
    decided: int
    median_days: float | None
    oldest_submitted_on: date | None


def processing_times(on: date | None = None) -> dict[str, ProcessingTime]:
    """Per stream: the median days from submission to decision of the files decided in the
    policy's window (90 days) before ``on``, and the submission date of the oldest file
    still being assessed."""
    on = on or today()
    window = casework_policy_at(on).processing_window_days
    since = start_of(on - timedelta(days=window))
    decided = Application.objects.filter(
        decided_at__gte=since,
        submitted_at__isnull=False,
        status__in=[Application.Status.APPROVED, Application.Status.REFUSED],
    ).values_list("stream", "submitted_at", "decided_at")
    days: dict[str, list[int]] = {}
    for stream, submitted_at, decided_at in decided.iterator():
        if submitted_at is None or decided_at is None:
            continue
        days.setdefault(stream, []).append(
            (program_date(decided_at) - program_date(submitted_at)).days
        )
    oldest = dict(
        Application.objects.filter(status__in=UNDECIDED, submitted_at__isnull=False)
        .values("stream")
        .annotate(first=Min("submitted_at"))
        .values_list("stream", "first")
    )
    out = {}
    for stream in STREAMS:
        first = oldest.get(stream)
        out[stream] = ProcessingTime(
            stream=stream,
            decided=len(days.get(stream, [])),
            median_days=statistics.median(days[stream]) if days.get(stream) else None,
            oldest_submitted_on=program_date(first) if first is not None else None,
        )
    return out


def expected_decision(
    application: Application, times: dict[str, ProcessingTime] | None = None
) -> date | None:
    """The expected date of a decision: submission plus the stream's recent median.

    A list of files passes ``times`` (``processing_times()``, read once for the list)
    rather than have each file read every decision of the window again.
    """
    if application.status not in UNDECIDED or application.submitted_at is None:
        return None
    times = processing_times() if times is None else times
    median = times[application.stream].median_days
    if median is None:
        return None
    return program_date(application.submitted_at) + timedelta(days=round(median))


def invitations_outstanding() -> dict[str, int]:
    """Per stream, the invitations still open (not expired, declined or applied)."""

    rows = (
        Invitation.objects.filter(status=Invitation.Status.OPEN, candidate_deadline__gte=today())
        .values("draw__stream")
        .annotate(n=Count("id"))
        .values_list("draw__stream", "n")
    )
    found = dict(rows)
    return {stream: found.get(stream, 0) for stream in STREAMS}


def stage_counts() -> dict[str, int]:
    """How many files are in each state."""
    found = dict(
        Application.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Application.Status.values}


def approval_rate(on: date | None = None) -> float | None:
    """The share of decided files (last window) that were approved: the observed rate."""
    on = on or today()
    since = start_of(on - timedelta(days=casework_policy_at(on).processing_window_days))
    counts = Application.objects.filter(decided_at__gte=since).aggregate(
        approved=Count("id", filter=Q(status=Application.Status.APPROVED)),
        decided=Count(
            "id",
            filter=Q(status__in=[Application.Status.APPROVED, Application.Status.REFUSED]),
        ),
    )
    return counts["approved"] / counts["decided"] if counts["decided"] else None


def queue(
    *, stream: str | None = None, status: str | None = None, assignee: Any = None
) -> QuerySet[Application]:
    """The officers' queue: complete files not decided, oldest first (by when complete)."""
    errors: dict[str, list[str]] = {}
    if stream and stream not in STREAMS:
        errors["stream"] = [f"one of {', '.join(STREAMS)}"]
    if status and status not in UNDECIDED:
        errors["status"] = [f"one of {', '.join(sorted(UNDECIDED))}"]
    if errors:
        raise ValidationFailed("the filter is invalid", fields=errors)
    rows = Application.objects.filter(ready=True, status__in=[status] if status else UNDECIDED)
    if stream:
        rows = rows.filter(stream=stream)
    if assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif assignee is not None:
        rows = rows.filter(assignee=assignee)
    return rows.select_related("eoi", "assignee").order_by("ready_at", "id")


def applications_for(user: Any) -> QuerySet[Application]:
    """The files a person may see as a party: as the candidate, an employer contact, or a
    representative appointed by either (live appointments only)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    live = Appointment.objects.filter(representative__user=user, revoked_at__isnull=True)
    return (
        Application.objects.filter(
            Q(eoi__candidate__user=user)
            | Q(
                eoi__job_offer__employer__contacts__user=user,
                eoi__job_offer__employer__contacts__active=True,
            )
            | Q(eoi__candidate__in=live.values("candidate"))
            | Q(eoi__job_offer__employer__in=live.values("employer"))
        )
        .distinct()
        .select_related("eoi", "invitation", "eoi__job_offer__employer")
    )


def visible_application(user: Any, pk: int) -> Application:
    """A file the user may see (as a party or staff); NotFound for anyone else."""

    rows = Application.objects.all() if is_staff_reader(user) else applications_for(user)
    found = rows.filter(pk=pk).select_related("eoi", "invitation", "assignee").first()
    if found is None:
        raise NotFound("no such application")
    return found


def history(application: Application, *, staff: bool) -> QuerySet[CaseEvent]:
    """The file's history, oldest first: every entry for staff, the parties' for them."""
    rows = application.events.select_related("actor").order_by("created_at", "id")
    return rows if staff else rows.filter(for_parties=True)


def nominations_csv(year: int) -> str:
    """The year's nominations for the federal partner (INTERFACES §5), as CSV text; a
    cell a spreadsheet would run as a formula starts with an apostrophe (``core.csvcells``)."""
    if not Allocation.objects.filter(year=year).exists():
        raise ValidationFailed(f"no allocation is set for {year}", fields={"year": [str(year)]})
    out = io.StringIO()
    writer = csvcells.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    rows = (
        Nomination.objects.filter(allocation__year=year)
        .select_related("application__eoi__job_offer__employer")
        .order_by("certificate")
    )
    for nomination in rows.iterator(chunk_size=2000):
        application = nomination.application
        identity = (application.details or {}).get("identity") or {}
        eoi = application.eoi
        offer = eoi.job_offer
        writer.writerow(
            [
                nomination.certificate,
                nomination.issued_on.isoformat(),
                nomination.expires_on.isoformat(),
                nomination.stream,
                (eoi.profile or {}).get("pathway") or "",
                eoi.external_id,
                identity.get("family_name", ""),
                identity.get("given_names", ""),
                identity.get("date_of_birth", ""),
                identity.get("citizenship", ""),
                eoi.noc or "",
                offer.employer.legal_name if offer is not None else "",
                offer.public_id if offer is not None else "",
                offer.employer.cra_business_number if offer is not None else "",
            ]
        )
    return out.getvalue()


def application_rate() -> float | None:
    """The share of answered invitations (applied, declined, expired) that were applied to:
    the observed rate at which an outstanding invitation becomes a file."""

    counts = Invitation.objects.aggregate(
        applied=Count("id", filter=Q(status=Invitation.Status.APPLIED)),
        answered=Count(
            "id",
            filter=Q(
                status__in=[
                    Invitation.Status.APPLIED,
                    Invitation.Status.DECLINED,
                    Invitation.Status.EXPIRED,
                ]
            ),
        ),
    )
    return counts["applied"] / counts["answered"] if counts["answered"] else None
