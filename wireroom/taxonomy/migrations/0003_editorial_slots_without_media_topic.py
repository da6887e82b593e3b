from typing import Any

from django.db import migrations, models

# Editorial slots, not subjects: they were mapped to medtop:04000000 (economy, business and finance).
SLOTS = ("top-story", "daily-news")


def unmap(apps: Any, schema_editor: Any) -> None:
    apps.get_model("taxonomy", "Sector").objects.filter(slug__in=SLOTS).update(iptc_code="")


def remap(apps: Any, schema_editor: Any) -> None:
    apps.get_model("taxonomy", "Sector").objects.filter(slug__in=SLOTS).update(iptc_code="medtop:04000000")


class Migration(migrations.Migration):

    dependencies = [
        ("taxonomy", "0002_load_taxonomy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sector",
            name="iptc_code",
            field=models.CharField(
                blank=True, max_length=20,
                help_text="IPTC Media Topic, e.g. medtop:20000256; empty for an editorial slot that is no subject"),
        ),
        migrations.RunPython(unmap, remap),
    ]
