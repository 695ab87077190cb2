"""Sentence segmentation: translate-flow's compiled SRX rules against choppa's SrxTextIterator.

    .venv/bin/python benchmarks/segmentation.py [--articles 300] [--repeats 7] [--sample-rounds 100]

Two sets of paragraphs (texts between blank lines, front matter and headings included):
the ``--articles`` generated news articles of ``benchmarks/newsroom.py`` (English), and the
sample articles in ``sources/`` (English and Romanian), split ``--sample-rounds`` times over
so that their time can be measured. Each is split into sentences by:

- choppa: choppa-srx 1.0.0's ``SrxTextIterator``, which builds a matcher per break rule for
  every paragraph (the code ``Segmenter.spans`` ran before ``translate_flow/srx.py``);
- srx: ``Segmenter.spans`` as it is, the rules compiled once per language.

Both use the same parsed rules (ours, then LanguageTool's). The ways alternate (choppa, srx,
srx, choppa, ...) so that load on the machine falls on both. Reported: CPU seconds per way,
median [min–max] over ``--repeats``; the ratio of medians and the range of the per-repetition
ratios; whether both gave the same spans for every paragraph; and the one-off costs of
loading and compiling the rules (what each way compiles on first use is done before timing).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.newsroom import article
from translate_flow.segmentation import Segmenter

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(text: str) -> list[str]:
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def choppa_spans(segmenter: Segmenter, text: str, language: str) -> list[tuple[int, int]]:
    """Segmenter.spans as it was: choppa's iterator, pieces trimmed of surrounding whitespace."""
    from choppa.iterators import SrxTextIterator

    result = []
    position = 0
    for piece in SrxTextIterator(segmenter.document, language, text):
        start = position + (len(piece) - len(piece.lstrip()))
        end = position + len(piece.rstrip())
        if end > start:
            result.append((start, end))
        position += len(piece)
    return result


def cpu_seconds(split, texts: list[tuple[str, str]]) -> tuple[float, list]:
    start = time.process_time()
    spans = [split(text, language) for text, language in texts]
    return time.process_time() - start, spans


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} s [{min(values):.3f}–{max(values):.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sample-rounds", type=int, default=100)
    options = parser.parse_args()

    start = time.process_time()
    segmenter = Segmenter()
    loading = time.process_time() - start
    rng = random.Random(1)
    newsroom = [(text, "en") for number in range(options.articles) for text in paragraphs(article(rng, number))]
    samples = [
        (text, path.parent.name)
        for path in sorted(ROOT.glob("sources/*/*.md"))
        for text in paragraphs(path.read_text())
    ]
    sets = {
        "newsroom": (f"{len(newsroom):,} paragraphs", newsroom),
        "samples": (f"{len(samples)} paragraphs × {options.sample_rounds}", samples * options.sample_rounds),
    }
    start = time.process_time()
    for language in sorted({language for _, language in newsroom + samples}):
        segmenter.rules(language)
    compiling = time.process_time() - start
    print(f"rules: loaded in {loading:.2f} s CPU (once per process), compiled for en and ro in {compiling:.2f} s")

    ways = {
        "choppa": lambda text, language: choppa_spans(segmenter, text, language),
        "srx": segmenter.spans,
    }
    for split in ways.values():  # what each way compiles on first use is not counted
        cpu_seconds(split, newsroom[:100] + samples)
    for name, (size, texts) in sets.items():
        times: dict[str, list[float]] = {way: [] for way in ways}
        answers: dict[str, list] = {}
        order = list(ways)
        for _ in range(options.repeats):
            for way in order:
                seconds, answers[way] = cpu_seconds(ways[way], texts)
                times[way].append(seconds)
            order.reverse()
        same = answers["choppa"] == answers["srx"]
        ratios = [slow / fast for slow, fast in zip(times["choppa"], times["srx"], strict=True)]
        ratio = statistics.median(times["choppa"]) / statistics.median(times["srx"])
        print(f"\n{name}: {size}, {options.repeats} repetitions; CPU, median [min–max]")
        for way in ways:
            per = 1e6 * statistics.median(times[way]) / len(texts)
            print(f"  {way:7} {spread(times[way])}  ({per:.0f} µs a paragraph)")
        print(f"  srx is {ratio:.1f}× cheaper than choppa [{min(ratios):.1f}–{max(ratios):.1f}]; same spans: {same}")


if __name__ == "__main__":
    main()
