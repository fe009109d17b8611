"""The details the EOI did not collect (DOMAIN §7), as sections of named fields.

One table serves the wizard's forms, the service's validation and the staff file page, so
a field is declared once. Histories are kept as one entry per line (a person's own words),
checked for presence, not parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from nominee.core.errors import ValidationFailed


@dataclass(frozen=True)
class Field:
    """One detail: its key, its label, its kind (text, email, date, choice, lines)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Section:
    """A wizard step of details."""

    key: str
    title: str
    fields: tuple[Field, ...]


STATUS_CHOICES = (
    ("work-permit", gettext_noop("Work permit")),
    ("study-permit", gettext_noop("Study permit")),
    ("visitor", gettext_noop("Visitor")),
    ("outside-canada", gettext_noop("Outside Canada")),
    ("other", gettext_noop("Other")),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        gettext_noop("Identity and contact"),
        (
            Field("family_name", gettext_noop("Family name")),
            Field("given_names", gettext_noop("Given names")),
            Field("date_of_birth", gettext_noop("Date of birth"), "date"),
            Field("citizenship", gettext_noop("Country of citizenship")),
            Field("passport_number", gettext_noop("Passport number")),
            Field("phone", gettext_noop("Telephone")),
            Field("email", gettext_noop("E-mail address"), "email"),
        ),
    ),
    Section(
        "status",
        gettext_noop("Status in Canada"),
        (
            Field(
                "status_in_canada", gettext_noop("Current status"), "choice", choices=STATUS_CHOICES
            ),
            Field("status_expires_on", gettext_noop("Status valid until"), "date", required=False),
        ),
    ),
    Section(
        "history",
        gettext_noop("Work, education and address history"),
        (
            Field(
                "work_history",
                gettext_noop("Work history"),
                "lines",
                help=gettext_noop("one job a line: dates, employer, title"),
            ),
            Field(
                "education_history",
                gettext_noop("Education history"),
                "lines",
                help=gettext_noop("one credential a line: dates, institution, credential"),
            ),
            Field(
                "address_history",
                gettext_noop("Addresses of the last 10 years"),
                "lines",
                help=gettext_noop("one address a line: dates, address"),
            ),
        ),
    ),
    Section(
        "family",
        gettext_noop("Family members"),
        (
            Field(
                "family_members",
                gettext_noop("Family members"),
                "lines",
                required=False,
                help=gettext_noop(
                    "one person a line: name, relationship, date of birth (none: leave empty)"
                ),
            ),
        ),
    ),
)

SECTION_KEYS = tuple(section.key for section in SECTIONS)
_BY_KEY = {section.key: section for section in SECTIONS}


def section(key: str) -> Section:
    """The section named ``key``; ValidationFailed for an unknown one."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValidationFailed(
            f"unknown section {key!r}", fields={"section": [f"one of {', '.join(SECTION_KEYS)}"]}
        ) from None


def clean_section(key: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The section's values, trimmed and checked; ValidationFailed with a message per field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for field in section(key).fields:
        raw = data.get(field.name)
        value = "" if raw is None else str(raw).strip()
        if field.kind == "lines":
            value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
        if not value:
            if field.required:
                errors[field.name] = ["this field is required"]
            out[field.name] = ""
            continue
        if len(value) > 5000:
            errors[field.name] = ["at most 5000 characters"]
        elif field.kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                errors[field.name] = ["a date, YYYY-MM-DD"]
        elif field.kind == "email" and ("@" not in value or " " in value):
            errors[field.name] = ["an e-mail address"]
        elif field.kind == "choice" and value not in {c for c, _label in field.choices}:
            errors[field.name] = [f"one of {', '.join(c for c, _label in field.choices)}"]
        out[field.name] = value
    unknown = set(data) - {field.name for field in section(key).fields}
    for name in sorted(unknown):
        errors[name] = ["not a field of this section"]
    if errors:
        raise ValidationFailed(f"the section {section(key).title!r} has errors", fields=errors)
    return out


def missing_sections(details: Mapping[str, Any]) -> list[str]:
    """The sections not yet completed (absent, or failing their checks)."""
    missing = []
    for key in SECTION_KEYS:
        try:
            clean_section(key, details.get(key) or {})
        except ValidationFailed:
            missing.append(key)
    return missing
