"""``nominee draw``: run a draw (INTERFACES §3), execute a proposed one, show one, sweep.

``nominee draw run`` previews (``--dry-run``) or executes a draw as the system: the
command line is the operator's tool, so the draw is recorded with no portal user and
``via: cli`` in the audit log (docs/draws.md). ``nominee draw execute ID --as EMAIL``
executes a draw proposed in the portal on behalf of an officer or manager, under the same
rules as the page (two-person rule included).

Both are idempotent (decision 75, docs/draws.md): run again after a crash, or while the
first is still committing, they draw nothing, print the draw that committed (the same
output, ``--json`` included), say so on stderr and exit 0. A draw dated before today is
refused (exit 2), whichever way it is asked for; ``--dry-run`` previews any date.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from nominee.accounts.models import User
from nominee.core import timeutil
from nominee.core.commands import NomineeCommand, bad_input, iso_date
from nominee.core.errors import Conflict
from nominee.draws.criteria import EDUCATION_ORDER, REGIONS, parse_criteria, split_codes
from nominee.draws.models import Draw
from nominee.draws.queries import preview
from nominee.draws.services import DrawResult, execute_draw, expire_invitations, run_draw
from nominee.program import streams


def read_noc_file(path: str) -> list[str]:
    """NOC codes from a file: one code per line, or a CSV with a ``code`` column.

    Blank lines and lines starting with ``#`` are ignored in the one-per-line form.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise bad_input(f"--noc-file: cannot read {path}: {error.strerror}") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = [cell.strip().lower() for cell in next(csv.reader([lines[0]]))]
    if "code" in header:
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
        return [row["code"].strip() for row in reader if (row.get("code") or "").strip()]
    if len(header) > 1:
        raise bad_input(f"--noc-file: {path} is a CSV file without a 'code' column")
    return [line.strip() for line in lines if not line.strip().startswith("#")]


