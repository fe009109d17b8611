"""State changes of the employer portal: businesses, locations, contacts, job offers.

Every public function is one transaction (``durable=True``), keyword-only, checks every
rule before writing, raises a ``nominee.core.errors.DomainError`` subclass on refusal
and writes an audit event in the same transaction. E-mails are recorded in that
transaction and delivered by a background task once it commits.

Where a caller already holds a transaction (a demo step), it calls the private body a
durable service wraps (``_submit_job_offer`` for ``submit_job_offer``), as draws does
with ``_propose``/``_execute``: the same checks and audit event, no transaction of its own.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email, site_url
from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.roles import Role, has_role
from nominee.accounts.services import can_act_for
from nominee.audit.services import record, snapshot
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ, program_date
from nominee.reference.models import CensusDivision, Noc

from . import queries
from .models import Employer, EmployerContact, JobOffer, WorkLocation
from .transitions import move_offer

EMPLOYER_FIELDS = [
    "legal_name",
    "operating_name",
    "cra_business_number",
    "street_address",
    "municipality",
    "postal_code",
    "years_in_business",
    "gross_revenue",
]
# What a correction may change: the business number is not among them, since a different
# number is a different business (it registers on its own).
EMPLOYER_EDITABLE = [name for name in EMPLOYER_FIELDS if name != "cra_business_number"]
LOCATION_FIELDS = ["census_division", "municipality", "street_address", "full_time_employees"]
OFFER_FIELDS = [
    "stream",
    "noc",
    "job_title",
    "hourly_wage",
    "annual_salary",
    "hours_per_week",
    "permanent",
    "location",
    "candidate_name",
    "candidate_email",
]
# Once a representative is appointed these can no longer be changed (the rule).
LOCKED_WITH_REPRESENTATIVE = ("candidate_name", "candidate_email", "job_title")
MAX_REVENUE = Decimal("999999999999.99")
_POSTAL_RE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
_BN_RE = re.compile(r"^(\d{9})(?:([A-Z]{2})(\d{4}))?$")


class JobOfferRefused(DomainError):
    """The job offer fails a rule the program refuses on (named in ``fields``)."""

    status = 422
    code = "job_offer.refused"


# ---- Field validation --------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    """The mod-10 (Luhn) check the CRA uses for the 9-digit business number."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_business_number(value: str) -> str | None:
    """The 9-digit CRA business number from what was typed, or None when invalid.

    Accepts spaces and dashes and an optional program account (``RT0001``), which is
    dropped: the business is identified by its 9 digits, whose last is a check digit.
    """
    compact = re.sub(r"[\s\-]", "", (value or "").upper())
    match = _BN_RE.match(compact)
    if match is None or not luhn_valid(match.group(1)):
        return None
    return match.group(1)


