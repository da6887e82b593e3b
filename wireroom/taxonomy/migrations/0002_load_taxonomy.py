from django.db import migrations


def load(apps, schema_editor):
    from wireroom.taxonomy.loader import sync_taxonomy

    sync_taxonomy(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
