"""Reads shared by the employer pages, the API and the commands.

Also the checks an employer and a job offer are put through (DOMAIN §3), as thin
adapters over the pure engine (``nominee.scoring``) fed with the database's reference
data, so that pages and API name the same failing rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nominee.accounts.models import Appointment
from nominee.accounts.roles import is_staff_reader
from nominee.core.timeutil import end_of, program_date, today
from nominee.reference.models import Noc
from nominee.reference.queries import reference_data
from nominee.scoring import Failure, check_employer, check_job_offer, check_job_offer_terms
from nominee.scoring.policy import policy_at, policy_versions

from .models import Employer, EmployerContact, EmployerRegistration, JobOffer, WorkLocation

# The Job Offer ID alphabet: digits and capitals without 0, O, 1, I and L, which are
# misread over the phone and in handwriting.
ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_ID_RE = re.compile(rf"^JO-[{ID_ALPHABET}]{{4}}-[{ID_ALPHABET}]{{4}}$")
CENT = Decimal("0.01")


def _ref(on: date) -> Any:
    # The data whose wage table is the one in force on the offer's date (its submission
    # day for an offer, re-checked or not), so an old offer keeps its own wage floors.
    return reference_data(on)


def policy(on: date) -> Any:
    """The program's policy in force on a date (thresholds, the 30-day validity...)."""
    return policy_at(on)


def employer_eligibility(
    employer: Employer, location: WorkLocation, on: date | None = None
) -> list[Failure]:
    """The employer thresholds (DOMAIN §3) the employer fails at one work location.

    Years in business and revenue are the business's; the employee count is the
    location's; GTA or not follows the location's census division. Empty when eligible.
    """
    return list(
        check_employer(
            census_division=location.census_division_id,
            gross_revenue=float(employer.gross_revenue),
            employees=location.full_time_employees,
            years_in_business=employer.years_in_business,
            on=on or today(),
            ref=_ref(on or today()),
        )
    )


def job_offer_failures(
    *,
    stream: str,
    noc: str,
    hourly_wage: Decimal,
    hours_per_week: Decimal,
    permanent: bool,
    census_division: str,
    on: date,
) -> list[Failure]:
    """The rules a job offer fails: full-time, permanent, TEER and list for the stream,
    the wage floor (Job Bank: regional, else Ontario, else a flag: cannot be checked)."""
    failures = list(
        check_job_offer_terms(hours_per_week=float(hours_per_week), permanent=permanent, on=on)
    )
    failures += list(
        check_job_offer(
            stream=stream,
            noc=noc,
            hourly_wage=float(hourly_wage),
            census_division=census_division,
            on=on,
            ref=_ref(on),
        )
    )
    return failures


def hourly_from_annual(annual_salary: Decimal, hours_per_week: Decimal, on: date) -> Decimal:
    """An annual salary as an hourly wage: divided by the policy's weeks in a year (52)
    of the offer's weekly hours, to the cent."""
    weeks = Decimal(policy(on).weeks_per_year)
    return (Decimal(annual_salary) / (weeks * Decimal(hours_per_week))).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def lapse_instant(submitted_at: datetime) -> datetime:
    """When an offer submitted at ``submitted_at`` lapses without an EOI.

    The candidate has the policy's validity (30 days) counted in program dates: an
    offer submitted on day 0 can be quoted until the end of day 30 and lapses as day
    31 begins (America/Toronto).
    """
    submitted_on = program_date(submitted_at)
    days = policy(submitted_on).job_offer_validity_days
    return end_of(submitted_on + timedelta(days=days))


def with_effective_status(offer: JobOffer, *, now: datetime | None = None) -> JobOffer:
    """The offer as it stands at ``now``: one still awaiting an EOI past ``lapses_at``
    reads as lapsed.

    Reads only: the status is set on this instance, never saved; the daily sweep
    (``services.lapse_job_offers``) records the lapse and its audit event, as
    ``Invitation.effective_status`` does for invitations. Returns the offer.
    """
    now = now or timezone.now()
    if offer.status == JobOffer.Status.AWAITING_EOI and offer.lapses_at <= now:
        offer.status = JobOffer.Status.LAPSED
    return offer


