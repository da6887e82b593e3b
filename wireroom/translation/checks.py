"""Checks of a localization, shown to the reviewer: is it in its declared language and script, and did a
machine translation keep what it had to keep."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from wireroom.lib.html import html_to_text
from wireroom.translation.engines.opencc import converter
from wireroom.translation.protect import GlossaryEntry

Finding = dict[str, Any]

# Languages close enough that a detector confuses them on press-release prose; not flagged against each other.
_RELATED = {frozenset({"id", "ms"})}
_CJK = {"zh-Hans", "zh-Hant", "ja", "ko"}
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,:/]\d+)*%?(?!\w)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
_WORD = re.compile(r"[^\W\d_]{2,}")
# The smallest share of the text the detector must give a language before its verdict counts.
MIN_CONFIDENCE = 0.5


def _base(tag: str) -> str:
    return tag.split("-")[0].lower()


# The wire's languages and the neighbours most often mistaken for them; every model costs memory and load time.
_DETECTED = ("en", "ko", "ja", "ar", "zh", "vi", "th", "id", "ms", "de", "ru", "fr", "es", "pt", "it", "nl", "ca",
             "tl", "uk", "fa", "ur")


@functools.cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in _DETECTED]
    # Low accuracy mode reads trigrams only: loading the full models took 7 s on first use (a web request), and
    # a whole localization is long enough for trigrams to tell its language.
    return (LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.1)
            .with_low_accuracy_mode().build())


def _lingua_language(tag: str) -> Language | None:
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, _base(tag).upper()))
    except AttributeError:
        return None


def localization_text(*, headline: str, summary: str, body_html: str) -> str:
    return "\n\n".join(part for part in (headline, summary, html_to_text(body_html)) if part.strip())


def script_counts(text: str) -> tuple[int, int]:
    """Characters only Simplified writing uses, and characters only Traditional writing uses."""
    to_traditional, to_simplified = converter("s2t"), converter("t2s")
    simplified = traditional = 0
    for char in set(text):
        if not "\u3400" <= char <= "\u9fff":
            continue
        count = text.count(char)
        if to_traditional.convert(char) != char and to_simplified.convert(char) == char:
            simplified += count
        elif to_simplified.convert(char) != char and to_traditional.convert(char) == char:
            traditional += count
    return simplified, traditional


def language_findings(*, language: str, text: str) -> list[Finding]:
    """Is the text written in its declared language (and, for Chinese, in the declared script)?"""
    findings: list[Finding] = []
    declared = _lingua_language(language)
    # Too few words tell a detector nothing, except in scripts that mark their language by themselves.
    if declared is not None and (len(_WORD.findall(text)) >= 3 or _base(language) in ("zh", "ja", "ko", "th")):
        confidences = _detector().compute_language_confidence_values(text)
        if confidences:
            top = confidences[0]
            detected = top.language.iso_code_639_1.name.lower()
            if (top.language != declared and top.value >= MIN_CONFIDENCE
                    and frozenset({detected, _base(language)}) not in _RELATED):
                findings.append({
                    "check": "language", "declared": language, "detected": detected,
                    "message": f"Declared as {language}, but the text reads as {detected}.",
                })
    if language in ("zh-Hans", "zh-Hant"):
        simplified, traditional = script_counts(text)
        wrong, right = (traditional, simplified) if language == "zh-Hans" else (simplified, traditional)
        if wrong > right:
            written = "zh-Hant" if language == "zh-Hans" else "zh-Hans"
            findings.append({
                "check": "script", "declared": language, "detected": written,
                "message": f"Declared as {language}, but the text is written in {written} characters.",
            })
    return findings


def _length_range(source: str, target: str) -> tuple[float, float]:
    if target in _CJK and source not in _CJK:
        return 0.15, 0.9
    if source in _CJK and target not in _CJK:
        return 1.1, 7.0
    return 0.5, 2.0


def _blocks(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def quality_findings(*, source_language: str, source_text: str, target_language: str, target_text: str,
                     glossary: list[GlossaryEntry]) -> list[Finding]:
    """What a machine translation may have got wrong, block by block and as a whole."""
    findings: list[Finding] = []
    source_blocks = set(_blocks(source_text))
    for block in _blocks(target_text):
        if block in source_blocks and len(_WORD.findall(block)) >= 3:
            findings.append({"check": "untranslated", "text": block[:200],
                             "message": "A passage is the same as in the original: it was not translated."})
    for kind, pattern in (("number", _NUMBER), ("url", _URL)):
        missing = Counter(pattern.findall(source_text)) - Counter(pattern.findall(target_text))
        for value in sorted(missing):
            findings.append({"check": f"{kind}_lost", "value": value,
                             "message": f"The {kind} {value} of the original is missing or changed."})
    if source_text.strip():
        ratio = len(target_text) / len(source_text)
        low, high = _length_range(source_language, target_language)
        if not low <= ratio <= high:
            findings.append({"check": "length_ratio", "ratio": round(ratio, 2), "expected": [low, high],
                             "message": f"The translation is {ratio:.2f} times the original's length; "
                                        f"{low}–{high} is usual for this pair."})
    for entry in glossary:
        if re.search(rf"(?<!\w){re.escape(entry.term)}(?!\w)", source_text):
            expected = entry.translation or entry.term
            if expected not in target_text:
                findings.append({"check": "glossary", "term": entry.term, "expected": expected,
                                 "message": f"The glossary says {entry.term!r} is written {expected!r} here; "
                                            "it is missing."})
    return findings


def declared_language_findings(*, language: str, headline: str, summary: str, body_html: str) -> list[Finding]:
    """The language checks of one localization as the lifecycle's port asks for them."""
    return language_findings(language=language,
                             text=localization_text(headline=headline, summary=summary, body_html=body_html))
