"""``nominee reference``: load shipped reference data, import a Job Bank wage file as a
dated version, list the wage table versions, or import Statistics Canada's French NOC
titles."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from nominee.core.commands import NomineeCommand
from nominee.core.errors import DomainError
from nominee.reference.queries import wage_versions
from nominee.reference.services import import_noc_titles_fr, import_wages, load_reference_data


class Command(NomineeCommand):
    help = (
        "Manage reference data: `load` the shipped files, `import-wages FILE` (Job Bank CSV, "
        "a new dated version), `wage-versions` (list them), `import-noc-titles-fr FILE` "
        "(Statistics Canada's French NOC 2021 file, official French titles)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="(Re)load the NOC, census division, list and wage files")
        wages = sub.add_parser(
            "import-wages",
            help="Import Job Bank wages (official open-data CSV or Nominee's table) as a new "
            "version in force from --effective; all or nothing",
        )
        wages.add_argument("file", help="CSV file, or - for standard input")
        wages.add_argument(
            "--effective",
            metavar="DATE",
            help="first day the figures apply, YYYY-MM-DD (default: today); it must be after "
            "the latest version's",
        )
        wages.add_argument(
            "--source", metavar="TEXT", help="where the figures come from (default: file name)"
        )
        sub.add_parser("wage-versions", help="List the wage table versions, the latest first")
        titles = sub.add_parser(
            "import-noc-titles-fr",
            help="Import the official French titles of the NOC 2021 unit groups from "
            "Statistics Canada's French classification CSV (CNP 2021); all or nothing",
        )
        titles.add_argument("file", help="CSV file (UTF-8 or Latin-1), or - for standard input")
        titles.add_argument(
            "--partial",
            action="store_true",
            help="accept a file without every unit group (the others keep their title)",
        )
        titles.add_argument(
            "--source", metavar="TEXT", help="where the titles come from (default: file name)"
        )

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            counts = load_reference_data()
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            return
        if options["action"] == "wage-versions":
            self._list_versions()
            return
        if options["action"] == "import-noc-titles-fr":
            self._import_titles(options)
            return
        path = options["file"]
        effective = None
        if options.get("effective"):
            try:
                effective = date.fromisoformat(options["effective"])
            except ValueError:
                raise CommandError(
                    f"--effective {options['effective']!r} is not a date (YYYY-MM-DD)",
                    returncode=2,
                ) from None
        source = options.get("source") or ("stdin" if path == "-" else Path(path).name)
        try:
            if path == "-":
                result = import_wages(sys.stdin, source=source, effective=effective)
            else:
                file = Path(path)
                if not file.is_file():
                    raise CommandError(f"{path}: no such file", returncode=2)
                with file.open(encoding="utf-8-sig", newline="") as handle:
                    result = import_wages(handle, source=source, effective=effective)
        except DomainError as error:
            lines = [error.message, *(m for msgs in error.fields.values() for m in msgs)]
            raise CommandError("\n".join(dict.fromkeys(lines)), returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not a UTF-8 text file", returncode=2) from None
        version = result.version
        assert version is not None
        self.stdout.write(
            f"imported {result.imported} wage figures ({result.skipped} rows outside Ontario) "
            f"as the version in force from {version.effective_from.isoformat()}"
        )

    def _import_titles(self, options: dict[str, Any]) -> None:
        path = options["file"]
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path}: no such file", returncode=2)
            data = file.read_bytes()
        source = options.get("source") or ("stdin" if path == "-" else Path(path).name)
        try:
            result = import_noc_titles_fr(data, source=source, partial=options["partial"])
        except DomainError as error:
            lines = [error.message, *(m for msgs in error.fields.values() for m in msgs)]
            raise CommandError("\n".join(dict.fromkeys(lines)), returncode=2) from None
        kept = f"; {len(result.missing)} keep their title" if result.missing else ""
        self.stdout.write(
            f"imported {result.imported} official French titles ({result.skipped} rows of "
            f"other levels skipped{kept}; read as {result.encoding})"
        )

    def _list_versions(self) -> None:
        versions = wage_versions()
        if not versions:
            self.stdout.write("no wage table versions")
            return
        self.stdout.write("effective_from  rows  imported_at       by      sha256        source")
        for v in versions:
            who = v.imported_by.email if v.imported_by else "system"
            self.stdout.write(
                f"{v.effective_from.isoformat()}  {v.rows:>5}  "
                f"{v.imported_at:%Y-%m-%d %H:%M}  {who}  {(v.sha256 or '-')[:12]:<12}  {v.source}"
            )
