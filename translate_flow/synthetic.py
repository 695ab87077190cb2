"""Genuine but untrained Argos packages, for tests and benchmarks.

Real packages cannot be downloaded everywhere (CI has no network). This builds
the real thing from scratch: a SentencePiece model trained on the given text,
a CTranslate2 Transformer with seeded random weights, ``metadata.json``, all
zipped as an ``.argosmodel``. The weights are random, so the output is
gibberish and never ends by itself: always bound the decoding length.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shape:
    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocabulary: int = 300  # SentencePiece pieces, as many as the text allows
    model_vocabulary: int = 0  # pad the model's vocabulary to this size (compute like a real model's)
    quantization: str | None = None  # e.g. "int8"


def train_tokenizer(text: str, directory: Path, vocabulary: int) -> Path:
    """A SentencePiece model trained on ``text``; returns its path."""
    import sentencepiece

    corpus = directory / "corpus.txt"
    corpus.write_text(text, encoding="utf-8")
    prefix = directory / "sentencepiece"
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocabulary,
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    corpus.unlink()
    prefix.with_suffix(".vocab").unlink()
    return prefix.with_suffix(".model")


def _shape_of(path: str, d: int, ffn: int, source_vocabulary: int, target_vocabulary: int) -> tuple[int, ...]:
    if path.endswith(("gamma", "beta")):
        return (d,)
    if "embeddings" in path:
        return (source_vocabulary if path.startswith("encoder") else target_vocabulary, d)
    if "projection" in path:
        return (target_vocabulary, d)
    if "/ffn/linear_0" in path:
        return (ffn, d)
    if "/ffn/linear_1" in path:
        return (d, ffn)
    if "self_attention/linear_0" in path:
        return (3 * d, d)
    if "/attention/linear_1" in path:
        return (2 * d, d)
    return (d, d)


def _fill(spec, prefix: str, random, shape: Shape, vocabularies: tuple[int, int]) -> None:
    from ctranslate2.specs import model_spec

    for name, value in vars(spec).items():
        path = f"{prefix}/{name}".lstrip("/")
        if isinstance(value, model_spec.LayerSpec):
            _fill(value, path, random, shape, vocabularies)
        elif isinstance(value, list) and value and isinstance(value[0], model_spec.LayerSpec):
            for index, item in enumerate(value):
                _fill(item, f"{path}_{index}", random, shape, vocabularies)
        elif value is None:
            dims = _shape_of(path, shape.d_model, shape.ffn, *vocabularies)
            if name == "gamma":
                array = 1 + 0.1 * random.standard_normal(dims)
            else:
                array = random.standard_normal(dims) * (0.5 / dims[-1] ** 0.5)
            setattr(spec, name, array.astype("float32"))


def build_model(pieces: list[str], directory: Path, shape: Shape, seed: int) -> None:
    """Save a random-weight CTranslate2 Transformer over the SentencePiece ``pieces``."""
    import numpy
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config((shape.layers, shape.layers), shape.heads, pre_norm=True)
    _fill(spec, "", numpy.random.default_rng(seed), shape, (len(pieces), len(pieces)))
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization=shape.quantization)
    directory.mkdir(parents=True)
    spec.save(str(directory))


def build_package(
    source: str, target: str, text: str, output: Path, shape: Shape = Shape(), seed: int = 0, version: str = "1.0"
) -> Path:
    """Write ``output`` (an ``.argosmodel`` zip) for the pair ``source``→``target``."""
    import sentencepiece

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / f"translate-{source}_{target}-{version.replace('.', '_')}"
        root.mkdir()
        tokenizer = train_tokenizer(text, root, shape.vocabulary)
        processor = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        pieces += [f"▁v{i}" for i in range(len(pieces), shape.model_vocabulary)]
        build_model(pieces, root / "model", shape, seed)
        metadata = {
            "package_version": version,
            "argos_version": "1.0",
            "from_code": source,
            "from_name": source,
            "to_code": target,
            "to_name": target,
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text(f"Synthetic {source}→{target} package (random weights).\n", encoding="utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(root.parent).as_posix())
        shutil.rmtree(root)
    return output