def with_effective_status_many(offers: QuerySet[JobOffer] | list[JobOffer]) -> list[JobOffer]:
    """``with_effective_status`` over a list (pages listing offers)."""
    now = timezone.now()
    return [with_effective_status(offer, now=now) for offer in offers]


def normalise_public_id(value: str) -> str | None:
    """A Job Offer ID as typed (any case, spaces, with or without dashes or ``JO``),
    in its canonical form ``JO-XXXX-XXXX``; None when it cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", (value or "").upper())
    if compact.startswith("JO"):
        compact = compact[2:]
    if len(compact) != 8:
        return None
    canonical = f"JO-{compact[:4]}-{compact[4:]}"
    return canonical if _ID_RE.match(canonical) else None


def find_offer_for_candidate(public_id: str) -> JobOffer | None:
    """The job offer a Job Offer ID names (its status as of now), or None.

    Accepts the ID as a person types it (see ``normalise_public_id``). The caller checks
    the status, ``lapses_at``, and that the candidate's name and e-mail match.
    """
    canonical = normalise_public_id(public_id)
    if canonical is None:
        return None
    offer = (
        JobOffer.objects.select_related("employer", "location", "location__census_division", "noc")
        .filter(public_id=canonical)
        .first()
    )
    return with_effective_status(offer) if offer is not None else None


def resolve_noc(value: str) -> tuple[Noc | None, list[Noc]]:
    """A NOC from what a person typed: a code, "code title", or (part of) a title.

    Returns the NOC when exactly one matches (or exactly one title starts with the
    text), else None and up to 10 candidates.
    """
    text = (value or "").strip()
    if not text:
        return None, []
    if match := re.match(r"^(\d{5})\b", text):
        noc = Noc.objects.filter(code=match.group(1)).first()
        return noc, []
    exact = list(Noc.objects.filter(Q(title__iexact=text) | Q(title_fr__iexact=text))[:2])
    if len(exact) == 1:
        return exact[0], []
    options = list(search_nocs(text, limit=11))
    if len(options) == 1:
        return options[0], []
    starting = [
        noc
        for noc in options
        if noc.title.lower().startswith(text.lower())
        or noc.title_fr.lower().startswith(text.lower())
    ]
    if len(starting) == 1:
        return starting[0], []
    return None, options[:10]


def search_nocs(text: str, *, limit: int = 20) -> QuerySet[Noc]:
    """NOC unit groups whose code starts with ``text``, or whose English or French title
    contains every word of it."""
    text = (text or "").strip()
    qs = Noc.objects.all()
    if text.isdigit():
        return qs.filter(code__startswith=text)[:limit]
    english, french = qs, qs
    for word in text.split():
        english = english.filter(title__icontains=word)
        french = french.filter(title_fr__icontains=word)
    return qs.filter(Q(code__in=english.values("code")) | Q(code__in=french.values("code")))[:limit]


# ---- Who sees what -----------------------------------------------------------------


def employers_for(user: Any) -> QuerySet[Employer]:
    """The employers a person may act for: as an active contact or appointed representative."""
    if not getattr(user, "is_authenticated", False):
        return Employer.objects.none()
    return Employer.objects.filter(
        Q(contacts__user=user, contacts__active=True)
        | Q(
            appointments__representative__user=user,
            appointments__revoked_at__isnull=True,
        )
    ).distinct()


def visible_employers(user: Any) -> QuerySet[Employer]:
    """The employers a person may read: their own, or all for officers, managers, auditors."""
    if is_staff_reader(user):
        return Employer.objects.all()
    return employers_for(user)


def employer_for(user: Any, pk: Any) -> Employer | None:
    """One employer the person may read, or None (pages answer 404 then)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return visible_employers(user).filter(pk=pk).first()


