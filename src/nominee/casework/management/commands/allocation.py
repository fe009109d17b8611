"""``nominee allocation show|set`` (INTERFACES §5): the year's nominations, set by managers."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from nominee.core.commands import NomineeCommand
from nominee.core.timeutil import today
from nominee.program.models import SpentPolicy
from nominee.scoring.policy import STREAMS

from ...queries import allocation_document
from ...services import set_allocation


class Command(NomineeCommand):
    help = "Show or set a year's nomination allocation (optionally by stream)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="the year's allocation, issued and remaining")
        show.add_argument("--year", type=int, help="default: this year (Toronto)")
        show.add_argument("--json", action="store_true", help="INTERFACES §5's document")
        put = sub.add_parser("set", help="set the year's allocation, or a stream's share")
        put.add_argument("--year", type=int, required=True)
        put.add_argument("--nominations", type=int, required=True)
        put.add_argument("--stream", choices=STREAMS, help="set this stream's share instead")
        put.add_argument(
            "--when-spent",
            choices=SpentPolicy.values,
            help="hold approvable files for next year, or return them refunded",
        )
        put.add_argument("--source", default="", help="where the figure comes from")

    def run(self, *args: Any, **options: Any) -> None:

        if options["action"] == "set":
            set_allocation(
                year=options["year"],
                nominations=options["nominations"],
                actor=None,
                source=options["source"],
                stream=options["stream"],
                when_spent=options["when_spent"],
            )
            options["json"] = False
        document = allocation_document(options["year"] or today().year)
        if options["json"]:
            self.stdout.write(json.dumps(document))
            return
        self.stdout.write(
            f"{document['year']}: {document['nominations']} nominations, "
            f"{document['issued']} issued, {document['remaining']} remaining"
        )
        for stream, row in document["by_stream"].items():
            share = row["nominations"] if row["nominations"] is not None else "-"
            self.stdout.write(f"  {stream}: share {share}, issued {row['issued']}")
