"""Draws of the 2026 stream: pathways, the seven regions read in the table of the draw date,
invitations per pathway, and the 2025 targeting on ``workforce-priority`` (DOMAIN §9)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.casework.models import PositionApproval
from nominee.casework.services import open_application
from nominee.casework.services.common import has_employer
from nominee.core.errors import ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ, start_of
from nominee.draws.criteria import DrawCriteria, parse_criteria
from nominee.draws.models import Draw, Invitation
from nominee.draws.selection import count_eligible, explain_selection, select
from nominee.draws.services import propose_draw, run_draw
from nominee.eois.models import EOI
from nominee.publication.record import all_entries
from nominee.reference.models import OccupationList, OccupationListEntry
from nominee.reference.queries import census_divisions_in
from tests.draws.pools import criteria, eoi_row, save_all
from tests.personas import client_for

pytestmark = pytest.mark.django_db

WP = "workforce-priority"
OPENS = date(2026, 6, 26)
EVE = date(2026, 6, 25)
DRAW = date(2026, 12, 1)
MUSKOKA, HALIBURTON, SUDBURY = "3544", "3546", "3553"
OTTAWA, WATERLOO, MIDDLESEX, TORONTO, PEEL = "3506", "3530", "3539", "3520", "3521"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PROGRAM_TZ)


def wp_row(**values: Any) -> EOI:
    """A Workforce Priority EOI row registered after the stream opened (2026-08-20)."""
    values.setdefault("stream", WP)
    values.setdefault("pathway", "teer-0-3")
    values.setdefault("registered_at", _at(date(2026, 8, 20)))
    return eoi_row(**values)


def wp(**values: Any) -> DrawCriteria:
    values.setdefault("stream", WP)
    values.setdefault("draw_date", DRAW)
    values.setdefault("invitations", 50)
    for name in ("pathways",):
        if name in values:
            values[name] = tuple(values[name])
    return criteria(**values)


def _ids(c: DrawCriteria) -> list[str]:
    return sorted(row.external_id for row in select(c))


# ---------------------------------------------------------------- the seven regions


# What each region holds on each side of 2026-06-26 (a sample of its census divisions in,
# and of those out).
REGION_CASES = [
    # region, day, in, out
    ("toronto", EVE, [TORONTO], [PEEL, MUSKOKA]),
    ("toronto", OPENS, [TORONTO], [PEEL, MUSKOKA]),
    ("greater-toronto", EVE, [PEEL, "3518", "3519", "3524"], [TORONTO, WATERLOO]),
    ("greater-toronto", OPENS, [PEEL, "3518", "3519", "3524"], [TORONTO, WATERLOO]),
    ("northern", EVE, [SUDBURY, "3560"], [MUSKOKA, HALIBURTON, OTTAWA]),
    ("northern", OPENS, [SUDBURY, "3560", MUSKOKA, HALIBURTON], [OTTAWA, TORONTO]),
    ("other", EVE, [OTTAWA, WATERLOO, MIDDLESEX, MUSKOKA, HALIBURTON], [SUDBURY, PEEL]),
    ("other", OPENS, [OTTAWA, WATERLOO, MIDDLESEX], [MUSKOKA, HALIBURTON, SUDBURY, PEEL]),
    ("eastern", EVE, [OTTAWA, "3547"], [WATERLOO, MUSKOKA, TORONTO]),
    ("eastern", OPENS, [OTTAWA, "3547"], [WATERLOO, MUSKOKA, TORONTO]),
    ("central", EVE, [WATERLOO, "3543", "3542"], [MUSKOKA, HALIBURTON, MIDDLESEX]),
    ("central", OPENS, [WATERLOO, "3543", "3542"], [MUSKOKA, HALIBURTON, MIDDLESEX]),
    ("southwestern", EVE, [MIDDLESEX, "3525", "3537"], [WATERLOO, OTTAWA]),
    ("southwestern", OPENS, [MIDDLESEX, "3525", "3537"], [WATERLOO, OTTAWA]),
]


@pytest.mark.parametrize(("region", "day", "inside", "outside"), REGION_CASES)
def test_each_region_reads_the_table_of_the_draw_date(
    region: str, day: date, inside: list[str], outside: list[str]
) -> None:
    divisions = census_divisions_in((region,), day)
    assert set(inside) <= set(divisions), divisions
    assert not set(outside) & set(divisions), divisions


@pytest.mark.parametrize("day", [EVE, OPENS])
def test_other_is_outside_the_gta_and_not_northern_on_both_sides(day: date) -> None:
    everything = set(census_divisions_in(("toronto", "greater-toronto", "northern", "other"), day))
    assert len(everything) == 49  # every census division of Ontario, once
    three = set(census_divisions_in(("eastern", "central", "southwestern"), day))
    other = set(census_divisions_in(("other",), day))
    if day >= OPENS:
        assert other == three
    else:  # Muskoka and Haliburton are "other" in 2025 and in none of the three
        assert other - three == {MUSKOKA, HALIBURTON}


def test_a_northern_draw_takes_muskoka_from_2026_06_26_whatever_the_eoi_stored() -> None:
    # Stored regions are those of the registration date's table (2025: Muskoka is other).
    registered = _at(date(2026, 3, 2))
    save_all(
        [
            eoi_row(registered_at=registered, census_division=MUSKOKA, region="other",
                    external_id="MUSKOKA"),
            eoi_row(registered_at=registered, census_division=HALIBURTON, region="other",
                    external_id="HALIBURTON"),
            eoi_row(registered_at=registered, census_division=SUDBURY, region="northern",
                    external_id="SUDBURY"),
            eoi_row(registered_at=registered, census_division=OTTAWA, region="other",
                    external_id="OTTAWA"),
        ]
    )  # fmt: skip
    on_the_eve = criteria(invitations=10, regions=("northern",), draw_date=EVE)
    assert _ids(on_the_eve) == ["SUDBURY"]
    opening_day = criteria(invitations=10, regions=("northern",), draw_date=OPENS)
    assert _ids(opening_day) == ["HALIBURTON", "MUSKOKA", "SUDBURY"]
    assert _ids(criteria(invitations=10, regions=("other",), draw_date=EVE)) == [
        "HALIBURTON",
        "MUSKOKA",
        "OTTAWA",
    ]
    assert _ids(criteria(invitations=10, regions=("other",), draw_date=OPENS)) == ["OTTAWA"]
    assert _ids(criteria(invitations=10, regions=("eastern",), draw_date=EVE)) == ["OTTAWA"]


def test_a_wp_draw_on_opening_day_targets_muskoka_and_haliburton_as_northern() -> None:
    save_all(
        [
            wp_row(registered_at=_at(OPENS), census_division=cd, region="northern",
                   external_id=f"WP-{cd}")
            for cd in (MUSKOKA, HALIBURTON, SUDBURY)
        ]
        + [wp_row(registered_at=_at(OPENS), census_division=OTTAWA, region="eastern",
                  external_id="WP-OTTAWA")]
    )  # fmt: skip
    parsed = parse_criteria(
        {"stream": WP, "invitations": 10, "regions": ["northern"], "draw_date": "2026-06-26"}
    )
    assert _ids(parsed) == [f"WP-{MUSKOKA}", f"WP-{HALIBURTON}", f"WP-{SUDBURY}"]
    assert _ids(wp(regions=("eastern",), draw_date=OPENS)) == ["WP-OTTAWA"]


def test_regions_or_census_divisions_still_match_either() -> None:
    save_all(
        [
            wp_row(census_division=OTTAWA, region="eastern", external_id="E"),
            wp_row(census_division=WATERLOO, region="central", external_id="C"),
            wp_row(census_division=TORONTO, region="toronto", external_id="T"),
        ]
    )
    assert _ids(wp(regions=("eastern",), census_divisions=(TORONTO,))) == ["E", "T"]


# ---------------------------------------------------------------- pathways


def _mixed_pool() -> None:
    save_all(
        [
            wp_row(pathway="teer-0-3", score=90, external_id="WP-T03"),
            wp_row(pathway="teer-4-5", score=80, noc="94141", external_id="WP-T45"),
            wp_row(pathway="physician", score=85, noc="31102", census_division=SUDBURY,
                   region="northern", external_id="WP-DOC"),
        ]
    )  # fmt: skip


def test_a_draw_targets_pathways() -> None:
    _mixed_pool()
    assert _ids(wp()) == ["WP-DOC", "WP-T03", "WP-T45"]
    assert _ids(wp(pathways=("teer-0-3",))) == ["WP-T03"]
    assert _ids(wp(pathways=("physician", "teer-4-5"))) == ["WP-DOC", "WP-T45"]
    assert count_eligible(wp(pathways=("teer-4-5",))) == 1
    # A physician's census division is the practice location: regions target it too.
    assert _ids(wp(regions=("northern",))) == ["WP-DOC"]


def test_pathways_are_checked_against_the_stream() -> None:
    parsed = parse_criteria(
        {"stream": WP, "invitations": 5, "pathways": ["physician", "teer-0-3"],
         "draw_date": "2026-12-01"}
    )  # fmt: skip
    assert parsed.pathways == ("teer-0-3", "physician")  # the registry's order
    assert parsed.is_targeted
    with pytest.raises(ValidationFailed) as raised:
        parse_criteria({"stream": WP, "invitations": 5, "pathways": ["teer-9"]})
    message = raised.value.fields["pathways"][0]
    assert "teer-9" in message
    assert "teer-0-3, teer-4-5, physician" in message
    with pytest.raises(ValidationFailed) as raised:
        parse_criteria(
            {"stream": "foreign-worker", "invitations": 5, "pathways": ["teer-0-3"],
             "draw_date": "2025-09-03"}
        )  # fmt: skip
    assert "no pathways" in raised.value.fields["pathways"][0]


def test_the_criteria_round_trip_through_the_draw_row(olivia: User) -> None:
    parsed = parse_criteria(
        {"stream": WP, "invitations": 5, "pathways": ["teer-4-5"], "regions": ["central"],
         "draw_date": "2026-12-01"}
    )  # fmt: skip
    draw = propose_draw(actor=olivia, criteria=parsed)
    again = DrawCriteria.from_draw(Draw.objects.get(pk=draw.pk))
    assert again == parsed
    assert again.to_document()["pathways"] == ["teer-4-5"]
    event = AuditEvent.objects.get(action="draws.draw_proposed")
    assert event.after["pathways"] == ["teer-4-5"]


def test_a_mixed_draw_gives_an_employer_deadline_only_with_a_job_offer(alice: User) -> None:
    _mixed_pool()
    EOI.objects.filter(external_id="WP-DOC").update(candidate=alice.candidate)  # type: ignore[attr-defined]
    result = run_draw(criteria=wp())
    assert sorted(result.invited) == ["WP-DOC", "WP-T03", "WP-T45"]
    deadlines = {
        i.eoi.external_id: (i.candidate_deadline, i.employer_deadline)
        for i in Invitation.objects.select_related("eoi")
    }
    assert deadlines["WP-T03"] == (DRAW + timedelta(days=17), DRAW + timedelta(days=14))
    assert deadlines["WP-T45"] == (DRAW + timedelta(days=17), DRAW + timedelta(days=14))
    assert deadlines["WP-DOC"] == (DRAW + timedelta(days=17), None)
    event = AuditEvent.objects.get(action="draws.draw_executed")
    assert event.data["deadlines_by_pathway"]["physician"]["employer"] is None
    assert event.data["deadlines_by_pathway"]["teer-0-3"]["employer"] == "2026-12-15"
    # The physician's file has no employer's part: no position approval to file.
    invitation = Invitation.objects.get(eoi__external_id="WP-DOC")
    application = open_application(actor=alice, invitation=invitation)
    assert not has_employer(application)
    assert not PositionApproval.objects.filter(application=application).exists()


def test_the_record_names_the_pathway_and_the_region_in_words() -> None:
    _mixed_pool()
    run_draw(criteria=wp(pathways=("teer-0-3",), regions=("toronto", "eastern")))
    entry = all_entries()[0]
    assert entry.pathways == ("teer-0-3",)
    assert entry.targeting.startswith("Pathway: Workers in TEER 0-3 occupations; ")
    assert "Toronto or Eastern Ontario" in entry.targeting
    assert entry.to_document()["pathways"] == ["teer-0-3"]


# ---------------------------------------------------------------- 2025 targeting on the new stream


def _targeting_pool() -> None:
    OccupationList.objects.create(slug="wp-health", name="Health", effective_from=OPENS)
    OccupationListEntry.objects.create(
        occupation_list=OccupationList.objects.get(slug="wp-health"), noc_id="31301"
    )
    late = _at(date(2026, 10, 1))
    save_all(
        [
            wp_row(noc="31301", external_id="NURSE"),
            wp_row(census_division=OTTAWA, region="eastern", external_id="OTTAWA"),
            wp_row(french_clb=8, external_id="FRENCH"),
            wp_row(in_canada=False, external_id="ABROAD"),
            wp_row(registered_at=late, external_id="LATE"),
        ]
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"occupation_list": "wp-health"}, ["NURSE"]),
        ({"noc_codes": ["31301"]}, ["NURSE"]),
        ({"census_divisions": [OTTAWA]}, ["OTTAWA"]),
        ({"min_french_clb": 7}, ["FRENCH"]),
        ({"in_canada_only": True}, ["FRENCH", "LATE", "NURSE", "OTTAWA"]),
        ({"registered_to": "2026-09-30"}, ["ABROAD", "FRENCH", "NURSE", "OTTAWA"]),
        ({"registered_from": "2026-09-01"}, ["LATE"]),
    ],
)
def test_the_2025_targeting_works_on_the_new_stream(
    given: dict[str, Any], expected: list[str]
) -> None:
    _targeting_pool()
    parsed = parse_criteria({"stream": WP, "invitations": 20, "draw_date": "2026-12-01", **given})
    assert _ids(parsed) == expected


# ---------------------------------------------------------------- the plan


def test_the_selection_with_pathways_and_regions_still_walks_the_draw_index() -> None:
    base = start_of(OPENS)
    cds = [TORONTO, OTTAWA, SUDBURY, MUSKOKA, WATERLOO]
    save_all(
        wp_row(
            registered_at=base + timedelta(minutes=37 * i),
            stream=[WP, WP, "foreign-worker"][i % 3],
            pathway=["teer-0-3", "teer-4-5", "physician"][i % 3],
            score=30 + (i * 7919) % 90,
            census_division=cds[i % len(cds)],
        )
        for i in range(6000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    c = wp(invitations=200, min_score=40, pathways=("teer-0-3",), regions=("northern", "eastern"))
    plan = explain_selection(c)
    assert "eoi_draw_order" in plan, plan
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan.upper(), plan
    else:
        assert "Sort" not in plan, plan
        assert "Seq Scan" not in plan, plan
    assert len(select(c)) == 200


# ---------------------------------------------------------------- the command line


def _run(*args: str) -> str:
    out = StringIO()
    call_command("draw", "run", *args, stdout=out)
    return out.getvalue()


def test_the_command_takes_pathways_and_the_new_regions() -> None:
    _mixed_pool()
    save_all([wp_row(census_division=OTTAWA, region="eastern", score=70, external_id="WP-OTT")])
    document = json.loads(
        _run("--stream", WP, "--pathway", "teer-0-3", "--pathway", "teer-4-5", "--invitations",
             "5", "--date", "2026-12-01", "--dry-run", "--json")
    )  # fmt: skip
    assert list(document) == [
        "draw", "stream", "executed", "date", "invitations", "min_score", "tie_break",
        "eligible", "invited",
    ]  # fmt: skip
    assert document["invited"] == ["WP-T03", "WP-T45", "WP-OTT"]
    document = json.loads(
        _run("--stream", WP, "--region", "eastern", "--invitations", "5", "--date",
             "2026-12-01", "--json")
    )  # fmt: skip
    assert (document["executed"], document["invited"], document["eligible"]) == (
        True,
        ["WP-OTT"],
        1,
    )
    assert Draw.objects.get().regions == ["eastern"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stream", WP, "--invitations", "3", "--pathway", "teer-9"], "teer-9"),
        (["--stream", "foreign-worker", "--invitations", "3", "--pathway", "physician",
          "--date", "2025-09-03"], "no pathways"),
        (["--stream", WP, "--invitations", "3", "--region", "western"], "western"),
    ],
)  # fmt: skip
def test_bad_pathways_and_regions_exit_with_code_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        _run(*args)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert Draw.objects.count() == 0


# ---------------------------------------------------------------- API and pages


def _post(user: User | None, path: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(path, body, content_type="application/json")


def test_the_api_targets_pathways_and_names_bad_ones(olivia: User, martin: User) -> None:
    _mixed_pool()
    body = {"stream": WP, "draw_date": "2026-12-01", "invitations": 5}
    preview = _post(olivia, "/api/v1/staff/draws/preview", {**body, "pathways": ["physician"]})
    assert preview.status_code == 200, preview.content
    assert preview.json()["invited"] == ["WP-DOC"]
    assert preview.json()["criteria"]["pathways"] == ["physician"]
    bad = _post(olivia, "/api/v1/staff/draws", {**body, "pathways": ["dentist"],
                                                "regions": ["atlantis"]})  # fmt: skip
    assert bad.status_code == 400
    assert "dentist" in bad.json()["fields"]["pathways"][0]
    assert "atlantis" in bad.json()["fields"]["regions"][0]
    proposed = _post(olivia, "/api/v1/staff/draws", {**body, "pathways": ["teer-4-5"],
                                                     "regions": ["southwestern"]})  # fmt: skip
    assert proposed.status_code == 201
    assert proposed.json()["criteria"]["pathways"] == ["teer-4-5"]
    draw_id = proposed.json()["id"]
    # Permissions unchanged: the proposer does not approve; another manager does.
    assert _post(olivia, f"/api/v1/staff/draws/{draw_id}/approve", {}).status_code == 403
    assert _post(martin, f"/api/v1/staff/draws/{draw_id}/approve", {}).status_code == 200


def test_the_form_offers_pathways_and_shows_them_in_words(olivia: User) -> None:
    _mixed_pool()
    client = client_for(olivia)
    page = client.get("/staff/draws/new/").content.decode()
    assert 'name="pathways"' in page
    assert "Self-employed physicians" in page
    form = {"stream": WP, "draw_date": "2026-12-01", "invitations": "5",
            "pathways": ["teer-0-3"], "regions": ["northern", "eastern"]}  # fmt: skip
    response = client.get("/staff/draws/preview/", form)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ontario Workforce Priority" in text
    assert "Workers in TEER 0-3 occupations" in text
    assert "Eastern Ontario, Northern Ontario (the 2026 region table" in text
    bad = client.post("/staff/draws/new/", {**form, "pathways": ["teer-0-3", "nope"]})
    assert bad.status_code == 400
    assert Draw.objects.count() == 0
    wrong = client.post(
        "/staff/draws/new/",
        {**form, "stream": "foreign-worker", "draw_date": "2025-09-03"},
    )
    assert wrong.status_code == 400
    assert "no pathways" in wrong.content.decode()
