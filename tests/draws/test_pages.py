"""The officer pages: who sees them, and proposing, previewing, approving, executing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client

from nominee.accounts.models import User
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws import services
from nominee.draws.models import Draw, Invitation
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]

CONFIRM = {"confirm": "yes"}

FORM = {
    "stream": "foreign-worker",
    "draw_date": "2025-09-03",
    "invitations": "2",
    "occupation_list": "",
    "noc_codes": "21231",
    "registered_from": "2025-07-02",
    "registered_to": "2025-09-03",
}


def _pool() -> None:
    base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
    save_all(
        eoi_row(registered_at=base + timedelta(hours=i), score=40 + i, external_id=f"FW-P{i}")
        for i in range(4)
    )


def _draw(olivia: User) -> Draw:
    return services.propose_draw(actor=olivia, criteria=criteria(invitations=2))


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "oscar"])
def test_the_pages_do_not_exist_for_anyone_but_staff(
    persona: str, request: pytest.FixtureRequest, olivia: User
) -> None:
    draw = _draw(olivia)
    client = client_for(request.getfixturevalue(persona))
    for url in ("/staff/draws/", "/staff/draws/new/", f"/staff/draws/{draw.pk}/"):
        assert client.get(url).status_code == 404, url
    for action in ("approve", "execute", "cancel"):
        assert client.post(f"/staff/draws/{draw.pk}/{action}/", CONFIRM).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/staff/draws/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_auditor_reads_and_changes_nothing(olivia: User, martin: User, audrey: User) -> None:
    _pool()
    draw = services.approve_draw(actor=martin, draw=_draw(olivia))
    client = client_for(audrey)
    assert client.get("/staff/draws/").status_code == 200
    page = client.get(f"/staff/draws/{draw.pk}/")
    assert page.status_code == 200
    assert b"Execute the draw" not in page.content
    assert client.get("/staff/draws/new/").status_code == 403
    assert client.post("/staff/draws/new/", FORM).status_code == 403
    for action in ("approve", "execute", "cancel"):
        assert client.post(f"/staff/draws/{draw.pk}/{action}/", CONFIRM).status_code == 403
    draw.refresh_from_db()
    assert draw.status == "approved"


def test_a_preview_shows_the_cut_off_and_writes_nothing(olivia: User) -> None:
    _pool()
    response = client_for(olivia).get("/staff/draws/preview/", FORM)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cut-off score" in text
    assert "21231" in text
    assert "Allocation 2025" in text
    assert Draw.objects.count() == 0


def test_a_bad_form_comes_back_with_a_message_per_field(olivia: User) -> None:
    response = client_for(olivia).post(
        "/staff/draws/new/",
        {**FORM, "invitations": "", "noc_codes": "99999", "registered_from": "2025-09-10"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "unknown NOC 2021 code(s): 99999" in text
    assert "give a number of invitations" in text
    assert Draw.objects.count() == 0


def test_the_whole_flow_in_the_browser(olivia: User, martin: User) -> None:
    _pool()
    officer, manager = client_for(olivia), client_for(martin)
    response = officer.post("/staff/draws/new/", FORM)
    assert response.status_code == 302
    draw = Draw.objects.get()
    assert response["Location"] == f"/staff/draws/{draw.pk}/"
    assert draw.proposed_by == olivia
    assert draw.noc_codes == ["21231"]
    # The officer cannot execute before approval, nor approve.
    officer.post(f"/staff/draws/{draw.pk}/execute/", CONFIRM)
    officer.post(f"/staff/draws/{draw.pk}/approve/", CONFIRM)
    draw.refresh_from_db()
    assert draw.status == "proposed"
    page = manager.get(f"/staff/draws/{draw.pk}/")
    assert b"Approve" in page.content
    manager.post(f"/staff/draws/{draw.pk}/approve/", CONFIRM)
    response = officer.post(f"/staff/draws/{draw.pk}/execute/", CONFIRM, follow=True)
    assert b"executed" in response.content
    draw.refresh_from_db()
    assert (draw.status, draw.invitations_issued, draw.executed_by) == ("executed", 2, olivia)
    assert b"FW-P3" in response.content
    assert b"SHA-256" in response.content
    again = manager.post(f"/staff/draws/{draw.pk}/execute/", CONFIRM, follow=True)
    assert b"already executed" in again.content
    assert Invitation.objects.count() == 2
    listing = officer.get("/staff/draws/")
    assert f'href="/staff/draws/{draw.pk}/"'.encode() in listing.content


def test_a_draw_is_cancelled_from_its_page(olivia: User) -> None:
    draw = _draw(olivia)
    client_for(olivia).post(f"/staff/draws/{draw.pk}/cancel/", {"reason": "duplicate", **CONFIRM})
    draw.refresh_from_db()
    assert draw.status == "cancelled"
    assert "duplicate" in draw.note


def test_the_form_can_start_from_an_earlier_draw(olivia: User) -> None:
    draw = _draw(olivia)
    response = client_for(olivia).get(f"/staff/draws/new/?like={draw.pk}")
    assert response.status_code == 200
    assert b'value="2025-09-03"' in response.content
