"""Machine-translation throughput: argostranslate, raw CTranslate2 and translate-flow, in one run.

    .venv/bin/python benchmarks/mt_throughput.py [--articles 14] [--repeats 3]

One random-weight model of realistic shape (6+6 layers, d_model 512, 8 heads,
FFN 2048, a 32k vocabulary, int8) translates the same articles three ways:

- argostranslate: ``argostranslate.translate.translate()`` per article, with its
  defaults. Its sentence splitter needs stanza or MiniSBD, which download models:
  inside this script only, those imports are stubbed and the splitter is
  translate-flow's SRX segmenter.
- raw CTranslate2: ``translate_batch`` on pre-tokenized sentences, sorted by
  length, batches of 8 run asynchronously, inter_threads=cores, intra_threads=1.
- translate-flow: ``Project.translate`` on a project holding the articles, cold
  cache, PO files written.

Random weights never emit end-of-sentence, so every path is bounded to about
1.1× the source length (the same bucketed bound for all three; for
argostranslate it is injected into its ``translate_batch`` calls). The machine
is shared and noisy: each way runs ``--repeats`` times and the median counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="mt-bench-"))
os.environ.update(
    ARGOS_PACKAGES_DIR=str(HOME / "packages"),
    XDG_DATA_HOME=str(HOME / "data"),
    XDG_CACHE_HOME=str(HOME / "cache"),
    XDG_CONFIG_HOME=str(HOME / "config"),
)

from translate_flow import packages  # noqa: E402
from translate_flow.model import MTOptions  # noqa: E402
from translate_flow.pipeline import Project  # noqa: E402
from translate_flow.segmentation import default_segmenter  # noqa: E402
from translate_flow.sources import read_article  # noqa: E402
from translate_flow.synthetic import Shape, build_package  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources" / "en" / "nato-must-stay-united.md"
SHAPE = Shape(layers=6, d_model=512, heads=8, ffn=2048, vocabulary=4000, model_vocabulary=32000, quantization="int8")
RATIO = 1.1


def articles(count: int) -> list[list[list[str]]]:
    """``count`` variants of the sample body: paragraphs of distinct sentences."""
    article = read_article(SAMPLE, "en")
    body = [s for s in article.segments if s.location.startswith("paragraph")]
    paragraphs: dict[str, list[str]] = {}
    for segment in body:
        paragraphs.setdefault(segment.location.split(",")[0], []).append(segment.text)
    return [
        [[f"In report {n}, {s[0].lower()}{s[1:]}" for s in sentences] for sentences in paragraphs.values()]
        for n in range(1, count + 1)
    ]


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run_argostranslate(texts: list[str]) -> float:
    import argostranslate.translate
    import ctranslate2

    real = ctranslate2.Translator
    ctranslate2.Translator = bounded_translator(real)  # argostranslate looks it up on the module
    try:
        return timed(lambda: [argostranslate.translate.translate(text, "en", "ro") for text in texts])
    finally:
        ctranslate2.Translator = real


def bounded_translator(real):
    options = MTOptions(max_length_ratio=RATIO)

    class BoundedTranslator(real):
        def translate_batch(self, source, *args, **kwargs):
            kwargs.setdefault("max_decoding_length", options.decoding_bound(max((len(s) for s in source), default=1)))
            return super().translate_batch(source, *args, **kwargs)

    return BoundedTranslator


def prepare_argostranslate() -> None:
    """Stub the sentence splitters' imports and give it an offline splitter, as the module docstring says."""
    sys.modules.setdefault("stanza", types.ModuleType("stanza"))
    minisbd = types.ModuleType("minisbd")
    minisbd.SBDetect, minisbd.models = object, types.ModuleType("minisbd.models")
    sys.modules.setdefault("minisbd", minisbd)
    import argostranslate.translate

    class OfflineSentencizer:
        def __init__(self, package):
            pass

        def split_sentences(self, text: str) -> list[str]:
            return default_segmenter().split(text, "en")

    argostranslate.translate.MiniSBDSentencizer = OfflineSentencizer


