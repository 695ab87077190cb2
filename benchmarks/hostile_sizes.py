"""Extraction time against article size: does a big article cost in proportion?

    .venv/bin/python benchmarks/hostile_sizes.py [--sizes 1,2,5,10] [--repeats 3] [--old-up-to 2]

Each article is the sample article's body, hard-wrapped at 80 columns as one
paragraph and repeated to the size asked: the shape that made extraction
quadratic (each sentence's offset was found by a scan over the paragraph's
lines). ``read_article`` extracts it two ways, interleaved, ``--repeats`` times:

- now: translate-flow as it is;
- old: with the line scan put back (``InlineBlock.source_offset`` before the
  binary search), for sizes up to ``--old-up-to`` MB: it grows as the square.

It prints the median and range of each in CPU seconds of this process (the
machine is shared, and wall time mostly measures the neighbours), seconds per
MB relative to the smallest size (flat means linear), and old/now.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from translate_flow.markdown import InlineBlock
from translate_flow.sources import read_article

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources" / "en" / "nato-must-stay-united.md"
NOW = InlineBlock.source_offset


def old_source_offset(self: InlineBlock, position: int) -> int:
    """The linear scan over a paragraph's lines, as it was."""
    for content_start, source_start in reversed(self.offsets):
        if position >= content_start:
            return source_start + position - content_start
    raise ValueError(position)


def article(folder: Path, megabytes: float) -> Path:
    _, front, body = SAMPLE.read_text(encoding="utf-8").split("---\n", 2)
    words = " ".join(body.split()) + " "
    size = int(megabytes * 1_000_000)
    text = "\n".join(textwrap.wrap((words * (size // len(words) + 1))[:size], 80))
    path = folder / "en" / f"big-{megabytes}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{text}\n", encoding="utf-8")
    return path


def extract(path: Path, source_offset) -> float:
    InlineBlock.source_offset = source_offset
    try:
        start = time.process_time()
        read_article(path, "en")
        return time.process_time() - start
    finally:
        InlineBlock.source_offset = NOW


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,5,10", help="article sizes in MB, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--old-up-to", type=float, default=2.0, help="largest size (MB) to run the old way on")
    args = parser.parse_args()
    sizes = [float(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="hostile-sizes-") as folder:
        measure(Path(folder), sizes, args.repeats, args.old_up_to)


def measure(folder: Path, sizes: list[float], repeats: int, old_up_to: float) -> None:
    read_article(article(folder, 0.01), "en")  # load the parser and the SRX rules outside the timings
    print(f"{'MB':>5} {'now CPU s':>10} {'range':>13} {'s/MB vs smallest':>17} {'old CPU s':>10} {'old/now':>8}")
    baseline = None
    for size in sizes:
        path = article(folder, size)
        times: dict[str, list[float]] = {"now": [], "old": []}
        for _ in range(repeats):
            times["now"].append(extract(path, NOW))
            if size <= old_up_to:
                times["old"].append(extract(path, old_source_offset))
        now = statistics.median(times["now"])
        baseline = baseline or now / size
        spread = f"{min(times['now']):.2f}–{max(times['now']):.2f}"
        old = ""
        if times["old"]:
            before = statistics.median(times["old"])
            old = f"{before:10.2f} {before / now:8.1f}"
        print(f"{size:5g} {now:10.2f} {spread:>13} {now / size / baseline:17.2f} {old}")


if __name__ == "__main__":
    main()
