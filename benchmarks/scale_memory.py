"""Newsroom scale: peak memory of each command, and ``status`` time, as the archive grows.

    .venv/bin/python benchmarks/scale_memory.py [--sizes 500 1000 2000] [--publish] [--commands extract translate]

For each size, a generated project (benchmarks/newsroom.py, 3 target locales) goes through
``extract``, ``update``, ``build``, ``status --json`` (right after the build, then again),
``translate`` (no model installed: memory and cache only) and, with ``--publish``, ``publish
--force`` (``--commands``: these instead, in this order, without options); each command a new
process. Reported per command: its peak resident memory (the ``ru_maxrss`` of that process
alone, from ``wait4``) and CPU seconds. The growth per article
between the smallest and the largest size is extrapolated to 100,000 articles, to compare
with the 2 GB the issue allows. One repetition per size: memory does not depend on load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsroom import make_project

COMMANDS = [["extract"], ["update"], ["build"], ["status", "--json"], ["status", "--json"], ["translate"]]
NAMES = ["extract", "update", "build", "status (after build)", "status again", "translate"]


def measure(project: Path, args: list[str]) -> tuple[float, float]:
    """Peak RSS in MiB and CPU seconds of one translate-flow process."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from translate_flow.cli import app; app()", *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # 1: findings (missing model, unreviewed entries), not a failure
        raise SystemExit(f"{' '.join(args)} exited with {child.returncode}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--publish", action="store_true", help="also publish --force (builds the whole bundle)")
    parser.add_argument("--commands", nargs="+", help="run these commands instead, e.g. extract update translate")
    options = parser.parse_args()
    commands, names = list(COMMANDS), list(NAMES)
    if options.commands:
        commands, names = [[command] for command in options.commands], list(options.commands)
    if options.publish:
        commands.append(["publish", "--force"])
        names.append("publish")

    work = Path(tempfile.mkdtemp(prefix="scale-memory-"))
    results: dict[int, list[tuple[float, float]]] = {}
    try:
        for size in options.sizes:
            project = make_project(work / f"project-{size}", size)
            results[size] = [measure(project, args) for args in commands]
            shutil.rmtree(project)
            print(f"{size} articles: done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    sizes = options.sizes
    print("peak RSS in MiB (CPU seconds), one process per command, 3 target locales")
    print(f"{'command':<22}" + "".join(f"{f'{n} articles':>22}" for n in sizes) + f"{'KiB/article':>13}{'at 100k':>10}")
    for index, name in enumerate(names):
        cells = "".join(f"{f'{results[n][index][0]:.0f} ({results[n][index][1]:.2f} s)':>22}" for n in sizes)
        low, high = results[sizes[0]][index][0], results[sizes[-1]][index][0]
        slope = (high - low) / (sizes[-1] - sizes[0]) if len(sizes) > 1 else 0.0
        projected = high + slope * (100_000 - sizes[-1])
        print(f"{name:<22}{cells}{1024 * slope:>13.1f}{projected:>8.0f} M")


if __name__ == "__main__":
    main()
