from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "wireroom.translation"

    def ready(self) -> None:
        from wireroom.releases import language
        from wireroom.translation.checks import declared_language_findings
        from wireroom.translation.engines import (  # noqa: F401
            apertium,
            apertium_apy,
            argos,
            deepl,
            libretranslate,
            opencc,
        )

        # Importing an engine package registers it; the releases' language checks are the translation app's.
        language.register(declared_language_findings)
