"""Placeholders for what a translation must not touch.

Before an engine sees a text, each URL, e-mail address, number and glossary term in it becomes a token
`⟦n⟧` that the engines pass through unchanged (tests hold each engine to this); afterwards each token is
replaced by the original, or by the glossary's fixed translation. Markup is not tokenized: the engines
translate HTML as HTML and keep its tags and attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from wireroom.translation.engines.base import Markup

Kind = Literal["url", "email", "number", "glossary"]

_TAG = re.compile(r"(<[^>]*>)")
_URL = r"(?:https?://|www\.)[^\s<>\"'⟦⟧]*[^\s<>\"'⟦⟧.,;:!?)\]]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# Digits with their group and decimal separators, and a trailing per cent sign: "1,250.5", "3.2%", "2026".
_NUMBER = r"(?<![\w⟦])\d+(?:[.,:/]\d+)*%?(?![\w⟧])"
_TOKEN = re.compile(r"⟦\s*(\d+)\s*⟧")


@dataclass(frozen=True)
class GlossaryEntry:
    """A term of the issuer's glossary: `translation` is its fixed rendering, empty to keep it as written."""

    term: str
    translation: str = ""


@dataclass(frozen=True)
class Token:
    kind: Kind
    original: str
    replacement: str


@dataclass
class Protected:
    text: str
    tokens: dict[int, Token] = field(default_factory=dict)


@dataclass
class Restored:
    text: str
    lost: list[Token] = field(default_factory=list)


def _pattern(glossary: list[GlossaryEntry]) -> re.Pattern[str]:
    terms = sorted({entry.term for entry in glossary if entry.term.strip()}, key=len, reverse=True)
    parts = []
    if terms:
        words = "|".join(re.escape(term) for term in terms)
        parts.append(rf"(?P<glossary>(?<!\w)(?:{words})(?!\w))")
    parts += [rf"(?P<url>{_URL})", rf"(?P<email>{_EMAIL})", rf"(?P<number>{_NUMBER})"]
    return re.compile("|".join(parts))


def protect(text: str, *, markup: Markup, glossary: list[GlossaryEntry]) -> Protected:
    fixed = {entry.term: entry.translation or entry.term for entry in glossary}
    pattern = _pattern(glossary)
    result = Protected(text="")

    def swap(match: re.Match[str]) -> str:
        kind: Kind = match.lastgroup  # type: ignore[assignment]
        original = match.group()
        number = len(result.tokens) + 1
        result.tokens[number] = Token(kind, original, fixed.get(original, original) if kind == "glossary"
                                      else original)
        return f"⟦{number}⟧"

    # Tags are left alone: their attributes (href, lang) are never translated by an engine in HTML mode.
    pieces = _TAG.split(text) if markup == "html" else [text]
    result.text = "".join(piece if piece.startswith("<") else pattern.sub(swap, piece) for piece in pieces)
    return result


def restore(text: str, protected: Protected) -> Restored:
    seen: set[int] = set()

    def back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        token = protected.tokens.get(number)
        if token is None:
            return ""
        seen.add(number)
        return token.replacement

    restored = _TOKEN.sub(back, text)
    lost = [token for number, token in protected.tokens.items() if number not in seen]
    return Restored(text=restored, lost=lost)
