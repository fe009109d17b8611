"""``nominee draw run`` exactly as INTERFACES §3 says: flags, JSON, dry run, exit codes."""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime, time, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nominee.audit.models import AuditEvent
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI
from nominee.scoring.policy import policy_at
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import eoi_row, save_all

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]


def _pool() -> None:
    base = datetime.combine(date(2025, 8, 1), time(9, 12, 44), tzinfo=PROGRAM_TZ)
    save_all(
        [
            eoi_row(registered_at=base, score=50, external_id="FW-000001"),
            eoi_row(registered_at=base + timedelta(days=1), score=50, external_id="FW-000002"),
            eoi_row(registered_at=base, score=44, noc="31301", external_id="FW-000003"),
            eoi_row(
                registered_at=base,
                score=60,
                region="northern",
                census_division="3553",
                external_id="FW-000004",
            ),
        ]
    )


def _run(*args: str) -> str:
    out = StringIO()
    call_command("draw", "run", *args, stdout=out)
    return out.getvalue()


def test_the_json_result_has_the_documented_keys_in_order() -> None:
    _pool()
    document = json.loads(
        _run("--stream", "foreign-worker", "--invitations", "2", "--date", "2025-09-03", "--json")
    )
    assert list(document) == [
        "draw",
        "stream",
        "executed",
        "date",
        "invitations",
        "min_score",
        "tie_break",
        "eligible",
        "invited",
    ]
    assert document["executed"] is True
    assert document["invited"] == ["FW-000004", "FW-000001"]
    assert (document["invitations"], document["min_score"], document["eligible"]) == (2, 50, 4)
    assert document["tie_break"] == "2025-08-01T13:12:44Z"
    assert document["date"] == "2025-09-03"
    draw = Draw.objects.get(pk=document["draw"])
    assert draw.status == "executed"
    assert draw.executed_by is None
    event = AuditEvent.objects.get(action="draws.draw_executed")
    assert event.actor is None
    assert event.data["via"] == "cli"
    assert event.data["operator"] == getpass.getuser()


def test_a_dry_run_writes_nothing() -> None:
    _pool()
    document = json.loads(
        _run("--stream", "foreign-worker", "--min-score", "45", "--date", "2025-09-03",
             "--dry-run", "--json")
    )  # fmt: skip
    assert document["executed"] is False
    assert document["draw"] is None
    assert document["invited"] == ["FW-000004", "FW-000001", "FW-000002"]
    assert Draw.objects.count() == 0
    assert Invitation.objects.count() == 0
    assert not EOI.objects.filter(status="invited").exists()
    assert not AuditEvent.objects.filter(action__startswith="draws.").exists()


def test_it_targets_nocs_regions_and_the_window(tmp_path: Path) -> None:
    _pool()
    plain = tmp_path / "nocs.txt"
    plain.write_text("# health\n31301\n\n")
    table = tmp_path / "nocs.csv"
    table.write_text("code,title\n31301,Registered nurses\n")
    for path in (plain, table):
        document = json.loads(
            _run("--stream", "foreign-worker", "--invitations", "5", "--noc-file", str(path),
                 "--date", "2025-09-03", "--dry-run", "--json")
        )  # fmt: skip
        assert document["invited"] == ["FW-000003"]
    document = json.loads(
        _run("--stream", "foreign-worker", "--invitations", "5", "--region", "northern",
             "--census-division", "3506", "--date", "2025-09-03", "--dry-run", "--json")
    )  # fmt: skip
    assert document["invited"] == ["FW-000004"]
    document = json.loads(
        _run("--stream", "foreign-worker", "--invitations", "5", "--noc", "21231,31301",
             "--registered-from", "2025-08-02", "--registered-to", "2025-08-02",
             "--date", "2025-09-03", "--dry-run", "--json")
    )  # fmt: skip
    assert document["invited"] == ["FW-000002"]
    assert document["eligible"] == 1


def test_the_human_output_summarises_the_draw() -> None:
    _pool()
    text = _run("--stream", "foreign-worker", "--invitations", "1", "--date", "2025-09-03",
                "--dry-run")  # fmt: skip
    assert "dry run" in text
    assert "eligible:    4" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stream", "lottery", "--invitations", "3"], "stream"),
        (["--stream", "foreign-worker"], "invitations"),
        (["--stream", "foreign-worker", "--invitations", "3", "--noc", "99999"], "99999"),
        (["--stream", "foreign-worker", "--invitations", "3", "--date", "03/09/2025"], "date"),
        (["--stream", "foreign-worker", "--invitations", "3", "--registered-from",
          "2025-09-01", "--registered-to", "2025-08-01"], "starts after"),
        (["--stream", "foreign-worker", "--invitations", "3", "--noc-file", "/no/such/file"],
         "cannot read"),
    ],
)  # fmt: skip
def test_bad_input_exits_with_code_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        _run(*args)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert Draw.objects.count() == 0


def test_an_unknown_region_is_bad_input() -> None:
    with pytest.raises(CommandError) as raised:
        _run("--stream", "foreign-worker", "--invitations", "3", "--region", "atlantis")
    assert "atlantis" in str(raised.value)


def test_executing_an_executed_draw_again_says_so(olivia: object, martin: object) -> None:
    _pool()
    document = json.loads(
        _run("--stream", "foreign-worker", "--invitations", "1", "--date", "2025-09-03", "--json")
    )
    # Decision 75: run again (after a crash, or by anyone), it prints the committed draw,
    # says so on stderr, and draws nothing; exit 0.
    out, err = StringIO(), StringIO()
    call_command(
        "draw", "execute", str(document["draw"]), "--as", "martin@example.com", "--json",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert json.loads(out.getvalue()) == document
    assert "already executed" in err.getvalue()
    assert Invitation.objects.count() == 1
    # The invitation records the policy version of the draw's date (docs/policy.md).
    invitation = Invitation.objects.get()
    assert invitation.policy_version == policy_at(date(2025, 9, 3)).effective_from


def test_the_sweep_command_expires_unanswered_invitations() -> None:
    _pool()
    _run("--stream", "foreign-worker", "--invitations", "2", "--date", "2025-09-03")
    out = StringIO()
    far = (date.today() + timedelta(days=60)).isoformat()
    call_command("draw", "expire-invitations", "--today", far, stdout=out)
    assert "2 invitation(s) expired" in out.getvalue()
    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}
