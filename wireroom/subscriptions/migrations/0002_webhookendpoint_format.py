from typing import Any

from django.db import migrations, models

# The webhook event of a version used to be stored under the name of its one format; it is now stored per format.
OLD_KEY = ("ninjs-3.1", "*")
NEW_KEY = ("webhook:ninjs", "*")


def rename_renderings(apps: Any, schema_editor: Any) -> None:
    RenderedItem = apps.get_model("distribution", "RenderedItem")
    RenderedItem.objects.filter(format=OLD_KEY[0], language=OLD_KEY[1]).update(format=NEW_KEY[0])


def unrename_renderings(apps: Any, schema_editor: Any) -> None:
    RenderedItem = apps.get_model("distribution", "RenderedItem")
    RenderedItem.objects.filter(format=NEW_KEY[0], language=NEW_KEY[1]).update(format=OLD_KEY[0])


class Migration(migrations.Migration):

    dependencies = [
        ("subscriptions", "0001_initial"),
        ("distribution", "0003_channel_state_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="format",
            field=models.CharField(
                default="ninjs", max_length=20,
                help_text="The format of the items it receives, by its name in the formats registry (ninjs, "
                          "ninjs-2.2, newsml-g2, nitf)"),
        ),
        migrations.RunPython(rename_renderings, unrename_renderings),
    ]
