"""Who is drawn: the SQL selection against a plain-Python reference, and its edges."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nominee.core.timeutil import PROGRAM_TZ, end_of, start_of
from nominee.draws.selection import count_eligible, ranked_digest, select
from nominee.eois.models import EOI
from tests.draws.pools import criteria, eoi_row, reference_selection, save_all

pytestmark = pytest.mark.django_db

D = date(2025, 9, 3)


def _at(day: date, hour: int = 10, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second, micro), tzinfo=PROGRAM_TZ)


def _ids(c: object) -> list[str]:
    return [row.external_id for row in select(c)]  # type: ignore[arg-type]


# ---------------------------------------------------------------- the reference, at random

DRAW_DATES = [date(2025, 9, 3), date(2025, 11, 2), date(2026, 3, 8), date(2026, 7, 2)]
DAY_OFFSETS = [-367, -366, -365, -364, -200, -61, -60, -59, -1, 0, 1]
TIMES = [
    time(0, 0),
    time(0, 0, 0, 1),
    time(1, 30),
    time(9, 30),
    time(9, 30),
    time(23, 59, 59, 999999),
]
WINDOW_OFFSETS = [None, -366, -365, -60, -59, -1, 0]

eoi_facts = st.fixed_dictionaries(
    {
        "stream": st.sampled_from(
            ["foreign-worker", "foreign-worker", "masters", "workforce-priority"]
        ),
        "pathway": st.sampled_from(["teer-0-3", "teer-4-5", "physician"]),
        "day": st.sampled_from(DAY_OFFSETS),
        "time": st.sampled_from(TIMES),
        "score": st.integers(min_value=40, max_value=44),
        "status": st.sampled_from(["active"] * 6 + ["invited", "withdrawn", "ineligible"]),
        "is_legacy": st.sampled_from([False] * 5 + [True]),
        "noc": st.sampled_from(["21231", "31301", "10011"]),
        "cd": st.sampled_from(
            [("3520", "toronto"), ("3553", "northern"), ("3506", "other"), ("3544", "other")]
        ),
        "in_canada": st.booleans(),
        "education": st.sampled_from([None, "bachelors", "graduate-certificate", "masters"]),
        "french": st.sampled_from([None, 5, 7, 9]),
    }
)

criteria_facts = st.fixed_dictionaries(
    {
        "stream": st.sampled_from(["foreign-worker", "masters", "workforce-priority"]),
        "pathways": st.sampled_from([(), ("physician",), ("teer-0-3", "teer-4-5")]),
        "date": st.sampled_from(DRAW_DATES),
        "invitations": st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
        "min_score": st.one_of(st.none(), st.integers(min_value=40, max_value=45)),
        "nocs": st.sampled_from([(), ("21231",), ("21231", "31301")]),
        "regions": st.sampled_from(
            [(), ("northern",), ("toronto", "other"), ("eastern",), ("central", "other")]
        ),
        "cds": st.sampled_from([(), ("3553",), ("3506",)]),
        "from": st.sampled_from(WINDOW_OFFSETS),
        "to": st.sampled_from(WINDOW_OFFSETS),
        "in_canada": st.booleans(),
        "education": st.sampled_from([None, "bachelors", "masters"]),
        "french": st.sampled_from([None, 7]),
    }
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    pool=st.lists(eoi_facts, min_size=0, max_size=30),
    facts=criteria_facts,
)
def test_it_selects_exactly_what_the_reference_selects(
    pool: list[dict[str, object]], facts: dict[str, object]
) -> None:
    EOI.objects.all().delete()
    day = facts["date"]
    assert isinstance(day, date)
    employer = facts["stream"] != "masters"
    rows = []
    for item in pool:
        registered = datetime.combine(
            day + timedelta(days=item["day"]),  # type: ignore[arg-type]
            item["time"],  # type: ignore[arg-type]
            tzinfo=PROGRAM_TZ,
        )
        cd, region = item["cd"]  # type: ignore[misc]
        employer_row = item["stream"] != "masters"
        rows.append(
            eoi_row(
                registered_at=registered,
                stream=item["stream"],  # type: ignore[arg-type]
                score=item["score"],  # type: ignore[arg-type]
                status=item["status"],  # type: ignore[arg-type]
                is_legacy=item["is_legacy"],  # type: ignore[arg-type]
                noc=item["noc"] if employer_row else None,  # type: ignore[arg-type]
                census_division=cd if employer_row else None,
                region=region if employer_row else None,
                in_canada=item["in_canada"],  # type: ignore[arg-type]
                education_level=item["education"],  # type: ignore[arg-type]
                french_clb=item["french"],  # type: ignore[arg-type]
                pathway=item["pathway"] if item["stream"] == "workforce-priority" else None,
            )
        )
    saved = save_all(rows)
    window_from = facts["from"]
    window_to = facts["to"]
    c = criteria(
        stream=facts["stream"],
        draw_date=day,
        invitations=facts["invitations"],
        min_score=facts["min_score"],
        noc_codes=facts["nocs"] if employer else (),
        pathways=facts["pathways"] if facts["stream"] == "workforce-priority" else (),
        regions=facts["regions"] if employer else (),
        census_divisions=facts["cds"] if employer else (),
        registered_from=day + timedelta(days=window_from) if window_from is not None else None,  # type: ignore[operator]
        registered_to=day + timedelta(days=window_to) if window_to is not None else None,  # type: ignore[operator]
        in_canada_only=facts["in_canada"],
        min_education=facts["education"],
        min_french_clb=facts["french"],
    )
    expected = reference_selection(saved, c)
    assert _ids(c) == expected.ranked
    assert count_eligible(c) == expected.eligible


# ---------------------------------------------------------------- the edges, one by one


def test_it_draws_an_eoi_registered_in_the_last_instant_of_the_draw_date() -> None:
    save_all([eoi_row(registered_at=end_of(D) - timedelta(microseconds=1), external_id="LAST")])
    assert _ids(criteria(invitations=5)) == ["LAST"]


def test_it_never_draws_an_eoi_registered_after_the_draw_date() -> None:
    save_all([eoi_row(registered_at=end_of(D), external_id="NEXT-DAY")])
    assert _ids(criteria(invitations=5)) == []
    assert count_eligible(criteria(invitations=5)) == 0


def test_it_does_not_draw_an_eoi_that_expires_on_the_draw_date() -> None:
    # Registered 2024-09-03 00:00:01: expires 2025-09-03 00:00:01, a date not after D.
    registered = start_of(date(2025, 9, 3) - timedelta(days=365)) + timedelta(seconds=1)
    save_all([eoi_row(registered_at=registered, stream="masters", external_id="EXPIRES-ON-D")])
    assert _ids(criteria(stream="masters", invitations=5)) == []


def test_it_draws_an_eoi_that_expires_the_day_after_the_draw_date() -> None:
    registered = end_of(date(2024, 9, 3)) - timedelta(microseconds=1)  # 2024-09-03 23:59:59.999999
    save_all([eoi_row(registered_at=registered, stream="masters", external_id="EXPIRES-D+1")])
    # Expires 2025-09-03 23:59:59.999999: on D, so not drawn on D ...
    assert _ids(criteria(stream="masters", invitations=5)) == []
    # ... but drawn on the day before, when its expiry (D) falls after the draw date.
    day_before = criteria(stream="masters", invitations=5, draw_date=date(2025, 9, 2))
    assert _ids(day_before) == ["EXPIRES-D+1"]


def test_the_registration_window_includes_both_whole_days() -> None:
    first, last = date(2025, 8, 1), date(2025, 8, 31)
    save_all(
        [
            eoi_row(
                registered_at=start_of(first) - timedelta(microseconds=1), external_id="BEFORE"
            ),
            eoi_row(registered_at=start_of(first), external_id="FIRST"),
            eoi_row(registered_at=end_of(last) - timedelta(microseconds=1), external_id="LAST"),
            eoi_row(registered_at=end_of(last), external_id="AFTER"),
        ]
    )
    c = criteria(invitations=10, registered_from=first, registered_to=last)
    assert _ids(c) == ["FIRST", "LAST"]
    assert count_eligible(c) == 2


def test_it_never_draws_legacy_eois() -> None:
    save_all(
        [
            eoi_row(registered_at=_at(date(2025, 7, 1), 23, 59), external_id="PRE-REFORM"),
            eoi_row(registered_at=_at(date(2025, 7, 15)), is_legacy=True, external_id="FLAGGED"),
            eoi_row(registered_at=start_of(date(2025, 7, 2)), external_id="REFORM-DAY"),
        ]
    )
    assert _ids(criteria(invitations=10)) == ["REFORM-DAY"]


def test_it_draws_only_active_eois() -> None:
    registered = _at(date(2025, 8, 1))
    save_all(
        [
            eoi_row(registered_at=registered, status=status, external_id=status)
            for status in ("active", "invited", "withdrawn", "ineligible")
        ]
    )
    assert _ids(criteria(invitations=10)) == ["active"]


def test_ties_go_to_the_earliest_registration_then_the_lowest_id() -> None:
    early, late = _at(date(2025, 8, 1), 9), _at(date(2025, 8, 2), 9)
    save_all(
        [
            eoi_row(registered_at=late, score=50, external_id="LATE"),
            eoi_row(registered_at=early, score=50, external_id="EARLY-1"),
            eoi_row(registered_at=early, score=50, external_id="EARLY-2"),
            eoi_row(registered_at=late, score=51, external_id="HIGHER"),
        ]
    )
    assert _ids(criteria(invitations=3)) == ["HIGHER", "EARLY-1", "EARLY-2"]


def test_a_minimum_score_and_a_count_take_the_top_n_of_those_above() -> None:
    registered = _at(date(2025, 8, 1))
    save_all(
        [eoi_row(registered_at=registered, score=s, external_id=f"S{s}") for s in (40, 45, 50, 55)]
    )
    assert _ids(criteria(min_score=45)) == ["S55", "S50", "S45"]
    assert _ids(criteria(min_score=45, invitations=2)) == ["S55", "S50"]
    assert count_eligible(criteria(min_score=45, invitations=2)) == 4


def test_regions_and_census_divisions_target_any_of_them() -> None:
    registered = _at(date(2025, 8, 1))
    save_all(
        [
            eoi_row(
                registered_at=registered, census_division="3553", region="northern", external_id="N"
            ),
            eoi_row(
                registered_at=registered, census_division="3506", region="other", external_id="OTT"
            ),
            eoi_row(registered_at=registered, external_id="TOR"),
        ]
    )
    c = criteria(invitations=5, regions=["northern"], census_divisions=["3506"])
    assert sorted(_ids(c)) == ["N", "OTT"]


def test_the_digest_changes_with_the_ranked_list() -> None:
    registered = _at(date(2025, 8, 1))
    save_all([eoi_row(registered_at=registered, score=s) for s in (50, 51)])
    rows = select(criteria(invitations=2))
    assert len(ranked_digest(rows)) == 64
    assert ranked_digest(rows) == ranked_digest(list(rows))
    assert ranked_digest(rows) != ranked_digest(list(reversed(rows)))


# ---------------------------------------------------------------- the plan


def _plan_pool(count: int) -> None:
    nocs = [f"{n:05d}" for n in range(21200, 21300)]
    base = start_of(date(2025, 7, 2))
    save_all(
        eoi_row(
            registered_at=base + timedelta(minutes=37 * i),
            stream=["foreign-worker", "international-student", "masters"][i % 3],
            score=30 + (i * 7919) % 47,
            noc=nocs[i % len(nocs)],
        )
        for i in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.parametrize("min_score", [None, 40])
def test_the_selection_walks_the_draw_index_without_sorting(min_score: int | None) -> None:
    _plan_pool(6000)
    nocs = [f"{n:05d}" for n in range(21200, 21277)]
    c = criteria(
        invitations=200,
        min_score=min_score,
        noc_codes=nocs,
        registered_from=date(2025, 7, 2),
        registered_to=date(2025, 9, 3),
    )
    from nominee.draws.selection import explain_selection

    plan = explain_selection(c)
    assert "eoi_draw_order" in plan, plan
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan.upper(), plan
    else:
        assert "Sort" not in plan, plan
        assert "Seq Scan" not in plan, plan
