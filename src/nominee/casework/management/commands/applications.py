"""``nominee applications return --stream S [--submitted-before D] --reason TEXT``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from nominee.core.commands import NomineeCommand, iso_date
from nominee.scoring.policy import STREAMS

from ...services import return_applications


class Command(NomineeCommand):
    help = "Bulk casework: return every undecided application of a stream, fee refunded."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ret = sub.add_parser("return", help="return undecided applications unprocessed")
        ret.add_argument("--stream", required=True, choices=STREAMS)
        ret.add_argument("--submitted-before", type=iso_date, help="YYYY-MM-DD (Toronto)")
        ret.add_argument("--reason", required=True, help="told to each party")

    def run(self, *args: Any, **options: Any) -> None:

        count = return_applications(
            actor=None,
            stream=options["stream"],
            reason=options["reason"],
            submitted_before=options["submitted_before"],
        )
        self.stdout.write(f"{count} application(s) returned")
