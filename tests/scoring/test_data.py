"""Policy and grids as data, the program calendar, and the shipped reference data."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta, timezone
from importlib import resources
from typing import Any

import pytest

from nominee.scoring import (
    EMPLOYER_STREAMS,
    STREAMS,
    NotInForce,
    ReferenceData,
    WageFigure,
    WageTable,
    grid_versions,
    policy_at,
    program_date,
    region_for,
)
from nominee.scoring.grids import load_grid
from nominee.scoring.policy import load_policies

# -- the program calendar -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2024, 1, 1, 3, tzinfo=UTC), date(2023, 12, 31)),
        (datetime(2024, 1, 1, 5, tzinfo=UTC), date(2024, 1, 1)),
        (datetime(2024, 7, 1, 3, 59, tzinfo=UTC), date(2024, 6, 30)),  # EDT, UTC-4
        (datetime(2024, 7, 1, 4, tzinfo=UTC), date(2024, 7, 1)),
        (datetime(2024, 7, 1, 1, tzinfo=timezone(timedelta(hours=5))), date(2024, 6, 30)),
    ],
)
def test_program_dates_are_toronto_calendar_days(instant: datetime, day: date) -> None:
    assert program_date(instant) == day


def test_a_naive_instant_has_no_program_date() -> None:
    with pytest.raises(ValueError, match="time zone"):
        program_date(datetime(2024, 1, 1))


# -- policy ---------------------------------------------------------------------------------


def test_the_policy_holds_the_domain_figures() -> None:
    policy = policy_at(date(2025, 9, 1))
    assert policy.legacy_before == date(2025, 7, 2)
    assert (policy.job_offer_validity_days, policy.eoi_validity_months) == (30, 12)
    assert (policy.min_hours_per_week, policy.min_hours_per_year) == (30, 1560)
    assert (policy.employer.gta.min_revenue, policy.employer.gta.min_employees) == (1_000_000, 5)
    assert (policy.employer.outside_gta.min_revenue, policy.employer.outside_gta.min_employees) == (
        500_000,
        3,
    )
    assert policy.employer.min_years_in_business == 3
    fw, is_, ids, masters, phd = (policy.stream(s) for s in STREAMS[:5])
    assert (fw.wage_floor, is_.wage_floor, ids.wage_floor) == ("median", "low", "median")
    assert fw.allowed_teers == frozenset({0, 1, 2, 3})
    assert ids.allowed_teers == frozenset({4, 5})
    assert ids.in_demand_list
    assert (ids.min_clb, masters.min_clb, phd.min_clb) == (4, 7, None)
    for code in EMPLOYER_STREAMS[:3]:
        days = policy.stream(code).ita_days
        assert (days.employer, days.candidate) == (14, 17)
        assert policy.stream(code).job_offer_required
    for rules in (masters, phd):
        assert (rules.ita_days.employer, rules.ita_days.candidate) == (None, 14)
        assert not rules.job_offer_required


def test_legacy_applies_to_employer_streams_before_the_reform() -> None:
    policy = policy_at(date(2025, 9, 1))
    assert policy.is_legacy("foreign-worker", date(2025, 7, 1))
    assert not policy.is_legacy("foreign-worker", date(2025, 7, 2))
    assert not policy.is_legacy("masters", date(2024, 1, 1))


def shipped_policy() -> dict[str, Any]:
    text = resources.files("nominee.scoring").joinpath("data").joinpath("policy.json")
    document: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return document


def test_a_new_policy_version_applies_from_its_date() -> None:
    document = shipped_policy()
    newer = copy.deepcopy(document["versions"][0])
    newer["effective_from"] = "2026-01-01"
    newer["employer"]["gta"]["min_revenue"] = 2_000_000
    document["versions"].append(newer)
    versions = load_policies(document)
    assert [v.effective_from for v in versions] == [
        date(2022, 11, 22),
        date(2026, 1, 1),
        date(2026, 6, 26),
    ]
    assert versions[1].employer.gta.min_revenue == 2_000_000


def test_policy_versions_are_validated() -> None:
    document = shipped_policy()
    del document["versions"][0]["streams"]["phd"]
    with pytest.raises(ValueError, match="streams"):
        load_policies(document)
    document = shipped_policy()
    document["versions"][0]["min_hours_per_week"] = "thirty"
    with pytest.raises(ValueError, match="min_hours_per_week"):
        load_policies(document)


def test_no_policy_before_the_first_version() -> None:
    with pytest.raises(NotInForce):
        policy_at(date(2020, 1, 1))


# -- grids ----------------------------------------------------------------------------------


def shipped_grid(name: str = "2024-01-01") -> dict[str, Any]:
    folder = resources.files("nominee.scoring").joinpath("data").joinpath("grids")
    document: dict[str, Any] = json.loads(folder.joinpath(f"{name}.json").read_text("utf-8"))
    return document


def test_three_grid_versions_are_shipped() -> None:
    assert [g.label for g in grid_versions()] == ["2022-11-22", "2024-01-01", "2026-06-26"]


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (lambda g: g["streams"].pop("phd"), "streams"),
        (lambda g: g["streams"]["phd"]["factors"].append("charm"), "unknown factor"),
        (lambda g: g["streams"]["phd"]["factors"].reverse(), "INTERFACES order"),
        (lambda g: g["factors"]["permit"].update(max=12), "max is 12"),
        (lambda g: g["factors"]["permit"]["categories"].pop("study"), "no band for study"),
        (lambda g: g["factors"]["job_offer_wage"]["thresholds"].pop(), "last threshold must be 0"),
        (lambda g: g["factors"]["job_offer_wage"]["thresholds"].reverse(), "descend"),
        (lambda g: g["factors"]["permit"].update(thresholds=[]), "categories"),
        (lambda g: g.update(colour="blue"), "colour"),
    ],
)
def test_a_broken_grid_is_refused_with_a_reason(breakage: Any, words: str) -> None:
    grid = shipped_grid()
    breakage(grid)
    with pytest.raises(ValueError, match=words):
        load_grid(grid)


def test_a_manager_can_correct_the_inferred_foreign_worker_column() -> None:
    grid = shipped_grid()
    grid["effective_from"] = "2026-01-01"
    grid["streams"]["foreign-worker"]["factors"].insert(6, "education_level")
    loaded = load_grid(grid)
    assert loaded.max_for("foreign-worker") == 86
    assert "education_level" in loaded.stream("foreign-worker").codes


# -- reference data -------------------------------------------------------------------------


def test_the_shipped_reference_data_loads() -> None:
    ref = ReferenceData.from_package()
    assert ReferenceData.from_package() is ref
    assert len(ref.nocs) == 516
    assert len(ref.census_divisions) == 49
    noc = ref.nocs["21231"]
    assert (noc.teer, noc.broad_category) == (1, 2)
    assert all(
        n.code[1] == str(n.teer) and n.code[0] == str(n.broad_category) for n in ref.nocs.values()
    )
    assert ref.in_demand["94106"] == "outside-gta"
    assert ref.in_demand["44101"] == "anywhere"


def test_regions_follow_domain() -> None:
    regions = {cd: d.region for cd, d in ReferenceData.from_package().census_divisions.items()}
    assert regions["3520"] == "toronto"
    assert {cd for cd, r in regions.items() if r == "greater-toronto"} == {
        "3518",
        "3519",
        "3521",
        "3524",
    }
    assert {cd for cd, r in regions.items() if r == "northern"} == {
        "3548",
        "3549",
        "3551",
        "3552",
        "3553",
        "3554",
        "3556",
        "3557",
        "3558",
        "3559",
        "3560",
    }
    assert set(regions.values()) == {"toronto", "greater-toronto", "northern", "other"}


@pytest.mark.parametrize(
    ("cd", "column", "region"),
    [
        ("3520", "greater-toronto", "toronto"),
        ("3521", "gta", "greater-toronto"),
        ("3521", "GTA", "greater-toronto"),
        ("3558", "northern", "northern"),
        ("3506", "other", "other"),
    ],
)
def test_region_column_values(cd: str, column: str, region: str) -> None:
    assert region_for(cd, column) == region


def test_an_unknown_region_column_value_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown region"):
        region_for("3506", "eastern")
    with pytest.raises(ValueError, match="unknown region"):
        region_for("3506", "other", "2026")
    assert region_for("3506", "eastern", "2026") == "eastern"


def test_wage_lookup_and_floor() -> None:
    table = WageTable(
        [
            ("21231", WageFigure(low=30.0, median=50.0, high=70.0, er_code="35")),
            ("21231", WageFigure(low=None, median=55.0, high=None, er_code="3530")),
        ]
    )
    assert table.lookup("21231", "3530") == WageFigure(None, 55.0, None, "3530")
    assert table.lookup("21231", "3510") is None
    median = table.floor("21231", "3530", "median")
    assert median is not None
    assert (median.amount, median.er_code, median.ontario_wide) == (55.0, "3530", False)
    low = table.floor("21231", "3530", "low")
    assert low is not None
    assert (low.amount, low.er_code, low.ontario_wide) == (30.0, "35", True)
    assert table.floor("00010", "3530", "median") is None
    assert len(table) == 2
