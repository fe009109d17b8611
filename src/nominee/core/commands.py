"""A base for Nominee's management commands: bad input becomes a message and exit code 2.

Besides ``DomainError``, a few error classes are always the input's fault, not a bug, and
are mapped here once for every command (``BAD_INPUT``): a date with no policy in force or
past the calendar's ends, JSON nested too deeply, text that is not UTF-8, a value the
database refuses (a NUL character on PostgreSQL); and a database with unapplied
migrations says to run ``nominee migrate``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, DataError, connections
from django.db.migrations.executor import MigrationExecutor

from nominee.core.errors import DomainError
from nominee.core.jsontext import JsonTooDeep
from nominee.scoring.policy import NotInForce

MIGRATE = "the database is not migrated: run `nominee migrate` first"

#: Error classes that are bad input wherever they arise, with the message shown (None: the
#: error's own text).
BAD_INPUT: tuple[tuple[type[BaseException], str | None], ...] = (
    (NotInForce, None),
    (JsonTooDeep, None),
    (RecursionError, "the input is nested too deeply"),
    (OverflowError, "a date is out of range: the calendar runs from 0001-01-01 to 9999-12-31"),
    (UnicodeDecodeError, "the input is not UTF-8 text"),
)


def domain_error_message(error: DomainError) -> str:
    """The message and each field's messages, one per line, as a person reads them."""
    lines = [error.message]
    for field, messages in error.fields.items():
        lines.extend(f"  {field}: {message}" for message in messages)
    return "\n".join(lines)


#: Run at the start of every command; registered by the apps above core (program installs
#: the database's policy versions), so that core imports none of them.
_before_command: list[Callable[[], Any]] = []


def before_command(hook: Callable[[], Any]) -> None:
    """Run ``hook`` at the start of every ``NomineeCommand`` (once per function)."""
    if hook not in _before_command:
        _before_command.append(hook)


class NomineeCommand(BaseCommand):
    """Runs ``run()`` and turns a ``DomainError`` into a message on stderr and exit code 2.

    Subclasses implement ``run`` instead of ``handle``. ``CommandError`` raised with
    ``returncode=2`` is also bad input, and so is each class of ``BAD_INPUT``; any other
    exception is a bug and exits 1.
    """

    def handle(self, *args: Any, **options: Any) -> str | None:
        try:
            for hook in _before_command:
                hook()
            return self.run(*args, **options)
        except DomainError as error:
            raise CommandError(domain_error_message(error), returncode=2) from None
        except DataError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise bad_input(f"the database refused a value: {first}") from None
        except DatabaseError:
            if unmigrated():
                raise bad_input(MIGRATE) from None
            raise
        except Exception as error:
            for kind, message in BAD_INPUT:
                if isinstance(error, kind):
                    raise bad_input(message or str(error)) from None
            raise

    def run(self, *args: Any, **options: Any) -> str | None:
        """The command's work."""
        raise NotImplementedError

    def run_from_argv(self, argv: list[str]) -> None:
        """As Django's, and a ``CommandError`` raised while parsing the options (an option's
        ``type``, such as ``iso_date``) is a message and its exit code too, not a traceback:
        Django catches only those raised once the options are parsed."""
        try:
            super().run_from_argv(argv)
        except CommandError as error:
            self.stderr.write(f"CommandError: {error}")
            sys.exit(error.returncode)


def unmigrated(using: str = "default") -> bool:
    """Whether the database has migrations to apply (or cannot even say: no tables)."""
    connection = connections[using]
    try:
        if connection.in_atomic_block:
            return False  # a test's transaction, or a command's own: not the place to look
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True


def bad_input(message: str) -> CommandError:
    """A CommandError for bad input: exit code 2."""
    return CommandError(message, returncode=2)


def iso_date(text: str) -> date:
    """An argparse ``type`` for a date option: ``YYYY-MM-DD``, else exit code 2."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise bad_input(f"{text!r} is not a date (YYYY-MM-DD)") from None
