"""Who sees and changes what in the employer portal, by page and by API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nominee.accounts.services import appoint_representative, revoke_appointment
from nominee.employers.models import Employer, JobOffer
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.factories import OFFER_DEFAULTS
from tests.personas import client_for
from tests.words import rule_words

pytestmark = [pytest.mark.django_db, IN_2025]


def _offer_payload(employer: Employer) -> dict[str, Any]:
    return {
        **{k: str(v) if not isinstance(v, bool) else v for k, v in OFFER_DEFAULTS.items()},
        "location_id": employer.locations.first().pk,  # type: ignore[union-attr]
    }


def _pages(employer: Employer, offer: JobOffer) -> list[str]:
    return [
        f"/employer/{employer.pk}/",
        f"/employer/{employer.pk}/emails/",
        f"/employer/job-offers/{offer.public_id}/",
    ]


def _api(employer: Employer, offer: JobOffer) -> list[str]:
    return [
        f"/api/v1/employers/{employer.pk}",
        f"/api/v1/employers/{employer.pk}/job-offers",
        f"/api/v1/employers/{employer.pk}/contacts",
        f"/api/v1/job-offers/{offer.public_id}",
    ]


def test_a_contact_of_employer_a_sees_nothing_of_employer_b(
    submit: Any, bob: Any, dave: Any
) -> None:
    offer = submit()
    employer = bobs_bakery(bob)
    client = client_for(dave)
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 404, url
    for url in [
        f"/employer/{employer.pk}/job-offers/new/",
        f"/employer/{employer.pk}/locations/new/",
        f"/employer/{employer.pk}/contacts/invite/",
        f"/employer/{employer.pk}/representatives/appoint/",
        f"/employer/job-offers/{offer.public_id}/edit/",
        f"/employer/job-offers/{offer.public_id}/withdraw/",
    ]:
        assert client.post(url, {}).status_code == 404, url
    api_writes = [
        ("post", f"/api/v1/employers/{employer.pk}/job-offers", _offer_payload(employer)),
        (
            "post",
            f"/api/v1/employers/{employer.pk}/locations",
            {"census_division": "3520", "municipality": "T", "full_time_employees": 3},
        ),
        ("patch", f"/api/v1/job-offers/{offer.public_id}", {"job_title": "Thief"}),
        ("post", f"/api/v1/job-offers/{offer.public_id}/withdraw", {}),
    ]
    for method, url, body in api_writes:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/employers").json()["items"][0]["legal_name"] == "Dave's Dairy Ltd."
    offer.refresh_from_db()
    assert offer.job_title == "Software engineer"
    assert offer.status == JobOffer.Status.AWAITING_EOI


def test_the_contact_sees_and_changes_their_own_business(submit: Any, bob: Any) -> None:
    offer = submit()
    employer = bobs_bakery(bob)
    client = client_for(bob)
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 200, url
    assert client.get("/employer/").status_code == 302
    response = client.patch(
        f"/api/v1/job-offers/{offer.public_id}",
        json.dumps({"job_title": "Head baker"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["job_title"] == "Head baker"


def test_a_representative_sees_only_the_files_they_were_appointed_to(
    submit: Any, bob: Any, carol: Any, dave: Any
) -> None:
    offer = submit()
    employer = bobs_bakery(bob)
    daves = Employer.objects.get(legal_name="Dave's Dairy Ltd.")
    client = client_for(carol)
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 404, url
    appointment = appoint_representative(actor=bob, representative=carol, employer=employer)
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/employer/{daves.pk}/").status_code == 404
    assert client.get(f"/api/v1/employers/{daves.pk}").status_code == 404
    dashboard = client.get("/representative/").content.decode()
    assert "Bob&#x27;s Bakery" in dashboard
    assert "Dave" not in dashboard
    response = client.post(
        f"/api/v1/employers/{employer.pk}/job-offers",
        json.dumps(_offer_payload(employer)),
        content_type="application/json",
    )
    assert response.status_code == 201
    revoke_appointment(actor=bob, appointment=appointment)
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 404, url


def test_a_candidate_and_an_outsider_see_no_employer_data(
    submit: Any, bob: Any, alice: Any, oscar: Any
) -> None:
    offer = submit()  # an offer made out to alice herself
    employer = bobs_bakery(bob)
    for user in (alice, oscar):
        client = client_for(user)
        for url in _pages(employer, offer) + _api(employer, offer):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/api/v1/employers").json() == {"items": [], "count": 0}
        assert client.get("/staff/employers/").status_code == 404
        page = client.get("/employer/")
        assert page.status_code == 200
        assert "Register a business" in page.content.decode()


def test_anonymous_people_are_sent_to_sign_in_and_the_api_answers_401(
    submit: Any, bob: Any
) -> None:
    offer = submit()
    employer = bobs_bakery(bob)
    client = client_for(None)
    for url in [*_pages(employer, offer), "/employer/", "/staff/employers/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    for url in _api(employer, offer):
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("persona", ["olivia", "martin", "audrey"])
def test_staff_read_every_file_but_do_not_act_for_employers(
    persona: str, request: pytest.FixtureRequest, submit: Any, bob: Any
) -> None:
    offer = submit(noc="21232", hourly_wage="45")
    employer = bobs_bakery(bob)
    client = client_for(request.getfixturevalue(persona))
    for url in _pages(employer, offer) + _api(employer, offer):
        assert client.get(url).status_code == 200, url
    listing = client.get("/staff/employers/").content.decode()
    assert offer.public_id in listing
    assert rule_words("job_offer.wage_floor") in listing
    assert client.post(f"/employer/{employer.pk}/job-offers/new/", {}).status_code == 404
    response = client.post(
        f"/api/v1/employers/{employer.pk}/job-offers",
        json.dumps(_offer_payload(employer)),
        content_type="application/json",
    )
    assert response.status_code == 403
    withdraw = f"/employer/job-offers/{offer.public_id}/withdraw/"
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 404
    assert client.get(withdraw).status_code == 404
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI


def test_only_an_officer_records_a_review_from_the_page(
    submit: Any, olivia: Any, audrey: Any
) -> None:
    offer = submit(noc="21232", hourly_wage="45")
    url = f"/employer/job-offers/{offer.public_id}/review/"
    assert client_for(audrey).post(url, {"note": "x"}).status_code == 404
    assert client_for(olivia).post(url, {"note": "Checked the wage."}).status_code == 302
    offer.refresh_from_db()
    assert offer.needs_review is False


def test_a_plain_contact_cannot_appoint_or_invite(bob: Any) -> None:
    from nominee.employers.services import invite_contact
    from tests.personas import make_user

    employer = bobs_bakery(bob)
    frank = make_user("frank@example.com")
    invite_contact(actor=bob, employer=employer, email=frank.email)
    client = client_for(frank)
    assert client.get(f"/employer/{employer.pk}/").status_code == 200
    response = client.post(
        f"/employer/{employer.pk}/representatives/appoint/", {"representative": "carol@example.com"}
    )
    assert response.status_code == 302
    assert not employer.appointments.exists()
    response = client.post(
        f"/api/v1/employers/{employer.pk}/contacts",
        json.dumps({"email": "gina@example.com"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_every_form_page_renders_for_the_signing_officer(submit: Any, bob: Any) -> None:
    offer = submit()
    employer = bobs_bakery(bob)
    client = client_for(bob)
    for url in [
        f"/employer/{employer.pk}/job-offers/new/",
        f"/employer/{employer.pk}/locations/new/",
        f"/employer/{employer.pk}/contacts/invite/",
        f"/employer/{employer.pk}/representatives/appoint/",
        f"/employer/job-offers/{offer.public_id}/edit/",
        "/employer/nocs/?q=baker",
        "/employer/register/",
        "/employer/?all=1",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "63202" in client.get("/employer/nocs/?q=baker").content.decode()


def test_the_offer_form_shows_a_message_per_field_and_lists_near_nocs(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = client_for(bob).post(
        f"/employer/{employer.pk}/job-offers/new/",
        {"stream": "foreign-worker", "noc": "engineers", "hours_per_week": "20", "permanent": "no"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Several occupations match" in page
    assert "Candidate&#x27;s full name: This field is required." in page
    assert not JobOffer.objects.exists()


def test_a_refused_offer_names_the_rule_next_to_the_field(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = client_for(bob).post(
        f"/employer/{employer.pk}/job-offers/new/",
        {
            "stream": "foreign-worker",
            "location": employer.locations.get().pk,
            "noc": "21231",
            "job_title": "Engineer",
            "hourly_wage": "60",
            "hours_per_week": "25",
            "permanent": "yes",
            "candidate_name": "Alice Candidate",
            "candidate_email": "alice@example.com",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    # Next to the field: the rule is in the hours field's own error message, inside the
    # field's form group, and the input is marked invalid and described by that message.
    field = page.index('name="hours_per_week"')
    group = page[page.rindex('<div class="ontario-form-group">', 0, field) : field]
    error = group[group.index('id="id_hours_per_week_error"') :]
    assert "job_offer.hours_per_week" in error
    tag = page[page.rindex("<input", 0, field) : page.index(">", field)]
    assert 'aria-invalid="true"' in tag
    assert "id_hours_per_week_error" in tag.split('aria-describedby="')[1].split('"')[0]
