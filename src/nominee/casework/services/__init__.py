"""Casework services: applications, position approvals, review and nominations.

The yearly allocation and its split by stream are program policy (``nominee.program``);
``set_allocation`` is re-exported here for the casework pages and commands.

Every state change of a file is one function here: keyword-only, one durable transaction,
the file's row locked first, the state machine checked (``states.check``) and every other
refusal raised before anything is written, then the change, its history entry
(``CaseEvent``), its audit event and its e-mails (queued for after the commit).

The functions live in ``applications`` (opening a file, the candidate's part, declining),
``position_approvals`` (the employer's part), ``review`` (assigning, requests, the notice
of intent to refuse, refusal), ``nominations`` (approval against the allocation, holds,
returns, withdrawal), ``fees``, ``uploads`` (documents), ``reminders`` and ``staff`` (the
staff actions' dispatcher), with what they share in ``common``; this package re-exports
them, so callers import ``nominee.casework.services`` as before.
"""

from nominee.program.services import set_allocation

from .applications import (
    confirm_snapshot,
    decline_invitation,
    fee_for,
    open_application,
    save_details,
    submit_application,
)
from .common import acts_for, stage_words
from .fees import record_fee_received, record_fee_refunded
from .nominations import (
    approve_application,
    hold_application,
    return_application,
    return_applications,
    withdraw_application,
)
from .position_approvals import save_position_approval, submit_position_approval
from .reminders import send_deadline_reminders
from .review import (
    answer_request,
    assign_application,
    notice_of_intent_to_refuse,
    refuse_application,
    request_information,
    respond_to_notice,
)
from .staff import STAFF_ACTIONS, decide
from .uploads import add_document

__all__ = [
    "STAFF_ACTIONS",
    "acts_for",
    "add_document",
    "answer_request",
    "approve_application",
    "assign_application",
    "confirm_snapshot",
    "decide",
    "decline_invitation",
    "fee_for",
    "hold_application",
    "notice_of_intent_to_refuse",
    "open_application",
    "record_fee_received",
    "record_fee_refunded",
    "refuse_application",
    "request_information",
    "respond_to_notice",
    "return_application",
    "return_applications",
    "save_details",
    "save_position_approval",
    "send_deadline_reminders",
    "set_allocation",
    "stage_words",
    "submit_application",
    "submit_position_approval",
    "withdraw_application",
]
