"""The ``nominee`` console script: Django's management commands under one name.

``nominee job-offer show ID`` runs the ``job_offer`` command: a dash in a command name
is accepted for the underscore Python module names need.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command as ``nominee COMMAND ...``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nominee.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "nominee"
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
