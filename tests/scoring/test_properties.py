"""Properties of the engine over generated profiles (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nominee.scoring import (
    FACTORS,
    STREAMS,
    ReferenceData,
    parse_profile,
    score_profile,
)

REF = ReferenceData.from_package()
NOCS = sorted(REF.nocs)
DIVISIONS = sorted(REF.census_divisions)
EMPLOYER = ("foreign-worker", "international-student", "in-demand-skills")
CLB = st.one_of(st.none(), st.integers(1, 12))
WAGE = st.floats(0, 500, allow_nan=False, allow_infinity=False).map(lambda w: round(w, 2))
DATES = st.dates(date(2022, 11, 22), date(2030, 12, 31))
# Registration instants in UTC: from the 23rd, so that the Toronto date is on or after the 22nd.
INSTANT_DATES = st.dates(date(2022, 11, 23), date(2030, 12, 31))


@st.composite
def documents(draw: st.DrawFn, stream: str | None = None) -> dict[str, Any]:
    """A valid profile document of any (or the given) stream."""
    stream = stream or draw(st.sampled_from(STREAMS))
    doc: dict[str, Any] = {
        "stream": stream,
        "permit": draw(st.sampled_from(["work", "study", "none"])),
        "job_tenure_months": draw(st.integers(0, 400)),
        "highest_annual_earnings": draw(st.floats(0, 1e7, allow_nan=False)),
        "languages": {"english": draw(CLB), "french": draw(CLB)},
    }
    if draw(st.booleans()):
        day = draw(INSTANT_DATES)
        seconds = draw(st.integers(0, 86399))
        instant = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)
        doc["registered_at"] = instant.isoformat()
    if stream in EMPLOYER:
        doc["job_offer"] = {
            "noc": draw(st.sampled_from(NOCS)),
            "hourly_wage": draw(WAGE),
            "census_division": draw(st.sampled_from(DIVISIONS)),
        }
    if stream not in ("foreign-worker", "in-demand-skills") or draw(st.booleans()):
        doc["education"] = {
            "level": draw(
                st.sampled_from(
                    [
                        "phd",
                        "masters",
                        "bachelors",
                        "graduate-certificate",
                        "undergraduate-diploma",
                        "apprenticeship",
                        "secondary-or-less",
                    ]
                )
            ),
            "field": draw(st.sampled_from(["stem", "business", "arts", "other", "health"])),
            "canadian_credentials": draw(st.integers(0, 5)),
            "study_census_division": draw(st.one_of(st.none(), st.sampled_from(DIVISIONS))),
        }
    return doc


@settings(max_examples=300)
@given(documents(), st.one_of(st.none(), DATES))
def test_total_is_the_sum_and_within_bounds(doc: dict[str, Any], at: date | None) -> None:
    result = score_profile(parse_profile(doc), at=at)
    assert result.total == sum(f.points for f in result.factors)
    assert 0 <= result.total <= result.max
    assert all(0 <= f.points <= f.max for f in result.factors)
    assert result.max == sum(f.max for f in result.factors)
    assert all(f.reason for f in result.factors)


@settings(max_examples=300)
@given(documents())
def test_factors_come_in_the_interface_order(doc: dict[str, Any]) -> None:
    keys = [f.factor for f in score_profile(parse_profile(doc)).factors]
    assert keys == [f for f in FACTORS if f in keys]
    assert [f["factor"] for f in score_profile(parse_profile(doc)).to_document()["factors"]] == keys


@settings(max_examples=300)
@given(documents(), st.floats(0, 100, allow_nan=False).map(lambda w: round(w, 2)))
def test_a_higher_wage_never_lowers_the_score(doc: dict[str, Any], raise_by: float) -> None:
    if "job_offer" not in doc:
        return
    richer = {**doc, "job_offer": {**doc["job_offer"]}}
    richer["job_offer"]["hourly_wage"] = doc["job_offer"]["hourly_wage"] + raise_by
    at = date(2025, 1, 1)
    before = score_profile(parse_profile(doc), at=at).total
    assert score_profile(parse_profile(richer), at=at).total >= before


@settings(max_examples=300)
@given(documents(), st.sampled_from(["english", "french"]), st.integers(1, 12))
def test_a_higher_clb_never_lowers_the_score(doc: dict[str, Any], language: str, clb: int) -> None:
    current = doc["languages"][language]
    if current is not None and clb < current:
        clb, current = current, clb
    lower = {**doc, "languages": {**doc["languages"], language: current}}
    higher = {**doc, "languages": {**doc["languages"], language: clb}}
    at = date(2025, 1, 1)
    assert (
        score_profile(parse_profile(higher), at=at).total
        >= score_profile(parse_profile(lower), at=at).total
    )


@settings(max_examples=300)
@given(documents())
def test_documents_round_trip(doc: dict[str, Any]) -> None:
    profile = parse_profile(doc)
    assert parse_profile(profile.to_document()) == profile
    assert score_profile(parse_profile(profile.to_document())) == score_profile(profile)


@settings(max_examples=100)
@given(documents())
def test_scoring_is_deterministic(doc: dict[str, Any]) -> None:
    profile = parse_profile(doc)
    assert score_profile(profile).to_document() == score_profile(profile).to_document()
