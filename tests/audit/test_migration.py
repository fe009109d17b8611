"""An upgraded database: the events written before the chain are chained, in id order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from nominee.audit.models import AuditEvent, ChainHead
from nominee.audit.queries import verify
from nominee.audit.services import record
from tests.migrations import migrate_to

BEFORE_CHAIN = [("audit", "0002_append_only")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_existing_events_in_id_order() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")
    executor = migrate_to(BEFORE_CHAIN)
    old = executor.loader.project_state(BEFORE_CHAIN).apps.get_model("audit", "AuditEvent")
    start = datetime(2025, 9, 3, 12, tzinfo=UTC)
    # Written out of id order, with a gap in the ids and times that disagree with them.
    for pk, minutes in ((7, 0), (3, 5), (12, 1)):
        old.objects.create(
            pk=pk,
            at=start + timedelta(minutes=minutes),
            action=f"legacy.event_{pk}",
            subject_type="tests",
            subject_id=str(pk),
            after={"score": 1.0, "pk": pk},
        )
    migrate_to(latest)
    assert list(AuditEvent.objects.order_by("seq").values_list("pk", "seq")) == [
        (3, 1),
        (7, 2),
        (12, 3),
    ]
    outcome = verify()
    assert outcome.ok, outcome.report()
    assert outcome.verified == 3
    assert ChainHead.objects.get().seq == 3
    new = record(actor=None, action="tests.after_upgrade", subject_type="tests", subject_id=1)
    assert (new.seq, new.prev_hash) == (4, AuditEvent.objects.get(pk=12).hash)
    assert verify().verified == 4
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=3).update(action="tampered")
