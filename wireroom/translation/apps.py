from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "wireroom.translation"

    def ready(self) -> None:
        from wireroom.releases import language, retranslation
        from wireroom.translation.checks import declared_language_findings
        from wireroom.translation.engines import (  # noqa: F401
            apertium,
            apertium_apy,
            argos,
            deepl,
            libretranslate,
            opencc,
        )
        from wireroom.translation.services import retranslation_queue

        # Importing an engine package registers it; the releases' language checks and the re-translation after a
        # correction are the translation app's.
        language.register(declared_language_findings)
        retranslation.register(retranslation_queue)
