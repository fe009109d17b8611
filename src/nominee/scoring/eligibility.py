"""Stream minimum requirements (DOMAIN §3 and §5) as named failures, separate from scoring.

Every check returns a list of :class:`Failure`; an empty list means nothing failed. A
``refuse`` failure refuses the registration with the rule named; a ``flag`` failure accepts it
and asks an officer to look (a rule that cannot be checked). Every number comes from
:func:`policy_at` on the date of the check.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any, Literal

from .policy import Policy, StreamPolicy, policy_at, program_date, program_today
from .profile import Profile
from .refdata import ReferenceData

__all__ = [
    "EligibilityFacts",
    "Failure",
    "check_employer",
    "check_job_offer",
    "check_job_offer_terms",
    "check_profile",
]

Severity = Literal["refuse", "flag"]

_WAGE_WORDS = {"median": "median wage", "low": "low wage", "high": "high wage"}


@dataclass(frozen=True, slots=True)
class Failure:
    """A rule that failed: stable slug (e.g. ``job_offer.teer``), message, and severity."""

    rule: str
    message: str
    severity: Severity = "refuse"

    def to_document(self) -> dict[str, str]:
        """``{"rule", "message", "severity"}`` for JSON (EOI flags, API errors)."""
        return {"rule": self.rule, "message": self.message, "severity": self.severity}


@dataclass(frozen=True)
class EligibilityFacts:
    """What eligibility needs beyond the profile document; the portal forms collect it.

    Every field is optional: a fact that is None is not checked (bulk import has none).
    ``credential_kind`` is one of ``diploma``, ``degree``, ``graduate-certificate``,
    ``masters``, ``phd``; ``settlement_funds`` is whether the candidate holds the required
    settlement funds for their family size.
    """

    experience_months_in_noc_last_5y: int | None = None
    ontario_licence: bool | None = None
    ontario_experience_months_last_3y: int | None = None
    high_school_equivalent: bool | None = None
    credential_completed_on: date | None = None
    credential_length_months: int | None = None
    credential_kind: str | None = None
    ontario_residence_months_last_2y: int | None = None
    settlement_funds: bool | None = None
    phd_months_completed_in_ontario: int | None = None
    months_in_ontario_last_24: int | None = None

    def to_document(self) -> dict[str, Any]:
        """JSON-able dict (dates as ISO strings), None facts left out."""
        doc = {k: v for k, v in asdict(self).items() if v is not None}
        if isinstance(self.credential_completed_on, date):
            doc["credential_completed_on"] = self.credential_completed_on.isoformat()
        return doc

    @classmethod
    def from_document(cls, data: Mapping[str, Any]) -> EligibilityFacts:
        """The inverse of :meth:`to_document`; ValueError naming an unknown or bad fact."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown eligibility fact(s): {', '.join(sorted(unknown))}")
        values = dict(data)
        completed = values.get("credential_completed_on")
        if isinstance(completed, str):
            try:
                values["credential_completed_on"] = date.fromisoformat(completed)
            except ValueError:
                raise ValueError("credential_completed_on: must be a date, YYYY-MM-DD") from None
        for name, value in values.items():
            if value is None or name in {"credential_completed_on", "credential_kind"}:
                continue
            expected = (
                bool
                if name in {"ontario_licence", "high_school_equivalent", "settlement_funds"}
                else int
            )
            if type(value) is not expected or (expected is int and value < 0):
                kind = "true or false" if expected is bool else "a whole number, not negative"
                raise ValueError(f"{name}: must be {kind}")
        return cls(**values)


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def check_job_offer(
    *,
    stream: str,
    noc: str,
    hourly_wage: float | None,
    census_division: str,
    on: date,
    ref: ReferenceData,
) -> list[Failure]:
    """The job offer rules of an employer stream (DOMAIN §2): TEER, list, wage floor.

    TEER must be allowed for the stream; the In-Demand Skills NOC must be on the list, and
    one listed "outside the GTA only" must not be in the GTA; the hourly wage must reach the
    stream's Job Bank floor (median or low wage) for the work location's economic region,
    else the Ontario-wide figure. No figure at all is a ``flag``, never a refusal.
    A stream without a job offer has no job offer rules: [] .
    """
    policy = policy_at(on)
    rules = policy.stream(stream)
    if not rules.job_offer_required:
        return []
    failures: list[Failure] = []
    occupation = ref.nocs.get(noc)
    division = ref.census_divisions.get(census_division)
    if occupation is None:
        failures.append(Failure("job_offer.noc", f"NOC {noc} is not a NOC 2021 unit group"))
    if division is None:
        failures.append(
            Failure(
                "job_offer.census_division",
                f"census division {census_division} is not an Ontario census division",
            )
        )
    if occupation is None:
        return failures
    if rules.allowed_teers is not None and occupation.teer not in rules.allowed_teers:
        allowed = ", ".join(str(t) for t in sorted(rules.allowed_teers))
        failures.append(
            Failure(
                "job_offer.teer",
                f"NOC {noc} is TEER {occupation.teer}; the {stream} stream accepts "
                f"TEER {allowed} only",
            )
        )
    if rules.in_demand_list:
        scope = ref.in_demand.get(noc)
        if scope is None:
            failures.append(
                Failure(
                    "in_demand.not_listed",
                    f"NOC {noc} ({occupation.title}) is not on the In-Demand Skills list",
                )
            )
        elif scope == "outside-gta" and division is not None and division.in_gta:
            failures.append(
                Failure(
                    "in_demand.outside_gta_only",
                    f"NOC {noc} ({occupation.title}) is on the In-Demand Skills list for jobs "
                    f"outside the GTA only; {division.name} is in the GTA",
                )
            )
    if rules.wage_floor is not None and hourly_wage is not None and division is not None:
        failures += _wage_floor(noc, hourly_wage, division.economic_region_code, rules, ref)
    return failures


