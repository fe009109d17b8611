"""The final decisions on a file, a manager's allocation, declining an invitation and
withdrawing an application ask for a confirmation first (decision 73b): a POST without
``confirm`` changes nothing and restates what will happen; with it, the act is done."""

from __future__ import annotations

from typing import Any

import pytest
from tests.personas import client_for

from nominee.audit.models import AuditEvent
from nominee.casework.models import Application
from nominee.draws.models import Invitation
from nominee.program.models import Allocation

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


@pytest.mark.parametrize(
    ("action", "restated"),
    [
        ("approve", "is approved: the candidate is nominated"),
        ("refuse", "is refused with the reasons given"),
        ("return", "is returned unprocessed"),
        ("intent_to_refuse", "A notice of intent to refuse application"),
    ],
)
def test_a_final_decision_is_restated_before_it_is_taken(
    action: str, restated: str, in_review: Application, olivia: Any
) -> None:
    officer = client_for(olivia)
    url = f"/staff/applications/{in_review.pk}/"
    events = AuditEvent.objects.count()
    form = {"action": action, "text": "Missing the diploma"}
    page = officer.post(url, form)
    assert page.status_code == 200
    text = page.content.decode()
    assert restated in text
    assert in_review.eoi.external_id in text
    assert "Reasons, message or reference: Missing the diploma" in text
    assert 'name="text" value="Missing the diploma"' in text
    assert 'name="action" value="' + action + '"' in text
    assert Application.objects.get(pk=in_review.pk).status == "in_review"
    assert AuditEvent.objects.count() == events
    done = officer.post(url, {**form, **CONFIRM})
    assert done.status_code in (302, 400)  # done, or refused by the file's state machine
    if action == "approve":
        assert done.status_code == 302
        assert Application.objects.get(pk=in_review.pk).status == "approved"


def test_a_decision_that_can_be_taken_back_is_not_asked_again(
    submitted: Application, olivia: Any
) -> None:
    response = client_for(olivia).post(f"/staff/applications/{submitted.pk}/", {"action": "claim"})
    assert response.status_code == 302
    assert Application.objects.get(pk=submitted.pk).assignee == olivia


def test_an_auditor_is_refused_before_any_confirmation(in_review: Application, audrey: Any) -> None:
    url = f"/staff/applications/{in_review.pk}/"
    assert client_for(audrey).post(url, {"action": "approve"}).status_code == 403
    assert client_for(audrey).post(url, {"action": "approve", **CONFIRM}).status_code == 403
    assert Application.objects.get(pk=in_review.pk).status == "in_review"


def test_setting_the_allocation_is_restated_first(martin: Any, olivia: Any) -> None:
    manager = client_for(martin)
    form = {"year": "2027", "nominations": "9000"}
    page = manager.post("/staff/allocation/", form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The allocation of 2027 becomes 9,000 nominations for the whole year." in text
    assert not Allocation.objects.filter(year=2027).exists()
    assert manager.post("/staff/allocation/", {**form, **CONFIRM}).status_code == 302
    assert Allocation.objects.get(year=2027).nominations == 9000
    # An officer may not, with or without the confirmation.
    assert client_for(olivia).post("/staff/allocation/", {**form, **CONFIRM}).status_code == 403


def test_declining_an_invitation_is_restated_first(
    current: Invitation, alice: Any, oscar: Any
) -> None:
    url = f"/invitations/{current.pk}/decline/"
    assert client_for(oscar).get(url).status_code == 404
    assert client_for(oscar).post(url, CONFIRM).status_code == 404
    candidate = client_for(alice)
    for page in (candidate.get(url), candidate.post(url)):
        assert page.status_code == 200
        assert f"The invitation of EOI {current.eoi.external_id} is declined" in (
            page.content.decode()
        )
    current.refresh_from_db()
    assert current.status == Invitation.Status.OPEN
    assert candidate.post(url, CONFIRM).status_code == 302
    current.refresh_from_db()
    assert current.status == Invitation.Status.DECLINED


def test_withdrawing_an_application_is_restated_first(submitted: Application, alice: Any) -> None:
    url = f"/applications/{submitted.pk}/withdraw/"
    candidate = client_for(alice)
    page = candidate.post(url, {"text": "I took another job"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Application {submitted.pk} is withdrawn" in text
    assert 'name="text" value="I took another job"' in text
    assert Application.objects.get(pk=submitted.pk).status == "submitted"
    assert candidate.post(url, {"text": "I took another job", **CONFIRM}).status_code == 302
    assert Application.objects.get(pk=submitted.pk).status == "withdrawn"
