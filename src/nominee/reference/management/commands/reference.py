"""``nominee reference``: load shipped reference data or import a Job Bank wage file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nominee.core.errors import DomainError
from nominee.reference.services import import_wages, load_reference_data


class Command(BaseCommand):
    help = "Manage reference data: `load` the shipped files, `import-wages FILE` (Job Bank CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="(Re)load the NOC, census division, list and wage files")
        wages = sub.add_parser(
            "import-wages",
            help="Import Job Bank wages (official open-data CSV or Nominee's table); "
            "all or nothing",
        )
        wages.add_argument("file", help="CSV file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            counts = load_reference_data()
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            return
        path = options["file"]
        try:
            if path == "-":
                result = import_wages(sys.stdin, source="stdin")
            else:
                file = Path(path)
                if not file.is_file():
                    raise CommandError(f"{path}: no such file", returncode=2)
                with file.open(encoding="utf-8-sig", newline="") as handle:
                    result = import_wages(handle, source=file.name)
        except DomainError as error:
            lines = [error.message, *(m for msgs in error.fields.values() for m in msgs)]
            raise CommandError("\n".join(lines), returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not a UTF-8 text file", returncode=2) from None
        self.stdout.write(
            f"imported {result.imported} wage figures ({result.skipped} rows outside Ontario)"
        )
