"""``nominee score FILE|- [--at DATE]``: print the score JSON of one profile document."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from nominee.calculator.queries import score_document
from nominee.core import jsontext
from nominee.core.commands import NomineeCommand, bad_input


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_input(f"--at: {value!r} is not a date (YYYY-MM-DD)") from None


class Command(NomineeCommand):
    help = "Score one profile document (JSON file, or - for stdin) and print the score JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a profile document (JSON), or - for standard input")
        parser.add_argument("--at", help="score with the grid in force on this date (YYYY-MM-DD)")

    def run(self, *args: Any, **options: Any) -> None:
        at = _date(options["at"]) if options["at"] else None
        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            raise bad_input(f"{path}: no such file") from None
        except UnicodeDecodeError:
            raise bad_input(f"{path}: not a UTF-8 text file") from None
        try:
            document = jsontext.loads(text)
        except ValueError as error:  # json.JSONDecodeError, JsonTooDeep
            raise bad_input(f"{path}: not valid JSON ({error})") from None
        result = score_document(document, at=at)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
