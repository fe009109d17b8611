"""Allocation moves here from casework: state only, the table (casework_allocation) stays.

On a fresh database casework 0001 creates the table first; on an existing one it is there
with its rows. Either way nothing is written here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Allocation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(unique=True)),
                        ("nominations", models.PositiveIntegerField()),
                        ("nominations_issued", models.PositiveIntegerField(default=0)),
                        ("source", models.CharField(blank=True, max_length=200)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "casework_allocation",
                        "ordering": ["-year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("nominations_issued__lte", models.F("nominations"))),
                                name="allocation_never_exceeded",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
