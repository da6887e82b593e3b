"""A tiny Argos Translate package built from nothing: a SentencePiece vocabulary trained on a few sentences and
a CTranslate2 Transformer with random weights. Its translations are nonsense, but every step of loading and
running a real package is taken."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece
from ctranslate2 import specs
from ctranslate2.specs.model_spec import LayerSpec

SENTENCES = ["the plant opens today", "la planta abre hoy", "the company sells water", "la empresa vende agua",
             "new homes get drinking water", "casas nuevas reciben agua potable"]
WIDTH, FEED_FORWARD = 8, 16


def _shape(path: str, vocabulary: int) -> tuple[int, ...]:
    if "embeddings" in path or path.endswith("projection"):
        return (vocabulary, WIDTH)
    if "layer_norm" in path:
        return (WIDTH,)
    if "self_attention/linear_0" in path:
        return (3 * WIDTH, WIDTH)  # query, key and value in one matrix
    if "/attention/linear_1" in path:
        return (2 * WIDTH, WIDTH)  # key and value of the encoder's output
    if "ffn/linear_0" in path:
        return (FEED_FORWARD, WIDTH)
    if "ffn/linear_1" in path:
        return (WIDTH, FEED_FORWARD)
    return (WIDTH, WIDTH)


def _fill(layer: LayerSpec, path: str, vocabulary: int, rng: np.random.Generator) -> None:
    for name, value in list(vars(layer).items()):
        where = f"{path}/{name}"
        if isinstance(value, LayerSpec):
            _fill(value, where, vocabulary, rng)
        elif isinstance(value, list) and value and isinstance(value[0], LayerSpec):
            for index, item in enumerate(value):
                _fill(item, f"{where}_{index}", vocabulary, rng)
        elif value is None and name in ("weight", "gamma", "beta"):
            shape = _shape(path, vocabulary)
            array = np.ones(shape) if name == "gamma" else np.zeros(shape) if name == "beta" else rng.normal(
                0, 0.5, shape)
            setattr(layer, name, array.astype(np.float32))


def build_package(directory: Path, *, source: str = "en", target: str = "es", version: str = "0.1") -> Path:
    """Writes `<source>_<target>.argosmodel` into `directory` and returns its path."""
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(SENTENCES * 10), model_writer=model,
                                             vocab_size=40, hard_vocab_limit=False, minloglevel=2)
    tokenizer = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    vocabulary = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size())]
    spec = specs.TransformerSpec.from_config((1, 1), 2)
    _fill(spec, "", len(vocabulary), np.random.default_rng(7))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    root = f"translate-{source}_{target}-{version.replace('.', '_')}"
    build = directory / "build" / root
    (build / "model").mkdir(parents=True)
    spec.save(str(build / "model"))
    metadata = {"package_version": version, "argos_version": "1.0", "from_code": source, "to_code": target,
                "from_name": source, "to_name": target, "type": "translate"}
    archive = directory / f"{source}_{target}.argosmodel"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr(f"{root}/metadata.json", json.dumps(metadata))
        package.writestr(f"{root}/sentencepiece.model", model.getvalue())
        for file in (build / "model").iterdir():
            package.write(file, f"{root}/model/{file.name}")
    return archive
