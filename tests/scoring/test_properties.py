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
    stream_info,
)
from nominee.scoring.profile import EDUCATION_LEVELS

REF = ReferenceData.from_package()
NOCS = sorted(REF.nocs)
DIVISIONS = sorted(REF.census_divisions)
CLB = st.one_of(st.none(), st.integers(1, 12))
WAGE = st.floats(0, 500, allow_nan=False, allow_infinity=False).map(lambda w: round(w, 2))
LAST = date(2030, 12, 31)


def open_days(stream: str) -> tuple[date, date]:
    """The first and last program dates the stream is open (capped at 2030)."""
    info = stream_info(stream)
    last = LAST if info.until is None else info.until - timedelta(days=1)
    return info.effective_from, last


@st.composite
def documents(draw: st.DrawFn, stream: str | None = None) -> dict[str, Any]:
    """A valid profile document of any (or the given) stream, registered on a day it was open.

    Every stream of the registry, the 2026 one with its pathways included: a 2025 stream is
    registered between 2022-11-22 and 2026-05-29, the 2026 one from 2026-06-26.
    """
    stream = stream or draw(st.sampled_from(STREAMS))
    info = stream_info(stream)
    doc: dict[str, Any] = {
        "stream": stream,
        "permit": draw(st.sampled_from(["work", "study", "none"])),
        "job_tenure_months": draw(st.integers(0, 400)),
        "highest_annual_earnings": draw(st.floats(0, 1e7, allow_nan=False)),
        "languages": {"english": draw(CLB), "french": draw(CLB)},
    }
    pathway = draw(st.sampled_from(info.pathway_codes)) if info.pathways else None
    if pathway is not None:
        doc["pathway"] = pathway
        doc["ontario_work_months"] = draw(st.integers(0, 400))
    # A UTC instant on day D falls on D or D-1 in Toronto: start a day late.
    first, last = open_days(stream)
    day = draw(st.dates(first + timedelta(days=1), last))
    seconds = draw(st.integers(0, 86399))
    instant = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)
    doc["registered_at"] = instant.isoformat()
    place = {
        "noc": draw(st.sampled_from(NOCS)),
        "census_division": draw(st.sampled_from(DIVISIONS)),
    }
    if info.takes_job_offer(pathway):
        doc["job_offer"] = {**place, "hourly_wage": draw(WAGE)}
    elif pathway is not None:
        doc["practice"] = place
    if info.education_required or draw(st.booleans()):
        doc["education"] = {
            "level": draw(st.sampled_from(EDUCATION_LEVELS)),
            "field": draw(st.sampled_from(["stem", "business", "arts", "other", "health"])),
            "canadian_credentials": draw(st.integers(0, 5)),
            "study_census_division": draw(st.one_of(st.none(), st.sampled_from(DIVISIONS))),
        }
    return doc


@st.composite
def scored(draw: st.DrawFn) -> tuple[dict[str, Any], date | None]:
    """A document and a scoring date: None (its registration date) or a day its stream is open."""
    doc = draw(documents())
    if draw(st.booleans()):
        return doc, None
    first, last = open_days(doc["stream"])
    return doc, draw(st.dates(first, last))


@settings(max_examples=300)
@given(scored())
def test_total_is_the_sum_and_within_bounds(case: tuple[dict[str, Any], date | None]) -> None:
    doc, at = case
    result = score_profile(parse_profile(doc), at=at)
    assert result.total == sum(f.points for f in result.factors)
    assert 0 <= result.total <= result.max
    assert all(0 <= f.points <= f.max for f in result.factors)
    assert result.max == sum(f.max for f in result.factors)
    assert all(f.reason for f in result.factors)


@settings(max_examples=200)
@given(documents(stream="workforce-priority"))
def test_the_2026_grid_scores_its_pathways_within_their_maxima(doc: dict[str, Any]) -> None:
    result = score_profile(parse_profile(doc))
    assert result.grid == "2026-06-26"
    assert result.max == (115 if doc["pathway"] == "physician" else 130)
    assert 0 <= result.total <= result.max
    assert (result.points("job_offer_wage") is None) == (doc["pathway"] == "physician")


@settings(max_examples=200)
@given(documents(stream="workforce-priority"), st.integers(0, 400))
def test_more_months_in_ontario_never_lower_the_score(doc: dict[str, Any], more: int) -> None:
    longer = {**doc, "ontario_work_months": doc["ontario_work_months"] + more}
    position = {**doc, "job_tenure_months": doc["job_tenure_months"] + more}
    base = score_profile(parse_profile(doc)).total
    assert score_profile(parse_profile(longer)).total >= base
    assert score_profile(parse_profile(position)).total >= base


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
    before = score_profile(parse_profile(doc)).total
    assert score_profile(parse_profile(richer)).total >= before


@settings(max_examples=300)
@given(documents(), st.sampled_from(["english", "french"]), st.integers(1, 12))
def test_a_higher_clb_never_lowers_the_score(doc: dict[str, Any], language: str, clb: int) -> None:
    current = doc["languages"][language]
    if current is not None and clb < current:
        clb, current = current, clb
    lower = {**doc, "languages": {**doc["languages"], language: current}}
    higher = {**doc, "languages": {**doc["languages"], language: clb}}
    assert score_profile(parse_profile(higher)).total >= score_profile(parse_profile(lower)).total


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
