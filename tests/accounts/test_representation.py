"""Appointing and revoking representatives; who may act for whom."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from nominee.accounts.models import Appointment
from nominee.accounts.services import appoint_representative, can_act_for, revoke_appointment
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from nominee.eois.models import Candidate
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_signing_officer_appoints_and_the_representative_may_act(bob: Any, carol: Any) -> None:
    employer = bobs_bakery(bob)
    assert not can_act_for(carol, employer=employer)
    appointment = appoint_representative(
        actor=bob, representative="Carol@Example.com", employer=employer
    )
    assert can_act_for(carol, employer=employer)
    assert can_act_for(bob, employer=employer)
    assert AuditEvent.objects.filter(action="accounts.representative_appointed").count() == 1
    with pytest.raises(Conflict):
        appoint_representative(actor=bob, representative=carol, employer=employer)
    revoke_appointment(actor=bob, appointment=appointment)
    assert not can_act_for(carol, employer=employer)
    appointment.refresh_from_db()
    assert appointment.revoked_by == bob
    assert Appointment.objects.count() == 1  # the history is kept
    with pytest.raises(Conflict):
        revoke_appointment(actor=bob, appointment=appointment)
    again = appoint_representative(actor=bob, representative=carol, employer=employer)
    assert again.pk != appointment.pk


def test_a_candidate_appoints_for_themself_and_nobody_else_can(
    alice: Any, carol: Any, oscar: Any
) -> None:
    candidate = Candidate.objects.get(user=alice)
    with pytest.raises(NotFound):
        appoint_representative(actor=oscar, representative=carol, candidate=candidate)
    appointment = appoint_representative(actor=alice, representative=carol, candidate=candidate)
    assert can_act_for(carol, candidate=candidate)
    assert can_act_for(alice, candidate=candidate)
    assert not can_act_for(oscar, candidate=candidate)
    with pytest.raises(PermissionDenied):
        # The representative acts for the candidate but does not appoint others.
        appoint_representative(actor=carol, representative=carol, candidate=candidate)
    revoke_appointment(actor=carol, appointment=appointment)  # a representative may step down
    assert not can_act_for(carol, candidate=candidate)


def test_only_registered_representatives_can_be_appointed(bob: Any, oscar: Any) -> None:
    with pytest.raises(ValidationFailed) as error:
        appoint_representative(actor=bob, representative=oscar, employer=bobs_bakery(bob))
    assert "representative" in error.value.fields


def test_a_contact_who_is_not_the_signing_officer_cannot_appoint(bob: Any, carol: Any) -> None:
    from nominee.employers.services import invite_contact

    employer = bobs_bakery(bob)
    frank = make_user("frank@example.com")
    invite_contact(actor=bob, employer=employer, email=frank.email)
    with pytest.raises(PermissionDenied):
        appoint_representative(actor=frank, representative=carol, employer=employer)
    appointment = appoint_representative(actor=bob, representative=carol, employer=employer)
    with pytest.raises(PermissionDenied):
        revoke_appointment(actor=frank, appointment=appointment)


def test_outsiders_cannot_revoke_or_see_an_appointment(bob: Any, carol: Any, dave: Any) -> None:
    appointment = appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    with pytest.raises(NotFound):
        revoke_appointment(actor=dave, appointment=appointment)
    assert client_for(dave).delete(f"/api/v1/appointments/{appointment.pk}").status_code == 404
    assert (
        client_for(dave)
        .post(f"/representative/appointments/{appointment.pk}/withdraw/")
        .status_code
        == 404
    )


def test_the_representative_dashboard_lists_live_and_past_appointments(
    bob: Any, carol: Any
) -> None:
    appointment = appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    client = client_for(carol)
    assert "Bob&#x27;s Bakery" in client.get("/representative/").content.decode()
    api = client.get("/api/v1/appointments").json()
    assert [a["employer_name"] for a in api] == ["Bob's Bakery Inc."]
    assert (
        client.post(f"/representative/appointments/{appointment.pk}/withdraw/").status_code == 302
    )
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None
    assert "Past appointments" in client.get("/representative/").content.decode()


def test_the_representative_dashboard_links_each_live_client_to_its_file(
    bob: Any, carol: Any, alice: Any
) -> None:
    """Candidates too: the dashboard (where the appointment e-mail and "My dashboard" lead)
    was the only way to a client's file, and a candidate's had no link."""
    employer = bobs_bakery(bob)
    candidate = Candidate.objects.get(user=alice)
    appoint_representative(actor=bob, representative=carol, employer=employer)
    appointment = appoint_representative(actor=alice, representative=carol, candidate=candidate)
    client = client_for(carol)
    page = client.get("/representative/").content.decode()
    assert f'href="/employer/{employer.pk}/"' in page
    assert f'href="/candidate/{candidate.pk}/">Alice Candidate</a>' in page
    assert client.get(f"/candidate/{candidate.pk}/").status_code == 200
    revoke_appointment(actor=alice, appointment=appointment)
    page = client.get("/representative/").content.decode()
    assert f'href="/candidate/{candidate.pk}/"' not in page  # a past client is not linked
    assert "Alice Candidate" in page


def test_the_signing_officer_appoints_from_the_employer_page(bob: Any, carol: Any) -> None:
    employer = bobs_bakery(bob)
    client = client_for(bob)
    bad = client.post(
        f"/employer/{employer.pk}/representatives/appoint/",
        {"representative": "nobody@example.com"},
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/employer/{employer.pk}/representatives/appoint/", {"representative": "carol@example.com"}
    )
    assert ok.status_code == 302
    appointment = Appointment.objects.get()
    revoke = f"/employer/{employer.pk}/representatives/{appointment.pk}/revoke/"
    assert client.post(revoke).status_code == 200  # the confirmation first (decision 73b)
    appointment.refresh_from_db()
    assert appointment.revoked_at is None
    assert client.post(revoke, {"confirm": "yes"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None


def test_an_account_becomes_a_representative(oscar: Any) -> None:
    client = client_for(oscar)
    assert "Register as a representative" in client.get("/representative/").content.decode()
    assert client.post("/representative/", {"kind": "consultant"}).status_code == 400
    assert (
        client.post("/representative/", {"kind": "consultant", "licence_number": "R7"}).status_code
        == 302
    )
    assert oscar.representative_profile.licence_number == "R7"


def test_revoked_appointments_keep_their_times(bob: Any, carol: Any) -> None:
    before = timezone.now()
    appointment = appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    revoked = revoke_appointment(actor=bob, appointment=appointment)
    assert before <= revoked.appointed_at <= revoked.revoked_at  # type: ignore[operator]