def run_raw(package_path: Path, sentences: list[str]) -> float:
    """Seconds spent in translate_batch alone, in its best configuration."""
    import ctranslate2
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(package_path / "sentencepiece.model"))
    tokens = sorted((processor.encode(s, out_type=str) for s in sentences), key=len)
    options = MTOptions(max_length_ratio=RATIO)
    inter, intra = options.threads()
    translator = ctranslate2.Translator(str(package_path / "model"), inter_threads=inter, intra_threads=intra)
    batches, batch = [], []
    for item in tokens:
        if batch and (len(batch) == 8 or options.decoding_bound(len(item)) != options.decoding_bound(len(batch[0]))):
            batches.append(batch)
            batch = []
        batch.append(item)
    batches.append(batch)

    def translate() -> None:
        futures = [
            translator.translate_batch(
                b,
                beam_size=4,
                max_decoding_length=options.decoding_bound(len(b[-1])),
                length_penalty=0.2,
                asynchronous=True,
            )
            for b in batches
        ]
        for group in futures:
            for future in group:
                future.result()

    return timed(translate)


def translate_flow_project(article_bodies: list[list[list[str]]]) -> Path:
    root = HOME / "project"
    for n, paragraphs in enumerate(article_bodies, start=1):
        path = root / "sources" / "en" / f"report-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
        path.write_text(
            f"---\ntitle: Report {n}\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n---\n\n{body}\n",
            encoding="utf-8",
        )
    (root / "translate-flow.toml").write_text(
        f'[targets]\nen = ["ro"]\n[mt]\nmax_length_ratio = {RATIO}\n', encoding="utf-8"
    )
    return root


def run_translate_flow(root: Path) -> float:
    shutil.rmtree(root / "locales", ignore_errors=True)
    shutil.rmtree(root / ".translate-flow", ignore_errors=True)
    project = Project(root)
    project.update()
    report_holder = []
    seconds = timed(lambda: report_holder.append(project.translate(locales=["ro"])))
    assert report_holder[0].counts["machine"] > 0
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=14, help="article variants (15 sentences each)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each way; the median counts")
    parser.add_argument(
        "--argos-repeats", type=int, default=1, help="runs of argostranslate, over 10× slower (default: 1)"
    )
    arguments = parser.parse_args()

    bodies = articles(arguments.articles)
    sentences = [s for paragraphs in bodies for p in paragraphs for s in p]
    print(f"{len(sentences)} sentences in {len(bodies)} articles; {os.cpu_count()} cores", flush=True)
    started = time.perf_counter()
    text = SAMPLE.read_text(encoding="utf-8") * 20 + " ".join(sentences)
    archive = build_package("en", "ro", text, HOME / "en_ro.argosmodel", SHAPE, seed=1)
    package, _ = packages.install_archive(archive)
    print(
        f"model built and installed in {time.perf_counter() - started:.1f} s: {package.size / 1e6:.0f} MB", flush=True
    )

    prepare_argostranslate()
    argos_texts = ["\n\n".join(" ".join(p) for p in paragraphs) for paragraphs in bodies]
    root = translate_flow_project(bodies)
    ways = {
        "argostranslate translate()": lambda: run_argostranslate(argos_texts),
        "raw CTranslate2 translate_batch": lambda: run_raw(package.path, sentences),
        "translate-flow translate": lambda: run_translate_flow(root),
    }
    medians = {}
    for name, way in ways.items():
        repeats = arguments.argos_repeats if name.startswith("argostranslate") else arguments.repeats
        runs = [way() for _ in range(repeats)]
        medians[name] = statistics.median(runs)
        rates = ", ".join(f"{len(sentences) / r:.1f}" for r in runs)
        print(f"{name:34} median {len(sentences) / medians[name]:6.1f} sentences/s  (runs: {rates})", flush=True)

    flow, raw, argos = (
        medians["translate-flow translate"],
        medians["raw CTranslate2 translate_batch"],
        medians["argostranslate translate()"],
    )
    print(f"translate-flow / raw CTranslate2:     {raw / flow:.2f}×  (target ≥ 0.9)")
    print(f"translate-flow / argostranslate:      {argos / flow:.2f}×  (target ≥ 5)")
    print(f"raw CTranslate2 / argostranslate:     {argos / raw:.2f}×")
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
