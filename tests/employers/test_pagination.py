"""Staff and employer lists come a page at a time, with the total, and never cut short."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominee.accounts.models import User
from nominee.employers import views
from nominee.employers.models import JobOffer
from tests.dates import IN_2025, ON_DRAW_DAY_2025
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _offers(submit: Any, n: int) -> list[str]:
    return [
        submit(candidate_name=f"Candidate {i}", candidate_email=f"c{i}@example.com").public_id
        for i in range(n)
    ]


@IN_2025
def test_job_offers_come_newest_first_a_page_at_a_time(bob: User, submit: Any) -> None:
    ids = _offers(submit, 3)
    path = f"/api/v1/employers/{bobs_bakery(bob).pk}/job-offers"
    client = client_for(bob)
    first = client.get(path, {"limit": 2}).json()
    second = client.get(path, {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 3
    pages = [o["public_id"] for o in first["items"] + second["items"]]
    assert pages == ids[::-1]


def test_staff_see_every_employer_by_name_with_the_total(
    olivia: User, bob: User, dave: User
) -> None:
    body = client_for(olivia).get("/api/v1/employers", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 2
    assert [e["legal_name"] for e in body["items"]] == ["Dave's Dairy Ltd."]


@ON_DRAW_DAY_2025
def test_staff_draws_are_paged_newest_first(olivia: User) -> None:
    client = client_for(olivia)
    for day in ("2025-09-03", "2025-09-05", "2025-09-04"):
        body = {"stream": "foreign-worker", "draw_date": day, "invitations": 5}
        assert (
            client.post("/api/v1/staff/draws", body, content_type="application/json").status_code
            == 201
        )
    page = client.get("/api/v1/staff/draws", {"limit": 2}).json()
    assert page["count"] == 3
    assert [d["date"] for d in page["items"]] == ["2025-09-05", "2025-09-04"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"limit": 0}, {"limit"}),
        ({"limit": 501}, {"limit"}),
        ({"offset": -1}, {"offset"}),
        ({"limit": 0, "offset": -1}, {"limit", "offset"}),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/employers", "/api/v1/staff/draws", "/api/v1/staff/eois"])
def test_a_bad_page_is_refused_naming_each_bad_parameter(
    olivia: User, path: str, query: dict[str, int], fields: set[str]
) -> None:
    response = client_for(olivia).get(path, query)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == fields


@IN_2025
def test_the_staff_employer_page_pages_by_name_and_counts_the_review_queue(
    olivia: User, bob: User, dave: User, submit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "EMPLOYERS_PER_PAGE", 1)
    monkeypatch.setattr(views, "REVIEW_SHOWN", 1)
    for offer in _offers(submit, 2):
        JobOffer.objects.filter(public_id=offer).update(needs_review=True)
    client = client_for(olivia)
    first = client.get("/staff/employers/").content.decode()
    second = client.get("/staff/employers/", {"page": 2}).content.decode()
    assert "Bob&#x27;s Bakery" in first
    assert "Dave&#x27;s Dairy" not in first
    assert "Dave&#x27;s Dairy" in second
    assert "Showing 2 to 2 of 2" in second
    assert "The 1 oldest of 2 offers to review." in first


def test_a_page_of_employers_costs_the_same_queries_however_many_it_holds(
    olivia: User, bob: User, request: pytest.FixtureRequest
) -> None:
    client = client_for(olivia)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/employers").status_code == 200
            assert client.get("/staff/employers/").status_code == 200
        return len(captured)

    queries()  # the first answer also loads caches (reference data, the session)
    one = queries()
    request.getfixturevalue("dave")  # a second business, with its own location
    assert queries() == one
