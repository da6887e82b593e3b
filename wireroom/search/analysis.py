"""How text becomes search terms, the same for the index and for queries, and for both backends.

Both backends store the terms made here (FTS5 splits them on spaces, PostgreSQL is given a `tsvector` literal),
so a query finds the same releases on SQLite and PostgreSQL.

- Chinese, Japanese, Korean (Han, kana, Hangul) and Thai are cut into runs of those characters, and each run,
  folded character by character, into overlapping pairs of characters plus its last character alone:
  北京市 → 北京 京市 市. A query of two or more such characters is the phrase of its pairs; a query of one
  character is a prefix (北*), which finds it at every place in a run (as the first of a pair, or as the last
  character). Dictionary segmentation alone misses a word inside a longer one (서울 in 서울에서, ไทย in
  ประเทศไทย, which ICU keeps as one word), and trigrams miss short queries.
- Everything else is cut into words by ICU's word boundaries, folded (NFKC, case, Arabic vowel marks and
  tatweel), and stemmed with the Snowball stemmer of the localization's language where PostgreSQL has a text
  search configuration for it (Malay with the Indonesian one, a close relative); Vietnamese is not stemmed. A
  query word, whose language is not known, matches any of its stems; with a language filter, only that
  language's.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import icu
import Stemmer

# Snowball algorithms, as PostgreSQL's text search configurations of the same names use them.
STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "pt": "portuguese", "ru": "russian",
    "id": "indonesian", "ms": "indonesian", "ar": "arabic",
}
# Han (with the iteration mark 々 and 〇), Hiragana, Katakana (with the half-width forms), Hangul.
_CJK_CLASS = ("\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
              "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\U00020000-\U0003134f")
# Thai letters, vowels, tone marks and digits; not its symbols and punctuation (฿ ๏ ๚ ๛), which fold to nothing.
_THAI_CLASS = "\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59"
_PAIRED_RUN = re.compile(f"[{_CJK_CLASS}{_THAI_CLASS}]+")
_PAIRED_CHAR = re.compile(f"[{_CJK_CLASS}{_THAI_CLASS}]")
# Arabic vowel marks (harakat), the superscript alef and the tatweel: writing them or not is the same word.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# A term is letters, marks and digits; anything else in a word (an apostrophe, a hyphen) is dropped.
MAX_TERM = 60


@dataclass(frozen=True)
class Token:
    """A term and where its text is in the original string (Python indexes), for highlighting."""

    term: str
    start: int
    end: int


@functools.cache
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


def _word_iterator() -> icu.BreakIterator:
    return icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


def fold_text(text: str) -> str:
    """Text as it is compared: NFKC, case-folded, without Arabic vowel marks, spaces or punctuation."""
    folded = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())
    if folded.isalnum():
        # Most words: letters and digits only, nothing else to drop.
        return folded
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LMN")


def fold(word: str) -> str:
    """A word as it is compared, as a term: folded, and cut at MAX_TERM characters."""
    return fold_text(word)[:MAX_TERM]


def stem(term: str, language: str | None) -> str:
    algorithm = STEMMERS.get(language or "")
    return _stemmer(algorithm).stemWord(term) if algorithm else term


def _utf16_to_index(text: str) -> list[int] | None:
    """ICU counts UTF-16 code units; a map to Python's indexes when the text has characters beyond the BMP."""
    if all(ord(ch) < 0x10000 for ch in text):
        return None
    mapping = []
    for index, ch in enumerate(text):
        mapping.append(index)
        if ord(ch) >= 0x10000:
            mapping.append(index)
    mapping.append(len(text))
    return mapping


def _words(text: str, offset: int) -> Iterator[tuple[str, int, int]]:
    """ICU's words of a span without CJK characters, with their places in the whole text."""
    iterator = _word_iterator()
    iterator.setText(text)
    mapping = _utf16_to_index(text)
    start = iterator.first()
    for end in iterator:
        # A rule status of 0 is a boundary around spaces or punctuation, not a word.
        if iterator.getRuleStatus() != 0:
            a, b = (mapping[start], mapping[end]) if mapping else (start, end)
            yield text[a:b], offset + a, offset + b
        start = end


