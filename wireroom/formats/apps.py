from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "wireroom.formats"

    def ready(self) -> None:
        # Importing a format module registers it.
        from wireroom.formats import newsml_g2, ninjs, ninjs22, nitf  # noqa: F401
