"""The database itself refuses to change audit events.

UPDATE is refused on both engines. DELETE is refused on PostgreSQL; on SQLite the test
runner empties tables with DELETE between transactional tests, so there the model's own
guard (and the read-only admin) is what stands in the way.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
        )


def backwards(apps, schema_editor):
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;"
        if schema_editor.connection.vendor == "postgresql"
        else "DROP TRIGGER IF EXISTS audit_event_no_update;"
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
