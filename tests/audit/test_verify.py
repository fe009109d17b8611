"""``nominee audit verify``: exit 0 when the chain holds, 1 naming the first broken event."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from nominee.audit.models import AuditEvent, ChainHead
from nominee.audit.queries import verify
from nominee.audit.services import record
from tests.audit.triggers import lifted

pytestmark = pytest.mark.django_db


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _broken(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        _verify(*args)
    assert refused.value.returncode == 1
    return str(refused.value)


def _events(count: int) -> list[AuditEvent]:
    return [
        record(actor=None, action=f"tests.event_{n}", subject_type="tests", subject_id=n)
        for n in range(1, count + 1)
    ]


def _tamper(sql: str, *params: object) -> None:
    """Change the log as someone who dropped its triggers would (rolled back after)."""
    with transaction.atomic(), lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _named(event: AuditEvent) -> str:
    return f"event #{event.pk} (seq {event.seq}, {event.action}, {event.at:%Y-%m-%d %H:%M:%S} UTC)"


def test_an_empty_log_holds() -> None:
    assert _verify() == f"audit log: 0 event(s) verified, the chain holds; head 0:{'0' * 64}\n"


def test_a_whole_chain_holds_and_names_its_head() -> None:
    events = _events(3)
    assert _verify() == (
        f"audit log: 3 event(s) verified, the chain holds; head 3:{events[-1].hash}\n"
    )
    assert _verify("--expect", f"3:{events[-1].hash}").startswith("audit log: 3 event(s)")
    assert _verify("--expect", f"1:{events[0].hash.upper()}").startswith("audit log: 3")


def test_a_changed_event_is_named() -> None:
    events = _events(3)
    _tamper("UPDATE audit_auditevent SET after = %s WHERE id = %s", '{"score": 99}', events[1].pk)
    message = _broken()
    assert _named(events[1]) in message
    assert "its content does not match its hash" in message
    assert "1 event(s) before it verified" in message


def test_an_event_rehashed_after_a_change_is_caught_by_the_link_after_it() -> None:
    from nominee.audit import chain

    events = _events(3)
    forged = chain.link(
        seq=2,
        prev_hash=events[0].hash,
        content=chain.content(
            at=events[1].at,
            actor_id=None,
            action="tests.innocent",
            subject_type="tests",
            subject_id="2",
            before=None,
            after=None,
            data={},
        ),
    )
    _tamper(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        "tests.innocent",
        forged,
        events[1].pk,
    )
    message = _broken()
    assert _named(events[2]) in message
    assert "its previous-hash does not match the hash of event 2" in message


def test_a_deleted_event_in_the_middle_is_named_by_the_one_after_it() -> None:
    events = _events(5)
    _tamper("DELETE FROM audit_auditevent WHERE seq IN (2, 3)")
    message = _broken()
    assert _named(events[3]) in message
    assert "events 2 to 3 are missing before it" in message


def test_a_gap_at_a_batch_boundary_is_found() -> None:
    events = _events(7)
    _tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    outcome = verify(batch=2)
    assert outcome.broken is not None
    assert outcome.broken.event_id == events[5].pk
    assert outcome.broken.reason == "event 5 is missing before it"
    assert outcome.verified == 4


def test_a_deleted_first_event_is_named() -> None:
    events = _events(2)
    _tamper("DELETE FROM audit_auditevent WHERE seq = 1")
    assert f"{_named(events[1])}: event 1 is missing before it" in _broken()


def test_events_cut_from_the_end_are_found_by_the_head() -> None:
    _events(3)
    _tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    message = _broken()
    assert "the chain head names event 3 but the log ends at event 2" in message


def test_a_head_moved_back_names_the_first_event_beyond_it() -> None:
    events = _events(3)
    _tamper("UPDATE audit_chainhead SET seq = 1, hash = %s", events[0].hash)
    assert f"{_named(events[1])}: it lies beyond the chain head (event 1)" in _broken()


def test_a_head_with_another_hash_is_reported() -> None:
    _events(3)
    _tamper("UPDATE audit_chainhead SET hash = %s", "b" * 64)
    assert "the chain head's hash does not match event 3's" in _broken()


def test_a_missing_head_is_reported() -> None:
    _events(2)
    _tamper("DELETE FROM audit_chainhead")
    assert "the chain head is missing" in _broken()
    assert ChainHead.objects.count() == 0


def test_a_log_rewritten_from_scratch_fails_the_head_kept_from_before() -> None:
    """Whoever can drop the triggers can also write a whole new chain that holds; the
    head printed by an earlier run, kept elsewhere, tells it apart."""
    old = _events(3)
    anchor = f"2:{old[1].hash}"
    _tamper("DELETE FROM audit_auditevent")
    _tamper("UPDATE audit_chainhead SET seq = 0, hash = %s", "0" * 64)
    new = _events(3)
    assert _verify().startswith("audit log: 3 event(s) verified, the chain holds")
    message = _broken("--expect", anchor)
    assert _named(new[1]) in message
    assert f"its hash is not the {old[1].hash} expected" in message
    _tamper("DELETE FROM audit_auditevent WHERE seq > 1")
    _tamper("UPDATE audit_chainhead SET seq = 1, hash = %s", new[0].hash)
    assert "event 2 was expected but the log ends at event 1" in _broken("--expect", anchor)


@pytest.mark.parametrize("bad", ["", "3", "3:xyz", "0:" + "a" * 64, "x:" + "a" * 64])
def test_a_bad_expected_head_is_exit_code_2(bad: str) -> None:
    with pytest.raises(CommandError) as refused:
        _verify("--expect", bad)
    assert refused.value.returncode == 2
    assert "SEQ:HASH" in str(refused.value)


def test_a_bad_expected_head_on_the_command_line_is_a_message_and_exit_code_2() -> None:
    """Parsed before the command runs, where Django alone would print a traceback."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "nominee.cli", "audit", "verify", "--expect", "yesterday"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "is not a head printed by `nominee audit verify` (SEQ:HASH" in done.stderr
    assert "Traceback" not in done.stderr
