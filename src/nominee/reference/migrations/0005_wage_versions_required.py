"""Every wage figure belongs to a version (a migration of its own: PostgreSQL refuses to
alter a table with the previous migration's updates pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_wage_versions")]

    operations = [
        migrations.AlterField(
            model_name="wagefigure",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="figures",
                to="reference.wagetableversion",
            ),
        ),
        migrations.AlterModelOptions(
            name="wagefigure",
            options={"ordering": ["version_id", "noc_id", "er_code"]},
        ),
        migrations.AddConstraint(
            model_name="wagefigure",
            constraint=models.UniqueConstraint(
                fields=("version", "noc", "er_code"), name="wage_once_per_version_region"
            ),
        ),
    ]
