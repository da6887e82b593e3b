"""Argos Translate packages (`.argosmodel`), run with CTranslate2 and SentencePiece, from a directory the
operator fills offline.

A package is a zip archive of one directory holding `metadata.json` (`from_code`, `to_code`,
`package_version`), `model/` (a CTranslate2 model) and `sentencepiece.model`. Archives are unpacked once into
`<data dir>/translation/argos/`; already unpacked directories are read where they are.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import sentencepiece
from django.conf import settings

from wireroom.translation.engines.base import EngineError, Markup
from wireroom.translation.engines.registry import EngineSpec, register

# Argos names Traditional Chinese "zt"; the wire uses BCP 47.
_TAGS = {"zh": "zh-Hans", "zt": "zh-Hant"}
# Tags and ⟦n⟧ tokens are never shown to the model: only the text between them is translated.
_UNTOUCHED = re.compile(r"(<[^>]*>|⟦\s*\d+\s*⟧)")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
MAX_DECODING_LENGTH = 512


@dataclass(frozen=True)
class Package:
    source: str
    target: str
    version: str
    path: Path


def _unpacked(archive: Path, into: Path) -> Path | None:
    with zipfile.ZipFile(archive) as package:
        names = package.namelist()
        metadata = [name for name in names if name.count("/") == 1 and name.endswith("/metadata.json")]
        if len(metadata) != 1:
            return None
        root = into / metadata[0].split("/")[0]
        if not (root / "metadata.json").exists():
            into.mkdir(parents=True, exist_ok=True)
            for name in names:
                # Only members under the package's own directory, and none that climbs out of it.
                if name.startswith(f"{root.name}/") and ".." not in Path(name).parts:
                    package.extract(name, into)
    return root


@functools.cache
def packages(directory: Path, cache: Path) -> dict[tuple[str, str], Package]:
    found: dict[tuple[str, str], Package] = {}
    if not directory.is_dir():
        return found
    for entry in sorted(directory.iterdir()):
        root = _unpacked(entry, cache) if entry.suffix == ".argosmodel" else entry
        if root is None or not (root / "metadata.json").exists():
            continue
        metadata: dict[str, Any] = json.loads((root / "metadata.json").read_text())
        source = _TAGS.get(metadata["from_code"], metadata["from_code"])
        target = _TAGS.get(metadata["to_code"], metadata["to_code"])
        found.setdefault((source, target), Package(source, target, str(metadata.get("package_version", "")), root))
    return found


@functools.cache
def _loaded(path: Path) -> tuple[ctranslate2.Translator, sentencepiece.SentencePieceProcessor]:
    translator = ctranslate2.Translator(str(path / "model"), device="cpu", inter_threads=1)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    return translator, tokenizer


class Argos:
    name = "argos"

    def __init__(self) -> None:
        directory: Path | None = settings.ENV["WIREROOM_TRANSLATION_ARGOS_DIR"]
        self._packages = (packages(directory, Path(settings.ENV["WIREROOM_DATA_DIR"]) / "translation" / "argos")
                          if directory else {})

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._packages)

    def version(self, *, source: str, target: str) -> str:
        package = self._packages.get((source, target))
        shown = f"{package.path.name} {package.version}".strip() if package else f"{source}-{target}"
        return f"argos package {shown}, ctranslate2 {ctranslate2.__version__}"

    def translate(self, segments: list[str], *, source: str, target: str, markup: Markup) -> list[str]:
        package = self._packages.get((source, target))
        if package is None:
            raise EngineError(f"no Argos package for {source}-{target} in WIREROOM_TRANSLATION_ARGOS_DIR")
        try:
            translator, tokenizer = _loaded(package.path)
        except (RuntimeError, OSError) as exc:
            raise EngineError(f"the Argos package {package.path.name} does not load: {exc}") from None
        pieces = [_UNTOUCHED.split(segment) for segment in segments]
        # Every sentence of every piece of text, in one batch for the model.
        sentences = [sentence for parts in pieces for part in parts if not _UNTOUCHED.fullmatch(part)
                     for sentence in _SENTENCE_END.split(part.strip()) if sentence]
        results = translator.translate_batch([tokenizer.encode(sentence, out_type=str) for sentence in sentences],
                                             max_decoding_length=MAX_DECODING_LENGTH) if sentences else []
        translated = iter(tokenizer.decode(result.hypotheses[0]) for result in results)
        out = []
        for parts in pieces:
            rebuilt = []
            for part in parts:
                if _UNTOUCHED.fullmatch(part) or not part.strip():
                    rebuilt.append(part)
                    continue
                text = " ".join(next(translated) for sentence in _SENTENCE_END.split(part.strip()) if sentence)
                # The whitespace around a piece is the document's, not the model's.
                rebuilt.append(part[: len(part) - len(part.lstrip())] + text + part[len(part.rstrip()):])
            out.append("".join(rebuilt))
        return out


register(EngineSpec(name="argos", factory=Argos))
