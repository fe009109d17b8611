"""``nominee demo load``: fill the database with the demo program, step by step.

The steps are the modules of ``nominee.demo.STEPS``, each with ``load(out) -> None``; they
run in that order, each in its own transaction.
Run it on a fresh database (``nominee migrate`` first); a second run refuses rather
than duplicating data (exit 2), or with ``--if-empty`` (``make demo``) says so and exits 0.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from nominee.accounts.models import User
from nominee.core.commands import NomineeCommand, bad_input
from nominee.demo import STEPS


class Command(NomineeCommand):
    help = "Load the demo program (users, employers, a generated pool, 2025's draws)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load the demo data into an empty database")
        load.add_argument(
            "--if-empty",
            action="store_true",
            help="when the demo is loaded already, say so and exit 0 (make demo)",
        )

    def run(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(email="officer@demo.nominee.test").exists():
            if options.get("if_empty"):
                self.stdout.write("the demo is already loaded in this database: kept as it is")
                return
            raise bad_input("the demo is already loaded in this database")
        for name in STEPS:
            module = importlib.import_module(name)
            started = time.monotonic()
            with transaction.atomic():
                module.load(self.stdout)
            self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("demo loaded"))
