"""``nominee nominations export [--year Y] [FILE]``: the federal partner's file (INTERFACES §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from nominee.core.commands import NomineeCommand, bad_input
from nominee.core.timeutil import today

from ...queries import nominations_csv


class Command(NomineeCommand):
    help = "Export the year's nominations as CSV for the federal partner."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="one CSV row per nomination")
        export.add_argument("--year", type=int, help="default: this year (Toronto)")
        export.add_argument("file", nargs="?", help="write here instead of stdout")

    def run(self, *args: Any, **options: Any) -> None:

        text = nominations_csv(options["year"] or today().year)
        if options["file"]:
            try:
                Path(options["file"]).write_text(text, encoding="utf-8")
            except OSError as error:
                raise bad_input(f"cannot write {options['file']}: {error.strerror}") from None
            self.stderr.write(f"{text.count(chr(10)) - 1} nomination(s) written")
            return
        self.stdout.write(text, ending="")
