"""Partial bundles under SIGKILL: publish is killed at random moments while a reader checks dist/bundle.

    .venv/bin/python benchmarks/publish_kills.py --kills 12

The reader opens ``dist/bundle`` and checks every file of its manifest against
the sha256 recorded there, over and over. Its verdicts: ``complete``,
``missing`` (no ``dist/bundle``), ``partial`` (a file missing or different while
that folder was still ``dist/bundle``), or ``swapped`` (replaced during the
check: no verdict). After the kills, one more publish runs to the end, and the
leftovers in ``dist/`` are listed. Exit status 1 on a missing or partial bundle
or a leftover. ``PYTHONPATH`` chooses the code that publishes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from concurrent_saves import REPO, make_project

PUBLISH = "from translate_flow.cli import app; app()"


def bundle_state(folder: Path) -> str:
    """``complete``, ``missing``, ``partial``, or ``swapped``."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return "missing"
    try:
        inode = os.fstat(descriptor).st_ino
        try:
            manifest = json.loads(_read(descriptor, "manifest.json"))
            for name, digest in manifest["files"].items():
                if hashlib.sha256(_read(descriptor, name)).hexdigest() != digest:
                    raise ValueError(name)
            return "complete"
        except (OSError, ValueError, KeyError):
            try:
                return "swapped" if os.stat(folder).st_ino != inode else "partial"
            except FileNotFoundError:
                return "missing"
    finally:
        os.close(descriptor)


def _read(folder: int, name: str) -> bytes:
    descriptor = os.open(name, os.O_RDONLY, dir_fd=folder)
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read()


class Reader(threading.Thread):
    """Checks the bundle over and over until stopped, counting each verdict."""

    def __init__(self, folder: Path):
        super().__init__(daemon=True)
        self.folder = folder
        self.seen: dict[str, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            state = bundle_state(self.folder)
            self.seen[state] = self.seen.get(state, 0) + 1
            time.sleep(0.001)  # leave the publisher a core


def publish(root: Path) -> subprocess.Popen:
    # Run from the project: the current folder comes first on sys.path, PYTHONPATH next.
    command = [sys.executable, "-c", PUBLISH, "publish", "--force", "--project", str(root)]
    return subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_publishes(root: Path, kills: int, random_seed: int = 8) -> tuple[dict[str, int], list[str]]:
    """The reader's verdicts while ``publish`` is killed ``kills`` times, and what is left in dist/ after one more."""
    dist = root / "dist"
    if publish(root).wait() != 0:
        raise RuntimeError("publish failed")
    reader = Reader(dist / "bundle")
    reader.start()
    started = time.monotonic()
    publish(root).wait()  # how long one takes here: kill at moments spread over its second half
    duration = time.monotonic() - started
    chance = random.Random(random_seed)
    for _kill in range(kills):
        process = publish(root)
        time.sleep(chance.uniform(0.5, 1.0) * duration)  # the work comes after the imports
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = publish(root).wait() == 0
    reader.stop.set()
    reader.join()
    if not finished:
        raise RuntimeError("the last publish failed")
    leftovers = sorted(p.name for p in dist.iterdir() if p.name.startswith("."))
    return reader.seen, leftovers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--sample", type=Path, default=REPO, help="the checkout whose sample project to use")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-kills-") as scratch:
        root = make_project(Path(scratch), arguments.sample)
        command = [sys.executable, "-c", PUBLISH, "run", "--project", str(root)]
        subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen, leftovers = kill_publishes(root, arguments.kills, arguments.seed)
    print(f"kills: {arguments.kills}, checks: {seen}, leftovers after the next run: {leftovers}")
    return 1 if seen.get("missing") or seen.get("partial") or leftovers else 0


if __name__ == "__main__":
    sys.exit(main())
