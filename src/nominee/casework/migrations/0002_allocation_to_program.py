"""Allocation moved to the program app: casework forgets it, the table stays (state only)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("program", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Allocation")],
        ),
    ]
