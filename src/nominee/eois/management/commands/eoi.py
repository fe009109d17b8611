"""``nominee eoi``: bulk paths of the pool (spec/INTERFACES.md §3).

nominee eoi import FILE.jsonl [--skip-invalid]
nominee eoi export [--stream S] [FILE]
nominee eoi generate --count N --seed S [--from DATE] [--to DATE] [FILE]
nominee eoi remind [--date DATE]
nominee eoi withdraw-closed --stream S [--dry-run] [--as EMAIL]
nominee eoi carry-over EXTERNAL_ID --as EMAIL [--json]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from json import dumps
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandParser

from nominee.accounts.models import User
from nominee.core.commands import NomineeCommand, bad_input, iso_date
from nominee.eois import generate
from nominee.eois.bulk.write import refresh_pool_statistics
from nominee.eois.models import EOI
from nominee.eois.queries import export_lines
from nominee.eois.services import (
    ImportRefused,
    carry_over_eoi,
    import_eois,
    send_expiry_reminders,
    withdraw_closed_stream_eois,
)
from nominee.program import streams


@contextmanager
def _output(path: str | None, stdout: Any) -> Iterator[Callable[[str], None]]:
    """A function writing one line to the file, or to the command's stdout."""
    if path in (None, "-"):
        yield stdout.write  # the OutputWrapper ends each line itself
        return
    assert path is not None
    try:
        handle = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as error:
        raise bad_input(f"cannot write {path}: {error.strerror}") from None
    with handle:

        def write(line: str) -> None:
            handle.write(line + "\n")

        yield write


