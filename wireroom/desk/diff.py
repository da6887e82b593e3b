"""Word-level diffs of a release's fields between two snapshots, for the desk: per field and per language.

Latin, Cyrillic, Greek, Arabic and Hangul words are compared whole; scripts written without spaces (Chinese,
Japanese, Thai) are compared character by character, so a changed word there is not a changed sentence.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from wireroom.lib.html import html_to_text
from wireroom.releases.changes import LOCALIZATION_FIELDS, RELEASE_FIELDS, flatten

_TOKEN = re.compile(r"[\w\u0600-\u06ff\uac00-\ud7af]+(?<![\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f])|\s+|.",
                    re.UNICODE)
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if _SPACELESS.search(token):
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


@dataclass(frozen=True)
class FieldDiff:
    field: str
    language: str  # empty for the release's own fields
    segments: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)

    @property
    def label(self) -> str:
        return self.field.replace("_html", "").replace("_", " ")


def _segments(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _tokens(before), _tokens(after)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            segments.append(("equal" if op == "equal" else "delete", "".join(old[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            segments.append(("insert", "".join(new[j1:j2])))
    return segments


def _readable(fields: dict[str, str]) -> dict[str, str]:
    """Bodies as their text: the editor compares what readers read, not the markup."""
    return {name: html_to_text(value) if name.endswith(".body_html") else value for name, value in fields.items()}


def snapshot_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ from `before` to `after` (all of `after`'s when there is no `before`), release
    fields first, then each language's in the order of `after`."""
    old, new = _readable(flatten(before)), _readable(flatten(after))
    languages = [loc["language"] for loc in after.get("localizations", [])]
    gone = [loc["language"] for loc in (before or {}).get("localizations", [])]
    languages += [language for language in gone if language not in languages]
    names = [(name, "") for name in RELEASE_FIELDS] + [
        (f"{language}.{name}", language) for language in languages for name in LOCALIZATION_FIELDS]
    diffs = []
    for name, language in names:
        a, b = old.get(name, ""), new.get(name, "")
        if a != b:
            diffs.append(FieldDiff(field=name.partition(".")[2] if language else name, language=language,
                                   segments=_segments(a, b)))
    return diffs
