"""The state machine, both ways: every action from every state is allowed or refused
exactly as ``states.TRANSITIONS`` says, through the services people use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from tests.casework.conftest import DETAILS, IN_WINDOW

from nominee.casework import services
from nominee.casework.models import Application
from nominee.casework.states import FEE_TRANSITIONS, TRANSITIONS
from nominee.core.errors import DomainError
from nominee.core.timeutil import PROGRAM_TZ

pytestmark = pytest.mark.django_db

S = Application.Status
LATER = datetime(2025, 11, 20, 9, tzinfo=PROGRAM_TZ)


def test_the_table_is_the_one_documented() -> None:
    table = {action: (set(t.sources), t.target) for action, t in TRANSITIONS.items()}
    undecided = {S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.INTENT_TO_REFUSE, S.HELD}
    assert table == {
        "edit": ({S.DRAFT}, None),
        "submit": ({S.DRAFT}, S.SUBMITTED),
        "decline": ({S.DRAFT}, S.DECLINED),
        "file_position_approval": ({S.DRAFT, S.SUBMITTED}, None),
        "withdraw": (undecided, S.WITHDRAWN),
        "claim": (undecided, None),
        "request_info": ({S.IN_REVIEW}, S.INFO_REQUESTED),
        "answer_info": ({S.INFO_REQUESTED}, S.IN_REVIEW),
        "intent_to_refuse": ({S.IN_REVIEW, S.INFO_REQUESTED}, S.INTENT_TO_REFUSE),
        "respond_notice": ({S.INTENT_TO_REFUSE}, None),
        "approve": ({S.IN_REVIEW, S.INTENT_TO_REFUSE, S.HELD}, S.APPROVED),
        "hold": ({S.IN_REVIEW, S.INTENT_TO_REFUSE}, S.HELD),
        "refuse": ({S.INTENT_TO_REFUSE}, S.REFUSED),
        "return": (undecided, S.RETURNED),
    }


def _calls(app: Application, people: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    alice, bob, martin = people["alice"], people["bob"], people["martin"]
    return {
        "edit": lambda: services.save_details(
            actor=alice, application=app, section="family", data=DETAILS["family"]
        ),
        "submit": lambda: services.submit_application(
            actor=alice, application=app, declaration_name="Alice Candidate", now=IN_WINDOW
        ),
        "decline": lambda: services.decline_invitation(actor=alice, invitation=app.invitation),
        "file_position_approval": lambda: services.save_position_approval(
            actor=bob, application=app, offer_confirmed=True, declaration_name="Bob"
        ),
        "withdraw": lambda: services.withdraw_application(actor=alice, application=app),
        "claim": lambda: services.assign_application(actor=martin, application=app),
        "request_info": lambda: services.request_information(
            actor=martin, application=app, party="candidate", text="More", now=LATER
        ),
        "answer_info": lambda: services.answer_request(
            actor=alice, application=app, text="Here", now=LATER
        ),
        "intent_to_refuse": lambda: services.notice_of_intent_to_refuse(
            actor=martin, application=app, reasons="Why", now=LATER
        ),
        "respond_notice": lambda: services.respond_to_notice(
            actor=alice, application=app, text="Because", now=LATER
        ),
        "approve": lambda: services.approve_application(actor=martin, application=app, now=LATER),
        "hold": lambda: services.hold_application(actor=martin, application=app, now=LATER),
        "refuse": lambda: services.refuse_application(
            actor=martin, application=app, reasons="No", now=LATER
        ),
        "return": lambda: services.return_application(actor=martin, application=app, reason="R"),
    }


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_each_action_from_each_state(
    action: str,
    status: str,
    application: Application,
    alice: Any,
    bob: Any,
    martin: Any,
) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=status,
        ready=True,
        awaiting="candidate",
        respond_by=date(2025, 12, 31) if action != "refuse" else None,
    )
    app = Application.objects.get(pk=application.pk)
    allowed = status in TRANSITIONS[action].sources
    refusal: DomainError | None = None
    try:
        _calls(app, {"alice": alice, "bob": bob, "martin": martin})[action]()
    except DomainError as error:
        refusal = error
    if refusal is not None:
        refused_by_machine = refusal.code == f"application.cannot_{action}"
        assert refused_by_machine != allowed, (action, status, refusal.code, refusal.message)
        if refused_by_machine:
            assert Application.objects.get(pk=app.pk).status == status
        return
    assert allowed, (action, status)
    # Claiming a submitted file starts its review (the service's one state-dependent step).
    target = S.IN_REVIEW if (action, status) == ("claim", S.SUBMITTED) else None
    target = target or TRANSITIONS[action].target or status
    assert Application.objects.get(pk=app.pk).status == target


@pytest.mark.parametrize("fee", list(Application.Fee))
@pytest.mark.parametrize("action", list(FEE_TRANSITIONS))
def test_each_fee_action_from_each_fee_status(
    action: str, fee: str, application: Application, martin: Any
) -> None:
    Application.objects.filter(pk=application.pk).update(fee_status=fee)
    call = (
        services.record_fee_received if action == "fee_received" else services.record_fee_refunded
    )
    sources, target = FEE_TRANSITIONS[action]
    if fee in sources:
        assert call(actor=martin, application=application).fee_status == target
    else:
        with pytest.raises(DomainError) as caught:
            call(actor=martin, application=application)
        assert caught.value.code == f"application.cannot_{action}"
        assert Application.objects.get(pk=application.pk).fee_status == fee
