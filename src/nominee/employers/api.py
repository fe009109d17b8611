"""JSON API of the employer portal (mounted under /api/v1/ by nominee.api.root).

Businesses under ``/employers``, job offers under ``/job-offers``. A business or offer
the caller may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from nominee.accounts.models import User
from nominee.accounts.roles import is_staff_reader
from nominee.accounts.services import appoint_representative
from nominee.core.errors import NotFound, PermissionDenied, ValidationFailed
from nominee.core.pagination import page_of
from nominee.core.schemas import ERRORS

from . import queries, services
from .models import Employer, EmployerRegistration, JobOffer

router = Router(tags=["employers"])


def _me(request: HttpRequest) -> User:
    """The signed-in user (views and operations here require authentication)."""
    return cast(User, request.user)


class FailureOut(Schema):
    """A rule the employer or the offer fails, by name."""

    rule: str
    message: str
    severity: str
    subject: str | None = None


class LocationOut(Schema):
    """A work location and the employer thresholds failed there."""

    id: int
    census_division: str
    census_division_name: str
    region: str
    municipality: str
    street_address: str
    full_time_employees: int
    eligible: bool
    failures: list[FailureOut]


class EmployerOut(Schema):
    """A business with its locations and eligibility per location."""

    id: int
    legal_name: str
    operating_name: str
    cra_business_number: str
    street_address: str
    municipality: str
    postal_code: str
    years_in_business: int
    gross_revenue: Decimal
    eligible: bool
    locations: list[LocationOut]
    your_role: str | None
    registration_state: str


class EmployerIn(Schema):
    """A business to register, with its first work location."""

    legal_name: str
    operating_name: str = ""
    cra_business_number: str
    street_address: str
    municipality: str
    postal_code: str
    years_in_business: int
    gross_revenue: Decimal
    location_census_division: str
    location_municipality: str
    location_street_address: str = ""
    location_full_time_employees: int


class LocationIn(Schema):
    """Another work location."""

    census_division: str
    municipality: str
    street_address: str = ""
    full_time_employees: int


# The PATCH bodies are plain pydantic models: ninja's Schema drops the members it does not
# declare, and the service must see them to refuse each by name (400, not silently ignored).
class EmployerPatch(BaseModel):
    """Facts of the business to correct; members left out stay as they are. The CRA
    business number cannot change, and any other member is refused by name."""

    model_config = ConfigDict(extra="allow")

    legal_name: str | None = None
    operating_name: str | None = None
    street_address: str | None = None
    municipality: str | None = None
    postal_code: str | None = None
    years_in_business: int | None = None
    gross_revenue: Decimal | None = None


class LocationPatch(BaseModel):
    """Facts of a work location to correct; members left out stay as they are. Any other
    member is refused by name."""

    model_config = ConfigDict(extra="allow")

    census_division: str | None = None
    municipality: str | None = None
    street_address: str | None = None
    full_time_employees: int | None = None


class JobOfferOut(Schema):
    """A job offer: its Job Offer ID, terms, status and named flags."""

    public_id: str
    employer_id: int
    status: str
    stream: str
    noc: str
    noc_title: str
    job_title: str
    hourly_wage: Decimal
    annual_salary: Decimal | None
    hours_per_week: Decimal
    permanent: bool
    location_id: int
    census_division: str
    municipality: str
    candidate_name: str
    candidate_email: str
    failures: list[FailureOut]
    needs_review: bool
    submitted_at: datetime
    lapses_at: datetime
    position_approval_due: date | None


class JobOfferIn(Schema):
    """A job offer to submit: give ``hourly_wage`` or ``annual_salary``."""

    location_id: int
    stream: str
    noc: str
    job_title: str
    hourly_wage: Decimal | None = None
    annual_salary: Decimal | None = None
    hours_per_week: Decimal
    permanent: bool
    candidate_name: str
    candidate_email: str


class JobOfferPatch(Schema):
    """Fields to change on an offer awaiting the candidate's EOI (others stay)."""

    location_id: int | None = None
    stream: str | None = None
    noc: str | None = None
    job_title: str | None = None
    hourly_wage: Decimal | None = None
    annual_salary: Decimal | None = None
    hours_per_week: Decimal | None = None
    permanent: bool | None = None
    candidate_name: str | None = None
    candidate_email: str | None = None


