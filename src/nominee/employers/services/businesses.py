"""State changes of businesses and their work locations: register, correct, add."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.models import User
from nominee.accounts.services import refuse_staff
from nominee.audit.services import record, snapshot
from nominee.core.errors import Conflict, NotFound
from nominee.core.timeutil import program_date
from nominee.reference.models import CensusDivision

from .. import queries
from ..models import Employer, EmployerContact, JobOffer, WorkLocation
from ..validation import (
    EMPLOYER_EDITABLE,
    EMPLOYER_FIELDS,
    LOCATION_FIELDS,
    Errors,
    business_fields,
    corrected,
    location_fields,
)
from .access import (
    lock_employer,
    require_access,
    require_confirmed,
)


@transaction.atomic(durable=True)
def register_employer(
    *,
    actor: User,
    legal_name: str,
    cra_business_number: str,
    street_address: str,
    municipality: str,
    postal_code: str,
    years_in_business: int,
    gross_revenue: Decimal | str | float,
    location_census_division: CensusDivision | str,
    location_municipality: str,
    location_full_time_employees: int,
    location_street_address: str = "",
    operating_name: str = "",
) -> Employer:
    """Register a business with its first work location; the actor becomes its signing officer.

    An employer that fails a threshold registers all the same (DOMAIN §3): the failing
    rules are shown with it, not refused. Raises ValidationFailed (a message per field:
    the CRA business number's format and check digit, the postal code, amounts, the
    census division) and Conflict when the business number is registered already;
    PermissionDenied when the actor has not confirmed their e-mail; StaffCannotTakePart
    when the actor is a staff account (Decision 79).
    """
    return _register_employer(
        actor=actor,
        legal_name=legal_name,
        cra_business_number=cra_business_number,
        street_address=street_address,
        municipality=municipality,
        postal_code=postal_code,
        years_in_business=years_in_business,
        gross_revenue=gross_revenue,
        location_census_division=location_census_division,
        location_municipality=location_municipality,
        location_full_time_employees=location_full_time_employees,
        location_street_address=location_street_address,
        operating_name=operating_name,
    )


def _register_employer(
    *,
    actor: User,
    legal_name: str,
    cra_business_number: str,
    street_address: str,
    municipality: str,
    postal_code: str,
    years_in_business: int,
    gross_revenue: Decimal | str | float,
    location_census_division: CensusDivision | str,
    location_municipality: str,
    location_full_time_employees: int,
    location_street_address: str = "",
    operating_name: str = "",
) -> Employer:
    """The body of ``register_employer``, in the caller's transaction."""
    require_confirmed(actor)
    refuse_staff(actor)
    errors = Errors()
    business = business_fields(
        errors,
        {
            "legal_name": legal_name,
            "operating_name": operating_name,
            "cra_business_number": cra_business_number,
            "street_address": street_address,
            "municipality": municipality,
            "postal_code": postal_code,
            "years_in_business": years_in_business,
            "gross_revenue": gross_revenue,
        },
    )
    location = location_fields(
        errors,
        {
            "census_division": location_census_division,
            "municipality": location_municipality,
            "street_address": location_street_address,
            "full_time_employees": location_full_time_employees,
        },
        prefix="location_",
    )
    errors.raise_if_any(_("the business cannot be registered"))
    if Employer.objects.filter(cra_business_number=business["cra_business_number"]).exists():
        raise Conflict(
            _("a business with this CRA business number is registered already"),
            fields={
                "cra_business_number": [
                    _("This business is registered already: ask its signing officer to invite you.")
                ]
            },
        )
    now = timezone.now()
    employer = Employer.objects.create(**business, created_by=actor, created_at=now, updated_at=now)
    work_location = WorkLocation.objects.create(employer=employer, created_at=now, **location)
    EmployerContact.objects.create(
        employer=employer, user=actor, is_signing_officer=True, created_at=now
    )
    failures = queries.employer_eligibility(employer, work_location, program_date(now))
    record(
        actor=actor,
        action="employers.employer_registered",
        subject=employer,
        after={**snapshot(employer, EMPLOYER_FIELDS), "signing_officer": actor.email},
        data={"failing_rules": [f.rule for f in failures]},
    )
    record(
        actor=actor,
        action="employers.location_added",
        subject=work_location,
        after=snapshot(work_location, LOCATION_FIELDS),
    )
    return employer


@transaction.atomic(durable=True)
def update_employer(*, actor: User, employer: Employer, **changes: Any) -> Employer:
    """Correct the business's facts (names, address, years in business, gross revenue).

    Anyone who may act for the employer: its active contacts and appointed
    representatives (as for locations and offers). The CRA business number cannot change
    (a different number is a different business). The employer requirements shown with
    the business are judged on read, so they follow the new facts at once; job offers
    keep the flags they were judged with (docs/decisions.md). Only the fields whose value
    changes are written and audited; a change to nothing writes nothing. Raises NotFound
    without access, PermissionDenied when the actor's e-mail is unconfirmed, and
    ValidationFailed naming each refused field (unknown ones included) before any write.
    """
    locked = lock_employer(employer)
    require_access(actor, locked)
    require_confirmed(actor)
    values, changed = corrected(
        locked,
        changes,
        EMPLOYER_EDITABLE,
        EMPLOYER_FIELDS,
        business_fields,
        _("the business cannot be updated"),
    )
    if not changed:
        return locked
    before = snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, values[name])
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*changed, "updated_at"])
    record(
        actor=actor,
        action="employers.employer_updated",
        subject=locked,
        before=before,
        after=snapshot(locked, changed),
        data={"failing_rules": _failing_rules(locked)},
    )
    return locked


