"""Correcting a business's facts and its work locations, by page, by API and by service."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from nominee.accounts.services import appoint_representative, revoke_appointment
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, NotFound, ValidationFailed
from nominee.employers import services
from nominee.employers.models import Employer, JobOffer, WorkLocation
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for, make_user
from tests.words import rule_words

pytestmark = pytest.mark.django_db

BUSINESS_FORM = {
    "legal_name": "Bob's Bakery Inc.",
    "operating_name": "",
    "street_address": "1 King St W",
    "municipality": "Toronto",
    "postal_code": "M5H 1A1",
    "years_in_business": "10",
    "gross_revenue": "2500000",
}


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _employer_url(employer: Employer) -> str:
    return f"/api/v1/employers/{employer.pk}"


def _location_url(location: WorkLocation) -> str:
    return f"/api/v1/employers/{location.employer_id}/locations/{location.pk}"


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _failures(answer: dict[str, Any]) -> list[list[str]]:
    return [[f["rule"] for f in loc["failures"]] for loc in answer["locations"]]


def _daves_dairy() -> Employer:
    return Employer.objects.get(legal_name="Dave's Dairy Ltd.")


# ---- The business ------------------------------------------------------------------


def test_the_signing_officer_corrects_the_business_on_its_page(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    detail = client.get(f"/employer/{employer.pk}/").content.decode()
    assert f'href="/employer/{employer.pk}/edit/"' in detail
    page = client.get(f"/employer/{employer.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "123456782" in html
    assert "It cannot be changed: the business number identifies the business." in html
    assert 'name="cra_business_number"' not in html
    assert 'value="Bob&#x27;s Bakery Inc."' in html
    response = client.post(
        f"/employer/{employer.pk}/edit/",
        {**BUSINESS_FORM, "operating_name": "Bob's Breads", "postal_code": "m5h2n2"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/employer/{employer.pk}/", 302)]
    assert "The business&#x27;s details are saved" in response.content.decode()
    employer.refresh_from_db()
    assert employer.operating_name == "Bob's Breads"
    assert employer.postal_code == "M5H 2N2"
    [event] = _events("employers.employer_updated")
    assert event.actor == bob
    assert event.subject_id == str(employer.pk)
    # Only what changed is written and audited, not every field the form posted.
    assert event.before == {"operating_name": "", "postal_code": "M5H 1A1"}
    assert event.after == {"operating_name": "Bob's Breads", "postal_code": "M5H 2N2"}


def test_saving_the_page_unchanged_writes_nothing(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = client_for(bob).post(f"/employer/{employer.pk}/edit/", BUSINESS_FORM, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert _events("employers.employer_updated") == []


def test_the_api_corrects_the_business_and_answers_it_with_its_eligibility(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = _patch(client_for(bob), _employer_url(employer), {"legal_name": "Bob's Bread Co."})
    assert response.status_code == 200
    answer = response.json()
    assert answer["legal_name"] == "Bob's Bread Co."
    assert answer["cra_business_number"] == "123456782"
    assert answer["eligible"] is True
    [event] = _events("employers.employer_updated")
    assert event.before == {"legal_name": "Bob's Bakery Inc."}
    assert event.after == {"legal_name": "Bob's Bread Co."}
    location = employer.locations.get()
    assert event.data == {"failing_rules": {str(location.pk): []}}


def test_an_empty_patch_changes_nothing(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = _patch(client_for(bob), _employer_url(employer), {})
    assert response.status_code == 200
    assert _events("employers.employer_updated") == []


def test_revenue_crossing_one_million_in_the_gta_changes_the_eligibility_at_once(
    bob: Any,
) -> None:
    employer = bobs_bakery(bob)  # Toronto (GTA), 12 employees, 10 years
    client = client_for(bob)
    answer = _patch(client, _employer_url(employer), {"gross_revenue": "999999"}).json()
    assert answer["eligible"] is False
    assert _failures(answer) == [["employer.revenue"]]
    page = client.get(f"/employer/{employer.pk}/").content.decode()
    assert rule_words("employer.revenue") in page
    assert "Does not meet every employer requirement" in page
    answer = _patch(client, _employer_url(employer), {"gross_revenue": 1000000}).json()
    assert answer["eligible"] is True
    assert _failures(answer) == [[]]
    assert client.get(_employer_url(employer)).json()["eligible"] is True
    assert "employer.revenue" not in client.get(f"/employer/{employer.pk}/").content.decode()
    assert [e.data for e in _events("employers.employer_updated")] == [
        {"failing_rules": {str(employer.locations.get().pk): ["employer.revenue"]}},
        {"failing_rules": {str(employer.locations.get().pk): []}},
    ]


def test_years_in_business_below_three_fail_everywhere(bob: Any) -> None:
    employer = bobs_bakery(bob)
    answer = _patch(client_for(bob), _employer_url(employer), {"years_in_business": 2}).json()
    assert _failures(answer) == [["employer.years_in_business"]]


@IN_2025
def test_existing_offers_keep_the_flags_they_were_judged_with(submit: Any, bob: Any) -> None:
    employer = bobs_bakery(bob)
    clean = submit()
    services.update_employer(actor=bob, employer=employer, gross_revenue="999999")
    flagged = submit(candidate_email="other@example.com")
    assert [f["rule"] for f in flagged.failures] == ["employer.revenue"]
    services.update_employer(actor=bob, employer=employer, gross_revenue="1000000")
    clean.refresh_from_db()
    flagged.refresh_from_db()
    assert clean.failures == []
    assert [f["rule"] for f in flagged.failures] == ["employer.revenue"]
    assert flagged.needs_review is True
    shown = client_for(bob).get(f"/api/v1/job-offers/{flagged.public_id}").json()
    assert [f["rule"] for f in shown["failures"]] == ["employer.revenue"]


@IN_2025
def test_an_offer_changed_after_a_correction_is_judged_with_the_new_facts(
    submit: Any, bob: Any
) -> None:
    employer = bobs_bakery(bob)
    offer = submit()
    services.update_employer(actor=bob, employer=employer, gross_revenue="999999")
    services.update_job_offer(actor=bob, offer=offer, job_title="Senior software engineer")
    offer.refresh_from_db()
    assert [f["rule"] for f in offer.failures] == ["employer.revenue"]
    assert offer.needs_review is True


def test_bad_values_are_named_per_field_on_the_page_and_nothing_is_written(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = client_for(bob).post(
        f"/employer/{employer.pk}/edit/",
        {**BUSINESS_FORM, "legal_name": "", "postal_code": "12345", "years_in_business": "-1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_legal_name">Legal name: This field is required.' in page
    assert "Postal code: Enter a Canadian postal code, e.g. M5H 2N2." in page
    assert 'href="#id_years_in_business">Years in business:' in page
    assert 'id="id_postal_code_error"' in page
    assert "ontario-input__error" in page
    employer.refresh_from_db()
    assert employer.legal_name == "Bob's Bakery Inc."
    assert employer.postal_code == "M5H 1A1"
    assert _events("employers.employer_updated") == []


def test_bad_values_are_named_per_field_by_the_api_and_nothing_is_written(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = _patch(
        client_for(bob),
        _employer_url(employer),
        {
            "legal_name": "Renamed",
            "postal_code": "nope",
            "years_in_business": 501,
            "gross_revenue": "1.234",
        },
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "validation"
    assert set(error["fields"]) == {"postal_code", "years_in_business", "gross_revenue"}
    employer.refresh_from_db()
    assert employer.legal_name == "Bob's Bakery Inc."
    assert _events("employers.employer_updated") == []


def test_the_business_number_and_unknown_fields_are_refused_by_name(bob: Any) -> None:
    employer = bobs_bakery(bob)
    response = _patch(
        client_for(bob),
        _employer_url(employer),
        {"legal_name": "Renamed", "cra_business_number": "046454286", "created_by": 1, "x": 2},
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"cra_business_number", "created_by", "x"}
    assert "identifies the business and cannot be changed" in fields["cra_business_number"][0]
    assert "These can: legal_name, operating_name" in fields["x"][0]
    employer.refresh_from_db()
    assert employer.legal_name == "Bob's Bakery Inc."
    assert employer.cra_business_number == "123456782"
    assert _events("employers.employer_updated") == []


def test_a_member_named_like_a_parameter_of_the_service_is_refused_too(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    response = _patch(client, _employer_url(employer), {"actor": 1, "employer": 2})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"actor", "employer"}
    location = employer.locations.get()
    response = _patch(client, _location_url(location), {"location": 3})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"location"}


def test_the_service_refuses_the_business_number_even_unchanged(bob: Any) -> None:
    employer = bobs_bakery(bob)
    with pytest.raises(ValidationFailed) as error:
        services.update_employer(actor=bob, employer=employer, cra_business_number="123456782")
    assert set(error.value.fields) == {"cra_business_number"}


def test_a_business_number_posted_to_the_page_is_ignored(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client_for(bob).post(
        f"/employer/{employer.pk}/edit/",
        {**BUSINESS_FORM, "legal_name": "Renamed", "cra_business_number": "046454286"},
    )
    employer.refresh_from_db()
    assert employer.legal_name == "Renamed"
    assert employer.cra_business_number == "123456782"


def test_an_unconfirmed_contact_can_neither_open_nor_save_the_form(bob: Any) -> None:
    employer = bobs_bakery(bob)
    bob.email_confirmed_at = None
    bob.save(update_fields=["email_confirmed_at"])
    client = client_for(bob)
    page = client.get(f"/employer/{employer.pk}/edit/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/confirm/sent/"
    response = client.post(
        f"/employer/{employer.pk}/edit/", {**BUSINESS_FORM, "legal_name": "Renamed"}
    )
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.content.decode()
    response = _patch(client, _employer_url(employer), {"legal_name": "Renamed"})
    assert response.status_code == 403
    assert response.json()["code"] == "email.unconfirmed"
    employer.refresh_from_db()
    assert employer.legal_name == "Bob's Bakery Inc."


# ---- Work locations ----------------------------------------------------------------


def test_a_location_is_corrected_on_its_page_and_audited(bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    client = client_for(bob)
    url = f"/employer/{employer.pk}/locations/{location.pk}/edit/"
    assert f'href="{url}"' in client.get(f"/employer/{employer.pk}/").content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="12"' in page.content.decode()
    response = client.post(
        url,
        {"census_division": "3520", "municipality": "North York", "full_time_employees": "4"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/employer/{employer.pk}/", 302)]
    html = response.content.decode()
    assert "The work location is saved" in html
    assert rule_words("employer.employees") in html
    location.refresh_from_db()
    assert (location.municipality, location.full_time_employees) == ("North York", 4)
    [event] = _events("employers.location_updated")
    assert event.actor == bob
    assert event.subject_type == "employers.worklocation"
    assert event.subject_id == str(location.pk)
    assert event.before == {"municipality": "Toronto", "full_time_employees": 12}
    assert event.after == {"municipality": "North York", "full_time_employees": 4}
    assert event.data == {"failing_rules": ["employer.employees"]}


def test_employees_crossing_the_thresholds_change_the_eligibility_at_once(bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    client = client_for(bob)
    answer = _patch(client, _location_url(location), {"full_time_employees": 4}).json()
    assert _failures(answer) == [["employer.employees"]]
    assert answer["eligible"] is False
    answer = _patch(client, _location_url(location), {"full_time_employees": 5}).json()
    assert _failures(answer) == [[]]
    # Outside the GTA, 3 employees and $500,000 are enough: Sudbury after a correction.
    _patch(client, _employer_url(employer), {"gross_revenue": "500000"})
    answer = _patch(
        client, _location_url(location), {"census_division": "3553", "full_time_employees": 3}
    ).json()
    assert answer["locations"][0]["census_division"] == "3553"
    assert _failures(answer) == [[]]
    answer = _patch(client, _location_url(location), {"full_time_employees": 2}).json()
    assert _failures(answer) == [["employer.employees"]]


def test_bad_location_values_are_named_per_field_and_nothing_is_written(bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    client = client_for(bob)
    response = _patch(
        client,
        _location_url(location),
        {"census_division": "9999", "municipality": "", "full_time_employees": -1, "size": 3},
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "census_division",
        "municipality",
        "full_time_employees",
        "size",
    }
    response = client.post(
        f"/employer/{employer.pk}/locations/{location.pk}/edit/",
        {"census_division": "", "municipality": "", "full_time_employees": "many"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    # An empty municipality: the census division is not asked for (it would be found from it).
    assert 'id="id_municipality_error"' in page
    assert 'id="id_full_time_employees_error"' in page
    location.refresh_from_db()
    assert (location.municipality, location.full_time_employees) == ("Toronto", 12)
    assert _events("employers.location_updated") == []


@IN_2025
def test_the_census_division_stays_while_an_offer_there_is_live(submit: Any, bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    offer = submit()
    client = client_for(bob)
    response = _patch(client, _location_url(location), {"census_division": "3553"})
    assert response.status_code == 409
    assert offer.public_id in response.json()["fields"]["census_division"][0]
    response = client.post(
        f"/employer/{employer.pk}/locations/{location.pk}/edit/",
        {"census_division": "3553", "municipality": "Sudbury", "full_time_employees": "12"},
    )
    assert response.status_code == 400
    assert 'id="id_census_division_error"' in response.content.decode()
    location.refresh_from_db()
    assert (location.census_division_id, location.municipality) == ("3520", "Toronto")
    # The employees may change all the same: they bear only on the employer's flags.
    assert _patch(client, _location_url(location), {"full_time_employees": 20}).status_code == 200
    services.withdraw_job_offer(actor=bob, offer=offer)
    assert _patch(client, _location_url(location), {"census_division": "3553"}).status_code == 200
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.WITHDRAWN


def test_a_lapsed_offer_does_not_hold_the_census_division(submit: Any, bob: Any, at: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    submit(on=at(2025, 7, 2, 10))  # lapsed long ago, never swept
    services.update_work_location(actor=bob, location=location, census_division="3553")
    location.refresh_from_db()
    assert location.census_division_id == "3553"


def test_a_location_of_another_business_answers_404(bob: Any, dave: Any) -> None:
    employer = bobs_bakery(bob)
    daves_location = _daves_dairy().locations.get()
    client = client_for(bob)
    response = _patch(
        client,
        f"/api/v1/employers/{employer.pk}/locations/{daves_location.pk}",
        {"full_time_employees": 1},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    url = f"/employer/{employer.pk}/locations/{daves_location.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_time_employees": "1"}).status_code == 404
    daves_location.refresh_from_db()
    assert daves_location.full_time_employees == 6


# ---- Who may correct what ----------------------------------------------------------


def _edit_urls(employer: Employer) -> list[str]:
    location = employer.locations.get()
    return [
        f"/employer/{employer.pk}/edit/",
        f"/employer/{employer.pk}/locations/{location.pk}/edit/",
    ]


def _api_writes(employer: Employer) -> list[tuple[str, dict[str, Any]]]:
    return [
        (_employer_url(employer), {"legal_name": "Taken over"}),
        (_location_url(employer.locations.get()), {"full_time_employees": 1}),
    ]


def _unchanged(employer: Employer) -> None:
    employer.refresh_from_db()
    assert employer.legal_name == "Bob's Bakery Inc."
    assert employer.locations.get().full_time_employees == 12
    assert not AuditEvent.objects.filter(
        action__in=["employers.employer_updated", "employers.location_updated"]
    ).exists()


@pytest.mark.parametrize("persona", ["dave", "alice", "oscar"])
def test_anyone_without_the_file_gets_404_by_page_and_api(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    employer = bobs_bakery(bob)
    client = client_for(request.getfixturevalue(persona))
    for url in _edit_urls(employer):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**BUSINESS_FORM, "legal_name": "Taken over"}).status_code == 404
    for url, body in _api_writes(employer):
        response = _patch(client, url, body)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    _unchanged(employer)


def test_the_service_refuses_a_contact_of_another_business_as_not_found(
    bob: Any, dave: Any
) -> None:
    employer = bobs_bakery(bob)
    with pytest.raises(NotFound):
        services.update_employer(actor=dave, employer=employer, legal_name="Taken over")
    with pytest.raises(NotFound):
        services.update_work_location(
            actor=dave, location=employer.locations.get(), full_time_employees=1
        )
    _unchanged(employer)


@pytest.mark.parametrize("persona", ["audrey", "olivia", "martin"])
def test_staff_read_the_business_but_do_not_correct_it(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    employer = bobs_bakery(bob)
    user = request.getfixturevalue(persona)
    client = client_for(user)
    detail = client.get(f"/employer/{employer.pk}/")
    assert detail.status_code == 200
    assert "/edit/" not in detail.content.decode()
    assert client.get(_employer_url(employer)).status_code == 200
    # As for every other action: the pages answer 404, the API 403, the service NotFound.
    for url in _edit_urls(employer):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**BUSINESS_FORM, "legal_name": "Taken over"}).status_code == 404
    for url, body in _api_writes(employer):
        response = _patch(client, url, body)
        assert response.status_code == 403, url
        assert response.json()["code"] == "forbidden"
    with pytest.raises(NotFound):
        services.update_employer(actor=user, employer=employer, legal_name="Taken over")
    with pytest.raises(NotFound):
        services.update_work_location(
            actor=user, location=employer.locations.get(), full_time_employees=1
        )
    _unchanged(employer)


def test_an_appointed_representative_corrects_the_business_while_appointed(
    bob: Any, carol: Any
) -> None:
    employer = bobs_bakery(bob)
    client = client_for(carol)
    for url in _edit_urls(employer):
        assert client.get(url).status_code == 404
    appointment = appoint_representative(actor=bob, representative=carol, employer=employer)
    for url in _edit_urls(employer):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/employer/{employer.pk}/").content.decode()
    assert f'href="/employer/{employer.pk}/edit/"' in detail
    response = client.post(
        f"/employer/{employer.pk}/edit/", {**BUSINESS_FORM, "gross_revenue": "999999"}
    )
    assert response.status_code == 302
    answer = _patch(client, _location_url(employer.locations.get()), {"full_time_employees": 4})
    assert answer.status_code == 200
    assert _failures(answer.json()) == [["employer.revenue", "employer.employees"]]
    assert [e.actor for e in _events("employers.employer_updated")] == [carol]
    assert [e.actor for e in _events("employers.location_updated")] == [carol]
    revoke_appointment(actor=bob, appointment=appointment)
    for url in _edit_urls(employer):
        assert client.get(url).status_code == 404
    assert _patch(client, _employer_url(employer), {"legal_name": "X"}).status_code == 404


def test_a_contact_who_is_not_the_signing_officer_may_correct_too(bob: Any) -> None:
    employer = bobs_bakery(bob)
    frank = make_user("frank@example.com")
    services.invite_contact(actor=bob, employer=employer, email=frank.email)
    response = _patch(client_for(frank), _employer_url(employer), {"years_in_business": 11})
    assert response.status_code == 200
    assert response.json()["years_in_business"] == 11


def test_anonymous_people_are_sent_to_sign_in_and_the_api_answers_401(bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(None)
    for url in _edit_urls(employer):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for url, body in _api_writes(employer):
        assert _patch(client, url, body).status_code == 401
    _unchanged(employer)


def test_the_service_locks_and_changes_nothing_when_nothing_changes(bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    same = services.update_work_location(
        actor=bob, location=location, municipality="Toronto", full_time_employees="12"
    )
    assert same.full_time_employees == 12
    assert _events("employers.location_updated") == []


@IN_2025
def test_a_location_change_answers_conflict_before_any_write(submit: Any, bob: Any) -> None:
    employer = bobs_bakery(bob)
    location = employer.locations.get()
    submit()
    with pytest.raises(Conflict):
        services.update_work_location(
            actor=bob, location=location, census_division="3553", full_time_employees=Decimal(3)
        )
    location.refresh_from_db()
    assert (location.census_division_id, location.full_time_employees) == ("3520", 12)
    assert _events("employers.location_updated") == []
