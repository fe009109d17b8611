"""``nominee daily [--date YYYY-MM-DD]``: the program's daily sweeps, one cron line.

Each sweep is also a command of its own (``nominee employer sweep-lapsed``, ``nominee
eoi remind``, ``nominee draw expire-invitations``); this runs all three in that order,
then the casework deadline reminders (3 and 1 days before, policy data),
as the day begins (the date given, else today in the program's time zone). Each is its
own transaction and idempotent, so a run that failed half-way is simply run again.
Then ``nominee audit verify`` checks the audit log's chain: a broken one is exit 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from nominee.casework.services import send_deadline_reminders
from nominee.core.commands import NomineeCommand, iso_date
from nominee.core.timeutil import start_of, today
from nominee.draws.services import expire_invitations
from nominee.employers.services import lapse_job_offers
from nominee.eois.services import send_expiry_reminders


class Command(NomineeCommand):
    help = "Run the daily sweeps (offers, reminders, invitations), then verify the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=iso_date, help="the day to sweep for (YYYY-MM-DD; default: today)"
        )

    def run(self, *args: Any, **options: Any) -> None:
        day = options["date"] or today()
        # Without a date, offers lapse as of now; with one, as that day begins.
        lapsed = lapse_job_offers(now=start_of(day) if options["date"] else None)
        self.stdout.write(f"{lapsed} job offer(s) lapsed")
        reminded = send_expiry_reminders(on=day)
        self.stdout.write(f"queued {reminded} expiry reminder(s)")
        expired = expire_invitations(today=day)
        self.stdout.write(f"{expired} invitation(s) expired")
        deadlines = send_deadline_reminders(on=day)
        self.stdout.write(f"queued {deadlines} deadline reminder(s)")
        call_command("audit", "verify", stdout=self.stdout)
