"""`nominee score`, `POST /api/v1/score` and the calculator page: one engine, one answer."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.dates import IN_2025

pytestmark = pytest.mark.django_db

PROFILE: dict[str, Any] = {
    "id": "FW-000123",
    "stream": "foreign-worker",
    "registered_at": "2025-07-15T10:20:30Z",
    "job_offer": {"noc": "21231", "hourly_wage": 41.25, "census_division": "3520"},
    "permit": "work",
    "job_tenure_months": 7,
    "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}


def _cli(document: str, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    import sys

    stdin, sys.stdin = sys.stdin, io.StringIO(document)
    try:
        call_command("score", "-", *args, stdout=out)
    finally:
        sys.stdin = stdin
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_the_cli_and_the_api_answer_the_same_json() -> None:
    api = Client().post("/api/v1/score", PROFILE, content_type="application/json")
    assert api.status_code == 200
    assert api.json() == _cli(json.dumps(PROFILE))


def test_it_answers_the_score_document_of_the_interface() -> None:
    result = _cli(json.dumps(PROFILE))
    assert list(result) == ["stream", "grid", "total", "max", "factors"]
    assert (result["stream"], result["grid"], result["max"]) == ("foreign-worker", "2024-01-01", 76)
    assert result["total"] == sum(f["points"] for f in result["factors"])
    keys = [f["factor"] for f in result["factors"]]
    assert keys[:3] == ["job_offer_teer", "job_offer_category", "job_offer_wage"]
    assert "education_level" not in keys
    assert set(result["factors"][0]) == {"factor", "points", "max", "reason"}


def test_at_picks_the_grid_in_force_on_that_date() -> None:
    student = {
        **PROFILE,
        "stream": "international-student",
        "education": {
            "level": "graduate-certificate",
            "field": "business",
            "canadian_credentials": 1,
            "study_census_division": "3520",
        },
    }
    old = _cli(json.dumps(student), "--at", "2023-06-01")
    new = _cli(json.dumps(student), "--at", "2024-06-01")
    assert (old["grid"], new["grid"]) == ("2022-11-22", "2024-01-01")
    level = {
        g: next(f for f in r["factors"] if f["factor"] == "education_level")["points"]
        for g, r in (("old", old), ("new", new))
    }
    assert level == {"old": 5, "new": 6}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stream": "entrepreneur"}, "stream"),
        (
            {"job_offer": {"noc": "2123", "hourly_wage": 40, "census_division": "3520"}},
            "job_offer.noc",
        ),
        (
            {"job_offer": {"noc": "21231", "hourly_wage": 40, "census_division": "9999"}},
            "job_offer.census_division",
        ),
        ({"languages": {"english": 13, "french": None}}, "languages.english"),
        ({"job_tenure_months": -1}, "job_tenure_months"),
        ({"job_offer": None}, "job_offer"),
    ],
)
def test_bad_input_names_the_field_in_the_api_and_the_cli(
    change: dict[str, Any], field: str
) -> None:
    document = {**PROFILE, **change}
    api = Client().post("/api/v1/score", document, content_type="application/json")
    assert api.status_code == 422
    body = api.json()
    assert body["code"] == "validation"
    assert field in body["fields"], body
    with pytest.raises(CommandError) as caught:
        _cli(json.dumps(document))
    assert caught.value.returncode == 2
    assert field in str(caught.value)


def test_the_api_refuses_malformed_json_with_a_4xx() -> None:
    response = Client().post("/api/v1/score", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_the_cli_refuses_malformed_json_a_missing_file_and_a_bad_date(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        _cli("{not json")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        call_command("score", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        _cli(json.dumps(PROFILE), "--at", "2025-13-01")
    assert caught.value.returncode == 2
    assert "--at" in str(caught.value)


@IN_2025
def test_the_calculator_page_shows_the_total_and_breakdown() -> None:
    response = Client().get(
        "/calculator/",
        {
            "stream": "foreign-worker",
            "noc": "21231",
            "hourly_wage": "41.25",
            "census_division": "3520",
            "permit": "work",
            "job_tenure_months": "7",
            "highest_annual_earnings": "52000",
            "english": "9",
        },
    )
    assert response.status_code == 200
    expected = _cli(
        json.dumps({k: v for k, v in PROFILE.items() if k not in {"id", "registered_at"}})
    )
    text = response.content.decode()
    assert f"Score: {expected['total']} of 76" in text
    for factor in expected["factors"]:
        assert factor["reason"] in text


def test_the_calculator_page_puts_engine_errors_on_the_field() -> None:
    response = Client().get(
        "/calculator/", {"stream": "foreign-worker", "noc": "99999", "permit": "work"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get("noc")


def test_the_calculator_page_works_without_input() -> None:
    response = Client().get("/calculator/")
    assert response.status_code == 200
    assert b"<form" in response.content


def test_a_date_before_any_grid_is_refused_not_crashed() -> None:
    response = Client().post(
        "/api/v1/score?at=2020-01-01", PROFILE, content_type="application/json"
    )
    assert response.status_code == 422
    assert "at" in response.json()["fields"]
    with pytest.raises(CommandError) as caught:
        _cli(json.dumps(PROFILE), "--at", "2020-01-01")
    assert caught.value.returncode == 2


@IN_2025
def test_the_calculator_page_names_each_factor_for_people() -> None:
    response = Client().get(
        "/calculator/",
        {
            "stream": "masters",
            "permit": "study",
            "education_level": "masters",
            "education_field": "stem",
            "canadian_credentials": "1",
            "english": "8",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Field of study" in text
    assert "Official language ability" in text
