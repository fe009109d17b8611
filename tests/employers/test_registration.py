"""An employer's registration with the program (DOMAIN §9): requests, decisions, and the rule
that an unregistered employer's offers cannot be submitted or support an EOI when the policy
in force requires it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from nominee.accounts.models import OutgoingEmail
from nominee.accounts.services import appoint_representative
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import today
from nominee.employers import queries, services
from nominee.employers.models import EmployerContact, EmployerRegistration, JobOffer
from nominee.eois import services as eoi_services
from nominee.eois.models import Candidate
from nominee.eois.offers import JobOfferNotUsable
from nominee.scoring.policy import policy_at, policy_document, policy_versions
from tests.dates import IN_2026_BEFORE_CLOSING
from tests.employers.conftest import bobs_bakery
from tests.eois.conftest import FW_FACTS, fw_document
from tests.factories import OFFER_DEFAULTS, submit_offer
from tests.personas import client_for, make_user
from tests.policies import REQUIRED_FROM, registration_policy
from tests.words import rule_words

# The rule's tests submit 2025-stream offers: they run on a day of 2026 before those streams
# closed, under the tests' policy that requires registration from 2026-01-15.
pytestmark = [pytest.mark.django_db, IN_2026_BEFORE_CLOSING]


def _request(bob: Any) -> EmployerRegistration:
    return services.request_registration(actor=bob, employer=bobs_bakery(bob))


def _approved(bob: Any, officer: Any) -> EmployerRegistration:
    return services.approve_registration(actor=officer, registration=_request(bob))


# ---- the state and its history --------------------------------------------------------


def test_a_business_is_not_registered_until_it_asks(bob: Any) -> None:
    employer = bobs_bakery(bob)
    assert queries.registration_state(employer) == "not_registered"
    registration = _request(bob)
    assert queries.registration_state(employer) == "pending"
    assert (registration.requested_by, registration.decided_at) == (bob, None)
    assert queries.registration_states([employer.pk]) == {employer.pk: "pending"}


def test_an_officer_approves_and_the_contacts_are_emailed(bob: Any, olivia: Any) -> None:
    employer = bobs_bakery(bob)
    registration = _approved(bob, olivia)
    assert queries.registration_state(employer) == "approved"
    assert (registration.decided_by, registration.status) == (olivia, "approved")
    assert queries.approved_on(employer, today())
    assert not queries.approved_on(employer, today() - timedelta(days=1))
    event = AuditEvent.objects.get(action="employers.registration_approved")
    assert event.actor_id == olivia.pk
    mails = OutgoingEmail.objects.filter(employer=employer).order_by("id")
    assert [m.to_email for m in mails] == ["bob@example.com", "bob@example.com"]
    assert "asked to be registered" in mails[0].subject
    assert "is registered with the program" in mails[1].subject


def test_every_active_contact_is_told(bob: Any, olivia: Any) -> None:
    employer = bobs_bakery(bob)
    erin = services.invite_contact(actor=bob, employer=employer, email="erin@example.com")
    gone = services.invite_contact(actor=bob, employer=employer, email="gus@example.com")
    services.remove_contact(actor=bob, contact=gone)
    registration = _request(bob)
    OutgoingEmail.objects.all().delete()
    services.refuse_registration(
        actor=olivia, registration=registration, reasons="The business number is not yours."
    )
    mails = OutgoingEmail.objects.filter(employer=employer)
    assert sorted(m.to_email for m in mails) == ["bob@example.com", erin.user.email]
    assert all("The business number is not yours." in m.body for m in mails)


def test_a_manager_refuses_with_reasons_and_the_business_may_ask_again(
    bob: Any, martin: Any, olivia: Any
) -> None:
    employer = bobs_bakery(bob)
    first = _request(bob)
    services.refuse_registration(
        actor=martin, registration=first, reasons="No premises in Ontario were shown."
    )
    assert queries.registration_state(employer) == "refused"
    second = _request(bob)
    assert queries.registration_state(employer) == "pending"
    services.approve_registration(actor=olivia, registration=second, reasons="Premises checked.")
    history = queries.registration_history(employer)
    assert [(r.status, r.reasons) for r in history] == [
        ("approved", "Premises checked."),
        ("refused", "No premises in Ontario were shown."),
    ]
    assert history[1].decided_by == martin


def test_another_contact_may_ask_for_the_business(bob: Any) -> None:
    employer = bobs_bakery(bob)
    erin = make_user("erin@example.com", full_name="Erin Contact")
    EmployerContact.objects.create(employer=employer, user=erin, created_at=timezone.now())
    registration = services.request_registration(actor=erin, employer=employer)
    assert registration.requested_by == erin


# ---- refusals -------------------------------------------------------------------------


def test_a_business_with_a_pending_or_approved_registration_cannot_ask(
    bob: Any, olivia: Any
) -> None:
    registration = _request(bob)
    with pytest.raises(Conflict) as pending:
        _request(bob)
    assert pending.value.code == "registration.pending"
    services.approve_registration(actor=olivia, registration=registration)
    with pytest.raises(Conflict) as approved:
        _request(bob)
    assert approved.value.code == "registration.approved"
    assert EmployerRegistration.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "oscar", "ursula", "olivia", "martin", "audrey"])
def test_only_the_business_s_people_may_ask(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    with pytest.raises(NotFound):
        services.request_registration(
            actor=request.getfixturevalue(persona), employer=bobs_bakery(bob)
        )
    assert not EmployerRegistration.objects.exists()


def test_an_appointed_representative_does_not_ask(bob: Any, carol: Any) -> None:
    appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    with pytest.raises(PermissionDenied) as error:
        services.request_registration(actor=carol, employer=bobs_bakery(bob))
    assert error.value.code == "registration.contacts_only"


def test_an_unconfirmed_contact_does_not_ask(bob: Any) -> None:
    employer = bobs_bakery(bob)
    uma = make_user("uma@example.com", confirmed=False)
    EmployerContact.objects.create(employer=employer, user=uma, created_at=timezone.now())
    with pytest.raises(PermissionDenied) as error:
        services.request_registration(actor=uma, employer=employer)
    assert error.value.code == "email.unconfirmed"


@pytest.mark.parametrize("persona", ["bob", "alice", "carol", "audrey", "oscar", "ursula"])
def test_only_officers_and_managers_decide(
    persona: str, request: pytest.FixtureRequest, bob: Any
) -> None:
    registration = _request(bob)
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.approve_registration(actor=actor, registration=registration)
    with pytest.raises(PermissionDenied):
        services.refuse_registration(actor=actor, registration=registration, reasons="Not real.")
    registration.refresh_from_db()
    assert registration.status == "pending"


@pytest.mark.parametrize("reasons", ["", "   ", "no", "42", "- -", "!!"])
def test_a_refusal_needs_reasons_in_words(bob: Any, olivia: Any, reasons: str) -> None:
    registration = _request(bob)
    with pytest.raises(ValidationFailed) as error:
        services.refuse_registration(actor=olivia, registration=registration, reasons=reasons)
    assert "reasons" in error.value.fields
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_a_decided_registration_is_not_decided_again(bob: Any, olivia: Any, martin: Any) -> None:
    registration = _approved(bob, olivia)
    with pytest.raises(Conflict) as error:
        services.refuse_registration(
            actor=martin, registration=registration, reasons="Changed my mind."
        )
    assert error.value.code == "registration.decided"
    with pytest.raises(Conflict):
        services.approve_registration(actor=martin, registration=registration)
    with pytest.raises(NotFound):
        services.approve_registration(actor=martin, registration=registration.pk + 1000)


# ---- the rule -------------------------------------------------------------------------


def test_the_policy_field_defaults_to_false() -> None:
    assert policy_versions()[0].employer_registration_required is False


def test_the_tests_policy_requires_registration_from_its_day(registration_required: Any) -> None:
    day = registration_required
    assert policy_at(day).employer_registration_required
    assert not policy_at(day - timedelta(days=1)).employer_registration_required
    assert queries.registration_required_since(today()) == day
    assert queries.registration_required_since(day - timedelta(days=1)) is None


def test_an_unregistered_employer_s_offer_is_refused_when_the_policy_requires_it(
    registration_required: Any, bob: Any
) -> None:
    with pytest.raises(services.JobOfferRefused) as error:
        submit_offer(bob, bobs_bakery(bob))
    assert "employer.not_registered" in error.value.message
    [message] = error.value.fields["employer"]
    assert "not registered with the program" in message
    assert "it has not asked to be registered" in message
    assert registration_required.isoformat() in message
    assert not JobOffer.objects.exists()


def test_a_pending_or_refused_registration_is_named_in_the_refusal(
    registration_required: Any, bob: Any, olivia: Any
) -> None:
    registration = _request(bob)
    with pytest.raises(services.JobOfferRefused) as pending:
        submit_offer(bob, bobs_bakery(bob))
    assert "awaiting an officer's decision" in pending.value.fields["employer"][0]
    services.refuse_registration(
        actor=olivia, registration=registration, reasons="Premises not shown."
    )
    with pytest.raises(services.JobOfferRefused) as refused:
        submit_offer(bob, bobs_bakery(bob))
    assert "refused" in refused.value.fields["employer"][0]


def test_the_rule_is_reported_with_the_offer_s_other_refused_rules(
    registration_required: Any, bob: Any
) -> None:
    with pytest.raises(services.JobOfferRefused) as error:
        submit_offer(bob, bobs_bakery(bob), hourly_wage="1.00")
    assert "employer.not_registered" in error.value.message
    assert "job_offer.wage_floor" in error.value.message
    assert set(error.value.fields) == {"employer", "hourly_wage"}


def test_an_approved_employer_s_offer_is_accepted(
    registration_required: Any, bob: Any, olivia: Any
) -> None:
    _approved(bob, olivia)
    offer = submit_offer(bob, bobs_bakery(bob))
    assert offer.status == JobOffer.Status.AWAITING_EOI
    assert "employer.not_registered" not in [f["rule"] for f in offer.failures]


def test_an_approval_counts_from_its_day_only(
    registration_required: Any, bob: Any, olivia: Any
) -> None:
    _approved(bob, olivia)
    with pytest.raises(services.JobOfferRefused) as error:
        submit_offer(bob, bobs_bakery(bob), on=today() - timedelta(days=1))
    assert "approved only after this day" in error.value.fields["employer"][0]


def test_an_unregistered_employer_s_offer_is_accepted_when_the_policy_does_not_require_it(
    registration_not_required: Any, bob: Any
) -> None:
    assert queries.registration_failure(bobs_bakery(bob), today()) is None
    assert submit_offer(bob, bobs_bakery(bob)).status == JobOffer.Status.AWAITING_EOI


def test_before_its_day_the_rule_does_not_apply(registration_required: Any, bob: Any) -> None:
    before = registration_required - timedelta(days=1)
    assert queries.registration_failure(bobs_bakery(bob), before) is None
    assert queries.registration_failure(bobs_bakery(bob), registration_required) is not None


def _register_eoi(alice: Any, offer: JobOffer) -> Any:
    return eoi_services.register_eoi(
        actor=alice,
        candidate=Candidate.objects.get(user=alice),
        document=fw_document(),
        job_offer_id=offer.public_id,
        facts=FW_FACTS,
    )


def test_binding_an_unregistered_employer_s_offer_to_an_eoi_is_refused_with_the_rule(
    bob: Any, alice: Any
) -> None:
    with policy_document(registration_policy(None)):
        offer = submit_offer(bob, bobs_bakery(bob))
    with policy_document(registration_policy(REQUIRED_FROM)):
        with pytest.raises(JobOfferNotUsable) as error:
            _register_eoi(alice, offer)
        assert error.value.code == "employer.not_registered"
        assert "not registered with the program" in error.value.fields["job_offer_id"][0]
        # The candidate's page and the API say the same.
        response = client_for(alice).post(
            "/api/v1/eois",
            json.dumps(
                {"document": fw_document(), "job_offer_id": offer.public_id, "facts": FW_FACTS}
            ),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["code"] == "employer.not_registered"
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI


def test_binding_is_accepted_once_approved_or_when_the_rule_is_off(
    bob: Any, alice: Any, olivia: Any
) -> None:
    with policy_document(registration_policy(None)):
        offer = submit_offer(bob, bobs_bakery(bob))
        second = submit_offer(bob, bobs_bakery(bob), candidate_email="alice2@example.com")
        assert _register_eoi(alice, offer).job_offer_id == offer.pk
    _approved(bob, olivia)
    JobOffer.objects.filter(pk=second.pk).update(candidate_email="alice@example.com")
    with policy_document(registration_policy(REQUIRED_FROM)):
        eoi_services.withdraw_eoi(actor=alice, eoi=Candidate.objects.get(user=alice).eois.get())
        assert _register_eoi(alice, second).job_offer_id == second.pk


# ---- pages and API say which rule fails ----------------------------------------------------


def test_the_offer_page_and_the_api_name_the_rule(registration_required: Any, bob: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    payload = {
        **{k: str(v) for k, v in OFFER_DEFAULTS.items() if k != "permanent"},
        "permanent": "yes",
        "location": str(employer.locations.get().pk),
    }
    page = client.post(f"/employer/{employer.pk}/job-offers/new/", payload)
    assert page.status_code == 400
    assert "employer.not_registered" in page.content.decode()
    api = client.post(
        f"/api/v1/employers/{employer.pk}/job-offers",
        json.dumps(
            {
                **{k: str(v) if not isinstance(v, bool) else v for k, v in OFFER_DEFAULTS.items()},
                "location_id": employer.locations.get().pk,
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 422
    body = api.json()
    assert body["code"] == "job_offer.refused"
    assert "employer.not_registered" in body["fields"]["employer"][0]
    detail = client.get(f"/employer/{employer.pk}/").content.decode()
    assert "Job offers cannot be submitted or used yet" in detail
    assert rule_words("employer.not_registered") in detail
