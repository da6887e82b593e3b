from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.argos import SENTENCES, build_package
from tests.support.translation import configure
from wireroom.translation.engines.base import EngineError
from wireroom.translation.engines.registry import configured_engines
from wireroom.translation.machine import Segment, translate


@pytest.fixture
def argos_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    packages = tmp_path / "packages"
    packages.mkdir()
    build_package(packages, source="en", target="es", version="0.1")
    configure(monkeypatch, engines=["argos"], argos_dir=packages)
    monkeypatch.setitem(settings.ENV, "WIREROOM_DATA_DIR", tmp_path / "data")
    return packages


def test_argos_reads_its_pairs_from_the_packages_in_the_folder(argos_dir: Path, tmp_path: Path) -> None:
    [engine] = configured_engines()
    assert engine.pairs() == {("en", "es")}
    assert (tmp_path / "data/translation/argos/translate-en_es-0_1/metadata.json").exists()
    assert engine.version(source="en", target="es").startswith("argos package translate-en_es-0_1 0.1, ctranslate2 4.")


def test_a_tiny_model_translates_text_between_the_tags_and_tokens_it_never_sees(argos_dir: Path) -> None:
    done = translate([Segment("The plant opens today. The company sells water.", "text"),
                      Segment('<p>The plant in <a href="https://nahr.example/x">2026</a> opens.</p>', "html")],
                     source="en", target="es", glossary=[])
    text, html = done.texts
    vocabulary = set(" ".join(SENTENCES).replace(" ", ""))
    assert text.strip() and set(text.replace(" ", "")) <= vocabulary | {"⁇"}  # nonsense, from the model's pieces
    assert re.findall(r"<[^>]+>", html) == ['<p>', '<a href="https://nahr.example/x">', '</a>', '</p>']
    assert '<a href="https://nahr.example/x">2026</a>' in html  # the number was a token the model never saw
    assert done.chain == [{"engine": "argos", "source": "en", "target": "es",
                           "version": done.chain[0]["version"]}]


def test_without_a_package_folder_argos_offers_no_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, engines=["argos"], argos_dir=None)
    assert configured_engines()[0].pairs() == set()


def test_a_pair_without_a_package_is_an_engine_error(argos_dir: Path) -> None:
    with pytest.raises(EngineError, match="no Argos package for es-en"):
        configured_engines()[0].translate(["La planta"], source="es", target="en", markup="text")