def _wage_floor(
    noc: str, hourly_wage: float, er_code: str, rules: StreamPolicy, ref: ReferenceData
) -> list[Failure]:
    assert rules.wage_floor is not None
    words = _WAGE_WORDS[rules.wage_floor]
    floor = ref.wages.floor(noc, er_code, rules.wage_floor)
    if floor is None:
        return [
            Failure(
                "job_offer.wage_floor",
                f"cannot be checked: no Job Bank wage for NOC {noc}, neither for economic "
                f"region {er_code} nor Ontario-wide; an officer will check the {words}",
                "flag",
            )
        ]
    if hourly_wage < floor.amount:
        where = "Ontario-wide" if floor.ontario_wide else f"in economic region {floor.er_code}"
        return [
            Failure(
                "job_offer.wage_floor",
                f"{_money(hourly_wage)}/h is below the Job Bank {words} for NOC {noc} "
                f"{where} ({_money(floor.amount)}/h)",
            )
        ]
    return []


def check_job_offer_terms(*, hours_per_week: float, permanent: bool, on: date) -> list[Failure]:
    """Full time (hours per week and per year, from policy) and permanent (no end date)."""
    policy = policy_at(on)
    failures: list[Failure] = []
    if hours_per_week < policy.min_hours_per_week:
        failures.append(
            Failure(
                "job_offer.hours_per_week",
                f"{hours_per_week:g} hours a week is not full time: at least "
                f"{policy.min_hours_per_week:g} are required",
            )
        )
    yearly = hours_per_week * policy.weeks_per_year
    if yearly < policy.min_hours_per_year:
        failures.append(
            Failure(
                "job_offer.hours_per_year",
                f"{yearly:,.0f} hours a year is not full time: at least "
                f"{policy.min_hours_per_year:,.0f} are required",
            )
        )
    if not permanent:
        failures.append(
            Failure("job_offer.permanent", "the job must be permanent, with no end date")
        )
    return failures


def check_employer(
    *,
    census_division: str,
    gross_revenue: float,
    employees: int,
    years_in_business: float,
    on: date,
    ref: ReferenceData,
) -> list[Failure]:
    """DOMAIN §3 employer thresholds for the work location (inside the GTA or outside)."""
    policy = policy_at(on)
    division = ref.census_divisions.get(census_division)
    if division is None:
        return [
            Failure(
                "employer.census_division",
                f"census division {census_division} is not an Ontario census division",
            )
        ]
    size = policy.employer.gta if division.in_gta else policy.employer.outside_gta
    where = "in the GTA" if division.in_gta else "outside the GTA"
    failures: list[Failure] = []
    if gross_revenue < size.min_revenue:
        failures.append(
            Failure(
                "employer.revenue",
                f"gross revenue of ${gross_revenue:,.0f} is below the ${size.min_revenue:,} "
                f"required for a job {where}",
            )
        )
    if employees < size.min_employees:
        failures.append(
            Failure(
                "employer.employees",
                f"{employees} full-time permanent employees (citizens or permanent residents) "
                f"at the location; at least {size.min_employees} are required {where}",
            )
        )
    if years_in_business < policy.employer.min_years_in_business:
        failures.append(
            Failure(
                "employer.years_in_business",
                f"{years_in_business:g} years in business; at least "
                f"{policy.employer.min_years_in_business} are required",
            )
        )
    return failures


