"""Machine-translation throughput: argostranslate, raw CTranslate2 and translate-flow, interleaved in one run.

    .venv/bin/python benchmarks/mt_throughput.py                  # full: realistic model, 14 articles, 5 rounds
    .venv/bin/python benchmarks/mt_throughput.py --model small --articles 4 --rounds 3   # quick: about a minute
    .venv/bin/python benchmarks/mt_throughput.py --device cuda --compute-type float16 --batch-size 64   # on a GPU

One random-weight model (``realistic``: 6+6 layers, d_model 512, 8 heads, FFN
2048, a 32k vocabulary, int8; ``small``: 2+2 layers, d_model 256) translates
the same articles three ways:

- argostranslate: ``argostranslate.translate.translate()`` per article, with its
  defaults. Its sentence splitter needs stanza or MiniSBD, which download models:
  inside this script only, those imports are stubbed and the splitter is
  translate-flow's SRX segmenter. It works article by article, so its rate does
  not depend on how many it gets: it gets ``--argos-articles`` per round (it is
  over 5× slower), articles it has not seen (it keeps its previous call's
  paragraphs), after one untimed call that loads its model.
- raw CTranslate2: ``translate_batch`` on pre-tokenized sentences, sorted by
  length, batches of 8 run asynchronously, inter_threads=cores, intra_threads=1.
- translate-flow: ``Project.translate`` on a project holding the articles, cold
  cache, PO files written.

Random weights never emit end-of-sentence, so every path is bounded to about
1.1× the source length (the same bucketed bound for all three; for
argostranslate it is injected into its ``translate_batch`` calls).

The machine is shared and noisy: the ways run round-robin, one run each per
round, the order rotated every round, so a change of load hits them alike. Each
ratio is taken within a round; the medians and ranges (min–max) over the rounds
are reported.
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
SHAPES = {
    "realistic": Shape(
        layers=6, d_model=512, heads=8, ffn=2048, vocabulary=4000, model_vocabulary=32000, quantization="int8"
    ),
    "small": Shape(
        layers=2, d_model=256, heads=4, ffn=1024, vocabulary=4000, model_vocabulary=8000, quantization="int8"
    ),
}
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


def run_raw(package_path: Path, sentences: list[str], options: MTOptions) -> float:
    """Seconds spent in translate_batch alone, in its best configuration."""
    import ctranslate2
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(package_path / "sentencepiece.model"))
    tokens = sorted((processor.encode(s, out_type=str) for s in sentences), key=len)
    inter, intra = options.threads() if options.device == "cpu" else (1, 1)  # as the engine: one model per GPU
    translator = ctranslate2.Translator(
        str(package_path / "model"),
        device=options.device,
        compute_type=options.compute_type,
        inter_threads=inter,
        intra_threads=intra,
    )
    size = options.batch_size
    batches, batch = [], []
    for item in tokens:
        if batch and (len(batch) == size or options.decoding_bound(len(item)) != options.decoding_bound(len(batch[0]))):
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


def translate_flow_project(article_bodies: list[list[list[str]]], options: MTOptions) -> Path:
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
        f'[targets]\nen = ["ro"]\n[mt]\nmax_length_ratio = {RATIO}\ndevice = "{options.device}"\n'
        f'compute_type = "{options.compute_type}"\nbatch_size = {options.batch_size}\n',
        encoding="utf-8",
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


def rotated(names: list[str], round_number: int) -> list[str]:
    shift = round_number % len(names)
    return names[shift:] + names[:shift]


def spread(values: list[float], digits: int = 1) -> str:
    """Median and range, e.g. ``7.3 (6.9–7.8)``."""
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=SHAPES, default="realistic", help="model shape (default: realistic)")
    parser.add_argument("--articles", type=int, default=14, help="article variants (15 sentences each)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; each runs every way once")
    parser.add_argument("--argos-articles", type=int, default=2, help="articles argostranslate translates per round")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="where the models run (default: cpu)")
    parser.add_argument("--compute-type", default="default", help="CTranslate2's compute type (default: the model's)")
    parser.add_argument("--batch-size", type=int, default=8, help="sentences per batch, raw and translate-flow")
    arguments = parser.parse_args()
    options = MTOptions(
        max_length_ratio=RATIO,
        device=arguments.device,
        compute_type=arguments.compute_type,
        batch_size=arguments.batch_size,
    )
    # argostranslate reads its device when first imported; it picks its own compute type ("auto").
    os.environ["ARGOS_DEVICE_TYPE"] = arguments.device

    # argostranslate keeps the paragraphs of its previous call: it gets articles it has never seen, every round.
    variants = articles(arguments.articles + (arguments.rounds + 1) * arguments.argos_articles)
    bodies, unseen = variants[: arguments.articles], variants[arguments.articles :]
    sentences = [s for paragraphs in bodies for p in paragraphs for s in p]
    argos_rounds = [
        [
            "\n\n".join(" ".join(p) for p in paragraphs)
            for paragraphs in unseen[start : start + arguments.argos_articles]
        ]
        for start in range(0, len(unseen), arguments.argos_articles)
    ]
    argos_count = sum(len(p) for paragraphs in unseen[: arguments.argos_articles] for p in paragraphs)
    print(
        f"{len(sentences)} sentences in {len(bodies)} articles (argostranslate: {argos_count}); "
        f"{os.cpu_count()} cores; {arguments.rounds} rounds; {arguments.device}, compute type "
        f"{arguments.compute_type}, batches of {arguments.batch_size}",
        flush=True,
    )
    started = time.perf_counter()
    text = SAMPLE.read_text(encoding="utf-8") * 20 + " ".join(sentences)
    archive = build_package("en", "ro", text, HOME / "en_ro.argosmodel", SHAPES[arguments.model], seed=1)
    package, _ = packages.install_archive(archive)
    print(
        f"{arguments.model} model built and installed in {time.perf_counter() - started:.1f} s: "
        f"{package.size / 1e6:.0f} MB",
        flush=True,
    )

    prepare_argostranslate()
    run_argostranslate(argos_rounds.pop())  # loads its model once, as it does in a long-running process
    root = translate_flow_project(bodies, options)
    ways = {
        "argostranslate translate()": (lambda: run_argostranslate(argos_rounds.pop()), argos_count),
        "raw CTranslate2 translate_batch": (lambda: run_raw(package.path, sentences, options), len(sentences)),
        "translate-flow translate": (lambda: run_translate_flow(root), len(sentences)),
    }
    rates: dict[str, list[float]] = {name: [] for name in ways}
    for round_number in range(arguments.rounds):
        for name in rotated(list(ways), round_number):
            way, count = ways[name]
            rates[name].append(count / way())
        line = ", ".join(f"{name.split()[0]} {rates[name][-1]:.1f}" for name in ways)
        print(f"round {round_number + 1}: sentences/s {line}", flush=True)

    print("\nsentences/s, median (range) over the rounds:")
    for name in ways:
        print(f"  {name:34} {spread(rates[name])}")
    flow, raw, argos = (
        rates["translate-flow translate"],
        rates["raw CTranslate2 translate_batch"],
        rates["argostranslate translate()"],
    )
    print("ratios within each round, median (range):")
    for label, top, bottom, digits in (
        ("translate-flow / raw CTranslate2", flow, raw, 2),
        ("translate-flow / argostranslate", flow, argos, 1),
        ("raw CTranslate2 / argostranslate", raw, argos, 1),
    ):
        print(f"  {label + ':':35} {spread([t / b for t, b in zip(top, bottom, strict=True)], digits)}×")
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
