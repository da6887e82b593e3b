"""OpenCC: Simplified ↔ Traditional Chinese, offline, with the dictionaries its package bundles."""

from __future__ import annotations

import functools
import re

import opencc
from django.conf import settings

from wireroom.translation.engines.base import Markup
from wireroom.translation.engines.registry import EngineSpec, register

# WIREROOM_TRANSLATION_OPENCC_VARIANT → (Simplified to Traditional, Traditional to Simplified) configurations.
VARIANTS = {
    "standard": ("s2t", "t2s"),
    "taiwan": ("s2tw", "tw2s"),
    "taiwan-phrases": ("s2twp", "tw2sp"),
    "hong-kong": ("s2hk", "hk2s"),
}

_TAG = re.compile(r"(<[^>]*>)")


@functools.cache
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(f"{config}.json")


class OpenCC:
    name = "opencc"

    def __init__(self) -> None:
        self.variant: str = settings.ENV["WIREROOM_TRANSLATION_OPENCC_VARIANT"]

    def _config(self, source: str, target: str) -> str:
        to_traditional, to_simplified = VARIANTS[self.variant]
        return to_traditional if (source, target) == ("zh-Hans", "zh-Hant") else to_simplified

    def pairs(self) -> set[tuple[str, str]]:
        return {("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")}

    def version(self, *, source: str, target: str) -> str:
        return f"opencc {opencc.__version__}, {self._config(source, target)}"

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        convert = converter(self._config(source, target))
        if markup == "text":
            return [convert.convert(segment) for segment in segments]
        # Only text between tags: an attribute (a link's address) may hold Chinese characters that must stay.
        return ["".join(piece if piece.startswith("<") else convert.convert(piece) for piece in _TAG.split(segment))
                for segment in segments]


register(EngineSpec(name="opencc", factory=OpenCC))
