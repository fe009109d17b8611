"""``nominee audit verify [--expect SEQ:HASH]``: check the audit log's hash chain.

Exit 0 when every event holds (it prints how many and the head, ``SEQ:HASH``: keep that
line somewhere the database's users cannot write, and pass it back as ``--expect`` to
prove the log was not rewritten since); exit 1 naming the first event that breaks the
chain; exit 2 for bad input.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nominee.audit.queries import verify
from nominee.core.commands import NomineeCommand, bad_input

_ANCHOR = re.compile(r"(?P<seq>[1-9][0-9]{0,18}):(?P<hash>[0-9a-f]{64})")


def anchor(text: str) -> tuple[int, str]:
    """An argparse ``type``: a head printed by an earlier run, ``SEQ:HASH``; else exit 2."""
    found = _ANCHOR.fullmatch(text.strip().lower())
    if found is None:
        raise bad_input(
            f"{text!r} is not a head printed by `nominee audit verify` (SEQ:HASH, "
            "SEQ an event number, HASH 64 hexadecimal digits)"
        )
    return int(found["seq"]), found["hash"]


class Command(NomineeCommand):
    help = "Verify the audit log's hash chain: exit 1 naming the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "verify", help="recompute every event's hash and check each link and the head"
        )
        check.add_argument(
            "--expect",
            type=anchor,
            metavar="SEQ:HASH",
            help="a head printed by an earlier run: event SEQ must still have that hash",
        )

    def run(self, *args: Any, **options: Any) -> None:
        outcome = verify(expect=options["expect"])
        if not outcome.ok:
            raise CommandError(outcome.report(), returncode=1)
        self.stdout.write(outcome.report())
