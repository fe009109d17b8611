"""``nominee daily``: the three daily sweeps in one command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.audit.services import record
from nominee.core.timeutil import PROGRAM_TZ, start_of
from nominee.draws.models import Invitation
from nominee.employers.models import JobOffer
from nominee.eois.models import Candidate, ExpiryReminder
from tests.audit.triggers import lifted
from tests.dates import DRAW_DAY_2025
from tests.draws.pools import eoi_row, save_all
from tests.employers.conftest import bobs_bakery
from tests.factories import submit_offer

pytestmark = pytest.mark.django_db

DAY = date(2025, 10, 20)


def _daily(*args: str) -> list[str]:
    out = StringIO()
    call_command("daily", *args, stdout=out)
    return out.getvalue().splitlines()


def test_one_run_lapses_offers_reminds_candidates_and_expires_invitations(
    bob: User, alice: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    employer = bobs_bakery(bob)
    offer = submit_offer(bob, employer, on=DAY - timedelta(days=40))
    registered = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
    invited, expiring = save_all(
        [
            eoi_row(registered_at=registered, score=60, external_id="FW-INVITED"),
            eoi_row(registered_at=registered, score=40, external_id="FW-EXPIRING"),
        ]
    )
    expiring.candidate = Candidate.objects.get(user=alice)
    expiring.expires_at = start_of(DAY + timedelta(days=7)) + timedelta(hours=10)
    expiring.save(update_fields=["candidate", "expires_at"])
    with time_machine.travel(DRAW_DAY_2025, tick=True):  # a draw runs on its date
        call_command(
            "draw",
            "run",
            "--stream",
            "foreign-worker",
            "--invitations",
            "1",
            "--date",
            "2025-09-03",
            stdout=StringIO(),
        )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert _daily("--date", DAY.isoformat())[:3] == [
            "1 job offer(s) lapsed",
            "queued 1 expiry reminder(s)",
            "1 invitation(s) expired",
        ]
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.LAPSED
    # The 7-day reminder went out; the 30-day one, missed, is recorded as skipped.
    reminders = set(ExpiryReminder.objects.values_list("eoi", "days_before"))
    assert reminders == {(expiring.pk, 7), (expiring.pk, 30)}
    assert Invitation.objects.get().eoi == invited
    assert Invitation.objects.get().status == Invitation.Status.EXPIRED
    # Idempotent: a second run finds nothing left to do.
    again = _daily("--date", DAY.isoformat())
    assert again[:4] == [
        "0 job offer(s) lapsed",
        "queued 0 expiry reminder(s)",
        "0 invitation(s) expired",
        "queued 0 deadline reminder(s)",
    ]
    assert again[4].startswith(f"audit log: {AuditEvent.objects.count()} event(s) verified")


def test_a_broken_audit_chain_fails_the_daily_run_after_the_sweeps() -> None:
    event = record(actor=None, action="tests.event", subject_type="tests", subject_id=1)
    with transaction.atomic(), lifted(connection):
        AuditEvent.objects.filter(pk=event.pk).update(action="tests.tampered")
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("daily", "--date", DAY.isoformat(), stdout=out)
    assert refused.value.returncode == 1
    assert f"event #{event.pk} (seq 1, tests.tampered" in str(refused.value)
    assert out.getvalue().splitlines() == [
        "0 job offer(s) lapsed",
        "queued 0 expiry reminder(s)",
        "0 invitation(s) expired",
        "queued 0 deadline reminder(s)",
    ]


@pytest.mark.parametrize("bad", ["2025-13-01", "tomorrow"])
def test_a_bad_date_is_exit_code_2(bad: str) -> None:
    with pytest.raises(CommandError) as refused:
        _daily("--date", bad)
    assert refused.value.returncode == 2
    assert "YYYY-MM-DD" in str(refused.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["daily", "--date", "2025-13-01"],
        ["draw", "expire-invitations", "--today", "tomorrow"],
        ["eoi", "remind", "--date", "nope"],
    ],
)
def test_a_bad_date_on_the_command_line_is_a_message_and_exit_code_2(argv: list[str]) -> None:
    """Parsed before the command runs: Django itself would print a traceback and exit 1."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "nominee.cli", *argv],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "is not a date (YYYY-MM-DD)" in done.stderr
    assert "Traceback" not in done.stderr
