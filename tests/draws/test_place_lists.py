"""Draws that target a named list of places (the REDI communities of 2025-2026)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from nominee.accounts.models import User
from nominee.core.errors import ValidationFailed
from nominee.draws import services as draws
from nominee.draws.criteria import DrawCriteria, parse_criteria
from nominee.draws.models import Draw
from nominee.publication.record import Entry, nominee_targeting
from nominee.reference.models import PlaceList
from tests.dates import ON_DRAW_DAY_2025
from tests.personas import client_for

REDI = "redi-communities"
REDI_CODES = ["3507", "3509", "3538", "3558"]


@pytest.mark.django_db
def test_the_redi_communities_ship_with_their_census_divisions() -> None:
    places = PlaceList.objects.get(slug=REDI)
    assert places.codes() == REDI_CODES
    assert places.effective_from == date(2025, 6, 3)
    assert not places.complete


@pytest.mark.django_db
def test_a_place_list_resolves_into_census_divisions() -> None:
    criteria = parse_criteria(
        {
            "stream": "foreign-worker",
            "invitations": 5,
            "place_list": REDI,
            "census_divisions": ["3520"],
            "draw_date": "2025-09-03",
        }
    )
    assert criteria.place_list == REDI
    assert list(criteria.census_divisions) == sorted([*REDI_CODES, "3520"])
    assert criteria.chosen_census_divisions == ("3520",)
    assert criteria.is_targeted


@pytest.mark.django_db
def test_an_unknown_place_list_is_refused_by_name() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_criteria({"stream": "foreign-worker", "invitations": 5, "place_list": "nowhere"})
    assert refused.value.fields["place_list"] == ["unknown place list nowhere"]


@pytest.mark.django_db
def test_a_stream_without_a_job_offer_cannot_target_places() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_criteria(
            {"stream": "masters", "invitations": 5, "place_list": REDI, "draw_date": "2025-09-03"}
        )
    assert "region targeting does not apply" in " ".join(refused.value.fields["regions"])


@pytest.mark.django_db
@ON_DRAW_DAY_2025
def test_a_proposed_draw_keeps_the_list_and_the_record_names_it(martin: User) -> None:
    criteria = parse_criteria(
        {
            "stream": "foreign-worker",
            "invitations": 5,
            "place_list": REDI,
            "draw_date": "2025-09-03",
        }
    )
    draw = draws.propose_draw(actor=martin, criteria=criteria)
    stored = Draw.objects.get(pk=draw.pk)
    assert stored.place_list is not None
    assert stored.place_list.slug == REDI
    assert DrawCriteria.from_draw(stored) == criteria


@pytest.mark.django_db
def test_the_public_words_name_the_list() -> None:
    entry = Entry(
        source="nominee",
        slug="nominee-1",
        draw=1,
        stream="foreign-worker",
        streams=("foreign-worker",),
        stream_label="Foreign Worker",
        date=date(2025, 9, 3),
        draw_type="targeted",
        invitations=5,
        min_score=None,
        tie_break=None,
        eligible=None,
        registered_from=None,
        registered_to=None,
        census_divisions=tuple(REDI_CODES),
        place_list="REDI communities",
    )
    assert nominee_targeting(entry) == "Job located in the REDI communities."


@pytest.mark.django_db
def test_the_command_takes_a_place_list(capsys: Any) -> None:
    call_command(
        "draw", "run", "--stream", "foreign-worker", "--invitations", "3",
        "--place-list", REDI, "--date", "2025-09-03", "--dry-run", "--json",
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["executed"] is False


@pytest.mark.django_db
def test_the_propose_page_offers_the_list(martin: User) -> None:
    page = client_for(martin).get("/staff/draws/new/")
    assert page.status_code == 200
    assert REDI.encode() in page.content
