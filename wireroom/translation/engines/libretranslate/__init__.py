"""LibreTranslate, a self-hosted server, over its HTTP API (`/languages`, `/translate`)."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.engines.registry import EngineSpec, register

# Older servers name the Chinese scripts "zh" and "zt"; newer ones use the BCP 47 tags the wire uses.
_FROM_SERVER = {"zh": "zh-Hans", "zt": "zh-Hant"}


class LibreTranslate:
    name = "libretranslate"

    def __init__(self) -> None:
        self.url: str = settings.ENV["WIREROOM_TRANSLATION_LIBRETRANSLATE_URL"]
        self.api_key: str = settings.ENV["WIREROOM_TRANSLATION_LIBRETRANSLATE_API_KEY"]
        self.timeout: float = settings.ENV["WIREROOM_TRANSLATION_TIMEOUT_SECONDS"]
        self._codes: dict[str, str] = {}  # the wire's tag → the server's code

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if not self.url:
            raise EngineError("WIREROOM_TRANSLATION_LIBRETRANSLATE_URL is not set")
        try:
            response = requests.request(method, f"{self.url}{path}", json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise EngineError(f"LibreTranslate is unreachable: {exc}") from None
        if response.status_code != 200:
            raise EngineError(f"LibreTranslate answered {response.status_code}: {response.text[:300]}")
        try:
            return response.json()
        except ValueError:
            raise EngineError("LibreTranslate answered with something other than JSON") from None

    def pairs(self) -> set[tuple[str, str]]:
        if not self.url:
            return set()
        languages = self._call("GET", "/languages")
        pairs = set()
        for language in languages:
            source = _FROM_SERVER.get(language["code"], language["code"])
            self._codes[source] = language["code"]
            for target in language.get("targets", []):
                tag = _FROM_SERVER.get(target, target)
                self._codes[tag] = target
                if tag != source:
                    pairs.add((source, tag))
        return pairs

    def version(self, *, source: str, target: str) -> str:
        return "libretranslate api"

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        if not self._codes:
            self.pairs()
        body: dict[str, Any] = {"q": segments, "source": self._codes.get(source, source),
                                "target": self._codes.get(target, target), "format": markup}
        if self.api_key:
            body["api_key"] = self.api_key
        answer = self._call("POST", "/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(segments):
            raise EngineError("LibreTranslate did not return one translation per segment")
        return [str(text) for text in translated]


register(EngineSpec(name="libretranslate", factory=LibreTranslate))
