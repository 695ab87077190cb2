"""Newsroom scale: what a first pass, a re-run and ``status`` cost, in CPU seconds.

    .venv/bin/python benchmarks/incremental.py [--articles 1000] [--repeats 3] [--baseline REV]

Each repetition generates a fresh project (benchmarks/newsroom.py: N articles, 3
target locales) and runs the commands as a cron job would, each one a new
``translate-flow`` process, timed by the CPU (user + system) of the process and
its children:

- first pass: ``extract``, ``update``, ``build`` on a project without catalogs;
- no-change re-run: the same three commands again, at once (it hashes again the files the first pass
  had just written: a hash taken within a clock tick of a file's last write is not trusted by a later run);
- no-change again: the same, once more, as every later cron tick finds the project;
- one edited sentence: one word changed in one article, the three commands again;
- status: ``status --json``, the first time (right after the build, which records what it needs) and again;
- ``run`` (what cron runs: extract, update, align, translate, build; no MT model installed) once to settle,
  then again with nothing changed: one process instead of three.

Python may write its bytecode caches (``PYTHONDONTWRITEBYTECODE`` is dropped for the commands), as an
installed translate-flow has them; the first command of each way writes them.

``--baseline REV`` measures the same steps with the translate-flow of a git
revision (``git archive``, put first on ``PYTHONPATH``), the two ways interleaved
and in alternating order within each repetition, so load on the machine falls on
both. Reported: medians with [min–max], and ratios of medians.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsroom import edit_one_sentence, make_project

REPO = Path(__file__).resolve().parent.parent
STEPS = (
    "first pass",
    "no-change re-run",
    "no-change again",
    "one edited sentence",
    "status",
    "status again",
    "run, no change",
)
PASS = ("extract", "update", "build")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Way:
    """One translate-flow: this checkout's, or a revision's."""

    def __init__(self, name: str, code: Path | None):
        self.name, self.code = name, code

    def command(self, project: Path, *args: str) -> float:
        """Run one command in ``project``; its CPU seconds."""
        # Bytecode caches as an installed translate-flow has them: where PYTHONDONTWRITEBYTECODE is set (this
        # machine sets it), every command compiled translate-flow's modules again, 30 ms each.
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        if self.code is not None:
            env["PYTHONPATH"] = str(self.code)
        before = children_cpu()
        done = subprocess.run(
            [sys.executable, "-c", "from translate_flow.cli import app; app()", *args],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if done.returncode not in (0, 1):  # run: 1 says a pair has no model, which is expected here
            raise SystemExit(f"{' '.join(args)} exited with {done.returncode}")
        return children_cpu() - before

    def steps(self, project: Path) -> dict[str, float]:
        times = {"first pass": sum(self.command(project, c) for c in PASS)}
        times["no-change re-run"] = sum(self.command(project, c) for c in PASS)
        times["no-change again"] = sum(self.command(project, c) for c in PASS)
        edit_one_sentence(project, 1)
        times["one edited sentence"] = sum(self.command(project, c) for c in PASS)
        times["status"] = self.command(project, "status", "--json")
        times["status again"] = self.command(project, "status", "--json")
        self.command(project, "run")
        times["run, no change"] = self.command(project, "run")
        return times


def checkout(revision: str, folder: Path) -> Path:
    """The files of ``revision``, without touching the repository's worktrees."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} s [{min(values):.2f}–{max(values):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="a git revision to measure against, e.g. main")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="incremental-bench-"))
    try:
        ways = [Way("this checkout", None)]
        if options.baseline:
            ways.append(Way(options.baseline, checkout(options.baseline, work / "baseline")))
        results: dict[str, dict[str, list[float]]] = {w.name: {s: [] for s in STEPS} for w in ways}
        for repeat in range(options.repeats):
            order = ways if repeat % 2 == 0 else ways[::-1]
            for way in order:
                project = make_project(work / f"project-{repeat}-{ways.index(way)}", options.articles)
                for step, seconds in way.steps(project).items():
                    results[way.name][step].append(seconds)
                shutil.rmtree(project)
                print(f"repetition {repeat + 1}, {way.name}: done", file=sys.stderr)
        report(results, ways, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict, ways: list[Way], options) -> None:
    n = options.articles
    print(f"{n} articles × 3 locales, {options.repeats} repetitions; CPU seconds, median [min–max]")
    for way in ways:
        times = results[way.name]
        first = statistics.median(times["first pass"])
        print(f"\n{way.name}:")
        print(f"  first pass            {spread(times['first pass'])}   {1000 * first / n:.1f} ms per article")
        for step in STEPS[1:]:
            share = 100 * statistics.median(times[step]) / first
            print(f"  {step:<21} {spread(times[step])}   {share:.1f}% of the first pass")
    if len(ways) == 2:
        print(f"\nthis checkout against {ways[1].name} (ratio of medians; above 1: this checkout is cheaper):")
        for step in STEPS:
            ratio = statistics.median(results[ways[1].name][step]) / statistics.median(results[ways[0].name][step])
            print(f"  {step:<21} {ratio:6.1f}×")


if __name__ == "__main__":
    main()
