"""DeepL over its HTTP API, through the official `deepl` package."""

from __future__ import annotations

import deepl
from django.conf import settings

from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.engines.registry import EngineSpec, register

# DeepL's target codes name a variant for some languages; the wire's tags do not.
_TARGETS = {"en": "EN-US", "pt": "PT-PT", "zh-Hans": "ZH-HANS", "zh-Hant": "ZH-HANT"}
_TAGS = {"EN-US": "en", "EN-GB": "en", "PT-PT": "pt", "PT-BR": "pt", "ZH": "zh-Hans", "ZH-HANS": "zh-Hans",
         "ZH-HANT": "zh-Hant"}


def _tag(code: str) -> str:
    return _TAGS.get(code.upper(), code.lower())


class DeepL:
    name = "deepl"

    def __init__(self) -> None:
        auth_key: str = settings.ENV["WIREROOM_TRANSLATION_DEEPL_AUTH_KEY"]
        server_url: str = settings.ENV["WIREROOM_TRANSLATION_DEEPL_SERVER_URL"]
        self.translator = (deepl.Translator(auth_key, server_url=server_url or None, send_platform_info=False)
                           if auth_key else None)

    def _client(self) -> deepl.Translator:
        if self.translator is None:
            raise EngineError("WIREROOM_TRANSLATION_DEEPL_AUTH_KEY is not set")
        return self.translator

    def pairs(self) -> set[tuple[str, str]]:
        if self.translator is None:
            return set()
        try:
            sources = {_tag(language.code) for language in self.translator.get_source_languages()}
            targets = {_tag(language.code) for language in self.translator.get_target_languages()}
        except deepl.DeepLException as exc:
            raise EngineError(f"DeepL refused to list its languages: {exc}") from None
        # DeepL's one source code "ZH" reads either script.
        if "zh-Hans" in sources:
            sources.add("zh-Hant")
        return {(source, target) for source in sources for target in targets
                if source.split("-")[0] != target.split("-")[0]}

    def version(self, *, source: str, target: str) -> str:
        return f"deepl api v2 (deepl-python {deepl.__version__})"

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        try:
            results = self._client().translate_text(
                segments, source_lang=source.split("-")[0].upper(), target_lang=_TARGETS.get(target, target.upper()),
                tag_handling="html" if markup == "html" else None,
            )
        except deepl.DeepLException as exc:
            raise EngineError(f"DeepL refused the batch: {exc}") from None
        return [result.text for result in (results if isinstance(results, list) else [results])]


register(EngineSpec(name="deepl", factory=DeepL))
