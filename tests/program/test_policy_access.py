"""Who reaches the policy versions: the page, the API and ``nominee policy``, per persona.

Managers publish; officers and auditors read the page; the API's list is public; nobody
else publishes, on any face.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from nominee.accounts.services import create_api_token
from nominee.audit.models import AuditEvent
from nominee.program import policy_source
from nominee.program.models import PolicyVersion
from nominee.scoring.grids import grid_for
from tests.personas import client_for

from .policy_helpers import later, permit_grid

pytestmark = pytest.mark.django_db

NOT_MANAGERS = ["alice", "bob", "carol", "olivia", "audrey", "oscar", "ursula"]
READERS = ["olivia", "martin", "audrey"]


def _user(request: pytest.FixtureRequest, persona: str) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def _form(day: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "grid",
        "effective_from": day.isoformat(),
        "reason": "Permit points rebalanced",
        "document": json.dumps(permit_grid(day)),
        **overrides,
    }


# ---- the page -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_staff_read_the_versions_and_their_documents(
    request: pytest.FixtureRequest, persona: str
) -> None:
    client = client_for(_user(request, persona))
    page = client.get("/staff/policy/")
    assert page.status_code == 200
    assert "In force" in page.content.decode()
    grid = PolicyVersion.objects.filter(kind="grid").first()
    assert grid is not None
    detail = client.get(f"/staff/policy/grid/{grid.effective_from.isoformat()}/")
    assert detail.status_code == 200
    assert "&quot;factors&quot;" in detail.content.decode()
    assert ("Publish a new version" in page.content.decode()) == (persona == "martin")


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "oscar"])
def test_others_do_not_see_the_page(request: pytest.FixtureRequest, persona: str) -> None:
    client = client_for(_user(request, persona))
    assert client.get("/staff/policy/").status_code == 404
    assert client.get("/staff/policy/publish/").status_code == 404


def test_anonymous_is_sent_to_sign_in() -> None:
    response = client_for(None).get("/staff/policy/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("persona", ["olivia", "audrey"])
def test_officers_and_auditors_may_not_publish_on_the_page(
    request: pytest.FixtureRequest, persona: str
) -> None:
    client = client_for(_user(request, persona))
    before = PolicyVersion.objects.count()
    assert client.get("/staff/policy/publish/").status_code == 403
    response = client.post("/staff/policy/publish/", _form(later()) | {"confirm": "True"})
    assert response.status_code == 403
    assert PolicyVersion.objects.count() == before


def test_a_manager_previews_then_confirms_on_the_page(martin: Any) -> None:
    client = client_for(martin)
    day = later()
    before = PolicyVersion.objects.count()
    preview = client.post("/staff/policy/publish/", _form(day))
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "permit: work" in text
    assert "Confirm and publish" in text
    assert PolicyVersion.objects.count() == before  # the preview wrote nothing
    done = client.post("/staff/policy/publish/", _form(day) | {"confirm": "True"})
    assert done.status_code == 302
    assert PolicyVersion.objects.filter(kind="grid", effective_from=day, author=martin).exists()
    client.get("/staff/policy/")  # the next request installs it
    assert grid_for(day).label == day.isoformat()


def test_the_page_puts_refusals_next_to_their_fields(martin: Any) -> None:
    client = client_for(martin)
    bad = permit_grid(later())
    bad["factors"]["permit"]["max"] = 99
    response = client.post("/staff/policy/publish/", _form(later(), effective_from="2020-01-01"))
    assert response.status_code == 400
    assert "after today" in response.content.decode()
    response = client.post("/staff/policy/publish/", _form(later(), reason=""))
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post("/staff/policy/publish/", _form(later(), document=json.dumps(bad)))
    assert response.status_code == 400
    assert "max is 99" in response.content.decode()
    response = client.post("/staff/policy/publish/", _form(later(), document="{not json"))
    assert response.status_code == 400
    assert "Not valid JSON" in response.content.decode()


# ---- the API --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*NOT_MANAGERS, "martin", "anonymous"])
def test_everyone_lists_the_versions(request: pytest.FixtureRequest, persona: str) -> None:
    response = client_for(_user(request, persona)).get("/api/v1/policy/versions")
    assert response.status_code == 200
    assert {row["kind"] for row in response.json()} == {"registry", "policy", "grid"}
    day = response.json()[0]["effective_from"]
    kind = response.json()[0]["kind"]
    one = client_for(None).get(f"/api/v1/policy/versions/{kind}/{day}")
    assert one.status_code == 200
    assert "document" in one.json()


def _body(day: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "grid",
        "effective_from": day.isoformat(),
        "document": permit_grid(day),
        "reason": "Permit points rebalanced",
        **overrides,
    }


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_only_managers_preview_and_publish_through_the_api(
    request: pytest.FixtureRequest, persona: str
) -> None:
    client = client_for(_user(request, persona))
    before = PolicyVersion.objects.count()
    for path in ("/api/v1/policy/preview", "/api/v1/policy/versions"):
        response = client.post(path, _body(later()), content_type="application/json")
        assert response.status_code == 403, (path, response.content)
    assert PolicyVersion.objects.count() == before


def test_anonymous_is_unauthenticated_on_the_api() -> None:
    response = client_for(None).post(
        "/api/v1/policy/versions", _body(later()), content_type="application/json"
    )
    assert response.status_code == 401


def test_a_manager_publishes_with_a_token(martin: Any) -> None:
    _row, token = create_api_token(user=martin, name="policy")
    client = client_for(None)
    headers = {"Authorization": f"Bearer {token}"}
    day = later()
    preview = client.post(
        "/api/v1/policy/preview", _body(day), content_type="application/json", headers=headers
    )
    assert preview.status_code == 200
    assert preview.json()["changes"]
    done = client.post(
        "/api/v1/policy/versions", _body(day), content_type="application/json", headers=headers
    )
    assert done.status_code == 201, done.content
    assert done.json()["state"] == "scheduled"
    again = client.post(
        "/api/v1/policy/versions", _body(day), content_type="application/json", headers=headers
    )
    assert again.status_code == 409
    refused = client.post(
        "/api/v1/policy/versions",
        _body(later(40), reason="", effective_from="2020-01-01"),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) >= {"reason", "effective_from"}


# ---- the command ----------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("policy", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _file(tmp_path: Path, day: Any) -> str:
    path = tmp_path / "grid.json"
    path.write_text(json.dumps(permit_grid(day)))
    return str(path)


def test_the_command_lists_and_shows() -> None:
    listing = _run("list")
    assert "in force" in listing
    assert "grid" in listing
    grid = PolicyVersion.objects.filter(kind="grid").first()
    assert grid is not None
    shown = json.loads(_run("show", "--kind", "grid", "--date", grid.effective_from.isoformat()))
    assert shown == grid.document


def test_the_dry_run_prints_the_preview_and_writes_nothing(martin: Any, tmp_path: Path) -> None:
    day = later()
    before = (PolicyVersion.objects.count(), AuditEvent.objects.count())
    out = _run(
        "publish", "--kind", "grid", _file(tmp_path, day), "--effective", day.isoformat(),
        "--reason", "x", "--as", "martin@example.com", "--dry-run",
    )  # fmt: skip
    assert "permit: work: 10 -> 15" in out
    assert "live EOIs" in out
    assert (PolicyVersion.objects.count(), AuditEvent.objects.count()) == before


def test_a_manager_publishes_from_the_command(martin: Any, tmp_path: Path) -> None:
    day = later()
    out = _run(
        "publish", "--kind", "grid", _file(tmp_path, day), "--effective", day.isoformat(),
        "--reason", "rebalanced", "--as", "martin@example.com",
    )  # fmt: skip
    assert "published" in out
    version = PolicyVersion.objects.get(kind="grid", effective_from=day)
    assert version.author == martin
    policy_source.ensure_fresh()
    assert grid_for(day).label == day.isoformat()


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_the_command_refuses_anyone_else(
    request: pytest.FixtureRequest, persona: str, tmp_path: Path
) -> None:
    user = _user(request, persona)
    day = later()
    with pytest.raises(CommandError) as raised:
        _run(
            "publish", "--kind", "grid", _file(tmp_path, day), "--effective", day.isoformat(),
            "--reason", "x", "--as", user.email,
        )  # fmt: skip
    assert raised.value.returncode == 2
    assert not PolicyVersion.objects.filter(effective_from=day).exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--effective", "2020-01-01", "--reason", "x"],
        ["--effective", "not-a-date", "--reason", "x"],
        ["--reason", "", "--effective", "LATER"],
        ["--reason", "x", "--effective", "LATER", "--as", "nobody@example.com"],
    ],
)
def test_bad_input_exits_2(tmp_path: Path, args: list[str]) -> None:
    day = later()
    args = [a.replace("LATER", day.isoformat()) for a in args]
    with pytest.raises(CommandError) as raised:
        _run("publish", "--kind", "grid", _file(tmp_path, day), *args)
    assert raised.value.returncode == 2


def test_a_file_that_is_not_json_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    with pytest.raises(CommandError) as raised:
        _run("publish", "--kind", "grid", str(path), "--effective", later().isoformat())
    assert raised.value.returncode == 2
