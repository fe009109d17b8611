"""NOC unit groups get a French title and whether it is Statistics Canada's (issue 13).

The titles themselves are data: ``load_on_migrate`` fills the empty ones from the shipped
unofficial translation after this migration, and ``nominee reference
import-noc-titles-fr`` replaces them with the official ones (decision 74).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_wage_versions_required")]

    operations = [
        migrations.AddField(
            model_name="noc",
            name="title_fr",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="noc",
            name="title_fr_official",
            field=models.BooleanField(
                default=False,
                help_text="True when the French title is Statistics Canada's (an imported CNP file).",
            ),
        ),
        migrations.AddField(
            model_name="noc",
            name="title_fr_source",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