class WithdrawIn(Schema):
    """Why the offer is withdrawn (optional)."""

    reason: str = ""


class ContactIn(Schema):
    """A person to invite as a contact."""

    email: str
    full_name: str = ""


class ContactOut(Schema):
    """A contact of the business."""

    id: int
    email: str
    full_name: str
    is_signing_officer: bool
    active: bool


class AppointmentIn(Schema):
    """The representative's account e-mail."""

    representative: str


class AppointmentOut(Schema):
    """An appointment of a representative."""

    id: int
    representative: str
    appointed_at: datetime
    revoked_at: datetime | None


def _employer_out(
    request: HttpRequest,
    employer: Employer,
    roles: dict[int, str] | None = None,
    states: dict[int, str] | None = None,
) -> dict[str, Any]:
    """The business as the API shows it; ``roles``: the caller's (``roles_at``), and
    ``states``: the registration states (``registration_states``), for lists."""
    locations = []
    for item in queries.eligibility_by_location(employer):
        loc = item.location
        locations.append(
            {
                "id": loc.pk,
                "census_division": loc.census_division_id,
                "census_division_name": loc.census_division.name,
                "region": loc.census_division.region,
                "municipality": loc.municipality,
                "street_address": loc.street_address,
                "full_time_employees": loc.full_time_employees,
                "eligible": item.eligible,
                "failures": [f.to_document() | {"subject": "employer"} for f in item.failures],
            }
        )
    return {
        "id": employer.pk,
        "legal_name": employer.legal_name,
        "operating_name": employer.operating_name,
        "cra_business_number": employer.cra_business_number,
        "street_address": employer.street_address,
        "municipality": employer.municipality,
        "postal_code": employer.postal_code,
        "years_in_business": employer.years_in_business,
        "gross_revenue": employer.gross_revenue,
        "eligible": all(loc["eligible"] for loc in locations),
        "locations": locations,
        "your_role": (
            roles.get(employer.pk) if roles is not None else queries.role_at(_me(request), employer)
        ),
        "registration_state": (
            states[employer.pk] if states is not None else queries.registration_state(employer)
        ),
    }


def offer_out(offer: JobOffer) -> dict[str, Any]:
    """The API document of a job offer (also printed by ``nominee job-offer show --json``)."""
    return {
        "public_id": offer.public_id,
        "employer_id": offer.employer_id,
        "status": offer.status,
        "stream": offer.stream,
        "noc": offer.noc_id,
        "noc_title": offer.noc.title,
        "job_title": offer.job_title,
        "hourly_wage": offer.hourly_wage,
        "annual_salary": offer.annual_salary,
        "hours_per_week": offer.hours_per_week,
        "permanent": offer.permanent,
        "location_id": offer.location_id,
        "census_division": offer.location.census_division_id,
        "municipality": offer.location.municipality,
        "candidate_name": offer.candidate_name,
        "candidate_email": offer.candidate_email,
        "failures": offer.failures,
        "needs_review": offer.needs_review,
        "submitted_at": offer.submitted_at,
        "lapses_at": offer.lapses_at,
        "position_approval_due": queries.position_approval_due(offer),
    }


def _visible(request: HttpRequest, pk: int) -> Employer:
    employer = queries.employer_for(_me(request), pk)
    if employer is None:
        raise NotFound("no such employer")
    return employer


def _acting(request: HttpRequest, pk: int) -> Employer:
    employer = queries.employers_for(_me(request)).filter(pk=pk).first()
    if employer is None:
        if queries.employer_for(_me(request), pk) is not None:
            raise PermissionDenied("program staff read employers' files but do not act for them")
        raise NotFound("no such employer")
    return employer


def _changes(payload: BaseModel, editable: list[str], *parameters: str) -> dict[str, Any]:
    """The members a PATCH body gives, unknown ones included (the service names each).

    A member named like one of the service's own parameters (``actor``...) cannot be
    passed on as a change, so it is refused here with the service's message.
    """
    changes = payload.model_dump(exclude_unset=True)
    clashing = services.unchangeable_fields([n for n in changes if n in parameters], editable)
    if clashing:
        raise ValidationFailed("these fields cannot be changed", fields=clashing)
    return changes


