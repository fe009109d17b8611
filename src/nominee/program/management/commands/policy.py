"""``nominee policy list|show|publish``: the published policy versions, and a manager's new one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from nominee.core import jsontext
from nominee.core.commands import NomineeCommand, bad_input, iso_date

from ...models import PolicyKind
from ...queries import policy_version, policy_versions, preview_policy_version
from ...services import publish_policy_version


class Command(NomineeCommand):
    help = "List, show or publish policy versions (the stream registry, policy, grids)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every version with its state today")
        listing.add_argument("--kind", choices=PolicyKind.values)
        listing.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="print one version's document")
        show.add_argument("--kind", choices=PolicyKind.values, required=True)
        show.add_argument("--date", type=iso_date, required=True, help="its effective date")
        publish = sub.add_parser("publish", help="publish a new version (or --dry-run)")
        publish.add_argument("--kind", choices=PolicyKind.values, required=True)
        publish.add_argument("file", help="the JSON document ('-' for standard input)")
        publish.add_argument("--effective", type=iso_date, required=True, help="YYYY-MM-DD")
        publish.add_argument("--reason", default="", help="why it is published")
        publish.add_argument(
            "--as", dest="as_user", help="e-mail of the publishing manager (default: the system)"
        )
        publish.add_argument(
            "--dry-run", action="store_true", help="print the preview, publish nothing"
        )
        publish.add_argument("--json", action="store_true", help="the preview as JSON")

    def run(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        rows = policy_versions(kind=options["kind"])
        if options["json"]:
            document = [
                {
                    "kind": r.version.kind,
                    "effective_from": r.version.effective_from.isoformat(),
                    "state": r.state.value,
                    "author": r.version.author.email if r.version.author else None,
                    "reason": r.version.reason,
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(document))
            return
        for r in rows:
            v = r.version
            author = v.author.email if v.author else "shipped"
            when = v.effective_from.isoformat()
            self.stdout.write(f"{v.kind:8} {when}  {r.state.value:10}  {author}: {v.reason}")

    def _show(self, options: dict[str, Any]) -> None:
        version = policy_version(options["kind"], options["date"])
        self.stdout.write(json.dumps(version.document, indent=2, ensure_ascii=False))

    def _publish(self, options: dict[str, Any]) -> None:
        document = _read_document(options["file"])
        actor = None
        if options["as_user"]:
            actor = (
                get_user_model()
                .objects.filter(email__iexact=options["as_user"], is_active=True)
                .first()
            )
            if actor is None:
                raise bad_input(f"--as: no active account {options['as_user']}")
        if options["dry_run"]:
            preview = preview_policy_version(
                kind=options["kind"], document=document, effective_from=options["effective"]
            )
            if options["json"]:
                self.stdout.write(json.dumps(preview.as_dict()))
                return
            self.stdout.write(
                f"{options['kind']} version from {options['effective'].isoformat()} "
                "(dry run: nothing published)"
            )
            for c in preview.changes:
                self.stdout.write(
                    f"  {c.stream or 'all streams'}: {c.parameter}: {c.old} -> {c.new}"
                )
            if not preview.changes:
                self.stdout.write("  no rule changes")
            self.stdout.write(
                f"live EOIs that would change score: {preview.changed} of {preview.live} "
                f"({preview.up} up, {preview.down} down)"
            )
            for i in preview.impact:
                self.stdout.write(
                    f"  {i.stream}: {i.changed} of {i.live} ({i.up} up, {i.down} down)"
                )
            return
        version = publish_policy_version(
            actor=actor,
            kind=options["kind"],
            document=document,
            effective_from=options["effective"],
            reason=options["reason"],
        )
        self.stdout.write(f"published {version}")


def _read_document(name: str) -> Any:
    try:
        text = Path("/dev/stdin" if name == "-" else name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise bad_input(f"cannot read {name}: {error}") from None
    try:
        return jsontext.loads(text)
    except ValueError as error:  # json.JSONDecodeError, JsonTooDeep
        raise bad_input(f"{name} is not valid JSON: {error}") from None
