"""What Apertium costs the aligner: CPU time to align the sample's Romanian edition with its original.

    .venv/bin/python benchmarks/align_translation_cost.py [--rounds 9]

Three ways, interleaved in each round: without machine translation (``[align] translator = "none"``); with
Apertium and an empty MT cache (every sentence goes through en→es→ro); with Apertium and the cache from an earlier
run. CPU time of this process and of its children (Apertium's programs); medians, ranges, and each way's ratio to
aligning without translation.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate_flow.align import align  # noqa: E402
from translate_flow.align_translations import translations  # noqa: E402
from translate_flow.config import load_config  # noqa: E402
from translate_flow.sources import read_article  # noqa: E402

SAMPLE = "nato-must-stay-united"


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(rounds: int) -> None:
    config = load_config(REPO)
    source, target = (read_article(REPO / "sources" / lang / f"{SAMPLE}.md", lang) for lang in ("en", "ro"))
    folder = Path(tempfile.mkdtemp(prefix="align-cost-"))
    warm = folder / "warm.sqlite3"
    translations(source, target, dataclasses.replace(config, align_translator="apertium"), warm)
    align(source, target)  # the model and modules loaded before any way is timed

    def way(choice: str, cache: Path | None) -> float:
        chosen = dataclasses.replace(config, align_translator=choice)
        path = cache or folder / f"cold-{time.monotonic_ns()}.sqlite3"
        start = cpu_seconds()
        align(source, target, translations(source, target, chosen, path))
        return cpu_seconds() - start

    ways = {"no translation": ("none", warm), "Apertium, cold cache": ("apertium", None)}
    ways["Apertium, warm cache"] = ("apertium", warm)
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, (choice, cache) in ways.items():
            times[name].append(way(choice, cache))
    base = statistics.median(times["no translation"])
    print(f"{len(source.segments)} source sentences, {rounds} rounds, CPU seconds (this process and its children)\n")
    print("| way | median | range | ratio to no translation |\n|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {min(values):.3f}–{max(values):.3f} | {median / base:.1f}× |")


if __name__ == "__main__":
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=9)
    main(options.parse_args().rounds)
