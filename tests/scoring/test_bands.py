"""Every band of every factor of every stream, on both grid versions (DOMAIN §4).

The expected points are written out here from DOMAIN §4, not read from the grid files, so a
wrong data file fails these tests.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nominee.scoring import Score, parse_profile, score_profile

OLD, NEW = date(2023, 6, 1), date(2024, 6, 1)
GRIDS = [pytest.param(OLD, id="grid-2022-11-22"), pytest.param(NEW, id="grid-2024-01-01")]
EMPLOYER = ("foreign-worker", "international-student", "in-demand-skills")
# The five streams of DOMAIN §2 (open until 2026-05-30); the 2026 stream is in
# test_workforce_priority_grid.py.
STREAMS = (*EMPLOYER, "masters", "phd")
EDUCATION = ("international-student", "masters", "phd")
# Which streams score which factor (DOMAIN §4's tick marks).
APPLIES: dict[str, tuple[str, ...]] = {
    "job_offer_teer": ("foreign-worker", "international-student"),
    "job_offer_category": EMPLOYER,
    "job_offer_wage": EMPLOYER,
    "permit": STREAMS,
    "job_tenure": EMPLOYER,
    "earnings_history": STREAMS,
    "education_level": EDUCATION,
    "field_of_study": EDUCATION,
    "canadian_education": EDUCATION,
    "language_ability": STREAMS,
    "official_languages": STREAMS,
    "job_location": EMPLOYER,
    "study_location": EDUCATION,
}


def document(stream: str, **changes: Any) -> dict[str, Any]:
    """A valid profile document of the stream, with top-level or dotted-path changes."""
    doc: dict[str, Any] = {
        "stream": stream,
        "permit": "work",
        "job_tenure_months": 7,
        "highest_annual_earnings": 52000,
        "languages": {"english": 9, "french": None},
    }
    if stream in EMPLOYER:
        noc = "44101" if stream == "in-demand-skills" else "21231"
        doc["job_offer"] = {"noc": noc, "hourly_wage": 41.25, "census_division": "3520"}
    if stream in EDUCATION:
        doc["education"] = {
            "level": "masters",
            "field": "stem",
            "canadian_credentials": 2,
            "study_census_division": "3553",
        }
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = doc
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return doc


def score(stream: str, at: date, **changes: Any) -> Score:
    return score_profile(parse_profile(document(stream, **changes)), at=at)


def points(result: Score, factor: str) -> int:
    found = result.points(factor)
    assert found is not None, f"{factor} not scored for {result.stream}"
    return found


def cases(factor: str, table: list[tuple[Any, ...]]) -> list[Any]:
    """Cross a factor's (changes, expected) rows with its streams and both grids."""
    return [
        pytest.param(stream, at, changes, expected, id=f"{stream}-{at}-{changes}")
        for stream in APPLIES[factor]
        for at in (OLD, NEW)
        for changes, expected in table
    ]


TEER = [
    ({"job_offer__noc": "00011"}, 10),  # TEER 0
    ({"job_offer__noc": "11100"}, 10),  # TEER 1
    ({"job_offer__noc": "12010"}, 8),  # TEER 2
    ({"job_offer__noc": "13100"}, 8),  # TEER 3
    ({"job_offer__noc": "14100"}, 0),  # TEER 4
    ({"job_offer__noc": "45100"}, 0),  # TEER 5
]


@pytest.mark.parametrize(("stream", "at", "changes", "expected"), cases("job_offer_teer", TEER))
def test_job_offer_teer(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "job_offer_teer") == expected


CATEGORY = [
    ({"job_offer__noc": "00011"}, 10),
    ({"job_offer__noc": "10010"}, 5),
    ({"job_offer__noc": "20010"}, 10),
    ({"job_offer__noc": "31100"}, 10),
    ({"job_offer__noc": "40010"}, 4),
    ({"job_offer__noc": "50010"}, 3),
    ({"job_offer__noc": "60010"}, 3),
    ({"job_offer__noc": "70010"}, 7),
    ({"job_offer__noc": "80010"}, 4),
    ({"job_offer__noc": "90010"}, 5),
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"), cases("job_offer_category", CATEGORY)
)
def test_job_offer_category(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "job_offer_category") == expected


