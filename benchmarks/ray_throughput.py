"""Machine translation on a local Ray with 1 and 2 workers against the local engine, interleaved in one run.

    .venv/bin/python benchmarks/ray_throughput.py                 # full: realistic model, 14 articles, 5 rounds
    .venv/bin/python benchmarks/ray_throughput.py --model small --articles 4 --rounds 3   # quick

The model and articles are mt_throughput.py's (a random-weight model, outputs
bounded to 1.1× the source). Each way is ``Project.translate`` with a cold cache,
PO files written:

- local: the in-process engine, its default threads;
- Ray, 1 worker: ``ray_address="local"`` (a Ray of 2 CPUs started once here),
  one worker of 2 threads;
- Ray, 2 workers: two workers of 1 thread.

A Ray run includes starting its workers, shipping the package and loading the
model; that start-up is also timed alone (one sentence on one worker) so that
the steady per-worker rate, (sentences) / (time - start-up), can be projected
onto a backfill on GPU workers, with the assumptions printed.

The ways run round-robin, one run each per round, the order rotated every round;
ratios are taken within a round; medians and ranges (min–max) over the rounds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mt_throughput import HOME, RATIO, SAMPLE, SHAPES, articles, rotated, spread, translate_flow_project

from translate_flow import packages
from translate_flow.model import MTOptions
from translate_flow.pipeline import Project
from translate_flow.synthetic import build_package

# The backfill projected, and where the GPU speed-up comes from.
BACKFILL_ARTICLES = 100_000
BACKFILL_LANGUAGES = 5
SENTENCES_PER_ARTICLE = 30  # title, summary and 28 body sentences: a 600-word article at ~21 words a sentence
# CTranslate2 2.13.1's README benchmark, OPUS-MT (a base Transformer, as Argos models are), target tokens/s:
# int8 on 8 threads of a Xeon Platinum 8275CL (c5.metal): 1486.5; int8 + float16 on one NVIDIA T4 (g4dn.xlarge): 5320.3.
CPU_TOKENS_PER_THREAD = 1486.5 / 8
T4_TOKENS = 5320.3
GPU_WORKERS = (1, 2, 4, 8, 16)


def run(root: Path, options: MTOptions) -> float:
    shutil.rmtree(root / "locales", ignore_errors=True)
    shutil.rmtree(root / ".translate-flow", ignore_errors=True)
    project = Project(root)
    project.update()
    started = time.perf_counter()
    report = project.translate(locales=["ro"], options=options)
    seconds = time.perf_counter() - started
    assert report.counts["machine"] > 0 and not report.counts["cache"]
    return seconds


def start_up(package: packages.PackageInfo, options: MTOptions) -> float:
    """Seconds from nothing to one sentence translated by one worker: start, ship, load."""
    from translate_flow.ray_engine import RayEngine

    started = time.perf_counter()
    engine = RayEngine(options)
    try:
        list(engine._run_model(package, ["NATO must stay united."]))
        return time.perf_counter() - started
    finally:
        engine.close()


def projection(per_worker: float, threads: int) -> None:
    sentences = BACKFILL_ARTICLES * BACKFILL_LANGUAGES * SENTENCES_PER_ARTICLE
    core_equivalents = T4_TOKENS / CPU_TOKENS_PER_THREAD
    gpu_rate = per_worker / threads * core_equivalents
    print(
        f"\nprojection: {BACKFILL_ARTICLES:,} articles × {BACKFILL_LANGUAGES} languages × "
        f"{SENTENCES_PER_ARTICLE} sentences = {sentences:,} sentences"
    )
    print(
        f"  measured steady rate per CPU thread: {per_worker / threads:.1f} sentences/s; one T4 worker "
        f"≈ {core_equivalents:.1f} CPU threads (CTranslate2's published OPUS-MT numbers) ≈ {gpu_rate:.0f} sentences/s"
    )
    for workers in GPU_WORKERS:
        hours = sentences / (gpu_rate * workers) / 3600
        print(f"  {workers:2} GPU workers: {hours:7.1f} hours")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=SHAPES, default="realistic", help="model shape (default: realistic)")
    parser.add_argument("--articles", type=int, default=14, help="article variants (15 sentences each)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; each runs every way once")
    arguments = parser.parse_args()

    from translate_flow.ray_engine import connect

    bodies = articles(arguments.articles)
    sentences = sum(len(p) for paragraphs in bodies for p in paragraphs)
    print(f"{sentences} sentences in {len(bodies)} articles; {os.cpu_count()} cores; {arguments.rounds} rounds")
    text = SAMPLE.read_text(encoding="utf-8") * 20 + " ".join(s for b in bodies for p in b for s in p)
    archive = build_package("en", "ro", text, HOME / "en_ro.argosmodel", SHAPES[arguments.model], seed=1)
    package, _ = packages.install_archive(archive)
    print(f"{arguments.model} model: {package.size / 1e6:.0f} MB", flush=True)
    connect("local")
    root = translate_flow_project(bodies)
    on_ray = MTOptions(max_length_ratio=RATIO, ray_address="local")
    ways = {
        "local engine": MTOptions(max_length_ratio=RATIO),
        "Ray, 1 worker × 2 threads": MTOptions(**{**vars(on_ray), "ray_workers": 1, "inter_threads": 2}),
        "Ray, 2 workers × 1 thread": MTOptions(**{**vars(on_ray), "ray_workers": 2, "inter_threads": 1}),
    }
    rates: dict[str, list[float]] = {name: [] for name in ways}
    starts: list[float] = []
    for round_number in range(arguments.rounds):
        for name in rotated(list(ways), round_number):
            rates[name].append(sentences / run(root, ways[name]))
        starts.append(start_up(package, ways["Ray, 1 worker × 2 threads"]))
        line = ", ".join(f"{name} {rates[name][-1]:.1f}" for name in ways)
        print(f"round {round_number + 1}: sentences/s {line}; Ray start-up {starts[-1]:.1f} s", flush=True)

    print("\nsentences/s, median (range) over the rounds:")
    for name in ways:
        print(f"  {name:27} {spread(rates[name])}")
    local = rates["local engine"]
    print("ratios to the local engine within each round, median (range):")
    for name in list(ways)[1:]:
        print(f"  {name:27} {spread([r / b for r, b in zip(rates[name], local, strict=True)], 2)}×")
    print(f"Ray start-up (start a worker, ship the package, load the model): {spread(starts)} s")
    one = rates["Ray, 1 worker × 2 threads"]
    steady = [sentences / (sentences / r - s) for r, s in zip(one, starts, strict=True) if sentences / r > s]
    print(f"steady rate of 1 worker × 2 threads (start-up taken out): {spread(steady)} sentences/s")
    projection(statistics.median(steady), threads=2)

    import ray

    ray.shutdown()
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
