# Generated for issue 13 (Decision 69): the language of a person's e-mails and letters.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_email_kind_stream_closed'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='preferred_language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'Français')], default='en', max_length=8, verbose_name='preferred language'),
        ),
    ]
