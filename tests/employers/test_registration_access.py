"""Who may ask for and decide an employer's registration with the program, by page, API
and command: every persona."""

from __future__ import annotations

import html
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominee.accounts.models import OutgoingEmail
from nominee.accounts.services import appoint_representative
from nominee.demo.employers import business_number
from nominee.employers import queries, services
from nominee.employers.models import EmployerRegistration
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db

EVERYONE = ["bob", "carol", "alice", "oscar", "ursula", "olivia", "martin", "audrey"]
STAFF = ["olivia", "martin", "audrey"]
DECIDERS = ["olivia", "martin"]
OUTSIDERS = ["carol", "alice", "oscar", "ursula"]


def _hidden(persona: str, method: str = "post") -> int:
    """What a page or operation answers to a persona it is not for: 404 (it does not exist
    for them); an unconfirmed account is refused first everywhere (403; a page it GETs
    sends it to the confirmation page instead)."""
    if persona != "ursula":
        return 404
    return 302 if method == "get" else 403


def _persona(request: pytest.FixtureRequest, name: str | None) -> Any:
    return request.getfixturevalue(name) if name else None


def _pending(bob: Any) -> EmployerRegistration:
    return services.request_registration(actor=bob, employer=bobs_bakery(bob))


def _post_json(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# ---- pages ------------------------------------------------------------------------------


def test_bob_asks_from_his_business_page(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    page = html.unescape(client.get(f"/employer/{employer.pk}/").content.decode())
    assert "Not registered" in page
    assert "Request registration with the program" in page
    assert "What this means" in page
    response = client.post(f"/employer/{employer.pk}/registration/request/", follow=True)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Your request is sent" in text
    assert "Requested, awaiting an officer" in text
    assert "Request registration with the program" not in text
    assert queries.registration_state(employer) == "pending"
    # Asking twice says why, and writes nothing more.
    again = client.post(f"/employer/{employer.pk}/registration/request/", follow=True)
    assert "awaiting an officer's decision already" in html.unescape(again.content.decode())
    assert EmployerRegistration.objects.count() == 1


@pytest.mark.parametrize("persona", [*OUTSIDERS, *STAFF])
def test_nobody_else_asks_by_page(persona: str, request: pytest.FixtureRequest, bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = client_for(_persona(request, persona)).post(
        f"/employer/{employer.pk}/registration/request/"
    )
    assert response.status_code == _hidden(persona)
    assert not EmployerRegistration.objects.exists()


def test_an_appointed_representative_is_told_why_not(bob: Any, carol: Any) -> None:
    employer = bobs_bakery(bob)
    appoint_representative(actor=bob, representative=carol, employer=employer)
    client = client_for(carol)
    assert "Request registration with the program" not in (
        html.unescape(client.get(f"/employer/{employer.pk}/").content.decode())
    )
    response = client.post(f"/employer/{employer.pk}/registration/request/", follow=True)
    assert "only the business's contacts may ask" in html.unescape(response.content.decode())
    assert not EmployerRegistration.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(bob: Any) -> None:
    registration = _pending(bob)
    client = client_for(None)
    for url in [
        "/staff/employers/registrations/",
        f"/staff/employers/registrations/{registration.pk}/approve/",
        f"/staff/employers/registrations/{registration.pk}/refuse/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(f"/employer/{registration.employer_id}/registration/request/")
    assert response["Location"].startswith("/accounts/login/")
    for url in [
        "/api/v1/employer-registrations",
        f"/api/v1/employers/{registration.employer_id}/registrations",
    ]:
        assert client.get(url).status_code == 401, url
    assert (
        _post_json(
            client,
            f"/api/v1/employer-registrations/{registration.pk}/decision",
            {"decision": "approve"},
        ).status_code
        == 401
    )


@pytest.mark.parametrize("persona", STAFF)
def test_staff_read_the_queue(persona: str, request: pytest.FixtureRequest, bob: Any) -> None:
    registration = _pending(bob)
    client = client_for(_persona(request, persona))
    page = client.get("/staff/employers/registrations/")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "Bob's Bakery Inc." in text
    approve_url = f"/staff/employers/registrations/{registration.pk}/approve/"
    assert (approve_url in text) == (persona in DECIDERS)
    hub = html.unescape(client.get("/staff/").content.decode())
    assert "/staff/employers/registrations/" in hub
    detail = html.unescape(client.get(f"/employer/{registration.employer_id}/").content.decode())
    assert "Requested, awaiting an officer" in detail
    assert (approve_url in detail) == (persona in DECIDERS)


@pytest.mark.parametrize("persona", ["bob", *OUTSIDERS])
def test_nobody_else_sees_the_queue_or_decides_by_page(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    registration = _pending(bob)
    client = client_for(_persona(request, persona))
    assert client.get("/staff/employers/registrations/").status_code == _hidden(persona, "get")
    for verb in ("approve", "refuse"):
        url = f"/staff/employers/registrations/{registration.pk}/{verb}/"
        assert client.get(url).status_code == _hidden(persona, "get")
        assert client.post(url, {"reasons": "Looks fine to me."}).status_code == _hidden(persona)
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_an_auditor_reads_but_does_not_decide_by_page(bob: Any, audrey: Any) -> None:
    registration = _pending(bob)
    client = client_for(audrey)
    for verb in ("approve", "refuse"):
        url = f"/staff/employers/registrations/{registration.pk}/{verb}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"reasons": "Looks fine to me."}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "pending"


@pytest.mark.parametrize("persona", DECIDERS)
def test_officers_and_managers_approve_after_a_confirmation(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    registration = _pending(bob)
    client = client_for(_persona(request, persona))
    url = f"/staff/employers/registrations/{registration.pk}/approve/"
    confirm = html.unescape(client.get(url).content.decode())
    assert "What will happen" in confirm
    assert "becomes registered with the program" in confirm
    assert "bob@example.com" in confirm
    response = client.post(url, {"reasons": ""}, follow=True)
    assert response.status_code == 200
    assert "is registered with the program" in html.unescape(response.content.decode())
    registration.refresh_from_db()
    assert registration.status == "approved"
    detail = html.unescape(client.get(f"/employer/{registration.employer_id}/").content.decode())
    assert "Registered with the program" in detail
    assert "Approved" in detail


@pytest.mark.parametrize("persona", DECIDERS)
def test_officers_and_managers_refuse_with_reasons(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    registration = _pending(bob)
    client = client_for(_persona(request, persona))
    url = f"/staff/employers/registrations/{registration.pk}/refuse/"
    confirm = html.unescape(client.get(url).content.decode())
    assert "may ask again" in confirm
    assert "with your reasons" in confirm
    missing = client.post(url, {"reasons": ""})
    assert missing.status_code == 400
    assert "Say in words why" in html.unescape(missing.content.decode())
    registration.refresh_from_db()
    assert registration.status == "pending"
    client.post(url, {"reasons": "The CRA number belongs to another business."})
    registration.refresh_from_db()
    assert registration.status == "refused"
    detail = html.unescape(
        client_for(bob).get(f"/employer/{registration.employer_id}/").content.decode()
    )
    assert "The CRA number belongs to another business." in detail
    assert "Request registration with the program again" in detail
    decided = client.post(url, {"reasons": "Again and again."})
    assert decided.status_code == 400
    assert "decided already" in html.unescape(decided.content.decode())


# ---- API --------------------------------------------------------------------------------


def test_bob_asks_by_api_and_reads_the_state(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    assert client.get(f"/api/v1/employers/{employer.pk}").json()["registration_state"] == (
        "not_registered"
    )
    response = _post_json(client, f"/api/v1/employers/{employer.pk}/registration", {})
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["requested_by"] == "bob@example.com"
    again = _post_json(client, f"/api/v1/employers/{employer.pk}/registration", {})
    assert (again.status_code, again.json()["code"]) == (409, "registration.pending")
    assert client.get("/api/v1/employers").json()["items"][0]["registration_state"] == "pending"
    history = client.get(f"/api/v1/employers/{employer.pk}/registrations").json()
    assert [h["status"] for h in history] == ["pending"]
    assert client.get("/api/v1/employer-registrations").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("carol", 404), ("alice", 404), ("oscar", 404), ("ursula", 403)]
    + [(name, 403) for name in STAFF],
)
def test_nobody_else_asks_by_api(
    persona: str, status: int, request: pytest.FixtureRequest, bob: Any
) -> None:
    employer = bobs_bakery(bob)
    client = client_for(_persona(request, persona))
    response = _post_json(client, f"/api/v1/employers/{employer.pk}/registration", {})
    assert response.status_code == status
    assert not EmployerRegistration.objects.exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_see_no_queue_and_decide_nothing_by_api(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    registration = _pending(bob)
    client = client_for(_persona(request, persona))
    hidden = _hidden(persona)
    assert client.get("/api/v1/employer-registrations").status_code == hidden
    history = client.get(f"/api/v1/employers/{registration.employer_id}/registrations")
    assert history.status_code == hidden
    response = _post_json(
        client,
        f"/api/v1/employer-registrations/{registration.pk}/decision",
        {"decision": "approve"},
    )
    assert response.status_code == hidden


def test_bob_does_not_decide_his_own_registration_by_api(bob: Any) -> None:
    registration = _pending(bob)
    response = _post_json(
        client_for(bob),
        f"/api/v1/employer-registrations/{registration.pk}/decision",
        {"decision": "approve"},
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_staff_list_and_decide_by_api(bob: Any, olivia: Any, martin: Any, audrey: Any) -> None:
    registration = _pending(bob)
    url = f"/api/v1/employer-registrations/{registration.pk}/decision"
    listing = client_for(audrey).get("/api/v1/employer-registrations").json()
    assert listing["count"] == 1
    assert listing["items"][0]["employer"] == "Bob's Bakery Inc."
    forbidden = _post_json(client_for(audrey), url, {"decision": "approve"})
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "forbidden")
    bad = _post_json(client_for(olivia), url, {"decision": "maybe"})
    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["decision"])
    missing = _post_json(client_for(martin), url, {"decision": "refuse", "reasons": "no"})
    assert (missing.status_code, list(missing.json()["fields"])) == (400, ["reasons"])
    approved = _post_json(client_for(olivia), url, {"decision": "approve", "reasons": "Checked."})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "olivia@example.com"
    again = _post_json(client_for(martin), url, {"decision": "refuse", "reasons": "Too late now."})
    assert (again.status_code, again.json()["code"]) == (409, "registration.decided")
    assert client_for(olivia).get("/api/v1/employer-registrations").json()["count"] == 0
    unknown = _post_json(
        client_for(olivia), "/api/v1/employer-registrations/99999/decision", {"decision": "approve"}
    )
    assert unknown.status_code == 404


def test_a_manager_refuses_by_api_and_the_contacts_are_emailed(bob: Any, martin: Any) -> None:
    registration = _pending(bob)
    response = _post_json(
        client_for(martin),
        f"/api/v1/employer-registrations/{registration.pk}/decision",
        {"decision": "refuse", "reasons": "No premises in Ontario."},
    )
    assert response.status_code == 200
    assert response.json()["reasons"] == "No premises in Ontario."
    mail = OutgoingEmail.objects.filter(employer=registration.employer).order_by("-id").first()
    assert mail is not None
    assert "was refused" in mail.subject
    assert "No premises in Ontario." in mail.body


# ---- the command ------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("employer", "registration", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_and_approves(bob: Any, olivia: Any) -> None:
    registration = _pending(bob)
    text = _run("list")
    assert "Bob's Bakery Inc." in text
    assert "1 request(s)" in text
    [row] = [json.loads(line) for line in _run("list", "--json").splitlines()]
    assert (row["id"], row["status"]) == (registration.pk, "pending")
    assert "approved by olivia@example.com" in _run(
        "approve", str(registration.pk), "--as", "olivia@example.com"
    )
    assert "0 request(s)" in _run("list")
    assert "approved" in _run("list", "--all")


def test_the_command_refuses_with_reasons(bob: Any, martin: Any) -> None:
    registration = _pending(bob)
    out = _run(
        "refuse", str(registration.pk), "--as", "martin@example.com", "--reasons", "Not in Ontario."
    )
    assert "refused by martin@example.com" in out
    registration.refresh_from_db()
    assert registration.reasons == "Not in Ontario."


@pytest.mark.parametrize(
    "args",
    [
        ["approve", "{pk}", "--as", "bob@example.com"],
        ["approve", "{pk}", "--as", "audrey@example.com"],
        ["approve", "{pk}", "--as", "alice@example.com"],
        ["approve", "{pk}", "--as", "carol@example.com"],
        ["approve", "{pk}", "--as", "oscar@example.com"],
        ["approve", "{pk}", "--as", "ursula@example.com"],
        ["approve", "{pk}", "--as", "nobody@example.com"],
        ["approve", "99999", "--as", "olivia@example.com"],
        ["approve", "x", "--as", "olivia@example.com"],
        ["refuse", "{pk}", "--as", "olivia@example.com", "--reasons", "no"],
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(
    args: list[str],
    bob: Any,
    olivia: Any,
    audrey: Any,
    alice: Any,
    carol: Any,
    oscar: Any,
    ursula: Any,
) -> None:
    registration = _pending(bob)
    with pytest.raises(CommandError) as error:
        _run(*[a.replace("{pk}", str(registration.pk)) for a in args])
    assert error.value.returncode == 2
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_the_command_refuses_a_decided_request_with_exit_code_2(bob: Any, olivia: Any) -> None:
    registration = _pending(bob)
    _run("approve", str(registration.pk), "--as", "olivia@example.com")
    with pytest.raises(CommandError) as error:
        _run("refuse", str(registration.pk), "--as", "olivia@example.com", "--reasons", "Oops, no.")
    assert error.value.returncode == 2
    assert "decided already" in str(error.value)


def test_the_business_s_state_is_in_employer_show(bob: Any) -> None:
    _pending(bob)
    out = StringIO()
    call_command("employer", "show", "123456782", stdout=out)
    assert "registration with the program: pending" in out.getvalue()


def test_the_queue_reads_the_same_number_of_queries_for_one_request_or_many(
    bob: Any, olivia: Any
) -> None:
    _pending(bob)
    client = client_for(olivia)
    client.get("/staff/employers/registrations/")  # the reference data, read once a process
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/employers/registrations/").status_code == 200
    for number in range(5):
        user = make_user(f"owner{number}@example.com")
        employer = services.register_employer(
            actor=user,
            legal_name=f"Business {number}",
            cra_business_number=business_number(f"5000000{number}"),
            street_address="10 Elm St",
            municipality="Sudbury",
            postal_code="P3E 1A1",
            years_in_business=8,
            gross_revenue="900000",
            location_census_division="3553",
            location_municipality="Sudbury",
            location_full_time_employees=6,
        )
        services.request_registration(actor=user, employer=employer)
    with CaptureQueriesContext(connection) as six:
        page = client.get("/staff/employers/registrations/")
    assert "6 requests await a decision." in html.unescape(page.content.decode())
    assert len(six.captured_queries) == len(one.captured_queries)
