"""The faces of the closed-stream withdrawal: the staff page, the API and the command,
each persona refused or allowed, on a pool with a closed stream."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nominee.eois.models import EOI
from nominee.program.models import ProgramChange
from tests.closing import closed
from tests.personas import client_for

from .closing_world import CLOSING, Pool, closing_pool

pytestmark = pytest.mark.django_db

OTHERS = ["alice", "bob", "carol", "olivia", "audrey", "oscar", "ursula"]
LIST = "/staff/closed-streams/"
CONFIRM = "/staff/closed-streams/foreign-worker/withdraw/"
API_LIST = "/api/v1/staff/closed-streams"
API_WITHDRAW = "/api/v1/staff/closed-streams/foreign-worker/withdraw"


@pytest.fixture
def pool(alice, bob, carol) -> Pool:  # type: ignore[no-untyped-def]
    return closing_pool(alice, bob, carol)


def _withdrawn() -> int:
    return EOI.objects.filter(status=EOI.Status.WITHDRAWN).count()


def test_a_manager_previews_confirms_and_sees_the_result(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    client = client_for(martin)
    with closed("foreign-worker", on=CLOSING):
        hub = client.get("/staff/").content.decode()
        assert LIST in hub
        listing = client.get(LIST)
        assert listing.status_code == 200
        html = listing.content.decode()
        assert "Employer Job Offer: Foreign Worker" in html
        assert ">3<" in html
        confirm = client.get(CONFIRM)
        assert confirm.status_code == 200
        text = confirm.content.decode()
        assert "withdraw 3 expressions of interest" in text
        assert "release 1 job offer" in text
        assert _withdrawn() == 1
        unconfirmed = client.post(CONFIRM, {})
        assert unconfirmed.status_code == 400
        assert _withdrawn() == 1
        done = client.post(CONFIRM, {"confirm": "on"}, follow=True)
        assert done.status_code == 200
        assert "3 EOIs of Employer Job Offer: Foreign Worker withdrawn" in done.content.decode()
        assert _withdrawn() == 4
        again = client.post(CONFIRM, {"confirm": "on"}, follow=True)
        assert "nothing was changed" in again.content.decode()
    assert ProgramChange.objects.count() == 1


def test_the_hub_links_the_page_for_managers_only(pool: Pool, olivia) -> None:  # type: ignore[no-untyped-def]
    assert LIST not in client_for(olivia).get("/staff/").content.decode()


def test_an_open_stream_is_refused_on_the_page(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    response = client_for(martin).get("/staff/closed-streams/workforce-priority/withdraw/")
    assert response.status_code == 400
    assert "not closed" in response.content.decode()
    assert client_for(martin).get("/staff/closed-streams/nope/withdraw/").status_code == 404


@pytest.mark.parametrize("who", [*OTHERS, None])
def test_the_page_refuses_everyone_else(pool: Pool, who: str | None, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    with closed("foreign-worker", on=CLOSING):
        page = client.get(LIST)
        post = client.post(CONFIRM, {"confirm": "on"})
    if user is None:
        assert page.status_code == 302  # to the login page
        assert post.status_code == 302
    elif who in ("olivia", "audrey"):
        assert (page.status_code, post.status_code) == (403, 403)
    elif who == "ursula":  # unconfirmed: sent to confirm the address first, posts refused
        assert (page.status_code, post.status_code) == (302, 403)
    else:
        assert (page.status_code, post.status_code) == (404, 404)
    assert _withdrawn() == 1


def test_the_api_previews_and_withdraws_for_a_manager(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    client = client_for(martin)
    with closed("foreign-worker", on=CLOSING):
        listing = client.get(API_LIST).json()
        fw = [row for row in listing if row["stream"] == "foreign-worker"]
        assert fw == [
            {
                "stream": "foreign-worker",
                "stream_name": "Employer Job Offer: Foreign Worker",
                "closed_on": "2026-05-30",
                "count": 3,
            }
        ]
        dry = client.post(
            API_WITHDRAW, json.dumps({"dry_run": True}), content_type="application/json"
        )
        assert dry.status_code == 200
        assert (dry.json()["withdrawn"], dry.json()["dry_run"]) == (3, True)
        assert _withdrawn() == 1
        done = client.post(API_WITHDRAW, "{}", content_type="application/json")
        assert done.status_code == 200
        assert done.json()["withdrawn"] == 3
        assert done.json()["job_offers_released"] == 1
        again = client.post(API_WITHDRAW, content_type="application/json")
        assert again.json()["withdrawn"] == 0
        open_stream = client.post(
            "/api/v1/staff/closed-streams/workforce-priority/withdraw",
            content_type="application/json",
        )
    assert open_stream.status_code in (400, 422)
    assert "stream" in open_stream.json()["fields"]


@pytest.mark.parametrize("who", [*OTHERS, None])
def test_the_api_refuses_everyone_else(pool: Pool, who: str | None, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    with closed("foreign-worker", on=CLOSING):
        listing = client.get(API_LIST)
        post = client.post(API_WITHDRAW, "{}", content_type="application/json")
    expected = 401 if user is None else 403
    assert (listing.status_code, post.status_code) == (expected, expected)
    assert _withdrawn() == 1


def _command(*args: str) -> str:
    out = StringIO()
    call_command("eoi", "withdraw-closed", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_count(pool: Pool, martin) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING):
        dry = _command("--stream", "foreign-worker", "--dry-run", "--as", "martin@example.com")
        assert "3 EOIs of Employer Job Offer: Foreign Worker" in dry
        assert "would be withdrawn" in dry
        assert _withdrawn() == 1
        done = _command("--stream", "foreign-worker", "--as", "martin@example.com")
        assert done.startswith("3 EOIs of Employer Job Offer: Foreign Worker withdrawn")
        again = _command("--stream", "foreign-worker")
        assert again.startswith("0 EOIs withdrawn")


@pytest.mark.parametrize(
    "args",
    [
        ("--stream", "foreign-worker", "--as", "olivia@example.com"),  # an officer
        ("--stream", "foreign-worker", "--as", "alice@example.com"),  # a candidate
        ("--stream", "foreign-worker", "--as", "nobody@example.com"),  # no account
        ("--stream", "no-such-stream", "--as", "martin@example.com"),
        ("--stream", "workforce-priority", "--as", "martin@example.com"),  # open today
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(pool: Pool, olivia, martin, args) -> None:  # type: ignore[no-untyped-def]
    with closed("foreign-worker", on=CLOSING), pytest.raises(CommandError) as refused:
        _command(*args)
    assert refused.value.returncode == 2
    assert _withdrawn() == 1
