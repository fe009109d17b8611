"""Withdrawing a job offer, removing a contact and revoking a representative from their
pages ask first (decision 73b)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from nominee.accounts.models import User
from nominee.accounts.services import appoint_representative
from nominee.employers.models import EmployerContact, JobOffer
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for, make_user

pytestmark = [pytest.mark.django_db, IN_2025]


def test_withdrawing_an_offer_is_restated_first(
    bob: User, dave: User, submit: Callable[..., JobOffer]
) -> None:
    offer = submit()
    url = f"/employer/job-offers/{offer.public_id}/withdraw/"
    client = client_for(bob)
    page = client.post(url, {"reason": "The position is filled"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Job offer {offer.public_id} is withdrawn: Alice Candidate can no longer" in text
    assert "The reason recorded: The position is filled" in text
    assert 'name="reason" value="The position is filled"' in text
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI
    # Another business's officer sees nothing of it, confirmed or not.
    assert client_for(dave).post(url, {"confirm": "yes"}).status_code == 404
    done = client.post(url, {"reason": "The position is filled", "confirm": "yes"})
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.WITHDRAWN


def test_removing_a_contact_is_restated_first(bob: User, dave: User) -> None:
    employer = bobs_bakery(bob)
    erin = make_user("erin@example.com", full_name="Erin Clerk")
    contact = EmployerContact.objects.create(
        employer=employer, user=erin, invited_by=bob, created_at=timezone.now()
    )
    url = f"/employer/{employer.pk}/contacts/{contact.pk}/remove/"
    assert client_for(dave).post(url, {"confirm": "yes"}).status_code == 404
    client = client_for(bob)
    page = client.post(url)
    assert page.status_code == 200
    assert "Erin Clerk is removed from the contacts of" in page.content.decode()
    contact.refresh_from_db()
    assert contact.active
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    contact.refresh_from_db()
    assert not contact.active


def test_a_candidate_revoking_a_representative_is_restated_first(
    alice: User, carol: User, oscar: User
) -> None:
    appointment = appoint_representative(
        actor=alice, representative=carol, candidate=alice.candidate
    )
    url = f"/candidate/representatives/{appointment.pk}/revoke/"
    assert client_for(oscar).post(url, {"confirm": "yes"}).status_code == 404
    client = client_for(alice)
    page = client.get(url)
    assert page.status_code == 200
    assert "Carol Representative can no longer act for you" in page.content.decode()
    appointment.refresh_from_db()
    assert appointment.revoked_at is None
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None
