"""The engine as a whole: maxima, grid selection by program date, the score document."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

import pytest

from nominee.scoring import (
    FACTORS,
    NotInForce,
    ReferenceData,
    ScoringError,
    StreamNotOpen,
    grid_for,
    grid_versions,
    parse_profile,
    score_profile,
)
from nominee.scoring.profile import Profile

MAXIMA = {
    "foreign-worker": 76,
    "international-student": 118,
    "in-demand-skills": 66,
    "masters": 75,
    "phd": 75,
}
EMPLOYER = ("foreign-worker", "international-student", "in-demand-skills")
# The five streams of DOMAIN §2, open until 2026-05-30 (the 2026 stream:
# test_workforce_priority_grid.py).
STREAMS = tuple(MAXIMA)
# A day each of the 2025 streams was open on the 2024 grid.
OPEN_2025 = date(2025, 9, 3)


def best(stream: str) -> dict[str, Any]:
    """The profile that reaches every factor's ceiling."""
    doc: dict[str, Any] = {
        "stream": stream,
        "permit": "work",
        "job_tenure_months": 12,
        "highest_annual_earnings": 90000,
        "languages": {"english": 10, "french": 9},
    }
    if stream in EMPLOYER:
        # IDS takes no TEER factor, so a TEER 0 manager scores its category (10) fine.
        doc["job_offer"] = {"noc": "21231", "hourly_wage": 60, "census_division": "3558"}
    if stream in ("international-student", "masters", "phd"):
        doc["education"] = {
            "level": "phd",
            "field": "health",
            "canadian_credentials": 3,
            "study_census_division": "3553",
        }
    return doc


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("at", [date(2023, 1, 1), date(2024, 1, 1), date(2026, 5, 29)])
def test_the_best_profile_reaches_the_stream_maximum(stream: str, at: date) -> None:
    result = score_profile(parse_profile(best(stream)), at=at)
    assert result.total == result.max == MAXIMA[stream]


@pytest.mark.parametrize("stream", STREAMS)
def test_the_maximum_computed_from_the_grid_files_matches_domain(stream: str) -> None:
    # Read the JSON directly, not through the loader, so a loader bug cannot hide a data bug.
    folder = resources.files("nominee.scoring").joinpath("data").joinpath("grids")
    for name in ("2022-11-22.json", "2024-01-01.json"):
        grid = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        column = grid["streams"][stream]
        overrides = column.get("overrides") or {}
        total = sum((overrides.get(f) or grid["factors"][f])["max"] for f in column["factors"])
        assert total == MAXIMA[stream], name


def test_the_score_document_has_the_interface_shape() -> None:
    document = best("international-student")
    result = score_profile(parse_profile(document), at=OPEN_2025).to_document()
    assert list(result) == ["stream", "grid", "total", "max", "factors"]
    assert [list(f) for f in result["factors"]] == [["factor", "points", "max", "reason"]] * 13
    # Every factor but the 2026 grid's ontario_experience, in INTERFACES order.
    assert [f["factor"] for f in result["factors"]] == [
        f for f in FACTORS if f != "ontario_experience"
    ]
    assert json.loads(json.dumps(result)) == result


def test_the_interface_example_scores_as_expected() -> None:
    example = {
        "id": "FW-000123",
        "stream": "foreign-worker",
        "registered_at": "2025-07-15T10:20:30Z",
        "job_offer": {"noc": "21231", "hourly_wage": 41.25, "census_division": "3520"},
        "permit": "work",
        "job_tenure_months": 7,
        "highest_annual_earnings": 52000,
        "education": {
            "level": "masters",
            "field": "stem",
            "canadian_credentials": 2,
            "study_census_division": "3553",
        },
        "languages": {"english": 9, "french": None},
    }
    result = score_profile(parse_profile(example))
    # 10 TEER + 10 category + 10 wage + 10 permit + 3 tenure + 3 earnings + 10 CLB 9
    # + 5 one language + 0 Toronto; education is not scored in the foreign-worker stream.
    assert (result.grid, result.total, result.max) == ("2024-01-01", 61, 76)


def with_registration(instant: str) -> Profile:
    return parse_profile({**best("masters"), "registered_at": instant})