def _offer(request: HttpRequest, public_id: str) -> JobOffer:
    offer = queries.offer_for(_me(request), public_id)
    if offer is None:
        raise NotFound("no such job offer")
    return offer


class EmployerPage(Schema):
    """A page of businesses by legal name, and how many there are in all."""

    items: list[EmployerOut]
    count: int


class JobOfferPage(Schema):
    """A page of job offers, newest first, and how many there are in all."""

    items: list[JobOfferOut]
    count: int


@router.get(
    "/employers",
    response={200: EmployerPage, **ERRORS},
    summary="List the businesses you act for (staff: all)",
)
def list_employers(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Businesses the caller acts for; officers, managers and auditors see every business."""
    employers = queries.visible_employers(_me(request)).prefetch_related(
        "locations__census_division"
    )
    rows, count = page_of(employers.order_by("legal_name", "pk"), limit=limit, offset=offset)
    roles = queries.roles_at(_me(request), (e.pk for e in rows))
    states = queries.registration_states(e.pk for e in rows)
    return {"items": [_employer_out(request, e, roles, states) for e in rows], "count": count}


@router.post(
    "/employers",
    response={201: EmployerOut, **ERRORS},
    summary="Register a business",
    description="The caller becomes its signing officer. An ineligible business registers "
    "all the same; `locations[].failures` names each failing rule.",
)
def register_employer(request: HttpRequest, payload: EmployerIn) -> Status[dict[str, Any]]:
    """Register a business with its first work location."""
    employer = services.register_employer(actor=_me(request), **payload.dict())
    return Status(201, _employer_out(request, employer))


@router.get(
    "/employers/{employer_id}", response={200: EmployerOut, **ERRORS}, summary="One business"
)
def get_employer(request: HttpRequest, employer_id: int) -> dict[str, Any]:
    """A business with its eligibility per work location (404 if not yours)."""
    return _employer_out(request, _visible(request, employer_id))


@router.patch(
    "/employers/{employer_id}",
    response={200: EmployerOut, **ERRORS},
    summary="Correct the business's facts",
    description="Give only the members to change. Answers the business with its eligibility "
    "per work location judged again at once; job offers keep the flags they were given at "
    "submission. `cra_business_number` and unknown members answer 400 `validation`, named.",
)
def patch_employer(
    request: HttpRequest, employer_id: int, payload: EmployerPatch
) -> dict[str, Any]:
    """Correct names, address, years in business or gross revenue (contacts, representatives)."""
    employer = _acting(request, employer_id)
    changes = _changes(payload, services.EMPLOYER_EDITABLE, "actor", "employer")
    updated = services.update_employer(actor=_me(request), employer=employer, **changes)
    return _employer_out(request, updated)


@router.post(
    "/employers/{employer_id}/locations",
    response={201: EmployerOut, **ERRORS},
    summary="Add a work location",
)
def add_location(
    request: HttpRequest, employer_id: int, payload: LocationIn
) -> Status[dict[str, Any]]:
    """Add a work location; answers the business with its eligibility."""
    employer = _acting(request, employer_id)
    services.add_work_location(actor=_me(request), employer=employer, **payload.dict())
    return Status(201, _employer_out(request, employer))


@router.patch(
    "/employers/{employer_id}/locations/{location_id}",
    response={200: EmployerOut, **ERRORS},
    summary="Correct a work location",
    description="Give only the members to change. Answers the business with its eligibility "
    "per work location judged again at once. A location of another business answers 404; "
    "a new `census_division` while a job offer there is live answers 409 `conflict`.",
)
def patch_location(
    request: HttpRequest, employer_id: int, location_id: int, payload: LocationPatch
) -> dict[str, Any]:
    """Correct a location's census division, municipality, address or employees."""
    employer = _acting(request, employer_id)
    location = employer.locations.filter(pk=location_id).first()
    if location is None:
        raise NotFound("no such work location")
    changes = _changes(payload, services.LOCATION_FIELDS, "actor", "location")
    services.update_work_location(actor=_me(request), location=location, **changes)
    return _employer_out(request, employer)


@router.get(
    "/employers/{employer_id}/contacts",
    response={200: list[ContactOut], **ERRORS},
    summary="The business's contacts",
)
def list_contacts(request: HttpRequest, employer_id: int) -> list[dict[str, Any]]:
    """Contacts, signing officer first."""
    employer = _visible(request, employer_id)
    contacts = employer.contacts.select_related("user").order_by("-is_signing_officer", "id")
    return [_contact_out(contact) for contact in contacts]


def _contact_out(contact: Any) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "email": contact.user.email,
        "full_name": contact.user.full_name,
        "is_signing_officer": contact.is_signing_officer,
        "active": contact.active,
    }


