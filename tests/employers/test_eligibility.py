"""Employer thresholds (DOMAIN §3) per work location, at their edges, on page and API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nominee.employers.models import Employer, WorkLocation
from nominee.employers.queries import employer_eligibility
from tests.personas import client_for
from tests.words import rule_words

pytestmark = pytest.mark.django_db


def _rules(revenue: str, employees: int, cd: str, years: int = 5) -> list[str]:
    employer = Employer(gross_revenue=Decimal(revenue), years_in_business=years)
    location = WorkLocation(census_division_id=cd, full_time_employees=employees)
    return sorted(f.rule for f in employer_eligibility(employer, location))


def test_it_accepts_a_gta_employer_at_exactly_one_million_and_five_employees() -> None:
    assert _rules("1000000", 5, "3520") == []


def test_it_flags_a_gta_employer_one_dollar_short_of_a_million() -> None:
    assert _rules("999999", 5, "3520") == ["employer.revenue"]


def test_it_flags_a_gta_employer_with_four_employees() -> None:
    assert _rules("1000000", 4, "3521") == ["employer.employees"]


def test_it_accepts_outside_the_gta_at_half_a_million_and_three_employees() -> None:
    assert _rules("500000", 3, "3553") == []


def test_it_flags_outside_the_gta_below_half_a_million_and_three_employees() -> None:
    assert _rules("499999", 2, "3506") == ["employer.employees", "employer.revenue"]


def test_it_applies_the_gta_threshold_to_a_gta_location_even_outside_toronto() -> None:
    # York (3519) is in the GTA: $999,999 and 4 employees fail there but pass in Ottawa.
    assert _rules("999999", 4, "3519") == ["employer.employees", "employer.revenue"]
    assert _rules("999999", 4, "3506") == []


def test_it_requires_three_years_in_business_everywhere() -> None:
    assert _rules("5000000", 50, "3520", years=2) == ["employer.years_in_business"]
    assert _rules("5000000", 50, "3553", years=3) == []


def test_it_judges_each_location_by_its_own_employees(bob: object) -> None:
    from nominee.employers.services import add_work_location
    from tests.employers.conftest import bobs_bakery

    employer = bobs_bakery(bob)  # type: ignore[arg-type]
    add_work_location(
        actor=bob,
        employer=employer,
        census_division="3520",
        municipality="Toronto",
        full_time_employees=4,
    )
    response = client_for(bob).get(f"/api/v1/employers/{employer.pk}")  # type: ignore[arg-type]
    locations = response.json()["locations"]
    assert [loc["eligible"] for loc in locations] == [True, False]
    assert [f["rule"] for f in locations[1]["failures"]] == ["employer.employees"]
    assert response.json()["eligible"] is False


def test_an_ineligible_employer_registers_and_every_failing_rule_is_named(oscar: object) -> None:
    client = client_for(oscar)  # type: ignore[arg-type]
    response = client.post(
        "/employer/register/",
        {
            "legal_name": "Tiny Tea Ltd.",
            "cra_business_number": "046 454 286 RT0001",
            "street_address": "5 Bay St",
            "municipality": "Toronto",
            "postal_code": "m5j2t3",
            "years_in_business": "1",
            "gross_revenue": "200000",
            "location_census_division": "3520",
            "location_municipality": "Toronto",
            "location_full_time_employees": "2",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get(legal_name="Tiny Tea Ltd.")
    assert employer.cra_business_number == "046454286"
    assert employer.postal_code == "M5J 2T3"
    page = client.get(response["Location"]).content.decode()
    for rule in ("employer.revenue", "employer.employees", "employer.years_in_business"):
        assert rule_words(rule) in page
    assert "is below the $1,000,000 required" in page
