"""The draws API: /api/v1/staff/draws... for staff, /api/v1/invitations for the invited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ, today
from nominee.draws.models import Draw
from nominee.eois.models import Candidate
from tests.dates import IN_2025, ON_DRAW_DAY_2025
from tests.draws.pools import eoi_row, save_all
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]

BODY = {"stream": "foreign-worker", "draw_date": "2025-09-03", "invitations": 2}


def _pool() -> None:
    base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
    save_all(
        eoi_row(registered_at=base + timedelta(hours=i), score=40 + i, external_id=f"FW-A{i}")
        for i in range(4)
    )


def _post(user: User | None, path: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(user).post(path, body or {}, content_type="application/json")


def test_the_two_person_flow_through_the_api(olivia: User, martin: User) -> None:
    _pool()
    proposed = _post(olivia, "/api/v1/staff/draws", {**BODY, "noc_codes": ["21231"]})
    assert proposed.status_code == 201, proposed.content
    draw_id = proposed.json()["id"]
    assert proposed.json()["nocs"][0]["code"] == "21231"
    assert _post(olivia, f"/api/v1/staff/draws/{draw_id}/execute").status_code == 409
    assert _post(olivia, f"/api/v1/staff/draws/{draw_id}/approve").status_code == 403
    assert _post(martin, f"/api/v1/staff/draws/{draw_id}/approve").status_code == 200
    executed = _post(olivia, f"/api/v1/staff/draws/{draw_id}/execute")
    assert executed.status_code == 200
    assert executed.json()["invited"] == ["FW-A3", "FW-A2"]
    again = _post(martin, f"/api/v1/staff/draws/{draw_id}/execute")
    assert again.status_code == 409
    assert again.json()["code"] == "draw.already_executed"
    assert "already executed" in again.json()["message"]
    invitations = client_for(martin).get(f"/api/v1/staff/draws/{draw_id}/invitations").json()
    assert [i["eoi"] for i in invitations] == ["FW-A3", "FW-A2"]


def test_a_preview_writes_nothing(olivia: User, audrey: User) -> None:
    _pool()
    response = _post(audrey, "/api/v1/staff/draws/preview", BODY)
    assert response.status_code == 200
    document = response.json()
    assert (document["eligible"], document["invitations"], document["executed"]) == (4, 2, False)
    assert document["allocation"]["year"] == 2025
    assert Draw.objects.count() == 0


def test_bad_criteria_get_a_message_per_field(olivia: User) -> None:
    response = _post(
        olivia, "/api/v1/staff/draws", {"stream": "foreign-worker", "regions": ["atlantis"]}
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "atlantis" in fields["regions"][0]
    assert fields["invitations"]
    assert _post(olivia, "/api/v1/staff/draws", {"invitations": 3}).status_code == 422


@pytest.mark.parametrize("persona", ["alice", "bob", "oscar"])
def test_the_staff_api_does_not_exist_for_others(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/api/v1/staff/draws").status_code == 404
    assert _post(user, "/api/v1/staff/draws", BODY).status_code == 404
    assert _post(user, "/api/v1/staff/draws/preview", BODY).status_code == 404


def test_auditors_read_but_do_not_act(olivia: User, audrey: User) -> None:
    draw_id = _post(olivia, "/api/v1/staff/draws", BODY).json()["id"]
    assert client_for(audrey).get("/api/v1/staff/draws").status_code == 200
    assert client_for(audrey).get(f"/api/v1/staff/draws/{draw_id}").status_code == 200
    assert _post(audrey, "/api/v1/staff/draws", BODY).status_code == 403
    for action in ("approve", "execute", "cancel"):
        assert _post(audrey, f"/api/v1/staff/draws/{draw_id}/{action}").status_code == 403


def test_anonymous_callers_must_authenticate() -> None:
    assert client_for(None).get("/api/v1/staff/draws").status_code == 401
    assert client_for(None).get("/api/v1/invitations").status_code == 401


@IN_2025
def test_a_candidate_sees_their_own_invitations(
    alice: User, oscar: User, olivia: User, martin: User
) -> None:
    day = today()
    base = datetime.combine(day - timedelta(days=30), time(9), tzinfo=PROGRAM_TZ)
    save_all(
        eoi_row(
            registered_at=base + timedelta(hours=i),
            score=40 + i,
            external_id=f"FW-A{i}",
            candidate=Candidate.objects.get(user=alice) if i == 3 else None,
        )
        for i in range(4)
    )
    body = {**BODY, "draw_date": day.isoformat()}
    draw_id = _post(olivia, "/api/v1/staff/draws", body).json()["id"]
    _post(martin, f"/api/v1/staff/draws/{draw_id}/approve")
    _post(martin, f"/api/v1/staff/draws/{draw_id}/execute")
    mine = client_for(alice).get("/api/v1/invitations").json()
    assert [i["eoi"] for i in mine] == ["FW-A3"]
    assert mine[0]["status"] == "open"
    assert mine[0]["employer_deadline"]
    assert client_for(oscar).get("/api/v1/invitations").json() == []