@router.post(
    "/employers/{employer_id}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Invite a contact (signing officer only)",
)
def invite_contact(
    request: HttpRequest, employer_id: int, payload: ContactIn
) -> Status[dict[str, Any]]:
    """Invite a person to act for the business; they are e-mailed."""
    employer = _acting(request, employer_id)
    contact = services.invite_contact(actor=_me(request), employer=employer, **payload.dict())
    return Status(201, _contact_out(contact))


@router.post(
    "/employers/{employer_id}/representatives",
    response={201: AppointmentOut, **ERRORS},
    summary="Appoint a representative (signing officer only)",
)
def appoint(
    request: HttpRequest, employer_id: int, payload: AppointmentIn
) -> Status[dict[str, Any]]:
    """Appoint a registered representative by their account's e-mail address."""
    employer = _acting(request, employer_id)
    appointment = appoint_representative(
        actor=_me(request), representative=payload.representative, employer=employer
    )
    return Status(
        201,
        {
            "id": appointment.pk,
            "representative": appointment.representative.user.email,
            "appointed_at": appointment.appointed_at,
            "revoked_at": None,
        },
    )


@router.get(
    "/employers/{employer_id}/job-offers",
    response={200: JobOfferPage, **ERRORS},
    summary="The business's job offers, newest first",
)
def list_offers(
    request: HttpRequest, employer_id: int, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Job offers of a business (each with its status as of now)."""
    employer = _visible(request, employer_id)
    offers = employer.job_offers.select_related("noc", "location").order_by("-submitted_at", "-pk")
    rows, count = page_of(offers, limit=limit, offset=offset)
    items = [offer_out(o) for o in queries.with_effective_status_many(rows)]
    return {"items": items, "count": count}


@router.post(
    "/employers/{employer_id}/job-offers",
    response={201: JobOfferOut, **ERRORS},
    summary="Submit a job offer",
    description="Answers the offer with its `public_id` (the Job Offer ID), e-mailed to the "
    "candidate. A rule the program refuses on answers 422 `job_offer.refused` naming each "
    "rule; rules that cannot be checked and the employer's failing thresholds are in "
    "`failures` and flag the offer for an officer.",
)
def submit_offer(
    request: HttpRequest, employer_id: int, payload: JobOfferIn
) -> Status[dict[str, Any]]:
    """Submit a job offer for one named candidate."""
    employer = _acting(request, employer_id)
    data = payload.dict()
    data["location"] = data.pop("location_id")
    offer = services.submit_job_offer(actor=_me(request), employer=employer, **data)
    return Status(201, offer_out(offer))


@router.get(
    "/job-offers/{public_id}", response={200: JobOfferOut, **ERRORS}, summary="One job offer"
)
def get_offer(request: HttpRequest, public_id: str) -> dict[str, Any]:
    """A job offer by its Job Offer ID (404 if not your business's)."""
    return offer_out(_offer(request, public_id))


@router.patch(
    "/job-offers/{public_id}",
    response={200: JobOfferOut, **ERRORS},
    summary="Change a job offer awaiting the candidate's EOI",
)
def patch_offer(request: HttpRequest, public_id: str, payload: JobOfferPatch) -> dict[str, Any]:
    """Change the fields given; 409 `job_offer.locked` for locked fields."""
    offer = _offer(request, public_id)
    _acting(request, offer.employer_id)
    changes = payload.dict(exclude_unset=True)
    if "location_id" in changes:
        changes["location"] = changes.pop("location_id")
    updated = services.update_job_offer(actor=_me(request), offer=offer, **changes)
    return offer_out(queries.offer_for(_me(request), updated.public_id) or updated)


@router.post(
    "/job-offers/{public_id}/withdraw",
    response={200: JobOfferOut, **ERRORS},
    summary="Withdraw a job offer awaiting the candidate's EOI",
)
def withdraw_offer(request: HttpRequest, public_id: str, payload: WithdrawIn) -> dict[str, Any]:
    """Withdraw the offer; the candidate is told by e-mail."""
    offer = _offer(request, public_id)
    _acting(request, offer.employer_id)
    return offer_out(
        services.withdraw_job_offer(actor=_me(request), offer=offer, reason=payload.reason)
    )


# ---- Registration with the program -----------------------------------------------


class RegistrationOut(Schema):
    """A request of a business to be registered with the program, and its decision."""

    id: int
    employer_id: int
    employer: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reasons: str


class RegistrationPage(Schema):
    """A page of requests awaiting a decision, oldest first, and how many there are."""

    items: list[RegistrationOut]
    count: int


class DecisionIn(Schema):
    """An officer's decision: ``approve`` (reasons optional) or ``refuse`` (reasons in words)."""

    decision: str
    reasons: str = ""


def _registration_out(registration: EmployerRegistration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "employer_id": registration.employer_id,
        "employer": str(registration.employer),
        "status": registration.status,
        "requested_by": registration.requested_by.email,
        "requested_at": registration.requested_at,
        "decided_by": registration.decided_by.email if registration.decided_by else None,
        "decided_at": registration.decided_at,
        "reasons": registration.reasons,
    }


def _staff(request: HttpRequest) -> None:
    # The queue is the program office's: to anyone else it does not exist.
    if not is_staff_reader(_me(request)):
        raise NotFound("not found")


@router.post(
    "/employers/{employer_id}/registration",
    response={201: RegistrationOut, **ERRORS},
    summary="Ask the program to register the business (its contacts)",
    description="A contact of the business (the signing officer or another) asks; an officer "
    "approves or refuses. 409 `registration.pending` or `registration.approved` when a request "
    "is open or approved already; 403 for a representative, staff or an unconfirmed address.",
)
def request_registration(request: HttpRequest, employer_id: int) -> Status[dict[str, Any]]:
    """Request the business's registration with the program."""
    employer = _acting(request, employer_id)
    registration = services.request_registration(actor=_me(request), employer=employer)
    return Status(201, _registration_out(registration))


@router.get(
    "/employers/{employer_id}/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="The business's requests of registration and their decisions, newest first",
)
def registration_history(request: HttpRequest, employer_id: int) -> list[dict[str, Any]]:
    """Every request of the business and its decision (its people and staff)."""
    employer = _visible(request, employer_id)
    return [_registration_out(r) for r in queries.registration_history(employer)]


@router.get(
    "/employer-registrations",
    response={200: RegistrationPage, **ERRORS},
    summary="Requests of registration awaiting a decision, oldest first (staff)",
)
def pending_registrations(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The officers' queue (officers, managers and auditors read it; 404 for anyone else)."""
    _staff(request)
    rows, count = page_of(
        queries.pending_registrations().select_related("decided_by"), limit=limit, offset=offset
    )
    return {"items": [_registration_out(r) for r in rows], "count": count}


@router.post(
    "/employer-registrations/{registration_id}/decision",
    response={200: RegistrationOut, **ERRORS},
    summary="Approve or refuse a request of registration (officers, managers)",
    description="`decision` is `approve` or `refuse`; a refusal needs `reasons` in words "
    "(400 `validation` naming `reasons`). 409 `registration.decided` when it was decided "
    "already; 403 for an auditor; the business's contacts are e-mailed the decision.",
)
def decide_registration(
    request: HttpRequest, registration_id: int, payload: DecisionIn
) -> dict[str, Any]:
    """Decide a pending request."""
    _staff(request)
    registration = queries.registration_for_staff(registration_id)
    if registration is None:
        raise NotFound("no such registration request")
    if payload.decision == "approve":
        decided = services.approve_registration(
            actor=_me(request), registration=registration, reasons=payload.reasons
        )
    elif payload.decision == "refuse":
        decided = services.refuse_registration(
            actor=_me(request), registration=registration, reasons=payload.reasons
        )
    else:
        raise ValidationFailed(
            "the decision is approve or refuse",
            fields={"decision": ["Give approve or refuse."]},
        )
    return _registration_out(queries.registration_for_staff(decided.pk) or decided)
