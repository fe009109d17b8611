"""Wage tables become dated versions: the figures already stored become the first one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# The earliest program date Nominee knows (the In-Demand Skills list of 2022-11-22):
# the figures stored before versions existed judged every offer until now.
FIRST_EFFECTIVE = "2022-11-22"


def first_version(apps, schema_editor):
    """Put the existing figures, if any, into one version dated ``FIRST_EFFECTIVE``."""
    alias = schema_editor.connection.alias
    figure = apps.get_model("reference", "WageFigure")
    version = apps.get_model("reference", "WageTableVersion")
    figures = figure.objects.using(alias)
    count = figures.count()
    if not count:
        return
    sources = sorted(set(figures.values_list("source", flat=True)) - {""})
    first = version.objects.using(alias).create(
        effective_from=FIRST_EFFECTIVE,
        source="; ".join(sources)[:200] or "before wage versions",
        imported_at=timezone.now(),
        rows=count,
    )
    figures.update(version=first)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0003_merge_place_lists_region_2026"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WageTableVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("effective_from", models.DateField(unique=True)),
                ("source", models.CharField(blank=True, max_length=200)),
                ("imported_at", models.DateTimeField()),
                ("sha256", models.CharField(blank=True, max_length=64)),
                ("rows", models.PositiveIntegerField(default=0)),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Blank: the system (the shipped table, loaded on migrate).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "wage table version",
                "ordering": ["-effective_from"],
            },
        ),
        migrations.AddField(
            model_name="wagefigure",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="figures",
                to="reference.wagetableversion",
            ),
        ),
        migrations.RemoveConstraint(model_name="wagefigure", name="wage_once_per_region"),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
