"""How text becomes search terms, the same for the index and for queries, and for both backends.

Both backends store the terms made here (FTS5 splits them on spaces, PostgreSQL is given a `tsvector` literal),
so a query finds the same releases on SQLite and PostgreSQL.

- Chinese, Japanese and Korean (Han, kana, Hangul) are cut into runs of those characters, and each run into
  overlapping pairs of characters plus its last character alone: 北京市 → 北京 京市 市. A query of two or more
  such characters is the phrase of its pairs; a query of one character is a prefix (北*), which finds it at
  every place in a run (as the first of a pair, or as the last character). Dictionary segmentation alone
  would miss a two-character word inside a longer one (서울 in 서울에서), and trigrams miss short queries.
- Everything else is cut into words by ICU's word boundaries (its dictionaries segment Thai, Lao, Khmer and
  Burmese, which are written without spaces), folded (NFKC, case, Arabic vowel marks and tatweel), and stemmed
  with the Snowball stemmer of the localization's language where PostgreSQL has a text search configuration
  for it (Malay with the Indonesian one, a close relative); Thai, Vietnamese and the CJK languages are not
  stemmed. A query word, whose language is not known, matches any of its stems; with a language filter, only
  that language's.
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
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
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


def fold(word: str) -> str:
    """A word as it is compared: NFKC, case-folded, without Arabic vowel marks or punctuation inside it."""
    folded = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", word).casefold())
    if folded.isalnum():
        # Most words: letters and digits only, nothing else to drop.
        return folded[:MAX_TERM]
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LMN")[:MAX_TERM]


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


def _run_terms(run: str, offset: int) -> Iterator[Token]:
    """A run of CJK characters as overlapping pairs, then its last character alone."""
    for index in range(len(run) - 1):
        yield Token(fold(run[index:index + 2]), offset + index, offset + index + 2)
    yield Token(fold(run[-1]), offset + len(run) - 1, offset + len(run))


def tokens(text: str, language: str | None) -> Iterator[Token]:
    """The index terms of a text written in `language`, in order."""
    position = 0
    for run in _CJK_RUN.finditer(text):
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

    `phrase`: terms that must follow each other (the pairs of a CJK run); `any_of`: a word's forms, any of
    which matches (its stems in the possible languages); `prefix`: the term starts a word (one CJK character,
    or a Thai word, which ICU may have segmented as part of a longer one in the text).
    """

    phrase: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    prefix: str = ""
    # What the reader typed for this part, folded: the highlighter looks for it in the text.
    surface: str = ""


def _is_thai(term: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in term)


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

    def words(span: str) -> None:
        for word, _, _ in _words(span, 0) if span.strip() else ():
            term = fold(word)
            if not term:
                continue
            if _is_thai(term):
                add(Part(prefix=term, surface=term))
            else:
                forms = {term} | {stem(term, code) for code in languages}
                add(Part(any_of=tuple(sorted(forms)), surface=term))

    for run in _CJK_RUN.finditer(query):
        words(query[position:run.start()])
        text = fold(run.group())
        if len(text) == 1:
            add(Part(prefix=text, surface=text))
        else:
            add(Part(phrase=tuple(text[i:i + 2] for i in range(len(text) - 1)), surface=text))
        position = run.end()
    words(query[position:])
    return parts


def is_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None
