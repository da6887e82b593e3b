"""Highlighted text for a result: the matched words marked in the localization's own text, as safe HTML.

The text is escaped piece by piece and only `<mark>` is added, so nothing an issuer wrote becomes markup.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe

from wireroom.search.analysis import Part, fold_with_places, is_paired, tokens

SNIPPET_CHARS = 240
# A snippet is looked for in the opening of a long body only: the work per result stays bounded, and a match
# further down shows the opening instead.
SCANNED_CHARS = 4_000


def _spans(text: str, parts: list[Part], language: str) -> list[tuple[int, int]]:
    """Where the query's parts are in `text`: words by their terms, CJK and Thai by the characters themselves."""
    words = {form for part in parts for form in part.any_of}
    spans = []
    if words:
        spans = [(token.start, token.end) for token in tokens(text, language)
                 if not is_paired(text[token.start:token.end]) and token.term in words]
    # Pairs of characters are not what a reader reads as a match: mark the run of characters they typed.
    needles = [part.surface for part in parts if is_paired(part.surface)]
    if needles:
        folded, places = fold_with_places(text)
        for needle in needles:
            start = folded.find(needle)
            while start >= 0:
                spans.append((places[start], places[start + len(needle) - 1] + 1))
                start = folded.find(needle, start + len(needle))
    return _merged(sorted(set(spans)), text)


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans as one, and spans with nothing or only spaces between them too (one mark for a phrase
    of words)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1]:start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def highlight(text: str, parts: list[Part], language: str) -> SafeString:
    """The whole text (a headline), escaped, with the matches marked."""
    return mark_safe(_marked(text, _spans(text, parts, language)))


def snippet(texts: list[str], parts: list[Part], language: str) -> SafeString:
    """About SNIPPET_CHARS of the first of `texts` that has a match, around its first match, escaped, with the
    matches marked; the opening of the first text when none has one."""
    for whole in texts:
        text = whole[:SCANNED_CHARS]
        spans = _spans(text, parts, language)
        if spans:
            start = max(0, spans[0][0] - SNIPPET_CHARS // 3)
            # Start at a space when one is near, so the snippet does not open in the middle of a word.
            space = text.rfind(" ", max(0, start - 20), start + 1)
            start = space + 1 if space >= 0 and start > 0 else start
            end = min(len(text), start + SNIPPET_CHARS)
            more = end < len(whole)
            window = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
            body = _marked(text[start:end], window)
            return mark_safe(("… " if start else "") + body + (" …" if more else ""))
    opening = next((text for text in texts if text), "")
    cut = opening[:SNIPPET_CHARS]
    return mark_safe(html.escape(cut) + (" …" if len(opening) > SNIPPET_CHARS else ""))
