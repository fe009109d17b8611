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

from .policy import (
    PathwayPolicy,
    Policy,
    RecentGraduate,
    StreamPolicy,
    WageFloorKind,
    policy_at,
    program_date,
    program_today,
    stream_info,
)
from .profile import Profile
from .refdata import ReferenceData, WageTable

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
    ``college-graduate-certificate``, ``masters``, ``phd``; ``settlement_funds`` is whether
    the candidate holds the required settlement funds for their family size.

    The 2026 pathways (DOMAIN §9) add: ``credential_in_ontario`` (the credential is from an
    eligible Ontario institution: with its kind, length and date it makes a "recent Ontario
    graduate"), ``position_months_last_12`` (consecutive full-time months in the job-offer
    position in the last 12), ``ontario_position_months_last_24`` (full-time months in
    Ontario in the job-offer position in the last 2 years), ``post_secondary`` (the highest
    post-secondary credential: ``canadian``, ``foreign-with-eca``, ``foreign-without-eca``
    or ``none``), and for physicians ``cpso_class`` (the College of Physicians and Surgeons
    of Ontario certificate class) and ``ohip_billing_number``.
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
    credential_in_ontario: bool | None = None
    position_months_last_12: int | None = None
    ontario_position_months_last_24: int | None = None
    post_secondary: str | None = None
    cpso_class: str | None = None
    ohip_billing_number: str | None = None

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
            if value is None or name == "credential_completed_on":
                continue
            if name in _TEXT_FACTS:
                if not isinstance(value, str):
                    raise ValueError(f"{name}: must be a string")
                continue
            expected = bool if name in _YES_NO_FACTS else int
            if type(value) is not expected or (expected is int and value < 0):
                kind = "true or false" if expected is bool else "a whole number, not negative"
                raise ValueError(f"{name}: must be {kind}")
        post = values.get("post_secondary")
        if post is not None and post not in POST_SECONDARY:
            raise ValueError(f"post_secondary: must be one of {', '.join(POST_SECONDARY)}")
        return cls(**values)


