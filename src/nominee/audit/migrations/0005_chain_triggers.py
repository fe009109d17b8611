"""The hash chain, step 3 of 3: ``seq`` required and unique, and the database's guards.

Both engines refuse to UPDATE or DELETE an event, refuse an event that does not extend
the chain's head (its ``seq`` one past the head's, its ``prev_hash`` the head's hash),
advance the head with each event, and refuse any other change to the head and its
deletion. PostgreSQL also refuses TRUNCATE of either table (SQLite has none).

Row triggers, cheap on the path every service takes (one event per INSERT). A single
transaction that appends many thousands of events moves the head as often, which
PostgreSQL makes slower the longer the transaction (a version of the row each time):
commit bulk work in batches of a few thousand events.

No switch turns them off: the test suite, which owns its throw-away database, lifts them
around Django's flush only (tests/conftest.py, docs/decisions.md). A table owner can
always drop a trigger; what such a person then changes is what ``nominee audit verify``
reports.
"""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION audit_extend_chain() RETURNS trigger AS $$
    BEGIN
      UPDATE audit_chainhead SET seq = NEW.seq, hash = NEW.hash
       WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'audit event % does not extend the chain head', NEW.seq;
      END IF;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_event_extends_chain AFTER INSERT ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_extend_chain()",
    # Only the trigger above moves the head: a direct UPDATE (trigger depth 0) is refused,
    # at no cost to the INSERT's own (depth 1).
    "CREATE TRIGGER audit_head_advance BEFORE UPDATE ON audit_chainhead "
    "FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_chainhead "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_chainhead "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_extends_chain ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_head_advance ON audit_chainhead",
    "DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_chainhead",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_chainhead",
    "DROP FUNCTION IF EXISTS audit_refuse(), audit_extend_chain()",
]

_REFUSE = "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
SQLITE = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent {_REFUSE}",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent {_REFUSE}",
    "CREATE TRIGGER audit_event_extends_chain BEFORE INSERT ON audit_auditevent "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_chainhead "
    "WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash) "
    "BEGIN SELECT RAISE(ABORT, 'an audit event must extend the chain head'); END",
    "CREATE TRIGGER audit_event_advances_head AFTER INSERT ON audit_auditevent "
    "BEGIN UPDATE audit_chainhead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END",
    "CREATE TRIGGER audit_head_advance BEFORE UPDATE ON audit_chainhead "
    "WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1 OR NOT EXISTS ("
    "SELECT 1 FROM audit_auditevent WHERE seq = NEW.seq AND hash = NEW.hash) "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only advances to the event appended'); "
    "END",
    f"CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_chainhead {_REFUSE}",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "audit_event_no_update",
        "audit_event_no_delete",
        "audit_event_extends_chain",
        "audit_event_advances_head",
        "audit_head_advance",
        "audit_head_no_delete",
    )
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}),
        ),
    ]
