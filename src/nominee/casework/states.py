"""The file's state machine: every action, the states it may start from, where it leads.

Services call :func:`check` before writing; anything not in :data:`TRANSITIONS` is refused
with a ``Conflict`` naming the action and the state. ``None`` as a target keeps the state.
"""

from __future__ import annotations

from dataclasses import dataclass

from nominee.core.errors import Conflict

from .models import Application

S = Application.Status

#: The states in which no decision has been made yet and the file still moves.
UNDECIDED = frozenset({S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.INTENT_TO_REFUSE, S.HELD})
#: The states an officer works a file in (the queue's "assessment").
IN_ASSESSMENT = UNDECIDED
#: The states that end a file.
FINAL = frozenset({S.APPROVED, S.REFUSED, S.RETURNED, S.WITHDRAWN, S.DECLINED})


@dataclass(frozen=True)
class Transition:
    """An action's allowed starting states, its target (None: unchanged) and its wording."""

    sources: frozenset[str]
    target: str | None
    verb: str


TRANSITIONS: dict[str, Transition] = {
    "edit": Transition(frozenset({S.DRAFT}), None, "change"),
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, "submit"),
    "decline": Transition(frozenset({S.DRAFT}), S.DECLINED, "decline the invitation of"),
    "file_position_approval": Transition(
        frozenset({S.DRAFT, S.SUBMITTED}), None, "file the position approval of"
    ),
    "withdraw": Transition(UNDECIDED, S.WITHDRAWN, "withdraw"),
    "claim": Transition(
        frozenset({S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.INTENT_TO_REFUSE, S.HELD}),
        None,
        "assign",
    ),
    "request_info": Transition(
        frozenset({S.IN_REVIEW}), S.INFO_REQUESTED, "request information on"
    ),
    "answer_info": Transition(frozenset({S.INFO_REQUESTED}), S.IN_REVIEW, "answer a request on"),
    "intent_to_refuse": Transition(
        frozenset({S.IN_REVIEW, S.INFO_REQUESTED}), S.INTENT_TO_REFUSE, "send a notice on"
    ),
    "respond_notice": Transition(frozenset({S.INTENT_TO_REFUSE}), None, "respond to a notice on"),
    "approve": Transition(
        frozenset({S.IN_REVIEW, S.INTENT_TO_REFUSE, S.HELD}), S.APPROVED, "approve"
    ),
    "hold": Transition(frozenset({S.IN_REVIEW, S.INTENT_TO_REFUSE}), S.HELD, "hold"),
    "refuse": Transition(frozenset({S.INTENT_TO_REFUSE}), S.REFUSED, "refuse"),
    "return": Transition(UNDECIDED, S.RETURNED, "return"),
}

_F = Application.Fee

#: Fee actions: the fee statuses each may start from and the one it leads to.
FEE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "fee_received": (frozenset({_F.DUE}), _F.RECEIVED),
    "fee_refunded": (frozenset({_F.REFUND_DUE}), _F.REFUNDED),
}


def allowed(action: str, status: str) -> bool:
    """Whether ``action`` may start from ``status``."""
    return status in TRANSITIONS[action].sources


def check(action: str, application: Application) -> str:
    """The state ``action`` leads to from the file's current one; Conflict when refused."""
    transition = TRANSITIONS[action]
    if application.status not in transition.sources:
        label = Application.Status(application.status).label
        raise Conflict(
            f"cannot {transition.verb} an application that is {str(label).lower()}",
            code=f"application.cannot_{action}",
        )
    return transition.target or application.status


def check_fee(action: str, application: Application) -> str:
    """The fee status ``action`` leads to; Conflict when the fee is not in a state for it."""
    sources, target = FEE_TRANSITIONS[action]
    if application.fee_status not in sources:
        label = Application.Fee(application.fee_status).label
        raise Conflict(
            f"the fee is {str(label).lower()}: it cannot be recorded as "
            f"{'received' if action == 'fee_received' else 'refunded'}",
            code=f"application.cannot_{action}",
        )
    return target
