"""Reminders 3 days and 1 day before a deadline (policy data), in the daily sweep, once."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from tests.casework.conftest import CANDIDATE_DEADLINE, EMPLOYER_DEADLINE, IN_WINDOW

from nominee.accounts.models import OutgoingEmail
from nominee.casework import services
from nominee.casework.models import Application, DeadlineReminder
from nominee.draws.models import Invitation

pytestmark = pytest.mark.django_db


def _subjects() -> list[tuple[str, str]]:
    return sorted(OutgoingEmail.objects.values_list("to_email", "subject"))


def test_both_parties_are_reminded_3_and_1_days_before(
    invitation: Invitation, alice: Any, bob: Any
) -> None:
    assert services.send_deadline_reminders(on=EMPLOYER_DEADLINE - timedelta(days=3)) == 1
    assert _subjects() == [
        (
            "bob@example.com",
            f"The position approval application is due in 3 days ({invitation.eoi.external_id})",
        )
    ]
    assert services.send_deadline_reminders(on=EMPLOYER_DEADLINE - timedelta(days=3)) == 0
    assert services.send_deadline_reminders(on=EMPLOYER_DEADLINE - timedelta(days=2)) == 0
    assert services.send_deadline_reminders(on=CANDIDATE_DEADLINE - timedelta(days=1)) == 1
    assert (
        "alice@example.com",
        f"Your application for nomination is due in 1 day ({invitation.eoi.external_id})",
    ) in _subjects()
    assert DeadlineReminder.objects.count() == 2


def test_a_party_that_has_filed_is_not_reminded(submitted: Application) -> None:
    assert services.send_deadline_reminders(on=EMPLOYER_DEADLINE - timedelta(days=1)) == 0
    assert services.send_deadline_reminders(on=CANDIDATE_DEADLINE - timedelta(days=3)) == 0


def test_an_awaited_answer_is_reminded(in_review: Application, olivia: Any) -> None:
    services.request_information(
        actor=olivia,
        application=in_review,
        party="candidate",
        text="Passport",
        respond_by=date(2025, 12, 1),
        now=IN_WINDOW,
    )
    before = OutgoingEmail.objects.count()
    assert services.send_deadline_reminders(on=date(2025, 11, 28)) == 1
    assert OutgoingEmail.objects.count() == before + 1
    assert (
        "Your answer to the program is due in 3 days"
        in OutgoingEmail.objects.order_by("-id")[0].subject
    )


def test_the_daily_command_sends_them(invitation: Invitation) -> None:
    out = StringIO()
    call_command("daily", "--date", (EMPLOYER_DEADLINE - timedelta(days=1)).isoformat(), stdout=out)
    assert "queued 1 deadline reminder(s)" in out.getvalue()
