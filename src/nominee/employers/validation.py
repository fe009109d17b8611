"""Field validation of the employer portal: businesses, work locations, job offers.

Each ``clean_*`` reads one value as a person typed it and adds a message per field to an
``Errors``; ``business_fields``, ``location_fields`` and ``offer_values`` read a whole
submission; the services raise the collected messages before they write. Forms import
from here too, so that a page and the API refuse the same input with the same message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.core.errors import ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ, program_date
from nominee.program import streams
from nominee.program.streams import JOB_OFFER_STREAMS as EMPLOYER_STREAMS
from nominee.reference.models import CensusDivision, Noc

from . import queries
from .models import Employer, WorkLocation

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


MAX_REVENUE = Decimal("999999999999.99")


_POSTAL_RE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")


_BN_RE = re.compile(r"^(\d{9})(?:([A-Z]{2})(\d{4}))?$")


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


class Errors:
    """Collects a message per field, then raises them together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self, message: str) -> None:
        if self.fields:
            raise ValidationFailed(message, fields=self.fields)


def clean_text(
    errors: Errors, field: str, value: Any, *, required: bool = True, max_length: int = 200
) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > max_length:
        errors.add(field, _("Use at most %(n)d characters.") % {"n": max_length})
    return text


def clean_int(errors: Errors, field: str, value: Any, *, maximum: int) -> int:
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


def clean_money(errors: Errors, field: str, value: Any, *, maximum: Decimal) -> Decimal | None:
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


def clean_census_division(errors: Errors, field: str, value: Any) -> CensusDivision | None:
    if isinstance(value, CensusDivision):
        return value
    division = CensusDivision.objects.filter(code=str(value or "").strip()).first()
    if division is None:
        errors.add(field, _("Choose an Ontario census division."))
    return division


def clean_email(errors: Errors, field: str, value: Any) -> str:
    email = str(value or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.add(field, _("Enter a valid e-mail address."))
    return email


def submission_instant(on: date | datetime | None) -> datetime:
    if on is None:
        return timezone.now()
    if isinstance(on, datetime):
        if timezone.is_naive(on):
            raise ValueError("on must be an aware datetime")
        return on
    if on == program_date(timezone.now()):
        return timezone.now()
    return datetime.combine(on, time(10, 0), tzinfo=PROGRAM_TZ)


def business_fields(errors: Errors, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "legal_name": clean_text(errors, "legal_name", data.get("legal_name")),
        "operating_name": clean_text(
            errors, "operating_name", data.get("operating_name"), required=False
        ),
        "street_address": clean_text(errors, "street_address", data.get("street_address")),
        "municipality": clean_text(
            errors, "municipality", data.get("municipality"), max_length=100
        ),
        "years_in_business": clean_int(
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
    revenue = clean_money(errors, "gross_revenue", data.get("gross_revenue"), maximum=MAX_REVENUE)
    if revenue is None and "gross_revenue" not in errors.fields:
        errors.add("gross_revenue", _("This field is required."))
    out["gross_revenue"] = revenue
    return out


def location_fields(errors: Errors, data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    return {
        "census_division": clean_census_division(
            errors, prefix + "census_division", data.get("census_division")
        ),
        "municipality": clean_text(
            errors, prefix + "municipality", data.get("municipality"), max_length=100
        ),
        "street_address": clean_text(
            errors, prefix + "street_address", data.get("street_address"), required=False
        ),
        "full_time_employees": clean_int(
            errors,
            prefix + "full_time_employees",
            data.get("full_time_employees"),
            maximum=10_000_000,
        ),
    }


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


def corrected(
    row: Any,
    changes: dict[str, Any],
    editable: list[str],
    fields: list[str],
    parse: Callable[[Errors, dict[str, Any]], dict[str, Any]],
    refused: str,
) -> tuple[dict[str, Any], list[str]]:
    """A correction's parsed values and the names whose value changes.

    ``parse`` reads all of ``fields`` (the row's values overlaid with the changes), so that
    rules between fields hold; ValidationFailed names each refused field, unknown ones too.
    """
    errors = Errors()
    for name, messages in unchangeable_fields(changes, editable).items():
        for message in messages:
            errors.add(name, message)
    known = {name: value for name, value in changes.items() if name in editable}
    current = {name: getattr(row, name) for name in fields}
    values = parse(errors, {**current, **known})
    errors.raise_if_any(refused)
    return values, [name for name in known if values[name] != current[name]]


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


def offer_values(
    errors: Errors, employer: Employer, data: dict[str, Any], on: date
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    stream = str(data.get("stream") or "")
    if stream not in EMPLOYER_STREAMS:
        errors.add("stream", _("Choose one of the employer job offer streams."))
    elif not streams.info(stream).open_on(on):
        # DOMAIN §9: a closed (or not yet open) stream takes no job offer either.
        errors.add(
            "stream",
            _("The %(name)s stream is %(dates)s; it is not open on %(day)s.")
            % {
                "name": streams.name(stream),
                "dates": streams.info(stream).dates_in_words(),
                "day": on.isoformat(),
            },
        )
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
    out["job_title"] = clean_text(errors, "job_title", data.get("job_title"))
    out["candidate_name"] = clean_text(errors, "candidate_name", data.get("candidate_name"))
    out["candidate_email"] = clean_email(errors, "candidate_email", data.get("candidate_email"))
    hours = clean_money(errors, "hours_per_week", data.get("hours_per_week"), maximum=Decimal(168))
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
    wage = clean_money(errors, "hourly_wage", data.get("hourly_wage"), maximum=Decimal(10_000))
    annual = clean_money(
        errors, "annual_salary", data.get("annual_salary"), maximum=Decimal(10_000_000)
    )
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
