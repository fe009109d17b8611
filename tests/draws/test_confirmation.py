"""Approving, executing and cancelling a draw from its page asks first (decision 73b), and
the preview keeps the CSRF token out of its address (decision 73c)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nominee.accounts.models import User
from nominee.draws import services
from nominee.draws.models import Draw, Invitation
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria
from tests.draws.test_pages import CONFIRM, FORM, _pool
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]

SRC = Path(__file__).resolve().parents[2] / "src" / "nominee"


def _proposed(olivia: User) -> Draw:
    return services.propose_draw(actor=olivia, criteria=criteria(invitations=2))


def test_executing_without_the_confirmation_restates_it_and_does_nothing(
    olivia: User, martin: User
) -> None:
    _pool()
    draw = services.approve_draw(actor=martin, draw=_proposed(olivia))
    officer = client_for(olivia)
    for response in (
        officer.get(f"/staff/draws/{draw.pk}/execute/"),
        officer.post(f"/staff/draws/{draw.pk}/execute/"),
        officer.post(f"/staff/draws/{draw.pk}/execute/", {"confirm": "on"}),
    ):
        assert response.status_code == 200
        text = response.content.decode()
        assert f"Draw {draw.pk} will invite 2 candidates of" in text
        assert "This cannot be undone." in text
        assert 'name="confirm" value="yes"' in text
    draw.refresh_from_db()
    assert draw.status == "approved"
    assert not Invitation.objects.exists()
    done = officer.post(f"/staff/draws/{draw.pk}/execute/", CONFIRM)
    assert done.status_code == 302
    draw.refresh_from_db()
    assert draw.status == "executed"
    assert Invitation.objects.count() == 2


def test_approving_asks_first(olivia: User, martin: User) -> None:
    _pool()
    draw = _proposed(olivia)
    manager = client_for(martin)
    page = manager.post(f"/staff/draws/{draw.pk}/approve/")
    assert page.status_code == 200
    assert f"Your approval lets draw {draw.pk} be executed." in page.content.decode()
    draw.refresh_from_db()
    assert draw.status == "proposed"
    assert manager.post(f"/staff/draws/{draw.pk}/approve/", CONFIRM).status_code == 302
    draw.refresh_from_db()
    assert (draw.status, draw.approved_by) == ("approved", martin)


def test_cancelling_asks_first_and_carries_the_reason(olivia: User) -> None:
    draw = _proposed(olivia)
    client = client_for(olivia)
    page = client.post(f"/staff/draws/{draw.pk}/cancel/", {"reason": "a duplicate"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "The reason recorded: a duplicate" in text
    assert 'name="reason" value="a duplicate"' in text
    draw.refresh_from_db()
    assert draw.status == "proposed"
    client.post(f"/staff/draws/{draw.pk}/cancel/", {"reason": "a duplicate", **CONFIRM})
    draw.refresh_from_db()
    assert draw.status == "cancelled"
    assert "a duplicate" in draw.note


@pytest.mark.parametrize("action", ["approve", "execute", "cancel"])
def test_the_confirmation_changes_no_permission(
    action: str, olivia: User, martin: User, audrey: User, alice: User
) -> None:
    draw = _proposed(olivia)
    assert client_for(audrey).get(f"/staff/draws/{draw.pk}/{action}/").status_code == 403
    assert client_for(audrey).post(f"/staff/draws/{draw.pk}/{action}/", CONFIRM).status_code == 403
    assert client_for(alice).get(f"/staff/draws/{draw.pk}/{action}/").status_code == 404
    assert client_for(alice).post(f"/staff/draws/{draw.pk}/{action}/", CONFIRM).status_code == 404
    # The proposer may not approve their own draw, confirmed or not (two-person rule).
    if action == "approve":
        client_for(olivia).post(f"/staff/draws/{draw.pk}/approve/", CONFIRM)
    draw.refresh_from_db()
    assert draw.status == "proposed"


def test_the_preview_posts_and_keeps_the_token_out_of_its_address(olivia: User) -> None:
    _pool()
    client = client_for(olivia)
    form = client.get("/staff/draws/new/").content.decode()
    preview_button = re.search(r"<button[^>]*formaction=\"/staff/draws/preview/\"[^>]*>", form)
    assert preview_button is not None
    assert "formmethod" not in preview_button.group(0)
    assert re.search(r'<form method="post" action="/staff/draws/new/"', form)
    response = client.post("/staff/draws/preview/", {**FORM, "preview": "1"})
    assert response.status_code == 200
    assert "Cut-off score" in response.content.decode()
    assert response.request["PATH_INFO"] == "/staff/draws/preview/"
    assert "csrfmiddlewaretoken" not in response.request.get("QUERY_STRING", "")
    assert Draw.objects.count() == 0


FORM_TAG = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
GET_SUBMIT = re.compile(r"formmethod=[\"']?get", re.I)


def _is_get(tag: str) -> bool:
    opening = tag[: tag.index(">") + 1].lower()
    method = re.search(r"method=[\"']?(\w+)", opening)
    return method is None or method.group(1) == "get"


def test_no_get_form_of_any_template_carries_a_csrf_token() -> None:
    templates = sorted(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 50
    offenders = []
    for path in templates:
        text = path.read_text()
        for tag in FORM_TAG.findall(text):
            token = "csrf_token" in tag or "csrfmiddlewaretoken" in tag
            if token and (_is_get(tag) or GET_SUBMIT.search(tag)):
                offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_the_scan_finds_a_get_form_with_a_token() -> None:
    bad = '<form method="get">{% csrf_token %}<input name="q"></form>'
    also_bad = '<form method="post">{% csrf_token %}<button formmethod="get">Go</button></form>'
    good = '<form method="post">{% csrf_token %}<button>Go</button></form>'
    found = [
        tag
        for text in (bad, also_bad, good)
        for tag in FORM_TAG.findall(text)
        if "csrf_token" in tag and (_is_get(tag) or GET_SUBMIT.search(tag))
    ]
    assert found == [bad, also_bad]
