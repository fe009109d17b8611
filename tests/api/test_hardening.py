"""No input makes the API or a page answer 500 (issue 14): each finding of the hardening
review, as the request that used to fail. Each must pass on SQLite and on PostgreSQL (NUL
characters and over-long values are refused by PostgreSQL only)."""

from __future__ import annotations

from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.core.pagination import MAX_OFFSET
from nominee.draws.models import Draw
from tests.dates import IN_2025, ON_DRAW_DAY_2025
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, IN_2025]

DEEP = "[" * 100_000 + "]" * 100_000


def _post(user: User | None, path: str, body: Any) -> Any:
    return client_for(user).post(path, body, content_type="application/json")


@pytest.mark.parametrize("path", ["/api/v1/score", "/api/v1/staff/draws/preview", "/api/v1/tokens"])
def test_json_nested_100000_deep_is_a_400_with_a_message(olivia: User, path: str) -> None:
    response = _post(olivia, path, DEEP)
    assert response.status_code == 400
    assert response.json()["message"]


def test_json_a_little_deep_but_valid_still_parses(olivia: User) -> None:
    nested: Any = "x"
    for _ in range(40):
        nested = {"n": nested}
    response = _post(olivia, "/api/v1/tokens", {"name": "deep", "extra": nested})
    assert response.status_code == 201, response.content


@ON_DRAW_DAY_2025  # a draw is proposed for its own day (decision 75)
def test_a_json_string_where_an_object_is_expected_is_refused(olivia: User, martin: User) -> None:
    body = {"stream": "foreign-worker", "draw_date": "2025-09-03", "invitations": 2}
    draw_id = _post(olivia, "/api/v1/staff/draws", body).json()["id"]
    for document in ['"cancel it"', "[]", "42", "null"]:
        response = _post(martin, f"/api/v1/staff/draws/{draw_id}/cancel", document)
        assert response.status_code == 400, (document, response.content)
    assert Draw.objects.get(pk=draw_id).status != "cancelled"
    assert _post(martin, f"/api/v1/staff/draws/{draw_id}/cancel", {}).status_code == 200


@pytest.mark.parametrize(
    "criteria",
    [
        {"registered_to": "9999-12-31"},
        {"registered_from": "0001-01-01", "registered_to": "0001-01-01"},
        {"draw_date": "9999-12-31"},
        {"draw_date": "9999-12-31", "registered_to": "9999-12-31"},
        {"draw_date": "0001-01-01"},
    ],
)
def test_draw_dates_at_the_ends_of_the_calendar_are_no_500(
    olivia: User, criteria: dict[str, str]
) -> None:
    for stream in ["foreign-worker", "workforce-priority"]:
        body = {"stream": stream, "invitations": 2, **criteria}
        response = _post(olivia, "/api/v1/staff/draws/preview", body)
        assert response.status_code in {200, 400, 422}, (body, response.content)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_pool_filters_at_the_ends_of_the_calendar(olivia: User, day: str) -> None:
    for name in ["registered_from", "registered_to"]:
        response = client_for(olivia).get("/api/v1/staff/eois", {name: day})
        assert response.status_code == 200, (name, response.content)


@pytest.mark.parametrize(
    "path",
    [
        "/draws/summary/9999/12/31/",
        "/draws/summary/0001/01/01/",
        "/draws/summary/9999/12/",
        "/draws/summary/0001/01/",
        "/draws/summary/9999/week/52/",
        "/draws/summary/0001/week/01/",
        "/draws/summary/9999/",
        "/draws/allocation/9999/",
    ],
)
def test_summary_pages_at_the_ends_of_the_calendar_are_404(path: str) -> None:
    assert client_for(None).get(path).status_code == 404


def test_summary_pages_of_a_program_year_still_answer() -> None:
    assert client_for(None).get("/draws/summary/2025/09/03/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/staff/draws", "/api/v1/staff/eois", "/api/v1/employers"])
@pytest.mark.parametrize("offset", [2**63, 2**64 + 1, 10**20])
def test_offsets_beyond_64_bits_are_a_400(olivia: User, path: str, offset: int) -> None:
    response = client_for(olivia).get(path, {"offset": offset})
    assert response.status_code == 400, response.content
    assert "offset" in response.json()["fields"]


def test_the_largest_offset_is_an_empty_page(olivia: User) -> None:
    response = client_for(olivia).get("/api/v1/staff/draws", {"offset": MAX_OFFSET})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "path", ["/api/v1/eois/FW-1%00", "/api/v1/job-offers/x%00y", "/api/v1/tokens/1%00"]
)
def test_a_nul_in_an_api_path_is_a_422(alice: User, path: str) -> None:
    response = client_for(alice).get(path)
    assert response.status_code == 422, response.content
    assert response.json()["fields"] == {"path": ["must not contain a NUL character"]}


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_login_with_a_username_over_255_characters_fails_as_any_wrong_login(
    settings: Any, path: str
) -> None:
    settings.AXES_ENABLED = True  # the lockout's record of the attempt was the 500
    from axes.models import AccessAttempt

    response = client_for(None).post(path, {"username": "a" * 300 + "@x.ca", "password": "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == ("a" * 300)[:255]


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_every_ref_of_the_openapi_document_resolves() -> None:
    document = client_for(None).get("/api/v1/openapi.json").json()
    refs = _refs(document)
    assert refs
    unresolved = []
    for ref in sorted(refs):
        node: Any = document
        assert ref.startswith("#/"), ref
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                unresolved.append(ref)
                break
            node = node[part]
    assert not unresolved
