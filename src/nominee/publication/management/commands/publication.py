"""``nominee publication import-draws FILE.csv``: load draws published elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from nominee.core.commands import NomineeCommand, bad_input
from nominee.publication.services import import_published_draws


class Command(NomineeCommand):
    help = "The public record of draws: import-draws FILE.csv loads draws published elsewhere."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-draws",
            help=(
                "load a CSV of published draws (date, stream, draw_type, invitations, "
                "min_score, profiles_from, profiles_to, targeting_notes, source_url; empty = "
                "unknown); all or nothing; re-importing the same rows changes nothing"
            ),
        )
        imp.add_argument("file", help="the CSV file (- for stdin)")
        imp.add_argument(
            "--source",
            default=None,
            help="the name recorded as the draws' origin (default: the file's name)",
        )

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-draws":
            name = options["file"]
            if name == "-":
                text = sys.stdin.read()
                source = options["source"] or "stdin"
            else:
                path = Path(name)
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except FileNotFoundError:
                    raise bad_input(f"{name}: no such file") from None
                except (OSError, UnicodeDecodeError) as error:
                    raise bad_input(f"{name}: cannot read it ({error})") from None
                source = options["source"] or path.name
            result = import_published_draws(text=text, source_file=source)
            self.stdout.write(
                f"{result.total} draws read: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
