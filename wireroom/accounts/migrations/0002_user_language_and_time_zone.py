# The language and time zone of a user's pages.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('ko', 'Korean'), ('ja', 'Japanese'), ('ar', 'Arabic'), ('zh-hans', 'Simplified Chinese'), ('zh-hant', 'Traditional Chinese'), ('vi', 'Vietnamese'), ('th', 'Thai'), ('id', 'Indonesian'), ('ms', 'Malay'), ('de', 'German'), ('ru', 'Russian'), ('fr', 'French'), ('es', 'Spanish'), ('pt', 'Portuguese')], max_length=10),
        ),
        migrations.AddField(
            model_name='user',
            name='time_zone',
            field=models.CharField(default='UTC', max_length=64),
        ),
    ]
