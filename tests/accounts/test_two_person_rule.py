"""The two-person rule (Decision 79): staff take no part in the program they run.

A staff account (officer, manager, auditor, or a superuser) cannot become a candidate, an
employer contact or a representative, nor register an EOI or open or file an application;
and no staff role goes to an account that takes part. Refused in the services, so the
pages, the API and the commands all refuse the same way (``staff.cannot_take_part``).
Accounts given both (before the rule) are refused at each step they would take part.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group

from nominee.accounts.models import RepresentativeProfile, User
from nominee.accounts.services import (
    StaffCannotTakePart,
    appoint_representative,
    become_representative,
    grant_role,
)
from nominee.casework import services as casework
from nominee.casework.models import Application
from nominee.employers import services as employers
from nominee.employers.models import Employer, EmployerContact
from nominee.eois import services as eois
from nominee.eois.models import Candidate
from tests.casework.conftest import IN_WINDOW, _invited_alice
from tests.dates import IN_2025
from tests.eois.conftest import MASTERS_FACTS, masters_document
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, IN_2025]
CODE = "staff.cannot_take_part"
STAFF = ["olivia", "martin", "audrey"]

BUSINESS = {
    "legal_name": "Olivia's Side Business Inc.",
    "cra_business_number": "872345674",
    "street_address": "1 Bay St",
    "municipality": "Toronto",
    "postal_code": "M5J 2N8",
    "years_in_business": 5,
    "gross_revenue": Decimal("900000"),
    "location_census_division": "3520",
    "location_municipality": "Toronto",
    "location_full_time_employees": 8,
}


def _also_staff(user: User, role: str = "officer") -> User:
    """An account given a staff role before the rule (straight into the table)."""
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


# ---- a staff account does not take part -------------------------------------------------


@pytest.mark.parametrize("persona", STAFF)
def test_staff_cannot_create_a_candidate_profile(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(StaffCannotTakePart) as refused:
        eois.create_candidate(user=user, full_name="Me Myself")
    assert refused.value.code == CODE
    assert refused.value.status == 403
    assert not Candidate.objects.filter(user=user).exists()


def test_the_candidate_page_and_the_api_refuse_a_staff_account(olivia: User) -> None:
    client = client_for(olivia)
    page = client.post("/candidate/", {"full_name": "Olivia Officer"})
    assert page.status_code == 400
    assert "staff accounts take no part in the program" in page.content.decode()
    api = client.post(
        "/api/v1/candidate", {"full_name": "Olivia Officer"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert api.json()["code"] == CODE
    assert not Candidate.objects.filter(user=olivia).exists()


def test_a_superuser_is_staff_for_the_rule() -> None:
    root = User.objects.create_superuser(email="root@example.com", password="x", full_name="R")
    with pytest.raises(StaffCannotTakePart):
        eois.create_candidate(user=root, full_name="Root")


@pytest.mark.parametrize("persona", STAFF)
def test_staff_cannot_register_a_business(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(StaffCannotTakePart):
        employers.register_employer(actor=user, **BUSINESS)
    assert not Employer.objects.filter(legal_name=BUSINESS["legal_name"]).exists()


def test_the_business_api_refuses_a_staff_account(martin: User) -> None:
    payload = {**BUSINESS, "gross_revenue": "900000"}
    answer = client_for(martin).post("/api/v1/employers", payload, content_type="application/json")
    assert answer.status_code == 403, answer.content
    assert answer.json()["code"] == CODE


def test_a_staff_account_cannot_be_invited_as_an_employer_contact(bob: User, olivia: User) -> None:
    employer = Employer.objects.get(legal_name="Bob's Bakery Inc.")
    with pytest.raises(StaffCannotTakePart) as refused:
        employers.invite_contact(actor=bob, employer=employer, email=olivia.email)
    assert "email" in refused.value.fields
    assert not EmployerContact.objects.filter(user=olivia).exists()


@pytest.mark.parametrize("persona", STAFF)
def test_staff_cannot_become_representatives(persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(StaffCannotTakePart):
        become_representative(user=user, kind="consultant", licence_number="R700001")
    assert not RepresentativeProfile.objects.filter(user=user).exists()


def test_a_representative_who_is_also_staff_cannot_be_appointed(bob: User, carol: User) -> None:
    _also_staff(carol, "auditor")
    with pytest.raises(StaffCannotTakePart) as refused:
        appoint_representative(
            actor=bob, representative=carol, employer=Employer.objects.get(created_by=bob)
        )
    assert "representative" in refused.value.fields


def test_a_candidate_who_is_also_staff_cannot_register_an_eoi(alice: User) -> None:
    alice = _also_staff(alice, "auditor")
    with pytest.raises(StaffCannotTakePart):
        eois.register_eoi(
            actor=alice,
            candidate=alice.candidate,
            document=masters_document(),
            job_offer_id=None,
            facts=MASTERS_FACTS,
        )
    assert not alice.candidate.eois.exists()


def test_an_eoi_of_a_candidate_who_is_staff_is_refused_to_their_representative(
    alice: User, carol: User
) -> None:
    appoint_representative(actor=alice, representative=carol, candidate=alice.candidate)
    _also_staff(alice)
    with pytest.raises(StaffCannotTakePart):
        eois.register_eoi(
            actor=carol,
            candidate=Candidate.objects.get(user=alice),
            document=masters_document(),
            job_offer_id=None,
            facts=MASTERS_FACTS,
        )


def test_an_employer_contact_who_is_also_staff_cannot_act_for_the_business(bob: User) -> None:
    bob = _also_staff(bob, "manager")
    employer = Employer.objects.get(created_by=bob)
    with pytest.raises(StaffCannotTakePart):
        employers.update_employer(actor=bob, employer=employer, operating_name="Bob's")
    assert Employer.objects.get(pk=employer.pk).operating_name == ""


def test_a_candidate_who_is_also_staff_cannot_open_or_file_an_application(
    alice: User, bob: User
) -> None:
    invitation = _invited_alice(alice, bob)
    application = casework.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    alice = _also_staff(alice)
    with pytest.raises(StaffCannotTakePart):
        casework.save_details(
            actor=alice, application=application, section="family", data={"family_members": ""}
        )
    with pytest.raises(StaffCannotTakePart):
        casework.submit_application(
            actor=alice, application=application, declaration_name="Alice Candidate", now=IN_WINDOW
        )


def test_a_candidate_who_is_also_staff_cannot_open_an_application(alice: User, bob: User) -> None:
    invitation = _invited_alice(alice, bob)
    alice = _also_staff(alice)
    with pytest.raises(StaffCannotTakePart):
        casework.open_application(actor=alice, invitation=invitation, now=IN_WINDOW)
    assert not Application.objects.exists()


# ---- no staff role for an account that takes part ---------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_no_staff_role_for_an_account_that_takes_part(
    persona: str, martin: User, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(StaffCannotTakePart) as refused:
        grant_role(manager=martin, user=user, role="officer")
    assert refused.value.status == 409
    assert "role" in refused.value.fields
    assert not user.groups.exists()


def test_the_roles_page_refuses_a_role_for_a_candidate(martin: User, alice: User) -> None:
    answer = client_for(martin).post(
        "/staff/roles/", {"email": alice.email, "role": "auditor", "action": "grant"}
    )
    assert answer.status_code == 400
    assert "takes part in the program" in answer.content.decode()
    assert not alice.groups.exists()


def test_a_former_employer_contact_may_be_given_a_role(bob: User, martin: User) -> None:
    EmployerContact.objects.filter(user=bob).update(active=False)
    grant_role(manager=martin, user=bob, role="auditor")
    assert bob.groups.filter(name="auditor").exists()
