"""The 2026 stream in the calculator page, ``POST /api/v1/score`` and ``nominee score``, and
the refusal of a closed or not-yet-open stream with its dates (422, exit 2)."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.dates import IN_2025

pytestmark = pytest.mark.django_db

WORKER: dict[str, Any] = {
    "stream": "workforce-priority",
    "pathway": "teer-0-3",
    "registered_at": "2026-08-20T14:05:00Z",
    "job_offer": {"noc": "21231", "hourly_wage": 48.5, "census_division": "3506"},
    "permit": "work",
    "job_tenure_months": 14,
    "ontario_work_months": 30,
    "highest_annual_earnings": 72000,
    "education": {"level": "masters", "canadian_credentials": 2},
    "languages": {"english": 9, "french": 6},
}
PHYSICIAN: dict[str, Any] = {
    "stream": "workforce-priority",
    "pathway": "physician",
    "practice": {"noc": "31102", "census_division": "3544"},
    "job_tenure_months": 30,
    "languages": {"english": 9},
}
MASTERS: dict[str, Any] = {
    "stream": "masters",
    "education": {"level": "masters", "field": "stem"},
    "languages": {"english": 9},
}


def cli(document: dict[str, Any], *args: str) -> dict[str, Any]:
    out = io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO(json.dumps(document))
    try:
        call_command("score", "-", *args, stdout=out)
    finally:
        sys.stdin = stdin
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def api(document: dict[str, Any], at: str | None = None) -> Any:
    path = "/api/v1/score" + (f"?at={at}" if at else "")
    return Client().post(path, document, content_type="application/json")


def test_the_api_and_the_cli_score_the_interface_example_alike() -> None:
    response = api(WORKER)
    assert response.status_code == 200, response.json()
    assert response.json() == cli(WORKER)
    assert (response.json()["grid"], response.json()["total"]) == ("2026-06-26", 116)
    factors = [f["factor"] for f in response.json()["factors"]]
    assert "ontario_experience" in factors
    assert "job_tenure" not in factors


def test_a_physician_scores_on_the_practice_without_a_wage_factor() -> None:
    result = cli(PHYSICIAN)
    assert result["max"] == 115
    assert "job_offer_wage" not in [f["factor"] for f in result["factors"]]
    location = next(f for f in result["factors"] if f["factor"] == "job_location")
    assert (location["points"], location["reason"]) == (15, "Northern Ontario (Muskoka)")


def test_a_closed_stream_is_refused_with_its_dates_in_the_api_and_the_cli() -> None:
    response = api(MASTERS)
    assert response.status_code == 422
    message = response.json()["fields"]["stream"][0]
    assert "2022-11-22" in message
    assert "2026-05-30" in message
    with pytest.raises(CommandError) as refused:
        cli(MASTERS)
    assert "2026-05-30" in str(refused.value)
    assert refused.value.returncode == 2
    # On a date it was open it scores.
    assert api(MASTERS, at="2026-05-29").status_code == 200
    assert cli(MASTERS, "--at", "2026-05-29")["grid"] == "2024-01-01"


def test_a_stream_not_yet_open_is_refused_with_its_dates() -> None:
    response = api(PHYSICIAN, at="2026-06-25")
    assert response.status_code == 422
    assert "not yet open" in response.json()["fields"]["stream"][0]
    assert "2026-06-26" in response.json()["fields"]["stream"][0]
    with pytest.raises(CommandError) as refused:
        cli(PHYSICIAN, "--at", "2026-06-25")
    assert refused.value.returncode == 2


def test_an_unknown_pathway_is_refused_naming_the_choices() -> None:
    response = api({**WORKER, "pathway": "nurses"})
    assert response.status_code == 422
    assert "teer-0-3, teer-4-5, physician" in response.json()["fields"]["pathway"][0]


def test_the_page_offers_the_stream_in_force_today_first() -> None:
    response = Client().get("/calculator/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["stream"] == "workforce-priority"
    choices = [code for code, _name in form.fields["stream"].choices]
    assert choices[0] == "workforce-priority"
    assert "masters" in choices


@IN_2025
def test_in_2025_the_page_offers_a_2025_stream_first() -> None:
    form = Client().get("/calculator/").context["form"]
    assert form.initial["stream"] == "foreign-worker"


def test_the_page_scores_a_worker_and_a_physician() -> None:
    worker = Client().get(
        "/calculator/",
        {
            "stream": "workforce-priority",
            "pathway": "teer-0-3",
            "noc": "21231",
            "hourly_wage": "48.50",
            "census_division": "3506",
            "permit": "work",
            "job_tenure_months": "2",
            "ontario_work_months": "30",
            "education_level": "college-graduate-certificate",
            "english": "9",
        },
    )
    assert worker.status_code == 200, worker.context["form"].errors
    text = worker.content.decode()
    assert "30 months: more than 24 months working in Ontario" in text
    assert "Ontario college graduate certificate" in text
    assert "of 130" in text
    physician = Client().get(
        "/calculator/",
        {
            "stream": "workforce-priority",
            "pathway": "physician",
            "practice_noc": "31102",
            "practice_census_division": "3546",
            "permit": "work",
            "job_tenure_months": "30",
            "education_level": "professional-degree",
            "english": "9",
        },
    )
    assert physician.status_code == 200, physician.context["form"].errors
    text = physician.content.decode()
    assert "of 115" in text
    assert "Northern Ontario (Haliburton)" in text


def test_the_page_refuses_a_closed_stream_on_the_stream_field() -> None:
    response = Client().get(
        "/calculator/",
        {
            "stream": "masters",
            "permit": "study",
            "education_level": "masters",
            "education_field": "stem",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["stream"]
    assert any("2026-05-30" in e for e in errors)


def test_the_page_asks_for_a_pathway() -> None:
    response = Client().get("/calculator/", {"stream": "workforce-priority", "permit": "work"})
    assert response.status_code == 400
    assert "pathway" in response.context["form"].errors