_TEXT_FACTS = frozenset({"credential_kind", "post_secondary", "cpso_class", "ohip_billing_number"})
_YES_NO_FACTS = frozenset(
    {"ontario_licence", "high_school_equivalent", "settlement_funds", "credential_in_ontario"}
)
#: The values of ``EligibilityFacts.post_secondary``.
POST_SECONDARY: tuple[str, ...] = ("canadian", "foreign-with-eca", "foreign-without-eca", "none")


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
    pathway: str | None = None,
    recent_graduate: bool = False,
) -> list[Failure]:
    """The job offer rules of an employer stream (DOMAIN §2, §9): TEER, list, wage floor.

    TEER must be allowed for the stream (or its ``pathway``); the In-Demand Skills NOC must
    be on the list, and one listed "outside the GTA only" must not be in the GTA; the hourly
    wage must reach the stream's Job Bank floor (median or low wage; a ``recent_graduate``
    of the teer-0-3 pathway: the low wage) for the work location's economic region, else
    the Ontario-wide figure. No figure at all is a ``flag``, never a refusal. A stream or
    pathway without a job offer has no job offer rules: [] .
    """
    policy = policy_at(on)
    if stream not in policy.streams:
        info = stream_info(stream)
        return [
            Failure(
                "job_offer.stream_closed",
                f"the {stream} stream is {info.dates_in_words()}; it takes no job offer on "
                f"{on.isoformat()}",
            )
        ]
    rules = policy.stream(stream)
    own = rules.pathway(pathway)
    if not rules.job_offer_required or (own is not None and own.nocs is not None):
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
    teers = own.allowed_teers if own is not None else rules.allowed_teers
    who = f"the {pathway} pathway" if own is not None else f"the {stream} stream"
    if teers is not None and occupation.teer not in teers:
        allowed = ", ".join(str(t) for t in sorted(teers))
        failures.append(
            Failure(
                "job_offer.teer",
                f"NOC {noc} is TEER {occupation.teer}; {who} accepts TEER {allowed} only",
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
    kind = rules.wage_floor
    if own is not None and recent_graduate and own.recent_graduate_wage_floor is not None:
        kind = own.recent_graduate_wage_floor
    if kind is not None and hourly_wage is not None and division is not None:
        # The figures in force on the offer's own date, not today's (a replayed or
        # re-checked offer keeps the wages it was judged by).
        wages = ref.wages_on(on)
        failures += _wage_floor(noc, hourly_wage, division.economic_region_code, kind, wages)
    return failures


def _wage_floor(
    noc: str, hourly_wage: float, er_code: str, kind: WageFloorKind, wages: WageTable
) -> list[Failure]:
    words = _WAGE_WORDS[kind]
    floor = wages.floor(noc, er_code, kind)
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
    """DOMAIN §3 and §9 employer thresholds for the work location.

    The tier is judged per work location: the GTA; from 2026 a census division of the
    program's list (``employer.listed_census_divisions``, the middle revenue tier); else
    every other location. Before 2026 there are two tiers, inside and outside the GTA.
    """
    policy = policy_at(on)
    division = ref.census_divisions.get(census_division)
    if division is None:
        return [
            Failure(
                "employer.census_division",
                f"census division {census_division} is not an Ontario census division",
            )
        ]
    thresholds = policy.employer
    tier, size = thresholds.tier(census_division, in_gta=division.in_gta)
    if tier == "gta":
        where = "in the GTA"
    elif tier == "listed":
        where = f"in {division.name}, a census division of the program's list"
    elif thresholds.listed is not None:
        where = f"in {division.name}, outside the GTA and the program's list"
    else:
        where = "outside the GTA"
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
    not checked. A stream with pathways (DOMAIN §9) is judged by its pathway's rules
    (:func:`_pathway_requirements`). ``on`` defaults to the registration's program date,
    else today: a "recent Ontario graduate" is judged on it.
    """
    if ref is None:
        ref = ReferenceData.from_package()
    if on is None:
        registered = profile.registered_at
        on = program_today() if registered is None else program_date(registered)
    policy = policy_at(on)
    rules = policy.stream(profile.stream)
    own = rules.pathway(profile.pathway)
    if own is not None:
        return _pathway_requirements(profile, own, facts, on, ref)
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


def is_recent_graduate(
    rule: RecentGraduate | None, facts: EligibilityFacts | None, on: date, months: int
) -> bool:
    """Whether the facts make a graduate of an eligible Ontario institution within ``months``
    of ``on`` (the registration date, DOMAIN §9 "Interpretations").

    Needs the credential's place (Ontario), kind (one the rule lists), length (at least the
    kind's minimum, when given) and completion date (on or before ``on``, and on or after
    the same day ``months`` calendar months earlier). A fact not given is not assumed.
    """
    if rule is None or facts is None or facts.credential_in_ontario is not True:
        return False
    kind, completed = facts.credential_kind, facts.credential_completed_on
    if kind is None or kind not in rule.credential_min_months or completed is None:
        return False
    length = facts.credential_length_months
    if length is not None and length < rule.credential_min_months[kind]:
        return False
    return _months_before(on, months) <= completed <= on


def _skilled_trade(own: PathwayPolicy, noc: str | None) -> bool:
    return own.skilled_trades is not None and noc is not None and noc in own.skilled_trades


def _pathway_requirements(
    profile: Profile,
    own: PathwayPolicy,
    facts: EligibilityFacts | None,
    on: date,
    ref: ReferenceData,
) -> list[Failure]:
    """A 2026 pathway's minimum requirements (DOMAIN §9), each failure with its rule."""
    pathway = profile.pathway
    failures: list[Failure] = []
    rg = own.recent_graduate
    exempt = rg is not None and is_recent_graduate(rg, facts, on, rg.within_months)
    wage_months = own.recent_graduate_wage_months
    recent = wage_months is not None and is_recent_graduate(rg, facts, on, wage_months)
    offer = profile.job_offer
    if offer is not None:
        failures += check_job_offer(
            stream=profile.stream,
            noc=offer.noc,
            hourly_wage=offer.hourly_wage,
            census_division=offer.census_division,
            on=on,
            ref=ref,
            pathway=pathway,
            recent_graduate=recent,
        )
    if own.nocs is not None:
        practice = profile.practice
        if practice is not None and practice.noc not in own.nocs:
            failures.append(
                Failure(
                    "physician.noc",
                    f"NOC {practice.noc} is not a physician's; the {pathway} pathway accepts "
                    f"NOC {', '.join(sorted(own.nocs))} only",
                )
            )
    noc = offer.noc if offer is not None else None
    need = own.min_clb
    trade = _skilled_trade(own, noc)
    if trade and own.skilled_trades_min_clb is not None:
        need = own.skilled_trades_min_clb
    if need is not None and not exempt:
        best = profile.languages.best
        if best is None or best < need:
            shown = "no valid language test" if best is None else f"CLB {best}"
            trades = " (a skilled trade)" if trade else ""
            graduate = (
                "; a graduate of an eligible Ontario institution in the last "
                f"{rg.within_months} months needs no test"
                if rg is not None
                else ""
            )
            failures.append(
                Failure(
                    "language.min_clb",
                    f"{shown}; the {pathway} pathway{trades} requires CLB {need} or higher in "
                    f"all four abilities of English or French{graduate}",
                )
            )
    if facts is not None:
        failures += _pathway_facts(pathway, own, facts, recent)
    return failures


def _pathway_facts(
    pathway: str | None, own: PathwayPolicy, facts: EligibilityFacts, recent: bool
) -> list[Failure]:
    failures: list[Failure] = []
    position_need = own.min_position_months_last_12
    if recent and own.recent_graduate_position_months is not None:
        position_need = own.recent_graduate_position_months
    noc_need = own.min_experience_months_in_noc
    position, in_noc = facts.position_months_last_12, facts.experience_months_in_noc_last_5y
    # Any one alternative suffices; the rule is judged once one of them is declared, and an
    # undeclared alternative (like an undeclared licence) is read as not met.
    if position_need is not None and (position is not None or in_noc is not None):
        met = (position is not None and position >= position_need) or (
            noc_need is not None and in_noc is not None and in_noc >= noc_need
        )
        met = met or (own.licence_substitutes_experience and facts.ontario_licence is True)
        if not met:
            failures.append(
                Failure(
                    "experience.pathway",
                    f"{position or 0} consecutive full-time months in the job-offer position in "
                    f"the last 12 and {in_noc or 0} months in the offer's NOC in the last 5 "
                    f"years; the {pathway} pathway requires {position_need} months in the "
                    f"position, or {noc_need} months in the NOC, or an Ontario licence for a "
                    "regulated occupation",
                )
            )
    if own.post_secondary_required and facts.post_secondary in {"none", "foreign-without-eca"}:
        message = (
            "a credential earned abroad needs an Educational Credential Assessment (ECA)"
            if facts.post_secondary == "foreign-without-eca"
            else f"the {pathway} pathway requires a post-secondary credential"
        )
        failures.append(Failure("education.post_secondary", message))
    need = own.min_ontario_position_months_last_24
    have = facts.ontario_position_months_last_24
    if need is not None and have is not None and have < need:
        failures.append(
            Failure(
                "experience.ontario_position_months",
                f"{have} months of full-time work in Ontario in the job-offer position in the "
                f"last 2 years; the {pathway} pathway requires at least {need}",
            )
        )
    if own.high_school_required and facts.high_school_equivalent is False:
        failures.append(
            Failure(
                "education.high_school",
                "a Canadian high-school diploma or its equivalent is required",
            )
        )
    classes = own.practice_classes
    if classes is not None and facts.cpso_class is not None and facts.cpso_class not in classes:
        failures.append(
            Failure(
                "physician.cpso_class",
                f"certificate class {facts.cpso_class!r} does not permit patient care; the "
                f"{pathway} pathway requires registration in good standing with the College "
                f"of Physicians and Surgeons of Ontario as {', '.join(classes)}",
            )
        )
    number = facts.ohip_billing_number
    if own.ohip_billing_required and number is not None and not number.strip():
        failures.append(
            Failure("physician.ohip_billing_number", "an OHIP billing number is required")
        )
    return failures