def _failing_rules(employer: Employer) -> dict[str, list[str]]:
    """The employer rules failed at each location (by id), kept with a correction's audit
    event: what the change did to eligibility, as judged on the day."""
    return {
        str(item.location.pk): [f.rule for f in item.failures]
        for item in queries.eligibility_by_location(employer)
    }


@transaction.atomic(durable=True)
def add_work_location(
    *,
    actor: User,
    employer: Employer,
    census_division: CensusDivision | str,
    municipality: str,
    full_time_employees: int,
    street_address: str = "",
) -> WorkLocation:
    """Add a work location (census division, municipality, full-time permanent employees
    who are citizens or permanent residents). Anyone who may act for the employer.

    Raises NotFound without access, ValidationFailed per field.
    """
    return _add_work_location(
        actor=actor,
        employer=employer,
        census_division=census_division,
        municipality=municipality,
        full_time_employees=full_time_employees,
        street_address=street_address,
    )


def _add_work_location(
    *,
    actor: User,
    employer: Employer,
    census_division: CensusDivision | str,
    municipality: str,
    full_time_employees: int,
    street_address: str = "",
) -> WorkLocation:
    """The body of ``add_work_location``, in the caller's transaction."""
    locked = lock_employer(employer)
    require_access(actor, locked)
    require_confirmed(actor)
    errors = Errors()
    fields = location_fields(
        errors,
        {
            "census_division": census_division,
            "municipality": municipality,
            "street_address": street_address,
            "full_time_employees": full_time_employees,
        },
    )
    errors.raise_if_any(_("the work location cannot be added"))
    location = WorkLocation.objects.create(employer=locked, created_at=timezone.now(), **fields)
    record(
        actor=actor,
        action="employers.location_added",
        subject=location,
        after=snapshot(location, LOCATION_FIELDS),
    )
    return location


@transaction.atomic(durable=True)
def update_work_location(*, actor: User, location: WorkLocation, **changes: Any) -> WorkLocation:
    """Correct a work location: census division, municipality, street address, and
    full-time permanent employees who are citizens or permanent residents.

    Anyone who may act for the employer (active contacts, appointed representatives).
    The employer row is locked first, as every change of the business does. The
    employer requirements at the location are judged on read, so they follow the new
    facts at once; job offers keep the flags they were judged with (docs/decisions.md).
    The census division cannot change while a job offer there is live (awaiting its EOI,
    with an EOI, or invited): the offer's wage floor and occupation list, and the EOI's
    region, were judged in that division (Conflict naming the offers). Only the fields
    whose value changes are written and audited. Raises NotFound without access (or for
    a location gone), PermissionDenied when the actor's e-mail is unconfirmed, and
    ValidationFailed naming each refused field (unknown ones included) before any write.
    """
    employer = lock_employer(location.employer_id)
    require_access(actor, employer)
    require_confirmed(actor)
    locked = (
        WorkLocation.objects.select_for_update()
        .select_related("census_division")
        .filter(pk=location.pk, employer=employer)
        .first()
    )
    if locked is None:
        raise NotFound(_("no such work location"))
    values, changed = corrected(
        locked,
        changes,
        LOCATION_FIELDS,
        LOCATION_FIELDS,
        location_fields,
        _("the work location cannot be changed"),
    )
    if not changed:
        return locked
    if "census_division" in changed:
        _require_no_live_offers(locked)
    before = snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, values[name])
    locked.save(update_fields=changed)
    record(
        actor=actor,
        action="employers.location_updated",
        subject=locked,
        before=before,
        after=snapshot(locked, changed),
        data={"failing_rules": [f.rule for f in queries.employer_eligibility(employer, locked)]},
    )
    return locked


def _require_no_live_offers(location: WorkLocation) -> None:
    # An offer past its lapse instant counts as lapsed even before the sweep has run,
    # as every read shows it.
    live = list(
        JobOffer.objects.filter(location=location)
        .filter(
            Q(status__in=[JobOffer.Status.EOI_REGISTERED, JobOffer.Status.INVITED])
            | Q(status=JobOffer.Status.AWAITING_EOI, lapses_at__gt=timezone.now())
        )
        .order_by("submitted_at")
        .values_list("public_id", flat=True)
    )
    if live:
        raise Conflict(
            _("job offers at this location were judged in its census division: %(ids)s")
            % {"ids": ", ".join(live)},
            fields={
                "census_division": [
                    _(
                        "Job offers at this location were judged in this census division "
                        "(%(ids)s). Add the other location instead, or withdraw the offers "
                        "awaiting an EOI first; for an offer with an EOI, contact the program."
                    )
                    % {"ids": ", ".join(live)}
                ]
            },
        )
