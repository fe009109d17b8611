"""Program policy as data with effective dates (``data/policy.json``), and the program calendar.

Nothing in the engine hard-codes a threshold: :func:`policy_at` returns the version in force on
a program date, and every rule reads its numbers from there.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

PROGRAM_TZ = ZoneInfo("America/Toronto")

#: The five stream codes, in the order of DOMAIN §2.
STREAMS: tuple[str, ...] = (
    "foreign-worker",
    "international-student",
    "in-demand-skills",
    "masters",
    "phd",
)
#: The streams that take an employer's job offer.
EMPLOYER_STREAMS: tuple[str, ...] = STREAMS[:3]

WageFloorKind = Literal["low", "median", "high"]


class NotInForce(LookupError):
    """No policy or grid version is in force on the date asked (it precedes the first one)."""


def program_date(instant: datetime) -> date:
    """The program date (a calendar day in America/Toronto) on which an instant falls.

    Raises ValueError for a naive datetime: without a zone the day is ambiguous.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a program date needs an instant with a time zone")
    return instant.astimezone(PROGRAM_TZ).date()


def program_today() -> date:
    """Today's program date."""
    return datetime.now(PROGRAM_TZ).date()


_FROZEN = ConfigDict(extra="forbid")


@pydantic_dataclass(frozen=True, config=_FROZEN)
class ItaDays:
    """Days to answer an invitation: the employer's position approval, the candidate's file."""

    employer: int | None
    candidate: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class EmployerSize:
    """Minimum gross revenue (CAD, last fiscal year) and full-time permanent employees."""

    min_revenue: int
    min_employees: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class EmployerThresholds:
    """DOMAIN §3: size thresholds inside and outside the GTA, and years in business."""

    gta: EmployerSize
    outside_gta: EmployerSize
    min_years_in_business: int


@pydantic_dataclass(frozen=True, config=_FROZEN)
class StreamPolicy:
    """One stream's rules (DOMAIN §2 and §5). A None threshold means the rule does not apply."""

    name: str
    job_offer_required: bool
    education_required: bool
    legacy_applies: bool
    allowed_teers: frozenset[int] | None
    wage_floor: WageFloorKind | None
    in_demand_list: bool
    ita_days: ItaDays
    min_clb: int | None = None
    min_experience_months_in_noc: int | None = None
    licence_substitutes_experience: bool = False
    min_ontario_experience_months: int | None = None
    high_school_required: bool = False
    # Eligible credential kinds and the minimum full-time length (months) of each.
    credential_min_months: Mapping[str, int] | None = None
    credential_recent_months: int | None = None
    min_phd_months_in_ontario: int | None = None
    min_ontario_residence_months: int | None = None
    min_months_in_ontario: int | None = None
    settlement_funds_required: bool = False


@pydantic_dataclass(frozen=True, config=_FROZEN)
class Policy:
    """The program's policy in force from ``effective_from`` until the next version."""

    effective_from: date
    legacy_before: date
    job_offer_validity_days: int
    eoi_validity_months: int
    # Days before an EOI's expiry on which its candidate is reminded, largest first.
    eoi_reminder_days: tuple[int, ...]
    min_hours_per_week: float
    min_hours_per_year: float
    weeks_per_year: int
    employer: EmployerThresholds
    streams: Mapping[str, StreamPolicy]
    note: str = ""

    def stream(self, code: str) -> StreamPolicy:
        """The rules of one stream; KeyError for an unknown code."""
        return self.streams[code]

    def is_legacy(self, stream: str, registered_on: date) -> bool:
        """True for an employer-stream EOI registered before the reform (never drawn)."""
        return self.streams[stream].legacy_applies and registered_on < self.legacy_before


@dataclass(frozen=True)
class _PolicyFile:
    versions: tuple[Policy, ...]
    starts: tuple[date, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(v.effective_from for v in self.versions))


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class _PolicyDocument:
    versions: list[Policy]
    about: str = ""


def load_policies(document: Any) -> tuple[Policy, ...]:
    """Validate a policy document (the shape of ``data/policy.json``); versions by date.

    Raises ValueError naming the problem when a version is malformed, a stream is missing
    or two versions share a date.
    """
    parsed = TypeAdapter(_PolicyDocument).validate_python(document)
    versions = tuple(sorted(parsed.versions, key=lambda v: v.effective_from))
    if not versions:
        raise ValueError("the policy document has no version")
    for version in versions:
        if set(version.streams) != set(STREAMS):
            raise ValueError(
                f"policy {version.effective_from}: streams must be exactly {', '.join(STREAMS)}"
            )
    starts = [v.effective_from for v in versions]
    if len(set(starts)) != len(starts):
        raise ValueError("two policy versions share an effective date")
    return versions


@functools.cache
def _shipped() -> _PolicyFile:
    text = resources.files(__package__).joinpath("data").joinpath("policy.json").read_text("utf-8")
    return _PolicyFile(load_policies(json.loads(text)))


def policy_versions() -> tuple[Policy, ...]:
    """Every shipped policy version, oldest first."""
    return _shipped().versions


def policy_at(d: date) -> Policy:
    """The policy version in force on program date ``d`` (latest ``effective_from <= d``).

    Raises NotInForce for a date before the first version.
    """
    if isinstance(d, datetime):
        d = program_date(d)
    shipped = _shipped()
    index = bisect.bisect_right(shipped.starts, d) - 1
    if index < 0:
        raise NotInForce(
            f"no program policy is in force on {d.isoformat()}; "
            f"the first version applies from {shipped.starts[0].isoformat()}"
        )
    return shipped.versions[index]