@pytest.mark.parametrize(
    ("instant", "grid"),
    [
        ("2024-01-01T03:00:00Z", "2022-11-22"),  # 22:00 on Dec 31 in Toronto
        ("2024-01-01T04:59:59Z", "2022-11-22"),
        ("2024-01-01T05:00:00Z", "2024-01-01"),  # midnight in Toronto (EST, UTC-5)
        ("2023-12-31T23:59:59-05:00", "2022-11-22"),
        ("2024-01-01T00:00:00-05:00", "2024-01-01"),
        ("2024-01-01T06:00:00+01:00", "2024-01-01"),  # 00:00 in Toronto
        ("2022-11-22T05:00:00Z", "2022-11-22"),
    ],
)
def test_registered_at_picks_the_grid_by_the_program_date(instant: str, grid: str) -> None:
    assert score_profile(with_registration(instant)).grid == grid


def test_at_overrides_registered_at_and_takes_dates_or_instants() -> None:
    profile = with_registration("2023-06-01T12:00:00Z")
    assert score_profile(profile).grid == "2022-11-22"
    assert score_profile(profile, at=date(2024, 1, 1)).grid == "2024-01-01"
    assert score_profile(profile, at=datetime(2024, 1, 1, 3, tzinfo=UTC)).grid == "2022-11-22"


def test_without_a_date_today_picks_the_grid() -> None:
    # Today (the test run's date) the 2026 stream is the open one.
    document = {
        "stream": "workforce-priority",
        "pathway": "physician",
        "practice": {"noc": "31102", "census_division": "3520"},
    }
    assert score_profile(parse_profile(document)).grid == grid_versions()[-1].label


def test_a_stream_closed_on_its_date_is_not_scored_and_its_dates_are_named() -> None:
    with pytest.raises(StreamNotOpen, match=r"2022-11-22 until 2026-05-30.*closed on 2026-05-30"):
        score_profile(parse_profile(best("phd")), at=date(2026, 5, 30))
    assert score_profile(parse_profile(best("phd")), at=date(2026, 5, 29)).grid == "2024-01-01"


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        score_profile(parse_profile(best("phd")), at=datetime(2024, 1, 1))


def test_nothing_is_scored_before_the_first_grid() -> None:
    with pytest.raises(NotInForce, match="2022-11-22"):
        score_profile(parse_profile(best("phd")), at=date(2022, 11, 21))
    with pytest.raises(NotInForce):
        grid_for(date(2000, 1, 1))


def test_the_education_revision_changes_only_education_level() -> None:
    profile = parse_profile({**best("international-student")})
    old = score_profile(profile, at=date(2023, 12, 31))
    new = score_profile(profile, at=date(2024, 1, 1))
    assert [f.points for f in old.factors] == [f.points for f in new.factors]
    certificate = parse_profile(
        {
            **best("masters"),
            "education": {**best("masters")["education"], "level": "graduate-certificate"},
        }
    )
    assert score_profile(certificate, at=date(2024, 1, 1)).total == (
        score_profile(certificate, at=date(2023, 12, 31)).total + 1
    )


def test_a_profile_naming_a_noc_the_reference_data_lacks_is_a_scoring_error() -> None:
    profile = parse_profile(best("foreign-worker"))
    shipped = ReferenceData.from_package()
    bare = ReferenceData(
        nocs={}, census_divisions=shipped.census_divisions, in_demand={}, wages=shipped.wages
    )
    with pytest.raises(ScoringError, match="21231"):
        score_profile(profile, ref=bare, at=OPEN_2025)


def test_a_job_offer_stream_without_a_job_offer_cannot_be_scored() -> None:
    # model_construct skips validation, as a careless caller might.
    profile = Profile.model_construct(stream="foreign-worker", job_offer=None)
    with pytest.raises(ScoringError, match="job offer"):
        score_profile(profile, at=OPEN_2025)


def test_the_engine_uses_the_reference_data_it_is_given() -> None:
    shipped = ReferenceData.from_package()
    divisions = dict(shipped.census_divisions)
    # A manager's correction: Muskoka moved into Northern Ontario.
    divisions["3544"] = divisions["3544"].__class__(
        code="3544", name="Muskoka", economic_region_code="3520", region="northern"
    )
    corrected = ReferenceData(
        nocs=shipped.nocs,
        census_divisions=divisions,
        in_demand=shipped.in_demand,
        wages=shipped.wages,
    )
    doc = best("foreign-worker")
    doc["job_offer"]["census_division"] = "3544"
    profile = parse_profile(doc, ref=corrected)
    assert score_profile(profile, at=OPEN_2025).points("job_location") == 8
    assert score_profile(profile, ref=corrected, at=OPEN_2025).points("job_location") == 10
