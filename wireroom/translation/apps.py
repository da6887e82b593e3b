from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "wireroom.translation"

    def ready(self) -> None:
        # Importing an engine package registers it.
        from wireroom.translation.engines import apertium, argos, deepl, libretranslate, opencc  # noqa: F401
