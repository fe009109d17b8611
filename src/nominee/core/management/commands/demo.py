"""``nominee demo load``: fill the database with the demo program, step by step.

Each app may contribute a ``demo`` module with ``load(out) -> None``; the steps run in
the order below, each in its own transaction, and are skipped when the app has none.
Run it on a fresh database (``nominee migrate`` first); a second run refuses rather
than duplicating data.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from nominee.core.commands import NomineeCommand, bad_input

STEPS = [
    "nominee.accounts.demo",
    "nominee.employers.demo",
    "nominee.eois.demo",
    "nominee.draws.demo",
    "nominee.publication.demo",
    "nominee.casework.demo",
]


class Command(NomineeCommand):
    help = "Load the demo program (users, employers, a generated pool, 2025's draws)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load the demo data into an empty database")

    def run(self, *args: Any, **options: Any) -> None:
        from nominee.accounts.models import User

        if User.objects.filter(email="officer@demo.nominee.test").exists():
            raise bad_input("the demo is already loaded in this database")
        for name in STEPS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            started = time.monotonic()
            with transaction.atomic():
                module.load(self.stdout)
            self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("demo loaded"))
