"""``nominee publication import-draws FILE.csv``: load draws published elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from nominee.core.commands import NomineeCommand, bad_input
from nominee.publication.services import import_published_draws
from nominee.reference.services import data_file

SHIPPED = "oinp_draws.csv"


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
        imp.add_argument(
            "file", nargs="?", default=None, help="the CSV file (- for stdin; omit with --shipped)"
        )
        imp.add_argument(
            "--replace",
            action="store_true",
            help=(
                "the file is the whole published record: imported draws it does not contain "
                "are removed (a corrected record that splits an aggregate into its draws)"
            ),
        )
        imp.add_argument(
            "--shipped",
            action="store_true",
            help=f"import the record shipped with Nominee ({SHIPPED}), replacing the stored one",
        )
        imp.add_argument(
            "--source",
            default=None,
            help="the name recorded as the draws' origin (default: the file's name)",
        )

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-draws":
            name = options["file"]
            replace = bool(options["replace"])
            if options["shipped"]:
                if name is not None:
                    raise bad_input("give a FILE or --shipped, not both")
                text = data_file(SHIPPED)
                source = options["source"] or SHIPPED
                replace = True
            elif name is None:
                raise bad_input("give the CSV file to import (or --shipped)")
            elif name == "-":
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
            result = import_published_draws(text=text, source_file=source, replace=replace)
            removed = f", {result.removed} removed" if replace else ""
            self.stdout.write(
                f"{result.total} draws read: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged{removed}"
            )
