"""The Workforce Priority grid (DOMAIN §9, effective 2026-06-26): every band of every factor,
both experience ladders, physicians included, and the dates at their edges in Toronto time.

The expected points are written out here from DOMAIN §9, not read from the grid file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nominee.scoring import (
    FACTORS,
    ProfileError,
    ReferenceData,
    Score,
    StreamNotOpen,
    parse_profile,
    score_profile,
    stream_codes,
)

AT = date(2026, 8, 20)
WORKERS = ("teer-0-3", "teer-4-5")
PATHWAYS = (*WORKERS, "physician")


def document(pathway: str, **changes: Any) -> dict[str, Any]:
    """A valid workforce-priority document of the pathway, with dotted-path changes."""
    doc: dict[str, Any] = {
        "stream": "workforce-priority",
        "pathway": pathway,
        "permit": "work",
        "job_tenure_months": 14,
        "ontario_work_months": 30,
        "highest_annual_earnings": 72000,
        "education": {"level": "masters", "canadian_credentials": 2},
        "languages": {"english": 9, "french": 6},
    }
    if pathway == "physician":
        doc["practice"] = {"noc": "31102", "census_division": "3506"}
    else:
        noc = "21231" if pathway == "teer-0-3" else "44101"
        doc["job_offer"] = {"noc": noc, "hourly_wage": 48.5, "census_division": "3506"}
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = doc
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return doc


def score(pathway: str, at: date = AT, **changes: Any) -> Score:
    return score_profile(parse_profile(document(pathway, **changes)), at=at)


def points(result: Score, factor: str) -> int:
    found = result.points(factor)
    assert found is not None, f"{factor} not scored"
    return found


def where(pathway: str) -> str:
    return "practice" if pathway == "physician" else "job_offer"


def test_the_interface_example_scores_as_the_grid_says() -> None:
    result = score_profile(parse_profile(document("teer-0-3")))
    # 9 TEER 1 + 6 category 2 + 15 wage + 10 work permit + 15 (14 months in the position)
    # + 8 earnings + 8 master's + 10 two credentials + 15 CLB 9 + 10 both at CLB 6 or more
    # + 10 Eastern (Ottawa)
    assert (result.grid, result.total, result.max) == ("2026-06-26", 116, 130)


@pytest.mark.parametrize(("pathway", "maximum"), [("teer-0-3", 130), ("physician", 115)])
def test_the_maxima_are_the_sums_of_the_bands(pathway: str, maximum: int) -> None:
    best = document(
        pathway,
        job_tenure_months=30,
        highest_annual_earnings=90000,
        education__level="phd",
        languages={"english": 10, "french": 9},
    )
    best[where(pathway)]["census_division"] = "3553"
    if pathway == "physician":
        best["practice"]["noc"] = "31100"  # TEER 1, category 3: 9 + 10
    else:
        best["job_offer"]["noc"] = "31100"
    result = score_profile(parse_profile(best), at=AT)
    assert result.total == result.max == maximum


def test_the_factors_are_those_of_domain_9_in_interface_order() -> None:
    workers = [f.factor for f in score("teer-4-5").factors]
    assert workers == [
        "job_offer_teer",
        "job_offer_category",
        "job_offer_wage",
        "permit",
        "ontario_experience",
        "earnings_history",
        "education_level",
        "canadian_education",
        "language_ability",
        "official_languages",
        "job_location",
    ]
    assert workers == [f for f in FACTORS if f in workers]
    physician = [f.factor for f in score("physician").factors]
    assert physician == [f for f in workers if f != "job_offer_wage"]


TEER = [("00011", 9), ("11100", 9), ("12010", 6), ("13100", 6), ("14100", 0), ("45100", 0)]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("noc", "expected"), TEER)
def test_noc_teer(pathway: str, noc: str, expected: int) -> None:
    result = score(pathway, **{f"{where(pathway)}__noc": noc})
    assert points(result, "job_offer_teer") == expected


CATEGORY = [
    ("00011", 4),
    ("10010", 4),
    ("20010", 6),
    ("31100", 10),
    ("40010", 4),
    ("50010", 2),
    ("60010", 2),
    ("70010", 8),
    ("80010", 4),
    ("90010", 4),
]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("noc", "expected"), CATEGORY)
def test_broad_occupational_category(pathway: str, noc: str, expected: int) -> None:
    result = score(pathway, **{f"{where(pathway)}__noc": noc})
    assert points(result, "job_offer_category") == expected


WAGE = [
    (40, 15),
    (39.99, 12),
    (35, 12),
    (34.99, 10),
    (30, 10),
    (29.99, 8),
    (25, 8),
    (24.99, 5),
    (20, 5),
    (19.99, 0),
    (0, 0),
]


@pytest.mark.parametrize("pathway", WORKERS)
@pytest.mark.parametrize(("wage", "expected"), WAGE)
def test_hourly_wage_for_workers(pathway: str, wage: float, expected: int) -> None:
    assert points(score(pathway, job_offer__hourly_wage=wage), "job_offer_wage") == expected


def test_physicians_have_no_wage_factor() -> None:
    assert score("physician").points("job_offer_wage") is None


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("permit", "expected"), [("work", 10), ("study", 5), ("none", 0)])
def test_legal_status(pathway: str, permit: str, expected: int) -> None:
    assert points(score(pathway, permit=permit), "permit") == expected


# (months in the job-offer position, months working in Ontario in any job) -> points
WORKER_EXPERIENCE = [
    ((25, 0), 18),
    ((24, 0), 15),
    ((13, 0), 15),
    ((12, 0), 12),
    ((6, 30), 12),
    ((6, 0), 12),
    # the fallback ladder: fewer than 6 months in the position
    ((5, 25), 12),
    ((5, 24), 9),
    ((0, 13), 9),
    ((0, 12), 6),
    ((5, 6), 6),
    ((5, 5), 0),
    ((0, 0), 0),
]


@pytest.mark.parametrize("pathway", WORKERS)
@pytest.mark.parametrize(("months", "expected"), WORKER_EXPERIENCE)
def test_ontario_experience_both_ladders(
    pathway: str, months: tuple[int, int], expected: int
) -> None:
    position, anywhere = months
    result = score(pathway, job_tenure_months=position, ontario_work_months=anywhere)
    assert points(result, "ontario_experience") == expected


PHYSICIAN_EXPERIENCE = [((25, 0), 18), ((24, 0), 15), ((13, 0), 15), ((12, 0), 12)]
PHYSICIAN_EXPERIENCE += [((6, 0), 12), ((5, 60), 0), ((0, 30), 0)]


@pytest.mark.parametrize(("months", "expected"), PHYSICIAN_EXPERIENCE)
def test_physicians_count_months_of_practice_on_the_first_ladder_only(
    months: tuple[int, int], expected: int
) -> None:
    position, anywhere = months
    result = score("physician", job_tenure_months=position, ontario_work_months=anywhere)
    assert points(result, "ontario_experience") == expected
    assert "practice" in next(f.reason for f in result.factors if f.factor == "ontario_experience")


EARNINGS = [(70000, 8), (69999.99, 6), (50000, 6), (49999, 4), (30000, 4), (29999, 0), (0, 0)]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("amount", "expected"), EARNINGS)
def test_earnings_history(pathway: str, amount: float, expected: int) -> None:
    assert points(score(pathway, highest_annual_earnings=amount), "earnings_history") == expected


LEVELS = {
    "phd": 10,
    "professional-degree": 10,
    "masters": 8,
    "graduate-certificate": 6,
    "bachelors": 6,
    "college-graduate-certificate": 5,
    "undergraduate-diploma": 5,
    "apprenticeship": 5,
    "secondary-or-less": 0,
}


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize("level", LEVELS)
def test_education_level(pathway: str, level: str) -> None:
    assert points(score(pathway, education__level=level), "education_level") == LEVELS[level]


def test_education_may_be_omitted_and_then_scores_nothing() -> None:
    doc = document("teer-0-3")
    del doc["education"]
    result = score_profile(parse_profile(doc), at=AT)
    assert points(result, "education_level") == 0
    assert points(result, "canadian_education") == 0


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("count", "expected"), [(3, 10), (2, 10), (1, 5), (0, 0)])
def test_canadian_credentials(pathway: str, count: int, expected: int) -> None:
    result = score(pathway, education__canadian_credentials=count)
    assert points(result, "canadian_education") == expected


LANGUAGE = [
    ({"english": 12, "french": None}, 15),
    ({"english": 9, "french": None}, 15),
    ({"english": 8, "french": None}, 12),
    ({"english": 7, "french": None}, 8),
    ({"english": 6, "french": None}, 4),
    ({"english": 5, "french": None}, 0),
    ({"english": 1, "french": None}, 0),
    ({"english": 5, "french": 8}, 12),  # the better language
    ({"english": None, "french": None}, 0),
]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("languages", "expected"), LANGUAGE)
def test_language_ability(pathway: str, languages: dict[str, Any], expected: int) -> None:
    assert points(score(pathway, languages=languages), "language_ability") == expected


OFFICIAL = [
    ({"english": 6, "french": 6}, 10),
    ({"english": 12, "french": 6}, 10),
    ({"english": 9, "french": 5}, 5),  # two tested, not both at CLB 6
    ({"english": 4, "french": 4}, 5),
    ({"english": 9, "french": None}, 5),
    ({"english": None, "french": 3}, 5),
    ({"english": None, "french": None}, 0),
]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("languages", "expected"), OFFICIAL)
def test_knowledge_of_official_languages(
    pathway: str, languages: dict[str, Any], expected: int
) -> None:
    assert points(score(pathway, languages=languages), "official_languages") == expected


LOCATION = [
    ("3553", 15),  # Greater Sudbury: Northern
    ("3544", 15),  # Muskoka: Northern in the 2026 table
    ("3546", 15),  # Haliburton: Northern in the 2026 table
    ("3506", 10),  # Ottawa: Eastern
    ("3530", 10),  # Waterloo: Central
    ("3539", 10),  # Middlesex: Southwestern
    ("3521", 5),  # Peel: GTA except Toronto
    ("3520", 0),  # Toronto
]


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize(("cd", "expected"), LOCATION)
def test_location_of_work_by_the_2026_regions(pathway: str, cd: str, expected: int) -> None:
    result = score(pathway, **{f"{where(pathway)}__census_division": cd})
    assert points(result, "job_location") == expected


def test_the_region_table_follows_the_date_muskoka_and_haliburton_become_northern() -> None:
    ref = ReferenceData.from_package()
    for cd in ("3544", "3546"):
        assert ref.region_of(cd, date(2026, 6, 25)) == "other"
        assert ref.region_of(cd, date(2026, 6, 26)) == "northern"
    assert ref.region_of("3506", date(2026, 6, 25)) == "other"
    assert ref.region_of("3506", date(2026, 6, 26)) == "eastern"
    assert ref.region_of("3520", date(2026, 6, 26)) == "toronto"
    assert ref.region_of("9999", date(2026, 6, 26)) is None


def test_under_the_2024_grid_muskoka_stays_outside_the_north() -> None:
    fw = {
        "stream": "foreign-worker",
        "job_offer": {"noc": "21231", "hourly_wage": 41, "census_division": "3544"},
    }
    assert score_profile(parse_profile(fw), at=date(2026, 5, 29)).points("job_location") == 8


# -- dates at their edges, in Toronto time ---------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "open_"),
    [
        ("2026-05-29T23:59:00-04:00", True),
        ("2026-05-30T03:59:00Z", True),  # 23:59 on the 29th in Toronto
        ("2026-05-30T00:30:00-04:00", False),
        ("2026-05-30T04:00:00Z", False),  # midnight in Toronto
    ],
)
def test_the_2025_streams_close_on_2026_05_30_toronto_time(instant: str, open_: bool) -> None:
    doc = {
        "stream": "masters",
        "registered_at": instant,
        "education": {"level": "masters", "field": "stem"},
    }
    if open_:
        assert score_profile(parse_profile(doc)).grid == "2024-01-01"
        return
    with pytest.raises(ProfileError) as refused:
        parse_profile(doc)
    message = refused.value.by_field()["stream"][0]
    assert "2022-11-22" in message
    assert "2026-05-30" in message


@pytest.mark.parametrize(
    ("instant", "open_"),
    [
        ("2026-06-25T23:59:00-04:00", False),
        ("2026-06-26T03:59:59Z", False),
        ("2026-06-26T00:00:00-04:00", True),
        ("2026-06-26T04:00:00Z", True),
    ],
)
def test_workforce_priority_opens_on_2026_06_26_toronto_time(instant: str, open_: bool) -> None:
    doc = {**document("teer-0-3"), "registered_at": instant}
    if open_:
        assert score_profile(parse_profile(doc)).grid == "2026-06-26"
        return
    with pytest.raises(ProfileError) as refused:
        parse_profile(doc)
    message = refused.value.by_field()["stream"][0]
    assert "not yet open" in message
    assert "2026-06-26" in message


def test_between_the_closing_and_the_opening_no_stream_is_open() -> None:
    assert stream_codes(on=date(2026, 6, 1)) == ()
    with pytest.raises(StreamNotOpen, match="2026-06-26"):
        score_profile(parse_profile(document("physician")), at=date(2026, 6, 1))
