"""Eligibility (DOMAIN §3 and §5): each rule refuses or flags under its own name."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from nominee.scoring import (
    CensusDivision,
    EligibilityFacts,
    Failure,
    Noc,
    ReferenceData,
    WageFigure,
    WageTable,
    check_employer,
    check_job_offer,
    check_job_offer_terms,
    check_profile,
    parse_profile,
)

ON = date(2025, 9, 1)
SHIPPED = ReferenceData.from_package()


def small_ref() -> ReferenceData:
    """A hand-made reference table: the same object the Django side builds from its tables."""
    nocs = {
        "21231": Noc("21231", "Software engineers and designers", 1, 2),
        "72410": Noc("72410", "Automotive service technicians", 2, 7),
        "44101": Noc("44101", "Home support workers", 4, 4),
        "94106": Noc("94106", "Machining tool operators", 4, 9),
        "65200": Noc("65200", "Food and beverage servers", 5, 6),
        "11100": Noc("11100", "Financial auditors and accountants", 1, 1),
    }
    divisions = {
        "3520": CensusDivision("3520", "Toronto", "3530", "toronto"),
        "3521": CensusDivision("3521", "Peel", "3530", "greater-toronto"),
        "3506": CensusDivision("3506", "Ottawa", "3510", "other"),
        "3558": CensusDivision("3558", "Thunder Bay", "3595", "northern"),
    }
    wages = WageTable(
        [
            ("21231", WageFigure(low=30.0, median=50.0, high=70.0, er_code="35")),
            ("21231", WageFigure(low=32.0, median=55.0, high=75.0, er_code="3530")),
            ("72410", WageFigure(low=20.0, median=28.0, high=38.0, er_code="35")),
            ("44101", WageFigure(low=17.2, median=20.34, high=25.0, er_code="35")),
            ("94106", WageFigure(low=18.0, median=25.25, high=30.0, er_code="35")),
            ("11100", WageFigure(low=25.0, median=None, high=50.0, er_code="3530")),
            ("11100", WageFigure(low=24.0, median=40.0, high=50.0, er_code="35")),
        ]
    )
    return ReferenceData(
        nocs=nocs,
        census_divisions=divisions,
        in_demand={"44101": "anywhere", "94106": "outside-gta"},
        wages=wages,
    )


REF = small_ref()


def offer(stream: str, noc: str, wage: float | None, cd: str) -> list[Failure]:
    return check_job_offer(
        stream=stream, noc=noc, hourly_wage=wage, census_division=cd, on=ON, ref=REF
    )


def rules(failures: list[Failure]) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in failures]


# -- the job offer --------------------------------------------------------------------------


def test_an_offer_that_meets_every_rule_passes() -> None:
    assert offer("foreign-worker", "21231", 55.0, "3520") == []


@pytest.mark.parametrize("stream", ["foreign-worker", "international-student"])
def test_teer_4_and_5_are_refused_in_fw_and_is(stream: str) -> None:
    assert ("job_offer.teer", "refuse") in rules(offer(stream, "65200", 99.0, "3506"))


def test_ids_refuses_a_teer_0_to_3_offer_and_one_off_the_list() -> None:
    found = rules(offer("in-demand-skills", "21231", 99.0, "3506"))
    assert ("job_offer.teer", "refuse") in found
    assert ("in_demand.not_listed", "refuse") in found
    off_list = rules(offer("in-demand-skills", "65200", 99.0, "3506"))
    assert ("in_demand.not_listed", "refuse") in off_list
    assert ("job_offer.teer", "refuse") not in off_list


@pytest.mark.parametrize(
    ("cd", "refused"), [("3520", True), ("3521", True), ("3506", False), ("3558", False)]
)
def test_an_outside_gta_only_noc_is_refused_in_the_gta(cd: str, refused: bool) -> None:
    found = rules(offer("in-demand-skills", "94106", 30.0, cd))
    assert (("in_demand.outside_gta_only", "refuse") in found) is refused
    assert found == ([("in_demand.outside_gta_only", "refuse")] if refused else [])


def test_an_anywhere_noc_is_accepted_in_toronto() -> None:
    assert offer("in-demand-skills", "44101", 20.34, "3520") == []


def test_the_wage_floor_uses_the_regional_median_when_there_is_one() -> None:
    # Toronto (economic region 3530) has its own median of $55.00; Ontario-wide is $50.00.
    assert offer("foreign-worker", "21231", 55.0, "3520") == []
    failures = offer("foreign-worker", "21231", 54.99, "3520")
    assert rules(failures) == [("job_offer.wage_floor", "refuse")]
    assert "$54.99/h" in failures[0].message
    assert "$55.00/h" in failures[0].message
    assert "economic region 3530" in failures[0].message


def test_the_wage_floor_falls_back_to_the_ontario_wide_figure() -> None:
    # Ottawa (3510) has no figure for 21231: the Ontario-wide median of $50.00 applies.
    assert offer("foreign-worker", "21231", 50.0, "3506") == []
    failures = offer("foreign-worker", "21231", 49.99, "3506")
    assert rules(failures) == [("job_offer.wage_floor", "refuse")]
    assert "Ontario-wide" in failures[0].message


def test_a_regional_figure_without_the_needed_kind_falls_back_to_ontario_wide() -> None:
    # 11100 in Toronto has a low wage but no median: the Ontario-wide median ($40) applies.
    assert offer("foreign-worker", "11100", 40.0, "3520") == []
    assert rules(offer("foreign-worker", "11100", 39.0, "3520")) == [
        ("job_offer.wage_floor", "refuse")
    ]


def test_the_international_student_stream_uses_the_low_wage() -> None:
    assert offer("international-student", "21231", 32.0, "3520") == []
    assert rules(offer("international-student", "21231", 31.99, "3520")) == [
        ("job_offer.wage_floor", "refuse")
    ]
    assert offer("international-student", "21231", 30.0, "3506") == []


def test_ids_uses_the_median() -> None:
    assert rules(offer("in-demand-skills", "44101", 20.33, "3506")) == [
        ("job_offer.wage_floor", "refuse")
    ]


def test_no_wage_figure_at_all_is_flagged_never_refused() -> None:
    failures = offer("in-demand-skills", "65200", 10.0, "3506")
    wage = [f for f in failures if f.rule == "job_offer.wage_floor"]
    assert [f.severity for f in wage] == ["flag"]
    assert wage[0].message.startswith("cannot be checked: no Job Bank wage for NOC 65200")


def test_the_shipped_wage_table_floors_real_offers() -> None:
    # 21231 in Toronto: no regional figure shipped, the Ontario-wide median is $54.33.
    assert (
        check_job_offer(
            stream="foreign-worker",
            noc="21231",
            hourly_wage=54.33,
            census_division="3520",
            on=ON,
            ref=SHIPPED,
        )
        == []
    )
    below = check_job_offer(
        stream="foreign-worker",
        noc="21231",
        hourly_wage=54.32,
        census_division="3520",
        on=ON,
        ref=SHIPPED,
    )
    assert rules(below) == [("job_offer.wage_floor", "refuse")]
    unknown = check_job_offer(
        stream="foreign-worker",
        noc="00010",
        hourly_wage=99.0,
        census_division="3520",
        on=ON,
        ref=SHIPPED,
    )
    assert rules(unknown) == [("job_offer.wage_floor", "flag")]


def test_unknown_codes_are_refused_by_name() -> None:
    assert rules(offer("foreign-worker", "99999", 50.0, "3520")) == [("job_offer.noc", "refuse")]
    assert rules(offer("foreign-worker", "21231", 50.0, "3599")) == [
        ("job_offer.census_division", "refuse")
    ]


def test_streams_without_a_job_offer_have_no_job_offer_rules() -> None:
    assert offer("masters", "65200", 1.0, "3520") == []


def test_a_missing_wage_is_not_checked() -> None:
    assert offer("foreign-worker", "21231", None, "3520") == []


# -- the job offer's terms ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "permanent", "expected"),
    [
        (30, True, []),
        (40, True, []),
        (29.5, True, ["job_offer.hours_per_week", "job_offer.hours_per_year"]),
        (30, False, ["job_offer.permanent"]),
        (
            10,
            False,
            ["job_offer.hours_per_week", "job_offer.hours_per_year", "job_offer.permanent"],
        ),
    ],
)
def test_an_offer_must_be_full_time_and_permanent(
    hours: float, permanent: bool, expected: list[str]
) -> None:
    found = check_job_offer_terms(hours_per_week=hours, permanent=permanent, on=ON)
    assert [f.rule for f in found] == expected


# -- the employer ---------------------------------------------------------------------------


def employer(cd: str, revenue: float, employees: int, years: float) -> list[str]:
    found = check_employer(
        census_division=cd,
        gross_revenue=revenue,
        employees=employees,
        years_in_business=years,
        on=ON,
        ref=REF,
    )
    return [f.rule for f in found]


@pytest.mark.parametrize(
    ("cd", "revenue", "employees", "years", "expected"),
    [
        ("3520", 1_000_000, 5, 3, []),
        ("3521", 1_000_000, 5, 3, []),
        ("3520", 999_999, 5, 3, ["employer.revenue"]),
        ("3521", 999_999.99, 5, 3, ["employer.revenue"]),
        ("3520", 1_000_000, 4, 3, ["employer.employees"]),
        ("3520", 1_000_000, 5, 2, ["employer.years_in_business"]),
        ("3520", 1_000_000, 5, 2.99, ["employer.years_in_business"]),
        ("3506", 500_000, 3, 3, []),
        ("3558", 500_000, 3, 3, []),
        ("3506", 499_999, 3, 3, ["employer.revenue"]),
        ("3506", 500_000, 2, 3, ["employer.employees"]),
        ("3506", 500_000, 3, 2, ["employer.years_in_business"]),
        ("3506", 999_999, 4, 3, []),  # passes outside the GTA, would fail inside
        ("3520", 0, 0, 0, ["employer.revenue", "employer.employees", "employer.years_in_business"]),
        ("3599", 10**9, 100, 50, ["employer.census_division"]),
    ],
)
def test_employer_thresholds_at_their_edges(
    cd: str, revenue: float, employees: int, years: float, expected: list[str]
) -> None:
    assert employer(cd, revenue, employees, years) == expected


def test_employer_messages_say_where_the_threshold_comes_from() -> None:
    (failure,) = check_employer(
        census_division="3520",
        gross_revenue=999_999,
        employees=5,
        years_in_business=3,
        on=ON,
        ref=REF,
    )
    assert "$1,000,000" in failure.message
    assert "in the GTA" in failure.message


# -- the whole profile ----------------------------------------------------------------------


def profile(stream: str, **changes: Any) -> Any:
    doc: dict[str, Any] = {
        "stream": stream,
        "registered_at": "2025-09-01T12:00:00Z",
        "permit": "work",
        "languages": {"english": 9, "french": None},
    }
    if stream in ("foreign-worker", "international-student", "in-demand-skills"):
        doc["job_offer"] = {"noc": "21231", "hourly_wage": 60.0, "census_division": "3520"}
        if stream == "in-demand-skills":
            doc["job_offer"] = {"noc": "44101", "hourly_wage": 25.0, "census_division": "3506"}
    if stream in ("international-student", "masters", "phd"):
        doc["education"] = {"level": "masters", "field": "stem"}
    doc.update(changes)
    return parse_profile(doc, ref=REF)


@pytest.mark.parametrize(
    "stream", ["foreign-worker", "international-student", "in-demand-skills", "masters", "phd"]
)
def test_a_good_profile_passes(stream: str) -> None:
    assert check_profile(profile(stream), ref=REF) == []


def test_check_profile_applies_the_job_offer_rules() -> None:
    low = profile(
        "foreign-worker", job_offer={"noc": "21231", "hourly_wage": 20, "census_division": "3520"}
    )
    assert rules(check_profile(low, ref=REF)) == [("job_offer.wage_floor", "refuse")]


@pytest.mark.parametrize(
    ("stream", "languages", "refused"),
    [
        ("in-demand-skills", {"english": 4, "french": None}, False),
        ("in-demand-skills", {"english": 3, "french": None}, True),
        ("in-demand-skills", {"english": 3, "french": 4}, False),
        ("in-demand-skills", {"english": None, "french": None}, True),
        ("masters", {"english": 7, "french": None}, False),
        ("masters", {"english": 6, "french": 6}, True),
        ("masters", {"english": None, "french": None}, True),
        ("phd", {"english": None, "french": None}, False),
        ("foreign-worker", {"english": 1, "french": None}, False),
    ],
)
def test_the_minimum_clb_of_the_stream(
    stream: str, languages: dict[str, Any], refused: bool
) -> None:
    found = rules(check_profile(profile(stream, languages=languages), ref=REF))
    assert (("language.min_clb", "refuse") in found) is refused


def test_the_check_date_defaults_to_the_registration_date() -> None:
    # A future policy change would apply by date; today the one version applies everywhere.
    later = profile("masters", registered_at="2026-03-01T12:00:00Z")
    assert check_profile(later, ref=REF) == check_profile(later, on=date(2026, 3, 1), ref=REF)


FACT_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # foreign worker: 24 months in the NOC within 5 years, or an Ontario licence
    ("foreign-worker", {"experience_months_in_noc_last_5y": 24}, []),
    ("foreign-worker", {"experience_months_in_noc_last_5y": 23}, ["experience.noc_months"]),
    ("foreign-worker", {"experience_months_in_noc_last_5y": 0, "ontario_licence": True}, []),
    (
        "foreign-worker",
        {"experience_months_in_noc_last_5y": 12, "ontario_licence": False},
        ["experience.noc_months"],
    ),
    ("foreign-worker", {"ontario_licence": False}, []),
    # international student: eligible credential, long enough, within 2 years
    ("international-student", {"credential_kind": "diploma", "credential_length_months": 24}, []),
    (
        "international-student",
        {"credential_kind": "diploma", "credential_length_months": 23},
        ["credential.length"],
    ),
    (
        "international-student",
        {"credential_kind": "graduate-certificate", "credential_length_months": 12},
        [],
    ),
    (
        "international-student",
        {"credential_kind": "graduate-certificate", "credential_length_months": 11},
        ["credential.length"],
    ),
    ("international-student", {"credential_kind": "certificate"}, ["credential.kind"]),
    ("international-student", {"credential_completed_on": date(2023, 9, 1)}, []),
    (
        "international-student",
        {"credential_completed_on": date(2023, 8, 31)},
        ["credential.recent"],
    ),
    (
        "international-student",
        {"credential_completed_on": date(2025, 9, 2)},
        ["credential.completed"],
    ),
    # in-demand skills: 9 months in Ontario in 3 years; high school
    ("in-demand-skills", {"ontario_experience_months_last_3y": 9}, []),
    ("in-demand-skills", {"ontario_experience_months_last_3y": 8}, ["experience.ontario_months"]),
    ("in-demand-skills", {"high_school_equivalent": False}, ["education.high_school"]),
    ("in-demand-skills", {"high_school_equivalent": True}, []),
    # masters: an Ontario master's of a year, recent; a year of residence; funds
    ("masters", {"credential_kind": "masters", "credential_length_months": 12}, []),
    (
        "masters",
        {"credential_kind": "masters", "credential_length_months": 11},
        ["credential.length"],
    ),
    ("masters", {"credential_kind": "degree"}, ["credential.kind"]),
    ("masters", {"ontario_residence_months_last_2y": 12}, []),
    ("masters", {"ontario_residence_months_last_2y": 11}, ["residence.ontario_months"]),
    ("masters", {"settlement_funds": False}, ["funds.settlement"]),
    ("masters", {"settlement_funds": True}, []),
    # PhD: two years of the PhD in Ontario, recent; 12 of 24 months in Ontario; funds
    ("phd", {"credential_kind": "phd", "phd_months_completed_in_ontario": 24}, []),
    ("phd", {"phd_months_completed_in_ontario": 23}, ["credential.phd_months_in_ontario"]),
    ("phd", {"credential_kind": "masters"}, ["credential.kind"]),
    ("phd", {"months_in_ontario_last_24": 12}, []),
    ("phd", {"months_in_ontario_last_24": 11}, ["residence.ontario_months"]),
    ("phd", {"settlement_funds": False}, ["funds.settlement"]),
    ("phd", {"credential_completed_on": date(2023, 8, 31)}, ["credential.recent"]),
    # a fact of another stream is ignored
    ("foreign-worker", {"settlement_funds": False, "high_school_equivalent": False}, []),
    ("phd", {}, []),
]


@pytest.mark.parametrize(("stream", "facts", "expected"), FACT_CASES)
def test_stream_minimum_requirements(
    stream: str, facts: dict[str, Any], expected: list[str]
) -> None:
    found = check_profile(profile(stream), facts=EligibilityFacts(**facts), on=ON, ref=REF)
    assert [f.rule for f in found] == expected
    assert all(f.severity == "refuse" for f in found)


def test_facts_round_trip_through_json() -> None:
    facts = EligibilityFacts(credential_completed_on=date(2024, 5, 1), settlement_funds=True)
    assert facts.to_document() == {
        "credential_completed_on": "2024-05-01",
        "settlement_funds": True,
    }
    assert EligibilityFacts.from_document(facts.to_document()) == facts
    assert replace(facts, settlement_funds=None).to_document() == {
        "credential_completed_on": "2024-05-01"
    }


@pytest.mark.parametrize(
    "document",
    [
        {"shoe_size": 9},
        {"settlement_funds": "yes"},
        {"months_in_ontario_last_24": -1},
        {"credential_completed_on": "last May"},
    ],
)
def test_bad_facts_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message differs; the type is the contract
        EligibilityFacts.from_document(document)


def test_failures_serialise() -> None:
    failure = Failure("language.min_clb", "CLB 3", "refuse")
    assert failure.to_document() == {
        "rule": "language.min_clb",
        "message": "CLB 3",
        "severity": "refuse",
    }