class Command(NomineeCommand):
    help = "Run, execute or show draws; expire unanswered invitations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        run = sub.add_parser(
            "run",
            help="preview (--dry-run) or execute a draw as the system",
            description=(
                "Preview (--dry-run) or execute a draw. Exit code 2 for bad input, a draw "
                "dated before today included. Run again with the same criteria and date "
                "after a crash, it prints the draw that committed and draws nothing (exit 0)."
            ),
        )
        run.add_argument("--stream", required=True, help="one of: " + ", ".join(streams.codes()))
        run.add_argument(
            "--pathway",
            action="append",
            default=[],
            help="a pathway of the stream, e.g. teer-0-3 (repeat for several; default: all)",
        )
        run.add_argument("--invitations", type=int, help="invite the top N")
        run.add_argument("--min-score", type=int, help="invite only scores of X and above")
        run.add_argument("--noc", action="append", default=[], help="comma-separated NOC codes")
        run.add_argument(
            "--noc-file", help="a file with one NOC code per line, or a CSV with a code column"
        )
        run.add_argument(
            "--occupation-list", help="the slug of a named occupation list (reference data)"
        )
        run.add_argument(
            "--region",
            action="extend",
            nargs="+",
            default=[],
            metavar="REGION",
            # Checked by parse_criteria (not argparse's choices) so that a bad value is
            # bad input like every other criterion: the message and exit code 2.
            help="job location region, read in the region table of the draw date, one of: "
            + ", ".join(REGIONS)
            + " (repeat for several)",
        )
        run.add_argument(
            "--place-list",
            help="the slug of a named list of census divisions, e.g. redi-communities",
        )
        run.add_argument(
            "--census-division",
            action="extend",
            nargs="+",
            default=[],
            help="job location census division, e.g. 3553 (repeat for several)",
        )
        run.add_argument("--registered-from", help="first registration date (inclusive)")
        run.add_argument("--registered-to", help="last registration date (inclusive)")
        run.add_argument("--in-canada", action="store_true", help="candidates in Canada only")
        run.add_argument("--min-education", choices=EDUCATION_ORDER, help="minimum education")
        run.add_argument("--min-french-clb", type=int, help="minimum French CLB")
        run.add_argument("--date", help="the draw date (default: today)")
        run.add_argument("--note", default="", help="a note recorded with the draw")
        run.add_argument(
            "--idempotency-key",
            metavar="KEY",
            help="a key of your own, to run a second draw with the same criteria on the "
            "same day (default: the criteria and the date identify the draw)",
        )
        run.add_argument("--dry-run", action="store_true", help="preview; write nothing")
        run.add_argument("--json", action="store_true", help="print the draw result JSON")

        execute = sub.add_parser("execute", help="execute a draw proposed in the portal")
        execute.add_argument("draw", type=int, help="the draw's number")
        execute.add_argument(
            "--as", dest="as_user", required=True, help="e-mail of the executing officer/manager"
        )
        execute.add_argument("--json", action="store_true", help="print the draw result JSON")

        show = sub.add_parser("show", help="print a draw's result")
        show.add_argument("draw", type=int)
        show.add_argument("--json", action="store_true", help="print the draw result JSON")

        expire = sub.add_parser(
            "expire-invitations", help="the daily sweep: expire unanswered invitations"
        )
        expire.add_argument("--today", type=iso_date, help="the sweep's date (default: today)")

    def run(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "run":
            self._run(options)
        elif action == "execute":
            self._execute(options)
        elif action == "show":
            self._show(options)
        else:
            self._expire(options)

    def _report(self, result: DrawResult, as_json: bool) -> None:
        """Print a result; for a repeated request, say on stderr that nothing was drawn."""
        if result.repeated and result.draw is not None:
            draw = Draw.objects.get(pk=result.draw)
            executed = timeutil.program_date(draw.executed_at) if draw.executed_at else None
            self.stderr.write(
                _(
                    "draw %(id)s was already executed (on %(at)s): nothing was drawn again; "
                    "its result follows"
                )
                % {"id": draw.pk, "at": executed.isoformat() if executed else "?"}
            )
        self._print(result.to_document(), as_json)

    def _print(self, document: dict[str, Any], as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(document))
            return
        verb = "executed" if document["executed"] else "dry run (nothing written)"
        number = f"draw {document['draw']}" if document["draw"] is not None else "draw"
        self.stdout.write(f"{number} {document['stream']} {document['date']}: {verb}")
        self.stdout.write(f"  eligible:    {document['eligible']}")
        self.stdout.write(f"  invitations: {document['invitations']}")
        self.stdout.write(f"  min score:   {document['min_score']}")
        self.stdout.write(f"  tie-break:   {document['tie_break']}")

    def _run(self, options: dict[str, Any]) -> None:
        codes = split_codes(options["noc"])
        if options["noc_file"]:
            codes += read_noc_file(options["noc_file"])
        if options["noc_file"] and not codes:
            raise bad_input(f"--noc-file: {options['noc_file']} holds no NOC code")
        criteria = parse_criteria(
            {
                "stream": options["stream"],
                "invitations": options["invitations"],
                "min_score": options["min_score"],
                "occupation_list": options["occupation_list"],
                "noc_codes": codes,
                "pathways": options["pathway"],
                "regions": options["region"],
                "census_divisions": options["census_division"],
                "place_list": options["place_list"],
                "registered_from": options["registered_from"],
                "registered_to": options["registered_to"],
                "in_canada_only": options["in_canada"],
                "min_education": options["min_education"],
                "min_french_clb": options["min_french_clb"],
                "draw_date": options["date"],
            }
        )
        if options["dry_run"]:
            result = preview(criteria).result()
        else:
            result = run_draw(
                criteria=criteria, note=options["note"], key=options["idempotency_key"]
            )
        self._report(result, options["json"])

    def _execute(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(email__iexact=options["as_user"], is_active=True).first()
        if user is None:
            raise bad_input(f"--as: no active account {options['as_user']}")
        try:
            result = execute_draw(actor=user, draw=options["draw"])
        except Conflict as error:
            # Executed already (by this command before a crash, or by anyone): its result.
            if error.code != "draw.already_executed":
                raise
            draw = Draw.objects.get(pk=options["draw"])
            result = DrawResult.of_draw(draw, repeated=True)
        self._report(result, options["json"])

    def _show(self, options: dict[str, Any]) -> None:
        draw = Draw.objects.filter(pk=options["draw"]).first()
        if draw is None:
            raise bad_input(f"no draw {options['draw']}")
        self._print(DrawResult.of_draw(draw).to_document(), options["json"])

    def _expire(self, options: dict[str, Any]) -> None:
        count = expire_invitations(today=options["today"])
        self.stdout.write(f"{count} invitation(s) expired")
