"""The audit log is append-only: the model and the database both refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from nominee.audit.models import AppendOnlyError, AuditEvent, ChainHead
from nominee.audit.services import history, record
from nominee.reference.models import Noc

pytestmark = pytest.mark.django_db


def test_it_records_who_did_what_with_before_and_after(olivia: object) -> None:
    noc = Noc.objects.get(code="21231")
    event = record(
        actor=olivia, action="noc.renamed", subject=noc, before={"t": "a"}, after={"t": "b"}
    )
    assert (event.actor, event.subject_type, event.subject_id) == (olivia, "reference.noc", "21231")
    assert list(history(noc)) == [event]


def test_it_records_the_system_when_there_is_no_user() -> None:
    event = record(actor=None, action="sweep.ran", subject_type="system", subject_id="sweep")
    assert event.actor is None


def test_the_model_refuses_to_change_or_delete_an_event() -> None:
    event = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_refuses_an_update_that_bypasses_the_model() -> None:
    event = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


def test_the_database_refuses_a_delete_that_bypasses_the_model() -> None:
    event = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_chainhead"])
def test_postgresql_refuses_to_truncate_the_log(table: str) -> None:
    event = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    with transaction.atomic(), connection.cursor() as cursor:
        # Fire the foreign-key checks the test's own inserts left pending, else
        # PostgreSQL refuses the TRUNCATE for that reason before the trigger runs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert ChainHead.objects.get().seq == event.seq


def test_the_database_refuses_to_move_or_delete_the_chain_head() -> None:
    first = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    second = record(actor=None, action="x.y", subject_type="system", subject_id="2")
    for change in (
        {"seq": first.seq, "hash": first.hash},  # back, to hide the newest event
        {"seq": second.seq + 1, "hash": "f" * 64},  # on, to an event that does not exist
        {"hash": "f" * 64},
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            ChainHead.objects.filter(pk=1).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainHead.objects.filter(pk=1).delete()
    assert ChainHead.objects.values_list("seq", "hash").get() == (second.seq, second.hash)


def test_the_database_refuses_an_event_that_does_not_extend_the_chain() -> None:
    head = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    fields = {"at": head.at, "action": "forged", "subject_type": "system", "subject_id": "2"}
    for seq, prev_hash in (
        (head.seq, head.hash),  # a fork: the same place again
        (head.seq + 2, head.hash),  # a gap
        (head.seq + 1, "f" * 64),  # linked to nothing
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent(seq=seq, prev_hash=prev_hash, hash="f" * 64, **fields).save()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [head.pk]


def test_nobody_may_edit_the_log_in_the_admin(audrey: object) -> None:
    from django.test import Client

    from tests.personas import make_user

    admin = make_user("root@example.com")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    event = record(actor=None, action="x.y", subject_type="system", subject_id="1")
    client = Client()
    client.force_login(admin)
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