def normalise_postal_code(value: str) -> str | None:
    """A Canadian postal code as ``A1A 1A1``, or None when it is not one."""
    match = _POSTAL_RE.match((value or "").strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


class _Errors:
    """Collects a message per field, then raises them together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: str) -> None:
        if self.fields:
            raise ValidationFailed(message, fields=self.fields)


def _text(
    errors: _Errors, field: str, value: Any, *, required: bool = True, max_length: int = 200
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > max_length:
        errors.add(field, _("Use at most %(n)d characters.") % {"n": max_length})
    return text


def _int(errors: _Errors, field: str, value: Any, *, maximum: int) -> int:
    try:
        number = int(value)
        if isinstance(value, float | Decimal) and number != value:
            raise ValueError
    except (TypeError, ValueError, ArithmeticError):
        errors.add(field, _("Enter a whole number."))
        return 0
    if number < 0 or number > maximum:
        errors.add(field, _("Enter a number from 0 to %(max)d.") % {"max": maximum})
    return number


def _money(errors: _Errors, field: str, value: Any, *, maximum: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        errors.add(field, _("Enter an amount in dollars, e.g. 1250000 or 32.50."))
        return None
    if not amount.is_finite() or amount < 0 or amount > maximum:
        errors.add(field, _("Enter an amount from 0 to %(max)s.") % {"max": f"{maximum:,}"})
        return None
    if amount != amount.quantize(queries.CENT):
        errors.add(field, _("Use at most two decimals (cents)."))
        return None
    return amount


def _census_division(errors: _Errors, field: str, value: Any) -> CensusDivision | None:
    if isinstance(value, CensusDivision):
        return value
    division = CensusDivision.objects.filter(code=str(value or "").strip()).first()
    if division is None:
        errors.add(field, _("Choose an Ontario census division."))
    return division


def _email(errors: _Errors, field: str, value: Any) -> str:
    email = str(value or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.add(field, _("Enter a valid e-mail address."))
    return email


def _submission_instant(on: date | datetime | None) -> datetime:
    if on is None:
        return timezone.now()
    if isinstance(on, datetime):
        if timezone.is_naive(on):
            raise ValueError("on must be an aware datetime")
        return on
    if on == program_date(timezone.now()):
        return timezone.now()
    return datetime.combine(on, time(10, 0), tzinfo=PROGRAM_TZ)


# ---- Access ------------------------------------------------------------------------


def _lock_employer(employer: Employer | int) -> Employer:
    pk = employer.pk if isinstance(employer, Employer) else employer
    locked = Employer.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(_("no such employer"))
    return locked


def _require_access(actor: Any, employer: Employer) -> None:
    """NotFound for anyone who may not act for the employer (its existence is private)."""
    if not can_act_for(actor, employer=employer):
        raise NotFound(_("no such employer"))


def _require_confirmed(actor: Any) -> None:
    if getattr(actor, "email_confirmed_at", None) is None:
        raise PermissionDenied(
            _("confirm your e-mail address first: follow the link in the e-mail we sent you"),
            code="email.unconfirmed",
        )


def _require_signing_officer(actor: Any, employer: Employer) -> None:
    _require_access(actor, employer)
    if not EmployerContact.objects.filter(
        employer=employer, user=actor, active=True, is_signing_officer=True
    ).exists():
        raise PermissionDenied(_("only the employer's signing officer may do this"))


# ---- Businesses --------------------------------------------------------------------


def _business_fields(errors: _Errors, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "legal_name": _text(errors, "legal_name", data.get("legal_name")),
        "operating_name": _text(
            errors, "operating_name", data.get("operating_name"), required=False
        ),
        "street_address": _text(errors, "street_address", data.get("street_address")),
        "municipality": _text(errors, "municipality", data.get("municipality"), max_length=100),
        "years_in_business": _int(
            errors, "years_in_business", data.get("years_in_business"), maximum=500
        ),
    }
    bn = normalise_business_number(str(data.get("cra_business_number") or ""))
    if bn is None:
        errors.add(
            "cra_business_number",
            _(
                "Enter the 9-digit CRA business number (e.g. 123456782), optionally with "
                "its program account (RT0001)."
            ),
        )
    out["cra_business_number"] = bn
    postal = normalise_postal_code(str(data.get("postal_code") or ""))
    if postal is None:
        errors.add("postal_code", _("Enter a Canadian postal code, e.g. M5H 2N2."))
    out["postal_code"] = postal
    revenue = _money(errors, "gross_revenue", data.get("gross_revenue"), maximum=MAX_REVENUE)
    if revenue is None and "gross_revenue" not in errors.fields:
        errors.add("gross_revenue", _("This field is required."))
    out["gross_revenue"] = revenue
    return out


def _location_fields(errors: _Errors, data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    return {
        "census_division": _census_division(
            errors, prefix + "census_division", data.get("census_division")
        ),
        "municipality": _text(
            errors, prefix + "municipality", data.get("municipality"), max_length=100
        ),
        "street_address": _text(
            errors, prefix + "street_address", data.get("street_address"), required=False
        ),
        "full_time_employees": _int(
            errors,
            prefix + "full_time_employees",
            data.get("full_time_employees"),
            maximum=10_000_000,
        ),
    }


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
    PermissionDenied when the actor has not confirmed their e-mail.
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
    _require_confirmed(actor)
    errors = _Errors()
    business = _business_fields(
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
    location = _location_fields(
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


def unchangeable_fields(changes: Iterable[str], editable: Iterable[str]) -> dict[str, list[str]]:
    """A message per name in ``changes`` that a correction may not change.

    The CRA business number says why it stays; any other name lists those that can change.
    """
    allowed = list(editable)
    out: dict[str, list[str]] = {}
    for name in changes:
        if name in allowed:
            continue
        if name == "cra_business_number":
            out[name] = [
                _(
                    "The CRA business number identifies the business and cannot be changed. "
                    "A business with another number is another business: register it."
                )
            ]
        else:
            out[name] = [
                _("This field cannot be changed here. These can: %(fields)s.")
                % {"fields": ", ".join(allowed)}
            ]
    return out


def _corrected(
    row: Any,
    changes: dict[str, Any],
    editable: list[str],
    fields: list[str],
    parse: Callable[[_Errors, dict[str, Any]], dict[str, Any]],
    refused: str,
) -> tuple[dict[str, Any], list[str]]:
    """A correction's parsed values and the names whose value changes.

    ``parse`` reads all of ``fields`` (the row's values overlaid with the changes), so that
    rules between fields hold; ValidationFailed names each refused field, unknown ones too.
    """
    errors = _Errors()
    for name, messages in unchangeable_fields(changes, editable).items():
        for message in messages:
            errors.add(name, message)
    known = {name: value for name, value in changes.items() if name in editable}
    current = {name: getattr(row, name) for name in fields}
    values = parse(errors, {**current, **known})
    errors.raise_if_any(refused)
    return values, [name for name in known if values[name] != current[name]]


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
    locked = _lock_employer(employer)
    _require_access(actor, locked)
    _require_confirmed(actor)
    values, changed = _corrected(
        locked,
        changes,
        EMPLOYER_EDITABLE,
        EMPLOYER_FIELDS,
        _business_fields,
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
    locked = _lock_employer(employer)
    _require_access(actor, locked)
    _require_confirmed(actor)
    errors = _Errors()
    fields = _location_fields(
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
    employer = _lock_employer(location.employer_id)
    _require_access(actor, employer)
    _require_confirmed(actor)
    locked = (
        WorkLocation.objects.select_for_update()
        .select_related("census_division")
        .filter(pk=location.pk, employer=employer)
        .first()
    )
    if locked is None:
        raise NotFound(_("no such work location"))
    values, changed = _corrected(
        locked,
        changes,
        LOCATION_FIELDS,
        LOCATION_FIELDS,
        _location_fields,
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


# ---- Contacts ----------------------------------------------------------------------


@transaction.atomic(durable=True)
def invite_contact(
    *, actor: User, employer: Employer, email: str, full_name: str = ""
) -> EmployerContact:
    """The signing officer adds a person as a contact of the employer and e-mails them.

    A person without an account gets one with no password and a link to choose it
    (which also confirms their address), as does an account that has not confirmed its
    address; a person with a confirmed account is told to sign in.
    A former contact is re-activated. Raises NotFound without access, PermissionDenied
    for anyone but the signing officer, ValidationFailed for a bad address, Conflict when
    the person is an active contact already.
    """
    locked = _lock_employer(employer)
    _require_signing_officer(actor, locked)
    _require_confirmed(actor)
    errors = _Errors()
    address = _email(errors, "email", email)
    name = _text(errors, "full_name", full_name, required=False)
    errors.raise_if_any(_("the invitation cannot be sent"))
    user = User.objects.filter(email__iexact=address).first()
    link: str | None = None
    if user is None:
        user = User.objects.create_user(email=address, password=None, full_name=name)
    if user.email_confirmed_at is None:
        # Whoever opened an unconfirmed account may not hold the address: the link (to the
        # address) lets its owner choose the password, which confirms the account.
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = site_url(
            reverse(
                "accounts:accept_invitation", args=[uid, default_token_generator.make_token(user)]
            )
        )
    contact = EmployerContact.objects.filter(employer=locked, user=user).first()
    if contact is not None and contact.active:
        raise Conflict(
            _("this person is a contact of the employer already"),
            fields={"email": [_("Already a contact.")]},
        )
    now = timezone.now()
    if contact is None:
        contact = EmployerContact.objects.create(
            employer=locked, user=user, is_signing_officer=False, invited_by=actor, created_at=now
        )
    else:
        contact.active = True
        contact.invited_by = actor
        contact.save(update_fields=["active", "invited_by"])
    record(
        actor=actor,
        action="employers.contact_invited",
        subject=contact,
        after={"email": address, "active": True},
    )
    from .tasks import send_employer_email

    queue_email(
        kind=OutgoingEmail.Kind.CONTACT_INVITATION,
        to=address,
        recipient=user,
        template="employers/email/contact_invitation.txt",
        context={
            "employer": locked,
            "actor": actor,
            "user": user,
            "link": link,
            "sign_in": site_url(reverse("employers:dashboard")),
        },
        task=send_employer_email,
        employer=locked,
        private_link=link is not None,
    )
    return contact


@transaction.atomic(durable=True)
def remove_contact(*, actor: User, contact: EmployerContact) -> EmployerContact:
    """The signing officer deactivates another contact (kept as history).

    Raises PermissionDenied for anyone else or for the signing officer's own row,
    Conflict when the contact is inactive already.
    """
    locked_employer = _lock_employer(contact.employer_id)
    _require_signing_officer(actor, locked_employer)
    locked = EmployerContact.objects.select_for_update().get(pk=contact.pk)
    if locked.is_signing_officer:
        raise PermissionDenied(_("the signing officer cannot be removed"))
    if not locked.active:
        raise Conflict(_("this person is not an active contact"))
    locked.active = False
    locked.save(update_fields=["active"])
    record(
        actor=actor,
        action="employers.contact_removed",
        subject=locked,
        before={"active": True},
        after={"active": False},
    )
    return locked


# ---- Job offers --------------------------------------------------------------------


def new_public_id() -> str:
    """A fresh Job Offer ID ``JO-XXXX-XXXX`` (8 characters of 31: about 8.5e11 values)."""
    chars = "".join(secrets.choice(queries.ID_ALPHABET) for _ in range(8))
    return f"JO-{chars[:4]}-{chars[4:]}"


def _unique_public_id() -> str:
    for _attempt in range(20):
        candidate = new_public_id()
        if not JobOffer.objects.filter(public_id=candidate).exists():
            return candidate
    raise RuntimeError("could not find a free Job Offer ID")  # pragma: no cover


_RULE_FIELDS = (
    ("hour", "hours_per_week"),
    ("full_time", "hours_per_week"),
    ("full-time", "hours_per_week"),
    ("permanent", "permanent"),
    ("wage", "hourly_wage"),
    ("teer", "noc"),
    ("noc", "noc"),
    ("in_demand", "noc"),
    ("in-demand", "noc"),
    ("list", "noc"),
    ("census_division", "location"),
    ("gta", "location"),
    ("region", "location"),
    ("stream", "stream"),
)


def field_of_rule(rule: str) -> str:
    """The form field a failing offer rule belongs to (for messages next to the input)."""
    lowered = rule.lower()
    for needle, field in _RULE_FIELDS:
        if needle in lowered:
            return field
    return "offer"


def _offer_values(
    errors: _Errors, employer: Employer, data: dict[str, Any], on: date
) -> dict[str, Any]:
    from nominee.scoring import EMPLOYER_STREAMS

    out: dict[str, Any] = {}
    stream = str(data.get("stream") or "")
    if stream not in EMPLOYER_STREAMS:
        errors.add("stream", _("Choose one of the employer job offer streams."))
    out["stream"] = stream
    location = data.get("location")
    if not isinstance(location, WorkLocation):
        text = str(location or "")
        location = WorkLocation.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if location is None or location.employer_id != employer.pk:
        errors.add("location", _("Choose one of the employer's work locations."))
        location = None
    out["location"] = location
    noc = data.get("noc")
    if not isinstance(noc, Noc):
        noc = Noc.objects.filter(code=str(noc or "").strip()).first()
    if noc is None:
        errors.add("noc", _("Enter a NOC 2021 unit group code (5 digits)."))
    out["noc"] = noc
    out["job_title"] = _text(errors, "job_title", data.get("job_title"))
    out["candidate_name"] = _text(errors, "candidate_name", data.get("candidate_name"))
    out["candidate_email"] = _email(errors, "candidate_email", data.get("candidate_email"))
    hours = _money(errors, "hours_per_week", data.get("hours_per_week"), maximum=Decimal(168))
    if hours is None and "hours_per_week" not in errors.fields:
        errors.add("hours_per_week", _("This field is required."))
    elif hours is not None and hours <= 0:
        errors.add("hours_per_week", _("Enter the weekly hours, more than 0."))
        hours = None
    out["hours_per_week"] = hours
    permanent = data.get("permanent")
    if not isinstance(permanent, bool):
        errors.add("permanent", _("Say whether the position is permanent."))
    out["permanent"] = bool(permanent)
    wage = _money(errors, "hourly_wage", data.get("hourly_wage"), maximum=Decimal(10_000))
    annual = _money(errors, "annual_salary", data.get("annual_salary"), maximum=Decimal(10_000_000))
    if wage is not None and annual is not None:
        errors.add("hourly_wage", _("Give either an hourly wage or an annual salary, not both."))
    elif wage is None and annual is None:
        if "hourly_wage" not in errors.fields and "annual_salary" not in errors.fields:
            errors.add("hourly_wage", _("Give an hourly wage or an annual salary."))
    elif wage is not None and wage <= 0:
        errors.add("hourly_wage", _("Enter a wage above 0."))
    elif annual is not None and annual <= 0:
        errors.add("annual_salary", _("Enter a salary above 0."))
    if annual is not None and hours:
        wage = queries.hourly_from_annual(annual, hours, on)
    out["hourly_wage"] = wage
    out["annual_salary"] = annual
    return out


def _checked_failures(employer: Employer, values: dict[str, Any], on: date) -> list[dict[str, str]]:
    """The offer's and the employer's failing rules; raises JobOfferRefused on a refusal."""
    location: WorkLocation = values["location"]
    offer_failures = queries.job_offer_failures(
        stream=values["stream"],
        noc=values["noc"].code,
        hourly_wage=values["hourly_wage"],
        hours_per_week=values["hours_per_week"],
        permanent=values["permanent"],
        census_division=location.census_division_id,
        on=on,
    )
    refusals = [f for f in offer_failures if f.severity == "refuse"]
    if refusals:
        fields: dict[str, list[str]] = {}
        for failure in refusals:
            fields.setdefault(field_of_rule(failure.rule), []).append(
                f"{failure.message} ({failure.rule})"
            )
        raise JobOfferRefused(
            _("the job offer does not meet the program's rules: %(rules)s")
            % {"rules": ", ".join(f.rule for f in refusals)},
            fields=fields,
        )
    stored = [f.as_dict() | {"subject": "offer"} for f in offer_failures]
    stored += [
        f.as_dict() | {"subject": "employer", "severity": "flag"}
        for f in queries.employer_eligibility(employer, location, on)
    ]
    return stored


def _recipient(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _queue_offer_email(offer: JobOffer, kind: str, template: str, **context: Any) -> OutgoingEmail:
    from .tasks import send_employer_email

    return queue_email(
        kind=kind,
        to=offer.candidate_email,
        recipient=_recipient(offer.candidate_email),
        template=template,
        context={"offer": offer, "employer": offer.employer, **context},
        task=send_employer_email,
        employer=offer.employer,
        job_offer=offer,
    )


def _offer_snapshot(offer: JobOffer) -> dict[str, Any]:
    out = snapshot(offer, OFFER_FIELDS)
    out["status"] = offer.status
    return out


@transaction.atomic(durable=True)
def submit_job_offer(
    *,
    actor: User,
    employer: Employer,
    location: WorkLocation | int,
    stream: str,
    noc: Noc | str,
    job_title: str,
    hourly_wage: Decimal | str | float | None = None,
    annual_salary: Decimal | str | float | None = None,
    hours_per_week: Decimal | str | float,
    permanent: bool,
    candidate_name: str,
    candidate_email: str,
    on: date | datetime | None = None,
) -> JobOffer:
    """Submit a job offer for one named candidate; returns it with its Job Offer ID.

    Checks (DOMAIN §3, named failures): full-time (weekly and yearly hours), permanent,
    TEER and list for the stream (In-Demand Skills and its outside-GTA NOCs), and the
    Job Bank wage floor for the location's region (else Ontario-wide, else a flag). A
    refusal raises JobOfferRefused (422) naming each rule and writes nothing; flags (and
    every threshold the employer fails at that location) are stored on the offer, which
    then needs an officer's review. An annual salary is converted to an hourly wage over
    52 weeks of the weekly hours. ``on`` (a date or an aware instant, default now) is the
    submission time: the offer lapses after the policy's validity, counted from it.
    The candidate is e-mailed the ID once the transaction commits.
    Raises NotFound when the actor may not act for the employer, PermissionDenied when
    their e-mail is not confirmed, ValidationFailed per field.
    """
    return _submit_job_offer(
        actor=actor,
        employer=employer,
        location=location,
        stream=stream,
        noc=noc,
        job_title=job_title,
        hourly_wage=hourly_wage,
        annual_salary=annual_salary,
        hours_per_week=hours_per_week,
        permanent=permanent,
        candidate_name=candidate_name,
        candidate_email=candidate_email,
        on=on,
    )


def _submit_job_offer(
    *,
    actor: User,
    employer: Employer,
    location: WorkLocation | int,
    stream: str,
    noc: Noc | str,
    job_title: str,
    hourly_wage: Decimal | str | float | None = None,
    annual_salary: Decimal | str | float | None = None,
    hours_per_week: Decimal | str | float,
    permanent: bool,
    candidate_name: str,
    candidate_email: str,
    on: date | datetime | None = None,
) -> JobOffer:
    """The body of ``submit_job_offer``, in the caller's transaction."""
    locked = _lock_employer(employer)
    _require_access(actor, locked)
    _require_confirmed(actor)
    errors = _Errors()
    submitted_at = _submission_instant(on)
    values = _offer_values(
        errors,
        locked,
        {
            "location": location,
            "stream": stream,
            "noc": noc,
            "job_title": job_title,
            "hourly_wage": hourly_wage,
            "annual_salary": annual_salary,
            "hours_per_week": hours_per_week,
            "permanent": permanent,
            "candidate_name": candidate_name,
            "candidate_email": candidate_email,
        },
        program_date(submitted_at),
    )
    errors.raise_if_any(_("the job offer is incomplete"))
    failures = _checked_failures(locked, values, program_date(submitted_at))
    offer = JobOffer.objects.create(
        public_id=_unique_public_id(),
        employer=locked,
        failures=failures,
        needs_review=bool(failures),
        submitted_by=actor,
        submitted_at=submitted_at,
        lapses_at=queries.lapse_instant(submitted_at),
        updated_at=submitted_at,
        **values,
    )
    record(
        actor=actor,
        action="employers.job_offer_submitted",
        subject=offer,
        after=_offer_snapshot(offer) | {"public_id": offer.public_id},
        data={"failing_rules": [f["rule"] for f in failures]},
    )
    _queue_offer_email(
        offer,
        OutgoingEmail.Kind.JOB_OFFER_ID,
        "employers/email/job_offer_id.txt",
        eoi_link=site_url("/candidate/"),
        signup_link=site_url(reverse("accounts:signup")),
    )
    return offer


def _lock_offer(offer: JobOffer) -> JobOffer:
    locked = JobOffer.objects.select_for_update().filter(pk=offer.pk).first()
    if locked is None:
        raise NotFound(_("no such job offer"))
    return locked


@transaction.atomic(durable=True)
def update_job_offer(*, actor: User, offer: JobOffer, **changes: Any) -> JobOffer:
    """Change a job offer still awaiting the candidate's EOI; the checks run again.

    ``changes`` may name any of the submission's fields (``hourly_wage`` and
    ``annual_salary`` replace each other). Once a representative is appointed for the
    employer, the candidate's name and e-mail and the job title are locked (Conflict
    naming them). The Job Offer ID and the lapse date do not change; a new candidate
    e-mail address gets the ID by e-mail. Raises NotFound without access, Conflict
    when the offer is no longer awaiting an EOI, JobOfferRefused or ValidationFailed.
    """
    locked = _lock_offer(offer)
    employer = _lock_employer(locked.employer_id)
    _require_access(actor, employer)
    _require_confirmed(actor)
    unknown = set(changes) - set(OFFER_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("these fields cannot be changed"), fields={f: [_("unknown field")] for f in unknown}
        )
    queries.with_effective_status(locked)
    if locked.status != JobOffer.Status.AWAITING_EOI:
        raise Conflict(
            _("only an offer awaiting the candidate's EOI can be changed (this one is %(status)s)")
            % {"status": locked.get_status_display()}
        )
    current: dict[str, Any] = {name: getattr(locked, name) for name in OFFER_FIELDS}
    if "annual_salary" in changes and "hourly_wage" not in changes:
        current["hourly_wage"] = None
    if "hourly_wage" in changes and "annual_salary" not in changes:
        current["annual_salary"] = None
    if current["annual_salary"] is not None:
        current["hourly_wage"] = None
    merged = {**current, **changes}
    errors = _Errors()
    values = _offer_values(errors, employer, merged, program_date(locked.submitted_at))
    errors.raise_if_any(_("the job offer cannot be changed"))
    changed = [
        name
        for name in OFFER_FIELDS
        if values[name] != getattr(locked, name)
        and not (
            name in ("hourly_wage", "annual_salary", "hours_per_week")
            and _same_amount(values[name], getattr(locked, name))
        )
    ]
    if not changed:
        return locked
    if queries.has_live_representative(employer):
        frozen = [name for name in changed if name in LOCKED_WITH_REPRESENTATIVE]
        if frozen:
            raise Conflict(
                _(
                    "a representative is appointed: the candidate's name and e-mail and the "
                    "job title are locked"
                ),
                code="job_offer.locked",
                fields={
                    name: [_("Locked since a representative was appointed.")] for name in frozen
                },
            )
    failures = _checked_failures(employer, values, program_date(locked.submitted_at))
    before = {name: _jsonable(getattr(locked, name)) for name in changed}
    old_email = locked.candidate_email
    for name in OFFER_FIELDS:
        setattr(locked, name, values[name])
    if {f["rule"] for f in failures} != {f["rule"] for f in locked.failures or []}:
        # Different failing rules need a fresh look by an officer.
        locked.needs_review = bool(failures)
    locked.failures = failures
    locked.updated_at = timezone.now()
    locked.save()
    record(
        actor=actor,
        action="employers.job_offer_updated",
        subject=locked,
        before=before,
        after={name: _jsonable(getattr(locked, name)) for name in changed},
        data={"failing_rules": [f["rule"] for f in failures]},
    )
    if locked.candidate_email != old_email:
        _queue_offer_email(
            locked,
            OutgoingEmail.Kind.JOB_OFFER_ID,
            "employers/email/job_offer_id.txt",
            eoi_link=site_url("/candidate/"),
            signup_link=site_url(reverse("accounts:signup")),
        )
    else:
        _queue_offer_email(
            locked,
            OutgoingEmail.Kind.JOB_OFFER_CHANGED,
            "employers/email/job_offer_changed.txt",
            changed=changed,
        )
    return locked


def _same_amount(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic(durable=True)
def withdraw_job_offer(*, actor: User, offer: JobOffer, reason: str = "") -> JobOffer:
    """Withdraw a job offer that still awaits the candidate's EOI; the candidate is told.

    Once an EOI is registered with it, the offer is part of that EOI's file and the
    employer asks the program instead (Conflict). Raises NotFound without access.
    """
    return _withdraw_job_offer(actor=actor, offer=offer, reason=reason)


def _withdraw_job_offer(*, actor: User, offer: JobOffer, reason: str = "") -> JobOffer:
    """The body of ``withdraw_job_offer``, in the caller's transaction."""
    locked = _lock_offer(offer)
    employer = _lock_employer(locked.employer_id)
    _require_access(actor, employer)
    _require_confirmed(actor)
    queries.with_effective_status(locked)
    if locked.status != JobOffer.Status.AWAITING_EOI:
        raise Conflict(
            _(
                "only an offer awaiting the candidate's EOI can be withdrawn "
                "(this one is %(status)s)"
            )
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    locked.withdrawn_at = now
    locked.save(update_fields=["withdrawn_at"])
    move_offer(
        [locked.pk],
        to=JobOffer.Status.WITHDRAWN,
        actor=actor,
        via="employer",
        now=now,
        data=lambda offer: {"reason": (reason or "").strip()[:500]},
    )
    locked.status = JobOffer.Status.WITHDRAWN
    locked.updated_at = now
    _queue_offer_email(
        locked, OutgoingEmail.Kind.JOB_OFFER_WITHDRAWN, "employers/email/job_offer_withdrawn.txt"
    )
    return locked


@transaction.atomic(durable=True)
def review_job_offer(*, officer: User, offer: JobOffer, note: str) -> JobOffer:
    """An officer records that they reviewed an offer's flags (with a note); clears the flag.

    Raises PermissionDenied for anyone but an officer, ValidationFailed without a note,
    Conflict when there is nothing to review.
    """
    if not has_role(officer, Role.OFFICER):
        raise PermissionDenied(_("only a program officer may review job offers"))
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(
            _("a review needs a note"), fields={"note": [_("Say what you checked.")]}
        )
    locked = _lock_offer(offer)
    if not locked.needs_review:
        raise Conflict(_("this job offer has no flag to review"))
    now = timezone.now()
    locked.needs_review = False
    locked.reviewed_by = officer
    locked.reviewed_at = now
    locked.review_note = note
    locked.updated_at = now
    locked.save(
        update_fields=["needs_review", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
    )
    record(
        actor=officer,
        action="employers.job_offer_reviewed",
        subject=locked,
        before={"needs_review": True},
        after={"needs_review": False, "review_note": note},
    )
    return locked


@transaction.atomic(durable=True)
def lapse_job_offers(*, now: datetime | None = None) -> int:
    """The daily sweep: every offer still awaiting an EOI past ``lapses_at`` lapses.

    Returns how many lapsed; each gets an audit event by the system.
    """
    return _lapse_job_offers(now=now)


def _lapse_job_offers(*, now: datetime | None = None) -> int:
    """The body of ``lapse_job_offers``, in the caller's transaction."""
    now = now or timezone.now()
    due = JobOffer.objects.filter(
        status=JobOffer.Status.AWAITING_EOI, lapses_at__lte=now
    ).values_list("pk", flat=True)
    lapsed = move_offer(
        list(due),
        to=JobOffer.Status.LAPSED,
        actor=None,
        via="sweep",
        now=now,
        data=lambda offer: {"lapses_at": offer.lapses_at},
    )
    return len(lapsed)