def offer_for(user: Any, public_id: str) -> JobOffer | None:
    """One job offer the person may read (its employer's people, or staff), status as of now."""
    canonical = normalise_public_id(public_id)
    if canonical is None:
        return None
    offer = (
        JobOffer.objects.select_related("employer", "location__census_division", "noc")
        .filter(public_id=canonical, employer__in=visible_employers(user))
        .first()
    )
    return with_effective_status(offer) if offer is not None else None


def role_at(user: Any, employer: Employer) -> str | None:
    """``signing_officer``, ``contact``, ``representative`` or None (staff, or no access)."""
    return roles_at(user, [employer.pk]).get(employer.pk)


def roles_at(user: Any, employer_ids: Iterable[int]) -> dict[int, str]:
    """``role_at`` for many employers in two queries: employer id to role, where there is one.

    A contact's role wins over a representative's appointment to the same employer.
    """
    ids = list(employer_ids)
    roles = dict.fromkeys(
        Appointment.objects.filter(
            employer_id__in=ids, representative__user=user, revoked_at__isnull=True
        ).values_list("employer_id", flat=True),
        "representative",
    )
    for employer_id, signing in EmployerContact.objects.filter(
        employer_id__in=ids, user=user, active=True
    ).values_list("employer_id", "is_signing_officer"):
        roles[employer_id] = "signing_officer" if signing else "contact"
    return roles


def has_live_representative(employer: Employer) -> bool:
    """Whether a representative is appointed (not revoked) for the employer."""
    return Appointment.objects.filter(employer=employer, revoked_at__isnull=True).exists()


@dataclass
class LocationEligibility:
    """A work location with the employer thresholds it fails there."""

    location: WorkLocation
    failures: list[Failure]

    @property
    def eligible(self) -> bool:
        """No failing rule."""
        return not self.failures


def eligibility_by_location(
    employer: Employer, on: date | None = None
) -> list[LocationEligibility]:
    """Each work location of the employer with its failing thresholds (DOMAIN §3)."""
    prefetched = getattr(employer, "_prefetched_objects_cache", {}).get("locations")
    locations = (
        sorted(prefetched, key=lambda loc: loc.pk)
        if prefetched is not None  # a list of employers: no query per employer
        else employer.locations.select_related("census_division").order_by("id")
    )
    return [LocationEligibility(loc, employer_eligibility(employer, loc, on)) for loc in locations]


def employers_for_staff() -> QuerySet[Employer]:
    """Every employer by legal name, with its offer counts and its locations prefetched."""
    return (
        Employer.objects.annotate(
            offers=Count("job_offers", distinct=True),
            to_review=Count("job_offers", filter=Q(job_offers__needs_review=True), distinct=True),
        )
        .prefetch_related("locations__census_division")
        .order_by("legal_name", "pk")
    )


def employer_row(employer: Any) -> dict[str, Any]:
    """One employer of ``employers_for_staff`` with the employer rules it fails anywhere."""
    return {
        "employer": employer,
        "failing_rules": sorted(
            {f.rule for e in eligibility_by_location(employer) for f in e.failures}
        ),
        "offers": employer.offers,
        "to_review": employer.to_review,
    }


def employer_list(*, flagged_only: bool = False) -> list[dict[str, Any]]:
    """Every employer's row (``employer_row``), for support staff (``nominee employer list``,
    the staff page); ``flagged_only``: those failing a rule or with an offer to review."""
    rows = (employer_row(employer) for employer in employers_for_staff())
    return [r for r in rows if not flagged_only or r["failing_rules"] or r["to_review"]]


def position_approval_due(offer: JobOffer) -> date | None:
    """For an invited offer, the date the employer's position approval application is due."""
    if offer.status != JobOffer.Status.INVITED:
        return None
    # Read through the reverse one-to-one links (offer -> its EOI -> its invitation): eois
    # and draws sit above employers, which does not import them. A missing link raises
    # RelatedObjectDoesNotExist, an AttributeError, so getattr's default covers it.
    eoi = getattr(offer, "eoi", None)
    invitation = getattr(eoi, "invitation", None) if eoi is not None else None
    return getattr(invitation, "employer_deadline", None)


# ---- Registration with the program (DOMAIN §9) ---------------------------------------

