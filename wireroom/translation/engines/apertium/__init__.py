"""Apertium, run as a local process (`apertium -f html <mode>`), with the pairs Debian's packages install."""

from __future__ import annotations

import functools
import html
import re
import subprocess
from pathlib import Path

from django.conf import settings

from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.engines.registry import EngineSpec, register

# Apertium names languages by ISO 639-3 in newer pairs and 639-1 in older ones; the wire uses BCP 47.
_LANGUAGES = {
    "eng": "en", "spa": "es", "por": "pt", "fra": "fr", "cat": "ca", "ind": "id", "zlm": "ms", "msa": "ms",
    "deu": "de", "rus": "ru", "ita": "it", "glg": "gl",
}
_SEGMENT = re.compile(r'<div data-wr-seg="(\d+)">(.*?)</div>\s*(?=<div data-wr-seg=|$)', re.S)


def language_tag(code: str) -> str | None:
    """The wire's tag for an Apertium language code; None for a variant or a special mode."""
    if "_" in code or not code.isalpha():
        return None  # a variant (es-pt_BR) or a special mode: the plain pair is the one used
    return _LANGUAGES.get(code, code if len(code) == 2 else None)


class Apertium:
    name = "apertium"

    def __init__(self) -> None:
        self.command: str = settings.ENV["WIREROOM_TRANSLATION_APERTIUM_COMMAND"]
        self.timeout: float = settings.ENV["WIREROOM_TRANSLATION_TIMEOUT_SECONDS"]
        self._modes = _modes(self.command)

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._modes)

    def version(self, *, source: str, target: str) -> str:
        mode = self._modes.get((source, target), f"{source}-{target}")
        return f"{_program_version(self.command)}, {mode} {_data_version(mode)}".strip()

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        mode = self._modes.get((source, target))
        if mode is None:
            raise EngineError(f"apertium has no {source}-{target} pair installed")
        # One process per batch.
        try:
            done = subprocess.run([self.command, "-u", "-f", "html", mode], input=join_batch(segments, markup),
                                  capture_output=True, text=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"apertium {mode} did not run: {exc}") from None
        if done.returncode != 0:
            raise EngineError(f"apertium {mode} failed: {done.stderr.strip()[:300]}")
        return split_batch(done.stdout, count=len(segments), markup=markup, what=f"apertium {mode}")


def join_batch(segments: list[str], markup: Markup) -> str:
    """A batch as one HTML document: each segment rides in a block of its own, found again by its number (plain
    text escaped, so Apertium's HTML format leaves it as text)."""
    pieces = segments if markup == "html" else [html.escape(segment, quote=False) for segment in segments]
    return "\n".join(f'<div data-wr-seg="{i}">{piece}</div>' for i, piece in enumerate(pieces))


def split_batch(translated: str, *, count: int, markup: Markup, what: str) -> list[str]:
    """The segments of a batch `join_batch` made, once translated, in order."""
    found = {int(number): text for number, text in _SEGMENT.findall(translated.strip())}
    if sorted(found) != list(range(count)):
        raise EngineError(f"{what} returned {len(found)} of {count} segments")
    out = [found[i] for i in range(count)]
    return out if markup == "html" else [html.unescape(text) for text in out]


@functools.cache
def _modes(command: str) -> dict[tuple[str, str], str]:
    try:
        listed = subprocess.run([command, "-l"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return {}
    modes: dict[tuple[str, str], str] = {}
    for mode in listed.split():
        source, _, target = mode.partition("-")
        pair = (language_tag(source), language_tag(target))
        if pair[0] and pair[1]:
            modes.setdefault((pair[0], pair[1]), mode)
    return modes


@functools.cache
def _program_version(command: str) -> str:
    try:
        shown = subprocess.run([command, "-V"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return "apertium (not installed)"
    return shown.strip().splitlines()[0].lower() if shown.strip() else "apertium"


@functools.cache
def _data_version(mode: str) -> str:
    """The Debian version of the pair's data package, found from the directory its mode file reads."""
    for modes_dir in (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes")):
        mode_file = modes_dir / f"{mode}.mode"
        if mode_file.exists():
            data_dir = re.search(r"/apertium/(apertium-[\w-]+)/", mode_file.read_text())
            if data_dir is None:
                return ""
            package = data_dir.group(1)
            query = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True,
                                   text=True, timeout=30, check=False)
            return f"({package} {query.stdout.strip()})" if query.returncode == 0 else f"({package})"
    return ""


register(EngineSpec(name="apertium", factory=Apertium))