class Command(NomineeCommand):
    help = "Import, export and generate EOI profile documents (JSONL); send expiry reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="load profile documents, one per line, scoring each; all or nothing",
        )
        imp.add_argument("file", help="the JSONL file (- for stdin)")
        imp.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid lines and report the invalid ones",
        )
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")
        exp = sub.add_parser("export", help="write the pool's profile documents as JSONL")
        exp.add_argument("file", nargs="?", help="output file (default: stdout)")
        exp.add_argument("--stream", choices=streams.codes(), help="one stream only")
        gen = sub.add_parser("generate", help="write a synthetic pool as JSONL")
        gen.add_argument("file", nargs="?", help="output file (default: stdout)")
        gen.add_argument("--count", type=int, required=True, help="how many EOIs")
        gen.add_argument("--seed", type=int, required=True, help="the same seed, the same file")
        gen.add_argument(
            "--from",
            dest="start",
            type=iso_date,
            help="first registration date (default 2025-07-02)",
        )
        gen.add_argument(
            "--to", dest="end", type=iso_date, help="last registration date (default 2025-09-03)"
        )
        gen.add_argument(
            "--first-number", type=int, default=1, help="number of the first id (default 1)"
        )
        gen.add_argument(
            "--stream",
            dest="streams",
            action="append",
            choices=streams.codes(),
            help="only these streams (repeat)",
        )
        gen.add_argument(
            "--no-candidates",
            action="store_true",
            help="leave out candidate_name and candidate_email",
        )
        rem = sub.add_parser("remind", help="send the expiry reminders due (run daily)")
        rem.add_argument("--date", type=iso_date, help="as of this program date (default today)")
        wdr = sub.add_parser(
            "withdraw-closed",
            help=(
                "withdraw every active, unexpired EOI of a stream closed today (DOMAIN §9): "
                "all or nothing; each party notified; prints the count"
            ),
        )
        wdr.add_argument("--stream", required=True, help="the closed stream's code")
        wdr.add_argument(
            "--dry-run", action="store_true", help="count what would be withdrawn; write nothing"
        )
        wdr.add_argument(
            "--as",
            dest="as_user",
            default=None,
            help="e-mail of the acting manager (default: the console, recorded as the system)",
        )
        carry = sub.add_parser(
            "carry-over",
            help="the prefilled profile document of an EOI carried over from one withdrawn "
            "by its stream's closing",
        )
        carry.add_argument("external_id", help="the withdrawn EOI's id, e.g. FW-7K3M9Q2D")
        carry.add_argument(
            "--as",
            dest="as_user",
            required=True,
            help="e-mail of the candidate (or their appointed representative)",
        )
        carry.add_argument("--json", action="store_true", help="print the profile document as JSON")

    def run(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"].replace("-", "_"))(**options)

    # ---- withdraw-closed ----------------------------------------------------------

    def _withdraw_closed(
        self, *, stream: str, dry_run: bool, as_user: str | None, **_: Any
    ) -> None:
        actor = None
        if as_user is not None:
            actor = User.objects.filter(email__iexact=as_user, is_active=True).first()
            if actor is None:
                raise bad_input(f"--as: no active account {as_user}")
        result = withdraw_closed_stream_eois(actor=actor, stream=stream, dry_run=dry_run)
        if result.dry_run:
            self.stdout.write(
                f"{result.count} EOIs of {result.stream_name} (closed on "
                f"{result.closed_on.isoformat()}) would be withdrawn and "
                f"{result.job_offers} job offers released (dry run: nothing written)"
            )
        elif result.count == 0:
            self.stdout.write(
                f"0 EOIs withdrawn: {result.stream_name} has no active EOI left to withdraw"
            )
        else:
            self.stdout.write(
                f"{result.count} EOIs of {result.stream_name} withdrawn on "
                f"{result.on.isoformat()}, {result.job_offers} job offers released, "
                f"notices queued in {result.batches} batches"
            )

    # ---- carry-over -----------------------------------------------------------------

    def _carry_over(self, *, external_id: str, as_user: str, json: bool, **_: Any) -> None:
        user = User.objects.filter(email__iexact=as_user, is_active=True).first()
        if user is None:
            raise bad_input(f"--as: no active account {as_user}")
        eoi = EOI.objects.filter(external_id=external_id).select_related("candidate").first()
        if eoi is None:
            raise bad_input(f"no such EOI {external_id}")
        carried = carry_over_eoi(actor=user, eoi=eoi)
        if json:
            self.stdout.write(dumps(carried.document, indent=2))
            return
        score = carried.score
        self.stdout.write(
            f"{external_id} -> {carried.stream}, pathway {carried.pathway or '(choose one)'}"
            + (f", score {score.total} of {score.max}" if score is not None else "")
        )
        for failure in carried.failures:
            self.stdout.write(f"  {failure.severity}: {failure.message} ({failure.rule})")

    # ---- import -------------------------------------------------------------------

    def _import(self, *, file: str, skip_invalid: bool, no_progress: bool, **_: Any) -> None:
        if file == "-":
            handle: IO[str] = sys.stdin
            total = None
        else:
            path = Path(file)
            try:
                handle = path.open(encoding="utf-8")
            except OSError as error:
                raise bad_input(f"cannot read {file}: {error.strerror}") from None
            total = path.stat().st_size
        show = not no_progress and self.stderr.isatty() if hasattr(self.stderr, "isatty") else False
        try:
            with handle, _progress(show, total, handle) as progress:
                result = import_eois(
                    actor=None,
                    lines=handle,
                    skip_invalid=skip_invalid,
                    progress=progress,
                    source=file,
                )
        except ImportRefused as refused:
            for number, messages in refused.result.invalid[:200]:
                for message in messages:
                    self.stderr.write(f"line {number}: {message}")
            if len(refused.result.invalid) > 200:
                self.stderr.write(
                    f"... and {len(refused.result.invalid) - 200} more invalid line(s)"
                )
            raise bad_input(refused.message) from None
        except UnicodeDecodeError as error:
            raise bad_input(f"{file} is not UTF-8 text: {error.reason}") from None
        for number, messages in result.invalid:
            for message in messages:
                self.stderr.write(f"line {number}: skipped: {message}")
        refresh_pool_statistics(result.imported)
        self.stdout.write(
            f"imported {result.imported} EOI(s), created {result.candidates} candidate(s), "
            f"skipped {result.invalid_count} invalid line(s) of {result.lines}"
        )

    # ---- export -------------------------------------------------------------------

    def _export(self, *, file: str | None, stream: str | None, **_: Any) -> None:
        count = 0
        with _output(file, self.stdout) as write:
            for line in export_lines(stream=stream):
                write(line)
                count += 1
        if file not in (None, "-"):
            self.stdout.write(f"exported {count} EOI(s) to {file}")

    # ---- generate -----------------------------------------------------------------

    def _generate(
        self,
        *,
        file: str | None,
        count: int,
        seed: int,
        start: date | None,
        end: date | None,
        first_number: int,
        streams: list[str] | None,
        no_candidates: bool,
        **_: Any,
    ) -> None:
        if count < 0:
            raise bad_input("--count must not be negative")
        if first_number < 0:
            raise bad_input("--first-number must not be negative")
        try:
            lines = generate.generate_lines(
                count=count,
                seed=seed,
                start=start or generate.DEFAULT_FROM,
                end=end or generate.DEFAULT_TO,
                first_number=first_number,
                candidates=not no_candidates,
                streams=streams,
            )
            with _output(file, self.stdout) as write:
                for line in lines:
                    write(line)
        except ValueError as error:
            raise bad_input(str(error)) from None
        if file not in (None, "-"):
            self.stdout.write(f"generated {count} profile document(s) in {file}")

    # ---- remind -------------------------------------------------------------------

    def _remind(self, *, date: date | None, **_: Any) -> None:
        sent = send_expiry_reminders(on=date)
        self.stdout.write(f"queued {sent} expiry reminder(s)")


@contextmanager
def _progress(show: bool, total: int | None, handle: Any) -> Iterator[Any]:
    """A rich progress bar on a terminal (bytes read of the file); nothing otherwise."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("importing"),
        BarColumn(),
        TextColumn("{task.fields[lines]} lines"),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        job = bar.add_task("import", total=total, lines=0)

        def update(lines: int) -> None:
            try:
                position = handle.buffer.tell() if total else None
            except (OSError, AttributeError, ValueError):
                position = None
            bar.update(job, completed=position, lines=lines)

        yield update
