"""Apertium served over HTTP by `apertium-apy`: the same pairs as the local process, without starting a pipeline
per batch (the server keeps its pipelines running)."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from wireroom.translation.engines.apertium import join_batch, language_tag, split_batch
from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.engines.registry import EngineSpec, register


class ApertiumApy:
    name = "apertium-apy"

    def __init__(self) -> None:
        self.url: str = settings.ENV["WIREROOM_TRANSLATION_APERTIUM_APY_URL"].rstrip("/")
        self.timeout: float = settings.ENV["WIREROOM_TRANSLATION_TIMEOUT_SECONDS"]
        self._pairs: dict[tuple[str, str], str] | None = None  # the wire's pair → the server's "eng|spa"

    def _call(self, method: str, path: str, data: dict[str, str] | None = None) -> Any:
        if not self.url:
            raise EngineError("WIREROOM_TRANSLATION_APERTIUM_APY_URL is not set")
        try:
            response = requests.request(method, f"{self.url}{path}", data=data, timeout=self.timeout)
        except requests.RequestException as exc:
            raise EngineError(f"apertium-apy is unreachable: {exc}") from None
        try:
            answer = response.json()
        except ValueError:
            raise EngineError(f"apertium-apy answered {response.status_code} with something other than JSON") from None
        if response.status_code != 200 or not isinstance(answer, dict) or answer.get("responseStatus") != 200:
            detail = answer.get("explanation") or answer.get("message") if isinstance(answer, dict) else None
            raise EngineError(f"apertium-apy answered {response.status_code}: {str(detail or answer)[:300]}")
        return answer.get("responseData")

    def _langpairs(self) -> dict[tuple[str, str], str]:
        if self._pairs is None:
            listed = self._call("GET", "/listPairs")
            pairs: dict[tuple[str, str], str] = {}
            for entry in listed if isinstance(listed, list) else []:
                source, target = str(entry.get("sourceLanguage", "")), str(entry.get("targetLanguage", ""))
                pair = (language_tag(source), language_tag(target))
                if pair[0] and pair[1] and pair[0] != pair[1]:
                    pairs.setdefault((pair[0], pair[1]), f"{source}|{target}")
            self._pairs = pairs
        return self._pairs

    def pairs(self) -> set[tuple[str, str]]:
        if not self.url:
            return set()
        return set(self._langpairs())

    def version(self, *, source: str, target: str) -> str:
        langpair = (self._pairs or {}).get((source, target), f"{source}|{target}")
        return f"apertium-apy, {langpair.replace('|', '-')}"

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        langpair = self._langpairs().get((source, target))
        if langpair is None:
            raise EngineError(f"apertium-apy has no {source}-{target} pair")
        # One request per batch, in the body (a release is longer than a URL may be), as HTML: the server's
        # default format, which keeps tags and attributes and writes characters rather than entities.
        answer = self._call("POST", "/translate", {"langpair": langpair, "q": join_batch(segments, markup),
                                                   "markUnknown": "no"})
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise EngineError("apertium-apy did not return a translation")
        return split_batch(translated, count=len(segments), markup=markup, what=f"apertium-apy {langpair}")


register(EngineSpec(name="apertium-apy", factory=ApertiumApy))
