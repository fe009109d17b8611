"""The profile document: every error names its field in plain words; documents round-trip."""

from __future__ import annotations

from typing import Any

import pytest

from nominee.scoring import FieldError, Profile, ProfileError, parse_profile

FW: dict[str, Any] = {
    "id": "FW-000123",
    "stream": "foreign-worker",
    "registered_at": "2025-07-15T10:20:30Z",
    "job_offer": {"noc": "21231", "hourly_wage": 41.25, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}
MASTERS: dict[str, Any] = {
    "stream": "masters",
    "permit": "study",
    "highest_annual_earnings": 0,
    "education": {
        "level": "masters",
        "field": "stem",
        "canadian_credentials": 1,
        "study_census_division": "3539",
    },
    "languages": {"english": 8, "french": 7},
}


def errors(document: Any) -> list[FieldError]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(document)
    return caught.value.errors


def offer(**changes: Any) -> dict[str, Any]:
    return {"job_offer": {**FW["job_offer"], **changes}}


@pytest.mark.parametrize(
    ("base", "change", "field", "words"),
    [
        (
            FW,
            {"stream": "entrepreneur"},
            "stream",
            "unknown stream 'entrepreneur'; expected one of",
        ),
        (FW, {"stream": None}, "stream", "is required"),
        (FW, offer(noc="2123"), "job_offer.noc", "must be a 5-digit NOC 2021 code"),
        (FW, offer(noc=21231), "job_offer.noc", "must be a 5-digit NOC 2021 code"),
        (FW, offer(noc="99999"), "job_offer.noc", "99999 is not a NOC 2021 unit group"),
        (FW, offer(noc=None), "job_offer.noc", "is required"),
        (FW, offer(census_division="9999"), "job_offer.census_division", "(35xx)"),
        (
            FW,
            offer(census_division="3599"),
            "job_offer.census_division",
            "not an Ontario census division",
        ),
        (FW, offer(hourly_wage=-0.01), "job_offer.hourly_wage", "must not be negative"),
        (FW, offer(hourly_wage="lots"), "job_offer.hourly_wage", "must be a number"),
        (FW, offer(hourly_wage=True), "job_offer.hourly_wage", "must be a number"),
        (FW, offer(hourly_wage=float("nan")), "job_offer.hourly_wage", "must be a number"),
        (FW, offer(title="Baker"), "job_offer.title", "is not a field of the profile document"),
        (FW, {"job_offer": None}, "job_offer", "is required for the foreign-worker stream"),
        (FW, {"job_offer": "21231"}, "job_offer", "must be an object"),
        (FW, {"permit": "visitor"}, "permit", "unknown permit 'visitor'"),
        (FW, {"job_tenure_months": -1}, "job_tenure_months", "must not be negative"),
        (FW, {"job_tenure_months": 1.5}, "job_tenure_months", "must be a whole number"),
        (FW, {"highest_annual_earnings": -5}, "highest_annual_earnings", "must not be negative"),
        (
            FW,
            {"languages": {"english": 13, "french": None}},
            "languages.english",
            "CLB level from 1 to 12",
        ),
        (
            FW,
            {"languages": {"english": 9, "french": 0}},
            "languages.french",
            "CLB level from 1 to 12",
        ),
        (FW, {"languages": {"english": "9"}}, "languages.english", "CLB level from 1 to 12"),
        (FW, {"languages": {"german": 9}}, "languages.german", "is not a field"),
        (FW, {"registered_at": "2025-07-15T10:20:30"}, "registered_at", "must carry a time zone"),
        (FW, {"registered_at": "yesterday"}, "registered_at", "ISO 8601"),
        (FW, {"registered_at": "2022-11-21T12:00:00Z"}, "registered_at", "on or after 2022-11-22"),
        (FW, {"nickname": "Al"}, "nickname", "is not a field of the profile document"),
        (MASTERS, offer(), "job_offer", "must be absent: the masters stream takes no job offer"),
        (MASTERS, {"education": None}, "education", "is required for the masters stream"),
        (
            MASTERS,
            {"education": {"field": "stem"}},
            "education.level",
            "is required for the masters",
        ),
        (
            MASTERS,
            {"education": {"level": "phd"}},
            "education.field",
            "is required for the masters",
        ),
        (
            MASTERS,
            {"education": {**MASTERS["education"], "level": "diploma"}},
            "education.level",
            "unknown level",
        ),
        (
            MASTERS,
            {"education": {**MASTERS["education"], "field": "magic"}},
            "education.field",
            "unknown field",
        ),
        (
            MASTERS,
            {"education": {**MASTERS["education"], "canadian_credentials": -1}},
            "education.canadian_credentials",
            "must not be negative",
        ),
        (
            MASTERS,
            {"education": {**MASTERS["education"], "study_census_division": "3600"}},
            "education.study_census_division",
            "(35xx)",
        ),
        (
            MASTERS,
            {"education": {**MASTERS["education"], "study_census_division": "3503"}},
            "education.study_census_division",
            "not an Ontario census division",
        ),
    ],
)
def test_each_error_names_its_field(
    base: dict[str, Any], change: dict[str, Any], field: str, words: str
) -> None:
    found = errors({**base, **change})
    assert any(e.field == field and words in e.message for e in found), found


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert errors([1, 2]) == [FieldError("document", "must be a JSON object")]


def test_every_problem_is_reported_at_once() -> None:
    found = errors({**FW, "permit": "x", "job_tenure_months": -1, "languages": {"english": 0}})
    assert {e.field for e in found} == {"permit", "job_tenure_months", "languages.english"}


def test_reference_and_stream_problems_are_reported_together() -> None:
    found = errors({**FW, "stream": "international-student", **offer(noc="99999")})
    assert {e.field for e in found} == {"education", "job_offer.noc"}


def test_the_error_message_lists_each_field() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({**FW, "job_tenure_months": -1})
    assert str(caught.value) == "job_tenure_months: must not be negative"
    assert caught.value.by_field() == {"job_tenure_months": ["must not be negative"]}


def test_optional_facts_default_to_what_scores_nothing() -> None:
    profile = parse_profile({"stream": "foreign-worker", "job_offer": FW["job_offer"]})
    assert (profile.permit, profile.job_tenure_months, profile.highest_annual_earnings) == (
        "none",
        0,
        0.0,
    )
    assert (profile.languages.english, profile.languages.french) == (None, None)
    assert profile.id is None
    assert profile.registered_at is None


def test_employer_streams_may_omit_education_or_its_level() -> None:
    without_level = parse_profile({**FW, "education": {"field": "stem"}})
    assert without_level.education is not None
    assert (without_level.education.level, without_level.education.field) == (None, "stem")
    ids = {k: v for k, v in FW.items() if k != "education"}
    without = parse_profile({**ids, "stream": "in-demand-skills", **offer(noc="44101")})
    assert without.education is None
    # The registry says which streams need it: the graduate ones refuse the same document.
    with pytest.raises(ProfileError, match="education"):
        parse_profile({**ids, "stream": "international-student"})


@pytest.mark.parametrize("document", [FW, MASTERS], ids=["foreign-worker", "masters"])
def test_a_document_round_trips(document: dict[str, Any]) -> None:
    profile = parse_profile(document)
    again = profile.to_document()
    assert parse_profile(again) == profile
    assert parse_profile(again).to_document() == again


def test_the_document_keeps_the_interface_shape() -> None:
    assert parse_profile(FW).to_document() == FW


def test_an_instant_with_an_offset_keeps_its_offset() -> None:
    profile = parse_profile({**FW, "registered_at": "2025-07-15T06:20:30-04:00"})
    assert profile.to_document()["registered_at"] == "2025-07-15T06:20:30-04:00"
    assert profile.registered_at == parse_profile(FW).registered_at


def test_profiles_are_immutable() -> None:
    profile = parse_profile(FW)
    with pytest.raises(ValueError, match="frozen"):
        profile.permit = "none"
    assert isinstance(hash(profile), int)


def test_the_json_schema_is_available_for_the_api() -> None:
    schema = Profile.model_json_schema()
    assert "stream" in schema["required"]


def test_an_unknown_noc_is_reported_alongside_shape_errors() -> None:
    # The calculator form sends a half-filled offer; the person should hear about the NOC too.
    found = errors(
        {**FW, "job_offer": {"noc": "99999", "hourly_wage": None, "census_division": "3598"}}
    )
    assert {(e.field, e.message) for e in found} == {
        ("job_offer.noc", "99999 is not a NOC 2021 unit group"),
        ("job_offer.hourly_wage", "is required"),
        ("job_offer.census_division", "3598 is not an Ontario census division"),
    }
