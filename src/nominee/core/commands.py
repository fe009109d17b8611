"""A base for Nominee's management commands: domain errors become exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nominee.core.errors import DomainError


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
    ``returncode=2`` is also bad input; any other exception is a bug and exits 1.
    """

    def handle(self, *args: Any, **options: Any) -> str | None:
        for hook in _before_command:
            hook()
        try:
            return self.run(*args, **options)
        except DomainError as error:
            raise CommandError(domain_error_message(error), returncode=2) from None

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


def bad_input(message: str) -> CommandError:
    """A CommandError for bad input: exit code 2."""
    return CommandError(message, returncode=2)


def iso_date(text: str) -> date:
    """An argparse ``type`` for a date option: ``YYYY-MM-DD``, else exit code 2."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise bad_input(f"{text!r} is not a date (YYYY-MM-DD)") from None
