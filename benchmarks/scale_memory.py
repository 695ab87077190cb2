"""Newsroom scale: peak memory of each command, and ``status`` time, as the archive grows.

    .venv/bin/python benchmarks/scale_memory.py [--sizes 500 1000 2000] [--publish] [--model]
        [--commands extract update "publish --force"] [--paragraphs 1] [--small-state]

For each size, a generated project (benchmarks/newsroom.py, 3 target locales) goes through
``extract``, ``update``, ``build``, ``status --json`` (right after the build, then again),
``translate`` and, with ``--publish``, ``publish --force`` (``--commands``: these instead, in
this order, each with its options); each command a new process. ``translate`` runs without a
model, or with ``--model`` with genuine synthetic en→ro/de/fr packages
(translate_flow/synthetic.py, tokenizers trained on the generated articles, random weights)
installed in a private folder, at ``[mt] beam_size = 1`` and ``max_length_ratio = 1`` so that
the untrained models cost little CPU: the memory is the engine's, whatever the weights say.
``--paragraphs N`` keeps the first N paragraphs of each article (about 4 sentences each, with its
title and summary): the models' CPU grows with the sentences, and what grows with the archive is
mostly per catalog. ``--small-state`` divides the bounds of the records the state holds in memory
(see translate_flow/state.py) by 100, so that they are full at every size: the growth that is left
is what the command itself holds per article. It changes when records are saved, not the output.
Reported per command: its peak resident memory (the ``ru_maxrss`` of that process alone,
from ``wait4``) and CPU seconds. The growth per article between the smallest and the largest
size is extrapolated to 100,000 articles, to compare with the 2 GB the issue allows. One
repetition per size: memory does not depend on load.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsroom import article, make_project

from translate_flow.synthetic import build_package

COMMANDS = [["extract"], ["update"], ["build"], ["status", "--json"], ["status", "--json"], ["translate"]]
NAMES = ["extract", "update", "build", "status (after build)", "status again", "translate"]


MODEL_SETTINGS = "\n[mt]\nbeam_size = 1\nmax_length_ratio = 1.0\n"


def install_models(work: Path) -> dict[str, str]:
    """Synthetic en→ro/de/fr packages in a private store; the environment that finds them."""
    environment = dict(os.environ, ARGOS_PACKAGES_DIR=str(work / "packages"), XDG_DATA_HOME=str(work / "data"))
    environment.update(XDG_CACHE_HOME=str(work / "cache"), XDG_CONFIG_HOME=str(work / "config"))
    text = "".join(article(random.Random(seed), seed) for seed in range(200))
    for seed, locale in enumerate(("ro", "de", "fr")):
        package = build_package("en", locale, text, work / f"translate-en_{locale}.argosmodel", seed=seed)
        install = [sys.executable, "-c", "from translate_flow.cli import app; app()", "models", "install", str(package)]
        subprocess.run(install, env=environment, check=True, stdout=subprocess.DEVNULL)
    return environment


def shorten(project: Path, paragraphs: int) -> None:
    """Keep each article's front matter and its first ``paragraphs`` paragraphs (headings go)."""
    for path in sorted((project / "sources").rglob("*.md")):
        front, *blocks = path.read_text().split("\n\n")
        kept = [block for block in blocks if block.strip() and not block.startswith("#")][:paragraphs]
        path.write_text("\n\n".join([front, *kept]) + "\n")


SMALL_STATE = (
    "from translate_flow import state\n"
    "for name in ('PENDING_RECORDS', 'PENDING_CHARS', 'RECENT_RECORDS', 'RECENT_CHARS', 'STORED_CHARS'):\n"
    "    setattr(state, name, getattr(state, name) // 100)\n"
)


def measure(
    project: Path, args: list[str], environment: dict[str, str] | None = None, small_state: bool = False
) -> tuple[float, float]:
    """Peak RSS in MiB and CPU seconds of one translate-flow process."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (SMALL_STATE if small_state else "") + "from translate_flow.cli import app; app()",
            *args,
        ],
        cwd=project,
        env=environment,
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
    parser.add_argument("--commands", nargs="+", help='run these instead, e.g. update translate "publish --force"')
    parser.add_argument("--model", action="store_true", help="translate with synthetic models installed")
    parser.add_argument("--paragraphs", type=int, help="keep only this many paragraphs of each article")
    parser.add_argument("--small-state", action="store_true", help="the state's in-memory bounds divided by 100")
    options = parser.parse_args()
    commands, names = list(COMMANDS), list(NAMES)
    if options.commands:
        commands, names = [command.split() for command in options.commands], list(options.commands)
    if options.publish:
        commands.append(["publish", "--force"])
        names.append("publish")
    if options.model:
        names = [f"{name} (synthetic model)" if name == "translate" else name for name in names]

    work = Path(tempfile.mkdtemp(prefix="scale-memory-"))
    results: dict[int, list[tuple[float, float]]] = {}
    try:
        environment = install_models(work) if options.model else None
        for size in options.sizes:
            project = make_project(work / f"project-{size}", size)
            if options.paragraphs is not None:
                shorten(project, options.paragraphs)
            if options.model:
                with (project / "translate-flow.toml").open("a") as config:
                    config.write(MODEL_SETTINGS)
            results[size] = [measure(project, args, environment, options.small_state) for args in commands]
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
