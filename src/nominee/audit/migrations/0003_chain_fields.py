"""The hash chain, step 1 of 3: the columns and the head table.

The triggers of 0002 are dropped first and replaced by 0005 once the columns are final:
SQLite rebuilds the table to add a NOT NULL column, which would drop them silently, and
on PostgreSQL the UPDATE trigger would refuse the chaining of 0004.
"""

import importlib

from django.db import migrations, models


def drop_0002_triggers(apps, schema_editor):
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;"
        if schema_editor.connection.vendor == "postgresql"
        else "DROP TRIGGER IF EXISTS audit_event_no_update;"
    )


def restore_0002_triggers(apps, schema_editor):
    importlib.import_module("nominee.audit.migrations.0002_append_only").forwards(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(drop_0002_triggers, restore_0002_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("seq", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="audit_one_head")
                ],
            },
        ),
    ]