#: The rule an offer fails when its employer's registration is required and not approved.
NOT_REGISTERED = "employer.not_registered"

#: A business's state of registration: these and ``EmployerRegistration.Status``'s values.
NOT_REGISTERED_STATE = "not_registered"


def registration_history(employer: Employer) -> list[EmployerRegistration]:
    """Every registration request of the business, newest first, with who asked and decided."""
    return list(
        EmployerRegistration.objects.filter(employer=employer)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def registration_state(employer: Employer | int) -> str:
    """``not_registered``, ``pending``, ``approved`` or ``refused``: the latest request's
    status (an approval is final, and at most one request is open at a time)."""
    pk = employer.pk if isinstance(employer, Employer) else employer
    latest = (
        EmployerRegistration.objects.filter(employer_id=pk)
        .order_by("-requested_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return latest or NOT_REGISTERED_STATE


def registration_states(employer_ids: Iterable[int]) -> dict[int, str]:
    """``registration_state`` for many businesses in one query (lists)."""
    ids = list(employer_ids)
    states = dict.fromkeys(ids, NOT_REGISTERED_STATE)
    rows = (
        EmployerRegistration.objects.filter(employer_id__in=ids)
        .order_by("employer_id", "requested_at", "id")
        .values_list("employer_id", "status")
    )
    for employer_id, status in rows:  # ordered oldest first: the latest wins
        states[employer_id] = status
    return states


def approved_on(employer: Employer | int, day: date) -> bool:
    """Whether the business's registration was approved by the end of program date ``day``."""
    pk = employer.pk if isinstance(employer, Employer) else employer
    return EmployerRegistration.objects.filter(
        employer_id=pk,
        status=EmployerRegistration.Status.APPROVED,
        decided_at__lt=end_of(day),
    ).exists()


def registration_required(day: date) -> bool:
    """Whether the policy in force on ``day`` requires an employer's approved registration
    before its job offers can be submitted or support an EOI."""
    return bool(policy(day).employer_registration_required)


def registration_required_since(day: date) -> date | None:
    """The first day of the run of policy versions, up to ``day``, that require registration
    (what a refusal names), or None when the policy of ``day`` does not require it."""
    since = None
    for version in policy_versions():
        if version.effective_from > day:
            break
        if not version.employer_registration_required:
            since = None
        elif since is None:
            since = version.effective_from
    return since


def registration_failure(employer: Employer | int, day: date) -> Failure | None:
    """The ``employer.not_registered`` rule when the policy of ``day`` requires an approved
    registration and the business has none on that day; None when the rule is met or off.

    The message says what the business's state is, so that the person refused knows what
    to do next (ask, wait for the officer, or ask again after a refusal).
    """
    if not registration_required(day):
        return None
    if approved_on(employer, day):
        return None
    state = registration_state(employer)
    if state == EmployerRegistration.Status.PENDING:
        why = "its request is awaiting an officer's decision"
    elif state == EmployerRegistration.Status.REFUSED:
        why = "its request was refused; it may ask again"
    elif state == EmployerRegistration.Status.APPROVED:
        why = "its registration was approved only after this day"
    else:
        why = "it has not asked to be registered"
    return Failure(
        rule=NOT_REGISTERED,
        message=(
            "The employer is not registered with the program: since "
            f"{registration_required_since(day)} a job offer can be submitted, and can "
            f"support an EOI, only once an officer has approved its employer's registration "
            f"({why})."
        ),
        severity="refuse",
    )


def pending_registrations() -> QuerySet[EmployerRegistration]:
    """The officers' queue: requests awaiting a decision, oldest first, with each business's
    locations prefetched (the queue shows the employer rules each one fails)."""
    return (
        EmployerRegistration.objects.filter(status=EmployerRegistration.Status.PENDING)
        .select_related("employer", "requested_by")
        .prefetch_related("employer__locations__census_division")
        .order_by("requested_at", "id")
    )


def registration_for_staff(pk: Any) -> EmployerRegistration | None:
    """One registration request by id (staff pages, API, command), or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        EmployerRegistration.objects.select_related("employer", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