def fold_with_places(text: str) -> tuple[str, list[int]]:
    """The text folded character by character (as `fold` folds words), with where each folded character came
    from in the original, so a match found in the folded text is marked in the original."""
    chars, places = [], []
    for index, ch in enumerate(text):
        for folded in fold(ch):
            chars.append(folded)
            places.append(index)
    return "".join(chars), places


def _run_terms(run: str, offset: int) -> Iterator[Token]:
    """A run of paired characters, folded whole, as overlapping pairs, then its last character alone.

    The run is folded before it is paired, in the index and in queries alike: NFKC turns one Thai character
    (ำ) into two, and half-width kana with their sound marks into one, so pairs folded one by one would not be
    the pairs of the folded query. A term's place is its characters' place in the text, or the whole run's
    when folding changed how the characters line up."""
    folded = fold_text(run)
    chars, places = fold_with_places(run)

    def place(first: int, last: int) -> tuple[int, int]:
        if chars != folded:
            return offset, offset + len(run)
        return offset + places[first], offset + places[last] + 1

    for index in range(len(folded) - 1):
        yield Token(folded[index:index + 2], *place(index, index + 1))
    if folded:
        yield Token(folded[-1], *place(len(folded) - 1, len(folded) - 1))


def tokens(text: str, language: str | None) -> Iterator[Token]:
    """The index terms of a text written in `language`, in order."""
    position = 0
    for run in _PAIRED_RUN.finditer(text):
        yield from _word_tokens(text[position:run.start()], position, language)
        yield from _run_terms(run.group(), run.start())
        position = run.end()
    yield from _word_tokens(text[position:], position, language)


def _word_tokens(span: str, offset: int, language: str | None) -> Iterator[Token]:
    if not span.strip():
        return
    for word, start, end in _words(span, offset):
        term = fold(word)
        if term:
            yield Token(stem(term, language), start, end)


def terms(text: str, language: str | None) -> list[str]:
    return [token.term for token in tokens(text, language)]


@dataclass(frozen=True)
class Part:
    """One part of a query, all of which must match.

    `phrase`: terms that must follow each other (the pairs of a CJK or Thai run); `any_of`: a word's forms, any
    of which matches (its stems in the possible languages); `prefix`: one CJK or Thai character, which starts a
    term wherever it stands in a run.
    """

    phrase: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    prefix: str = ""
    # What the reader typed for this part, folded: the highlighter looks for it in the text.
    surface: str = ""


def query_parts(query: str, language: str | None = None) -> list[Part]:
    """The parts of a query, in the order written; empty when it has nothing to search for."""
    parts: list[Part] = []
    seen: set[Part] = set()
    languages = [language] if language else sorted(STEMMERS)
    position = 0

    def add(part: Part) -> None:
        if part not in seen:
            seen.add(part)
            parts.append(part)

    def word_parts(span: str) -> None:
        for word, _, _ in _words(span, 0) if span.strip() else ():
            term = fold(word)
            if term:
                forms = {term} | {stem(term, code) for code in languages}
                add(Part(any_of=tuple(sorted(forms)), surface=term))

    for run in _PAIRED_RUN.finditer(query):
        word_parts(query[position:run.start()])
        text = fold_text(run.group())
        if len(text) == 1:
            add(Part(prefix=text, surface=text))
        elif text:
            add(Part(phrase=tuple(text[i:i + 2] for i in range(len(text) - 1)), surface=text))
        position = run.end()
    word_parts(query[position:])
    return parts


def is_paired(text: str) -> bool:
    """Whether the text holds a character indexed in pairs (CJK, Thai)."""
    return _PAIRED_CHAR.search(text) is not None


def words(text: str) -> list[str]:
    """ICU's words of a text, as a reader would type them (Thai segmented by its dictionary)."""
    return [word for word, _, _ in _words(text, 0)] if text.strip() else []
