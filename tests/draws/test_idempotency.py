"""Decision 75: a draw request repeated after a crash reports the draw it committed, and a
draw is dated today or later unless it is a recorded replay of history."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, connections

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.core.errors import DomainError
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws import services
from nominee.draws.models import Draw, Invitation
from nominee.eois.models import EOI
from tests.dates import DRAW_DAY_2025, ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all
from tests.processes import migrated_sqlite, python

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]


def _pool(n: int = 10) -> None:
    base = datetime.combine(date(2025, 8, 1), clock(9), tzinfo=PROGRAM_TZ)
    save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(n))


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("draw", "run", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_same_run_again_reports_the_committed_draw_and_draws_nothing() -> None:
    _pool()
    first = services.run_draw(criteria=criteria(invitations=3))
    again = services.run_draw(criteria=criteria(invitations=3), note="after the crash")
    assert (first.repeated, again.repeated) == (False, True)
    assert again.to_document() == first.to_document()
    assert Draw.objects.count() == 1
    assert Invitation.objects.count() == 3
    assert AuditEvent.objects.filter(action="draws.draw_executed").count() == 1
    draw = Draw.objects.get()
    assert draw.idempotency_key == services.run_key(criteria(invitations=3))
    event = AuditEvent.objects.get(action="draws.draw_executed")
    assert event.data["idempotency_key"] == draw.idempotency_key


def test_other_criteria_or_an_operator_key_make_another_draw() -> None:
    _pool()
    services.run_draw(criteria=criteria(invitations=3))
    services.run_draw(criteria=criteria(invitations=2))
    services.run_draw(criteria=criteria(invitations=3), key="second round")
    assert Draw.objects.count() == 3
    assert Invitation.objects.count() == 8
    assert len(set(Draw.objects.values_list("idempotency_key", flat=True))) == 3


def test_the_command_run_again_prints_the_draw_and_says_so() -> None:
    _pool()
    args = ("--stream", "foreign-worker", "--invitations", "3", "--date", "2025-09-03", "--json")
    out, err = _run(*args)
    assert err == ""
    again, notice = _run(*args)
    assert json.loads(again) == json.loads(out)
    assert "already executed" in notice
    assert "nothing was drawn again" in notice
    assert Draw.objects.count() == 1
    out, _err = _run(*args, "--idempotency-key", "another")
    assert json.loads(out)["draw"] != json.loads(again)["draw"]


def test_a_proposal_executed_carries_its_own_key(olivia: User, martin: User) -> None:
    _pool()
    draw = services.approve_draw(
        actor=martin, draw=services.propose_draw(actor=olivia, criteria=criteria(invitations=3))
    )
    assert Draw.objects.get(pk=draw.pk).idempotency_key is None
    services.execute_draw(actor=martin, draw=draw)
    assert Draw.objects.get(pk=draw.pk).idempotency_key == f"proposal:{draw.pk}"


def test_a_draw_dated_before_today_is_refused_everywhere(olivia: User) -> None:
    _pool()
    yesterday = date(2025, 9, 2)
    with pytest.raises(DomainError) as raised:
        services.run_draw(criteria=criteria(invitations=3, draw_date=yesterday))
    assert raised.value.code == "draw.in_past"
    assert raised.value.status == 422
    assert "2025-09-02" in raised.value.message
    with pytest.raises(DomainError) as raised:
        services.propose_draw(actor=olivia, criteria=criteria(invitations=3, draw_date=yesterday))
    assert raised.value.code == "draw.in_past"
    with pytest.raises(CommandError) as command:
        _run("--stream", "foreign-worker", "--invitations", "3", "--date", "2025-09-02")
    assert command.value.returncode == 2
    assert "in the past" in str(command.value)
    # A preview writes nothing: any date may be previewed.
    out, _err = _run(
        "--stream", "foreign-worker", "--invitations", "3", "--date", "2025-09-02",
        "--dry-run", "--json",
    )  # fmt: skip
    assert json.loads(out)["executed"] is False
    assert Draw.objects.count() == 0
    assert not EOI.objects.filter(status="invited").exists()


def test_a_proposal_whose_day_has_passed_is_not_executed(olivia: User, martin: User) -> None:
    _pool()
    draw = services.approve_draw(
        actor=martin, draw=services.propose_draw(actor=olivia, criteria=criteria(invitations=3))
    )
    with time_machine.travel("2025-09-04T10:00:00-04:00"), pytest.raises(DomainError) as raised:
        services.execute_draw(actor=olivia, draw=draw)
    assert raised.value.code == "draw.in_past"
    assert Draw.objects.get(pk=draw.pk).status == "approved"
    assert Invitation.objects.count() == 0


def test_no_live_draw_gives_a_deadline_already_over(monkeypatch: pytest.MonkeyPatch) -> None:
    _pool()
    monkeypatch.setattr(
        services, "deadlines", lambda stream, day, pathway=None: (day - timedelta(days=1), None)
    )
    with pytest.raises(DomainError) as raised:
        services.run_draw(criteria=criteria(invitations=3))
    assert raised.value.code == "draw.deadline_past"
    assert Draw.objects.count() == 0
    assert Invitation.objects.count() == 0


def test_a_replay_of_history_is_dated_in_the_past_and_audited_as_such(
    olivia: User, martin: User
) -> None:
    _pool()
    with time_machine.travel("2026-12-01T10:00:00-05:00"):
        result = services.replay_draw(
            proposer=olivia,
            approver=martin,
            executor=olivia,
            criteria=criteria(invitations=3),
        )
    draw = Draw.objects.get(pk=result.draw)
    assert (draw.replay, draw.draw_date, result.invitations) == (True, date(2025, 9, 3), 3)
    for action in ("draws.draw_proposed", "draws.draw_executed"):
        event = AuditEvent.objects.get(action=action)
        assert event.data["replay"] is True
        assert event.data["replayed_on"] == "2026-12-01"


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_request_at_once_make_one_draw_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the thread test is PostgreSQL's (SQLite: the process test)")
    _pool(40)
    barrier = threading.Barrier(3)
    outcomes: list[Any] = [None] * 3

    def work(index: int) -> None:
        try:
            barrier.wait()
            result = services.run_draw(criteria=criteria(invitations=10))
            outcomes[index] = (result.draw, result.repeated)
        except Exception as error:
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len({o[0] for o in outcomes if isinstance(o, tuple)}) == 1, outcomes
    assert sorted(o[1] for o in outcomes) == [False, True, True], outcomes
    assert Draw.objects.count() == 1
    assert Invitation.objects.count() == 10


SEED = """
from datetime import date, datetime, time, timedelta
from nominee.core.timeutil import PROGRAM_TZ
from tests.draws.pools import eoi_row, save_all
base = datetime.combine(date(2025, 8, 1), time(9), tzinfo=PROGRAM_TZ)
save_all(eoi_row(registered_at=base + timedelta(minutes=i), score=40 + i % 7) for i in range(40))
"""

WORKER = """
import json, sys, time
import time_machine
start = float(sys.argv[1])
from nominee.draws import services
from tests.draws.pools import criteria
time.sleep(max(0.0, start - time.time()))
time_machine.travel(sys.argv[2], tick=True).start()  # after the real start
result = services.run_draw(criteria=criteria(invitations=10))
print(json.dumps([result.draw, result.repeated]))
"""


@pytest.mark.slow
def test_two_runs_of_one_request_at_once_make_one_draw_on_sqlite(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the process test is SQLite's (PostgreSQL: the thread test)")
    database = tmp_path / "runs.sqlite3"
    env = migrated_sqlite(tmp_path, database.name)
    seed = python(SEED, env)
    _out, err = seed.communicate(timeout=120)
    assert seed.returncode == 0, err
    start = time.time() + 2.0
    workers = [python(WORKER, env, str(start), DRAW_DAY_2025) for _ in range(3)]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert len({draw for draw, _repeated in outcomes}) == 1, outcomes
    assert sorted(repeated for _draw, repeated in outcomes) == [False, True, True]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM draws_draw").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM draws_invitation").fetchone() == (10,)
