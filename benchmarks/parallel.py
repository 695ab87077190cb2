"""Parsing and rendering on every core: ``extract`` and ``build`` with 1 and 2 worker processes.

    .venv/bin/python benchmarks/parallel.py [--articles 400] [--repeats 3] [--jobs 1 2]

Each repetition copies one generated project (benchmarks/newsroom.py, 3 target locales) once per
way and runs, with ``TRANSLATE_FLOW_JOBS`` set to the way's number of processes: ``extract`` (timed:
every article parsed), ``update`` (not timed), ``build`` (timed: every page rendered). The ways are
interleaved, in alternating order. Reported: wall and CPU seconds (the process and its workers),
medians with [min–max], and whether every way wrote the same bytes as the first.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsroom import make_project

TIMED = ("extract", "build")


def command(project: Path, jobs: int, name: str) -> tuple[float, float]:
    """Wall and CPU seconds of one translate-flow command and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from translate_flow.cli import app; app()", name],
        cwd=project,
        # One date for every way: POT and PO headers carry the time they were made.
        env={**os.environ, "TRANSLATE_FLOW_JOBS": str(jobs), "SOURCE_DATE_EPOCH": "1730808600"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def outputs(project: Path) -> dict[str, bytes]:
    files = [*project.glob("locales/**/*.po*"), *project.glob("dist/**/*.*")]
    return {str(p.relative_to(project)): p.read_bytes() for p in files}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} s [{min(values):.2f}–{max(values):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="parallel-bench-"))
    times = {(jobs, name, kind): [] for jobs in options.jobs for name in TIMED for kind in ("wall", "cpu")}
    identical = True
    try:
        original = make_project(work / "original", options.articles)
        for repeat in range(options.repeats):
            order = options.jobs if repeat % 2 == 0 else options.jobs[::-1]
            written = []
            for jobs in order:
                project = work / f"project-{repeat}-{jobs}"
                shutil.copytree(original, project)
                for name in ("extract", "update", "build"):
                    wall, cpu = command(project, jobs, name)
                    if name in TIMED:
                        times[(jobs, name, "wall")].append(wall)
                        times[(jobs, name, "cpu")].append(cpu)
                written.append(outputs(project))
                shutil.rmtree(project)
            identical = identical and all(w == written[0] for w in written)
            print(f"repetition {repeat + 1}: done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cores = len(os.sched_getaffinity(0))
    print(f"{options.articles} articles × 3 locales, {options.repeats} repetitions, {cores} cores; median [min–max]")
    for name in TIMED:
        for jobs in options.jobs:
            wall, cpu = times[(jobs, name, "wall")], times[(jobs, name, "cpu")]
            print(f"  {name:<8} {jobs} process(es): wall {spread(wall)}   CPU {spread(cpu)}")
        first = statistics.median(times[(options.jobs[0], name, "wall")])
        for jobs in options.jobs[1:]:
            ratio = first / statistics.median(times[(jobs, name, "wall")])
            print(f"  {name:<8} wall, {options.jobs[0]} against {jobs} process(es): {ratio:.2f}×")
    print(f"same bytes written by every way: {identical}")


if __name__ == "__main__":
    main()