WAGE = [
    ({"job_offer__hourly_wage": w}, p)
    for w, p in [
        (250, 10),
        (40.00, 10),
        (39.99, 8),
        (35, 8),
        (34.99, 7),
        (30, 7),
        (29.99, 6),
        (25, 6),
        (24.99, 5),
        (20, 5),
        (19.99, 0),
        (0, 0),
    ]
]


@pytest.mark.parametrize(("stream", "at", "changes", "expected"), cases("job_offer_wage", WAGE))
def test_job_offer_wage(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "job_offer_wage") == expected


PERMIT = [({"permit": "work"}, 10), ({"permit": "study"}, 10), ({"permit": "none"}, 0)]


@pytest.mark.parametrize(("stream", "at", "changes", "expected"), cases("permit", PERMIT))
def test_permit(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    if stream == "in-demand-skills" and changes["permit"] == "study":
        expected = 0  # IDS counts only a work permit
    assert points(score(stream, at, **changes), "permit") == expected


TENURE = [
    ({"job_tenure_months": 0}, 0),
    ({"job_tenure_months": 5}, 0),
    ({"job_tenure_months": 6}, 3),
    ({"job_tenure_months": 240}, 3),
]


@pytest.mark.parametrize(("stream", "at", "changes", "expected"), cases("job_tenure", TENURE))
def test_job_tenure(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "job_tenure") == expected


EARNINGS = [
    ({"highest_annual_earnings": 0}, 0),
    ({"highest_annual_earnings": 39999}, 0),
    ({"highest_annual_earnings": 39999.99}, 0),
    ({"highest_annual_earnings": 40000}, 3),
    ({"highest_annual_earnings": 1_000_000}, 3),
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"), cases("earnings_history", EARNINGS)
)
def test_earnings_history(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "earnings_history") == expected


# level -> (points under the 2022-11-22 grid, points under the 2024-01-01 grid)
LEVELS = {
    "phd": (10, 10),
    "masters": (8, 8),
    "bachelors": (6, 6),
    "graduate-certificate": (5, 6),
    "undergraduate-diploma": (5, 5),
    "apprenticeship": (5, 5),
    "secondary-or-less": (0, 0),
    # DOMAIN §9 "Interpretations": a professional degree as a master's, an Ontario college
    # graduate certificate as a graduate certificate.
    "professional-degree": (8, 8),
    "college-graduate-certificate": (5, 6),
}


@pytest.mark.parametrize("stream", APPLIES["education_level"])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("at", GRIDS)
def test_education_level(stream: str, level: str, at: date) -> None:
    expected = LEVELS[level][0 if at == OLD else 1]
    assert points(score(stream, at, education__level=level), "education_level") == expected


FIELDS = [
    ({"education__field": f}, p)
    for f, p in [
        ("stem", 12),
        ("health", 12),
        ("trades", 12),
        ("business", 6),
        ("social", 6),
        ("legal", 6),
        ("education", 6),
        ("services", 6),
        ("arts", 0),
        ("humanities", 0),
        ("other", 0),
    ]
]


@pytest.mark.parametrize(("stream", "at", "changes", "expected"), cases("field_of_study", FIELDS))
def test_field_of_study(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "field_of_study") == expected


CREDENTIALS = [
    ({"education__canadian_credentials": n}, p) for n, p in [(0, 0), (1, 5), (2, 10), (7, 10)]
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"), cases("canadian_education", CREDENTIALS)
)
def test_canadian_education(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "canadian_education") == expected


def langs(english: int | None, french: int | None) -> dict[str, Any]:
    return {"languages": {"english": english, "french": french}}


ABILITY = [
    (langs(12, None), 10),
    (langs(9, None), 10),
    (langs(8, None), 6),
    (langs(7, None), 4),
    (langs(6, None), 0),
    (langs(1, None), 0),
    (langs(None, 9), 10),
    (langs(None, 7), 4),
    (langs(6, 9), 10),  # the highest of the two counts
    (langs(8, 7), 6),
    (langs(None, None), 0),
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"), cases("language_ability", ABILITY)
)
def test_language_ability(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "language_ability") == expected


KNOWLEDGE = [
    (langs(9, None), 5),
    (langs(None, 3), 5),
    (langs(1, 1), 10),
    (langs(12, 12), 10),
    (langs(None, None), 0),
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"), cases("official_languages", KNOWLEDGE)
)
def test_official_languages(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "official_languages") == expected


REGIONS = [
    ("3520", 0),  # Toronto
    ("3518", 3),  # Durham
    ("3519", 3),  # York
    ("3521", 3),  # Peel
    ("3524", 3),  # Halton
    ("3558", 10),  # Thunder Bay
    ("3548", 10),  # Nipissing
    ("3560", 10),  # Kenora
    ("3506", 8),  # Ottawa
    ("3525", 8),  # Hamilton
    ("3544", 8),  # Muskoka: outside the GTA, not Northern (statistical definition)
]


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"),
    cases("job_location", [({"job_offer__census_division": cd}, p) for cd, p in REGIONS]),
)
def test_job_location(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "job_location") == expected


