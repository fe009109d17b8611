"""The staff actions' one entry point for the pages and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from nominee.accounts.models import User
from nominee.core.errors import ValidationFailed

from ..models import Application
from .common import Party
from .fees import record_fee_received, record_fee_refunded
from .nominations import approve_application, hold_application, return_application
from .review import (
    assign_application,
    notice_of_intent_to_refuse,
    refuse_application,
    request_information,
)

#: The staff actions of ``decide`` (pages and API), in the order the file page offers them.
STAFF_ACTIONS = (
    "claim",
    "assign",
    "request_info",
    "intent_to_refuse",
    "approve",
    "hold",
    "refuse",
    "return",
    "fee_received",
    "fee_refunded",
)


def decide(
    *,
    actor: Any,
    application: Application | int,
    action: str,
    text: str = "",
    party: str = Party.CANDIDATE,
    respond_by: date | None = None,
    officer_email: str | None = None,
) -> Any:
    """Dispatch one staff action to its service (each its own transaction and audit event).

    The pages' and the API's one entry point for officers' decisions; ValidationFailed for
    an unknown action or officer.
    """

    if action not in STAFF_ACTIONS:
        raise ValidationFailed(
            f"unknown action {action!r}", fields={"action": [f"one of {', '.join(STAFF_ACTIONS)}"]}
        )
    if action == "claim":
        return assign_application(actor=actor, application=application)
    if action == "assign":
        officer = User.objects.filter(email__iexact=(officer_email or "").strip()).first()
        if officer is None:
            raise ValidationFailed(
                "no such officer", fields={"officer": ["the e-mail address of an officer"]}
            )
        return assign_application(actor=actor, application=application, officer=officer)
    if action == "request_info":
        return request_information(
            actor=actor, application=application, party=party, text=text, respond_by=respond_by
        )
    if action == "intent_to_refuse":
        return notice_of_intent_to_refuse(actor=actor, application=application, reasons=text)
    if action == "approve":
        return approve_application(actor=actor, application=application, reasons=text)
    if action == "hold":
        return hold_application(actor=actor, application=application, reasons=text)
    if action == "refuse":
        return refuse_application(actor=actor, application=application, reasons=text)
    if action == "return":
        return return_application(actor=actor, application=application, reason=text)
    if action == "fee_received":
        return record_fee_received(actor=actor, application=application, reference=text)
    return record_fee_refunded(actor=actor, application=application, reference=text)