def check_profile(
    profile: Profile,
    *,
    facts: EligibilityFacts | None = None,
    on: date | None = None,
    ref: ReferenceData | None = None,
) -> list[Failure]:
    """Everything the profile (and, when given, the facts) shows against the stream's rules.

    From the profile: the job offer rules of the employer streams and the stream's minimum
    CLB. From ``facts``: the stream minimum requirements of DOMAIN §5; a fact that is None is
    not checked. ``on`` defaults to the registration's program date, else today.
    """
    if ref is None:
        ref = ReferenceData.from_package()
    if on is None:
        registered = profile.registered_at
        on = program_today() if registered is None else program_date(registered)
    policy = policy_at(on)
    rules = policy.stream(profile.stream)
    failures: list[Failure] = []
    offer = profile.job_offer
    if rules.job_offer_required and offer is not None:
        failures += check_job_offer(
            stream=profile.stream,
            noc=offer.noc,
            hourly_wage=offer.hourly_wage,
            census_division=offer.census_division,
            on=on,
            ref=ref,
        )
    if rules.min_clb is not None:
        best = profile.languages.best
        if best is None or best < rules.min_clb:
            shown = "no valid language test" if best is None else f"CLB {best}"
            failures.append(
                Failure(
                    "language.min_clb",
                    f"{shown}; the {profile.stream} stream requires CLB {rules.min_clb} or "
                    "higher in English or French",
                )
            )
    if facts is not None:
        failures += _requirements(profile.stream, rules, facts, on, policy)
    return failures


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _requirements(
    stream: str, rules: StreamPolicy, facts: EligibilityFacts, on: date, policy: Policy
) -> list[Failure]:
    failures: list[Failure] = []
    need = rules.min_experience_months_in_noc
    have = facts.experience_months_in_noc_last_5y
    # The licence is the alternative where the occupation is regulated; an undeclared
    # licence is read as none, since a candidate who holds one says so.
    licensed = rules.licence_substitutes_experience and facts.ontario_licence is True
    if need is not None and have is not None and have < need and not licensed:
        alternative = ", or an Ontario licence" if rules.licence_substitutes_experience else ""
        failures.append(
            Failure(
                "experience.noc_months",
                f"{have} months of full-time experience in the offer's NOC in the last 5 "
                f"years; at least {need} are required{alternative}",
            )
        )
    need = rules.min_ontario_experience_months
    have = facts.ontario_experience_months_last_3y
    if need is not None and have is not None and have < need:
        failures.append(
            Failure(
                "experience.ontario_months",
                f"{have} months of full-time experience in Ontario in the offer's NOC in the "
                f"last 3 years; at least {need} are required",
            )
        )
    if rules.high_school_required and facts.high_school_equivalent is False:
        failures.append(
            Failure(
                "education.high_school",
                "a Canadian high-school diploma or its equivalent is required",
            )
        )
    failures += _credential(stream, rules, facts, on)
    need = rules.min_phd_months_in_ontario
    have = facts.phd_months_completed_in_ontario
    if need is not None and have is not None and have < need:
        failures.append(
            Failure(
                "credential.phd_months_in_ontario",
                f"{have} months of the PhD completed in Ontario; at least {need} are required",
            )
        )
    need = rules.min_ontario_residence_months
    have = facts.ontario_residence_months_last_2y
    if need is not None and have is not None and have < need:
        failures.append(
            Failure(
                "residence.ontario_months",
                f"{have} months of lawful residence in Ontario in the last 2 years; at least "
                f"{need} are required",
            )
        )
    need = rules.min_months_in_ontario
    have = facts.months_in_ontario_last_24
    if need is not None and have is not None and have < need:
        failures.append(
            Failure(
                "residence.ontario_months",
                f"{have} of the last 24 months in Ontario; at least {need} are required",
            )
        )
    if rules.settlement_funds_required and facts.settlement_funds is False:
        failures.append(Failure("funds.settlement", "the required settlement funds are not shown"))
    return failures


def _credential(
    stream: str, rules: StreamPolicy, facts: EligibilityFacts, on: date
) -> list[Failure]:
    lengths = rules.credential_min_months
    if lengths is None:
        return []
    failures: list[Failure] = []
    kind = facts.credential_kind
    if kind is not None:
        if kind not in lengths:
            failures.append(
                Failure(
                    "credential.kind",
                    f"a {kind} credential is not eligible for the {stream} stream; eligible: "
                    + ", ".join(lengths),
                )
            )
        else:
            need = lengths[kind]
            have = facts.credential_length_months
            if have is not None and have < need:
                failures.append(
                    Failure(
                        "credential.length",
                        f"a {kind} of {have} months of full-time study; at least {need} "
                        "are required",
                    )
                )
    completed = facts.credential_completed_on
    window = rules.credential_recent_months
    if completed is not None and window is not None:
        if completed > on:
            failures.append(
                Failure(
                    "credential.completed",
                    f"the credential is completed on {completed.isoformat()}, after "
                    f"{on.isoformat()}: it must be completed to register",
                )
            )
        elif completed < _months_before(on, window):
            failures.append(
                Failure(
                    "credential.recent",
                    f"the credential was completed on {completed.isoformat()}; it must be "
                    f"completed within the {window} months before registering",
                )
            )
    return failures
