"""The hash chain, step 2 of 3: chain the events an upgraded database already holds.

In id order (the order they were written in), a batch at a time so that a log of
millions fits in memory, with the same serialisation ``nominee audit verify`` checks;
then the head points at the last one (or at the genesis on an empty log).
"""

from django.db import migrations

from nominee.audit import chain

BATCH = 2000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    events = AuditEvent.objects.using(schema_editor.connection.alias)
    seq, prev_hash, last_id = 0, chain.GENESIS, 0
    while batch := list(events.filter(id__gt=last_id).order_by("id")[:BATCH]):
        for event in batch:
            seq += 1
            body = chain.content(
                at=event.at,
                actor_id=event.actor_id,
                action=event.action,
                subject_type=event.subject_type,
                subject_id=event.subject_id,
                before=chain.stored_json(event.before),
                after=chain.stored_json(event.after),
                data=chain.stored_json(event.data),
            )
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = chain.link(seq=seq, prev_hash=prev_hash, content=body)
        events.bulk_update(batch, ["seq", "prev_hash", "hash"])
        last_id = batch[-1].id
    ChainHead.objects.using(schema_editor.connection.alias).create(
        id=1, seq=seq, hash=prev_hash
    )


def unchain(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(chain_existing, unchain)]