@pytest.mark.parametrize(
    ("stream", "at", "changes", "expected"),
    cases(
        "study_location",
        [({"education__study_census_division": cd}, p) for cd, p in [*REGIONS, (None, 0)]],
    ),
)
def test_study_location(stream: str, at: date, changes: dict[str, Any], expected: int) -> None:
    assert points(score(stream, at, **changes), "study_location") == expected


@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("at", GRIDS)
def test_a_stream_scores_exactly_its_factors(stream: str, at: date) -> None:
    scored = [f.factor for f in score(stream, at).factors]
    assert scored == [f for f, streams in APPLIES.items() if stream in streams]


@pytest.mark.parametrize(
    ("stream", "changes", "factor", "reason"),
    [
        ("foreign-worker", {}, "job_offer_teer", "TEER 1"),
        ("foreign-worker", {}, "job_offer_wage", "$41.25/h: $40 or more"),
        (
            "foreign-worker",
            {"job_offer__hourly_wage": 39.99},
            "job_offer_wage",
            "$39.99/h: $35 to $39.99",
        ),
        ("foreign-worker", {}, "language_ability", "CLB 9 (English)"),
        ("foreign-worker", langs(7, 10), "language_ability", "CLB 10 (French)"),
        ("foreign-worker", langs(8, 8), "language_ability", "CLB 8 (English and French)"),
        ("foreign-worker", langs(None, None), "language_ability", "no valid language test"),
        ("foreign-worker", langs(8, 8), "official_languages", "English and French"),
        ("foreign-worker", {}, "official_languages", "English only"),
        ("foreign-worker", {}, "job_location", "Toronto"),
        (
            "foreign-worker",
            {"job_offer__census_division": "3558"},
            "job_location",
            "Northern Ontario (Thunder Bay)",
        ),
        (
            "foreign-worker",
            {"job_offer__census_division": "3521"},
            "job_location",
            "GTA outside Toronto (Peel)",
        ),
        (
            "foreign-worker",
            {"job_offer__census_division": "3506"},
            "job_location",
            "Outside the GTA (Ottawa)",
        ),
        ("foreign-worker", {"job_tenure_months": 1}, "job_tenure", "1 month: less than 6 months"),
        ("masters", {}, "canadian_education", "2 Canadian credentials"),
        (
            "masters",
            {"education__canadian_credentials": 1},
            "canadian_education",
            "1 Canadian credential",
        ),
        (
            "masters",
            {"education__study_census_division": None},
            "study_location",
            "not studied in person in Ontario",
        ),
        (
            "in-demand-skills",
            {"permit": "study"},
            "permit",
            "study permit (this stream counts only a work permit)",
        ),
    ],
)
def test_reasons_read_as_a_person_would_say_them(
    stream: str, changes: dict[str, Any], factor: str, reason: str
) -> None:
    found = next(f for f in score(stream, NEW, **changes).factors if f.factor == factor)
    assert found.reason == reason


def test_the_old_grid_says_how_it_scored_a_graduate_certificate() -> None:
    result = score("masters", OLD, education__level="graduate-certificate")
    reason = next(f.reason for f in result.factors if f.factor == "education_level")
    assert "college diploma or trade certificate" in reason
