"""The 2026 stream's pathways: the registry lookups, the profile's new fields, and each
pathway's minimum requirements (DOMAIN §9), each failure with its rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nominee.scoring import (
    EligibilityFacts,
    ProfileError,
    ReferenceData,
    check_employer,
    check_profile,
    parse_profile,
    policy_at,
)
from nominee.scoring.policy import pathway_codes, pathway_info, stream_info, takes_job_offer

ON = date(2026, 8, 20)
WP = "workforce-priority"


def doc(pathway: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "stream": WP,
        "pathway": pathway,
        "registered_at": "2026-08-20T14:05:00Z",
        "permit": "work",
        "languages": {"english": 9, "french": None},
    }
    if pathway == "physician":
        document["practice"] = {"noc": "31102", "census_division": "3553"}
    else:
        noc = "21231" if pathway == "teer-0-3" else "65310"
        document["job_offer"] = {"noc": noc, "hourly_wage": 60, "census_division": "3506"}
    document.update(changes)
    return document


def rules(pathway: str, facts: EligibilityFacts | None = None, **changes: Any) -> list[str]:
    profile = parse_profile(doc(pathway, **changes))
    return [f.rule for f in check_profile(profile, facts=facts, on=ON) if f.severity == "refuse"]


# -- the registry --------------------------------------------------------------------------


def test_the_stream_and_its_pathways_are_registry_data() -> None:
    info = stream_info(WP)
    assert (info.name, info.id_prefix, info.effective_from) == (
        "Ontario Workforce Priority",
        "WP",
        date(2026, 6, 26),
    )
    assert info.job_offer_required
    assert pathway_codes(WP) == ("teer-0-3", "teer-4-5", "physician")
    assert takes_job_offer(WP, "teer-0-3")
    assert takes_job_offer(WP, "teer-4-5")
    assert not takes_job_offer(WP, "physician")
    assert pathway_info(WP, "teer-0-3").teers == frozenset({0, 1, 2, 3})
    assert pathway_info(WP, "teer-4-5").teers == frozenset({4, 5})
    assert info.ita_days_for("teer-0-3").employer == 14
    assert info.ita_days_for("physician").employer is None
    with pytest.raises(KeyError):
        pathway_info(WP, "chess")
    assert pathway_codes("masters") == ()


def test_the_2026_policy_holds_the_domain_figures() -> None:
    policy = policy_at(ON)
    assert policy.region_table == "2026"
    employer = policy.employer
    assert (employer.gta.min_revenue, employer.gta.min_employees) == (1_000_000, 5)
    assert employer.listed is not None
    assert (employer.listed.min_revenue, employer.listed.min_employees) == (500_000, 3)
    assert (employer.outside_gta.min_revenue, employer.outside_gta.min_employees) == (250_000, 3)
    assert employer.min_years_in_business == 3
    assert employer.registration_required
    assert not policy_at(date(2026, 6, 25)).employer.registration_required
    assert set(policy.streams) == {WP}


# -- the profile -----------------------------------------------------------------------------


def test_a_profile_of_the_stream_round_trips_with_its_new_fields() -> None:
    profile = parse_profile(
        doc(
            "teer-0-3",
            ontario_work_months=30,
            job_tenure_months=4,
            education={"level": "college-graduate-certificate", "canadian_credentials": 1},
        )
    )
    assert (profile.pathway, profile.ontario_work_months) == ("teer-0-3", 30)
    document = profile.to_document()
    assert list(document)[:3] == ["stream", "pathway", "registered_at"]
    assert document["ontario_work_months"] == 30
    assert parse_profile(document) == profile
    physician = parse_profile(doc("physician", education={"level": "professional-degree"}))
    assert physician.to_document()["practice"] == {"noc": "31102", "census_division": "3553"}
    assert parse_profile(physician.to_document()) == physician


def test_a_2025_document_keeps_its_shape() -> None:
    fw = {
        "stream": "foreign-worker",
        "registered_at": "2025-07-15T10:20:30Z",
        "job_offer": {"noc": "21231", "hourly_wage": 41.25, "census_division": "3520"},
    }
    assert "ontario_work_months" not in parse_profile(fw).to_document()
    assert "pathway" not in parse_profile(fw).to_document()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"pathway": None}, "pathway", "is required for the workforce-priority stream"),
        ({"pathway": "nurses"}, "pathway", "expected one of teer-0-3, teer-4-5, physician"),
        ({"job_offer": None}, "job_offer", "is required for the teer-0-3 pathway"),
        ({"ontario_work_months": -1}, "ontario_work_months", "must not be negative"),
        (
            {"practice": {"noc": "31102", "census_division": "3553"}},
            "practice",
            "must be absent",
        ),
    ],
)
def test_the_profile_refuses_what_the_pathway_does_not_take(
    changes: dict[str, Any], field: str, words: str
) -> None:
    document = {**doc("teer-0-3"), **changes}
    if document.get("pathway") is None:
        del document["pathway"]
    with pytest.raises(ProfileError) as refused:
        parse_profile(document)
    assert any(words in m for m in refused.value.by_field()[field])


def test_a_physician_has_a_practice_and_no_job_offer() -> None:
    offer = {"noc": "31102", "hourly_wage": 90, "census_division": "3553"}
    with pytest.raises(ProfileError) as refused:
        parse_profile(doc("physician", job_offer=offer))
    assert "physician pathway takes no job offer" in refused.value.by_field()["job_offer"][0]
    without = doc("physician")
    del without["practice"]
    with pytest.raises(ProfileError) as refused:
        parse_profile(without)
    assert "is required" in refused.value.by_field()["practice"][0]
    with pytest.raises(ProfileError) as refused:
        parse_profile(doc("physician", practice={"noc": "99999", "census_division": "3599"}))
    fields = refused.value.by_field()
    assert "practice.noc" in fields
    assert "practice.census_division" in fields


def test_a_2025_stream_refuses_a_pathway() -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(
            {
                "stream": "masters",
                "pathway": "physician",
                "registered_at": "2025-07-15T10:20:30Z",
                "education": {"level": "masters", "field": "stem"},
            }
        )
    assert "has no pathways" in refused.value.by_field()["pathway"][0]


# -- eligibility, per pathway ----------------------------------------------------------------


def test_teer_0_3_requires_clb_6_and_a_teer_0_3_offer() -> None:
    assert rules("teer-0-3") == []
    assert rules("teer-0-3", languages={"english": 5, "french": None}) == ["language.min_clb"]
    assert rules("teer-0-3", languages={"english": None, "french": None}) == ["language.min_clb"]
    offer = {"noc": "65310", "hourly_wage": 60, "census_division": "3506"}
    assert "job_offer.teer" in rules("teer-0-3", job_offer=offer)


@pytest.mark.parametrize(
    ("noc", "trade"),
    [
        ("72100", True),  # major group 72
        ("73200", True),  # 73
        ("82010", True),  # 82
        ("83100", True),  # 83
        ("93100", True),  # 93
        ("63200", True),  # unit group 6320x
        ("62200", True),  # unit group 62200
        ("72600", False),  # sub-major group 726 is excepted
        ("93200", False),  # sub-major group 932 is excepted
        ("21231", False),
    ],
)
def test_skilled_trades_need_clb_5(noc: str, trade: bool) -> None:
    ref = ReferenceData.from_package()
    if noc not in ref.nocs:
        pytest.skip(f"NOC {noc} is not in the shipped reference data")
    offer = {"noc": noc, "hourly_wage": 60, "census_division": "3506"}
    failures = rules("teer-0-3", job_offer=offer, languages={"english": 5, "french": None})
    failures = [f for f in failures if f != "job_offer.teer"]
    assert failures == ([] if trade else ["language.min_clb"])


def graduate(**changes: Any) -> EligibilityFacts:
    values: dict[str, Any] = {
        "credential_in_ontario": True,
        "credential_kind": "college-graduate-certificate",
        "credential_completed_on": date(2024, 9, 1),
        "post_secondary": "canadian",
        **changes,
    }
    return EligibilityFacts(**values)


def test_a_recent_ontario_graduate_needs_no_language_test() -> None:
    silent = {"languages": {"english": None, "french": None}}
    assert rules("teer-0-3", graduate(), **silent) == []
    # Recency is judged at the registration date: 36 months back to the same day.
    assert rules("teer-0-3", graduate(credential_completed_on=date(2023, 8, 20)), **silent) == []
    late = graduate(credential_completed_on=date(2023, 8, 19))
    assert rules("teer-0-3", late, **silent) == ["language.min_clb"]
    abroad = graduate(credential_in_ontario=False)
    assert rules("teer-0-3", abroad, **silent) == ["language.min_clb"]
    short = graduate(credential_kind="diploma", credential_length_months=12)
    assert rules("teer-0-3", short, **silent) == ["language.min_clb"]


def test_teer_0_3_experience_has_three_alternatives() -> None:
    short = EligibilityFacts(position_months_last_12=5, experience_months_in_noc_last_5y=20)
    assert rules("teer-0-3", short) == ["experience.pathway"]
    assert rules("teer-0-3", EligibilityFacts(position_months_last_12=6)) == []
    assert rules("teer-0-3", EligibilityFacts(experience_months_in_noc_last_5y=24)) == []
    licensed = EligibilityFacts(position_months_last_12=0, ontario_licence=True)
    assert rules("teer-0-3", licensed) == []
    # A recent Ontario graduate (within 2 years) needs 3 months in the position.
    assert rules("teer-0-3", graduate(position_months_last_12=3)) == []
    old = graduate(position_months_last_12=3, credential_completed_on=date(2024, 8, 19))
    assert rules("teer-0-3", old) == ["experience.pathway"]


def test_teer_0_3_needs_a_post_secondary_credential_with_an_eca_from_abroad() -> None:
    assert rules("teer-0-3", EligibilityFacts(post_secondary="none")) == [
        "education.post_secondary"
    ]
    assert rules("teer-0-3", EligibilityFacts(post_secondary="foreign-without-eca")) == [
        "education.post_secondary"
    ]
    assert rules("teer-0-3", EligibilityFacts(post_secondary="foreign-with-eca")) == []


def test_teer_4_5_requirements() -> None:
    assert rules("teer-4-5") == []
    assert rules("teer-4-5", languages={"english": 3, "french": None}) == ["language.min_clb"]
    assert rules("teer-4-5", languages={"english": 4, "french": None}) == []
    short = EligibilityFacts(ontario_position_months_last_24=8)
    assert rules("teer-4-5", short) == ["experience.ontario_position_months"]
    assert rules("teer-4-5", EligibilityFacts(ontario_position_months_last_24=9)) == []
    assert rules("teer-4-5", EligibilityFacts(high_school_equivalent=False)) == [
        "education.high_school"
    ]
    offer = {"noc": "21231", "hourly_wage": 60, "census_division": "3506"}
    assert "job_offer.teer" in rules("teer-4-5", job_offer=offer)


def test_physician_requirements() -> None:
    assert rules("physician") == []
    practice = {"noc": "31110", "census_division": "3553"}  # a dentist
    assert rules("physician", practice=practice) == ["physician.noc"]
    assert rules("physician", languages={"english": 5, "french": None}) == ["language.min_clb"]
    assert rules("physician", EligibilityFacts(cpso_class="educational")) == [
        "physician.cpso_class"
    ]
    for allowed in ("independent-practice", "academic-practice", "provisional"):
        assert rules("physician", EligibilityFacts(cpso_class=allowed)) == []
    assert rules("physician", EligibilityFacts(ohip_billing_number=" ")) == [
        "physician.ohip_billing_number"
    ]
    assert rules("physician", EligibilityFacts(ohip_billing_number="123456")) == []


def test_the_new_facts_round_trip_and_are_checked() -> None:
    facts = graduate(position_months_last_12=4, cpso_class="provisional")
    assert EligibilityFacts.from_document(facts.to_document()) == facts
    with pytest.raises(ValueError, match="post_secondary"):
        EligibilityFacts.from_document({"post_secondary": "yes"})
    with pytest.raises(ValueError, match="credential_in_ontario"):
        EligibilityFacts.from_document({"credential_in_ontario": "yes"})


# -- employers: three tiers per work location -------------------------------------------------


@pytest.mark.parametrize(
    ("cd", "revenue", "employees", "failing"),
    [
        ("3520", 1_000_000, 5, []),  # Toronto: GTA tier
        ("3521", 999_999, 5, ["employer.revenue"]),
        ("3521", 1_000_000, 4, ["employer.employees"]),
        ("3506", 500_000, 3, []),  # Ottawa: on the program's list
        ("3506", 499_999, 3, ["employer.revenue"]),
        ("3506", 500_000, 2, ["employer.employees"]),
        ("3553", 250_000, 3, []),  # Greater Sudbury: elsewhere
        ("3553", 249_999, 3, ["employer.revenue"]),
        ("3544", 250_000, 3, []),  # Muskoka: elsewhere
    ],
)
def test_the_2026_employer_tiers_are_judged_per_work_location(
    cd: str, revenue: int, employees: int, failing: list[str]
) -> None:
    failures = check_employer(
        census_division=cd,
        gross_revenue=revenue,
        employees=employees,
        years_in_business=3,
        on=ON,
        ref=ReferenceData.from_package(),
    )
    assert [f.rule for f in failures] == failing


def test_before_2026_there_are_two_tiers() -> None:
    failures = check_employer(
        census_division="3553",
        gross_revenue=300_000,
        employees=3,
        years_in_business=3,
        on=date(2026, 5, 1),
        ref=ReferenceData.from_package(),
    )
    assert [f.rule for f in failures] == ["employer.revenue"]
    assert "outside the GTA" in failures[0].message
