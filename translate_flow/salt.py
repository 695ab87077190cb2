"""The salt of every record in ``.translate-flow/``: what, besides the input files, decides an output.

translate-flow's own code and rules, the version of every distribution it runs on, and (added by
:class:`state.State`) the project's configuration. A change to any of them starts the state afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path

from . import __version__
from .files import write_atomic

FORMAT = "translate-flow-state 3"


def dependencies(root: str = "translate-flow") -> list[str]:
    """The distributions translate-flow runs on, its own dependencies' included, sorted.

    All of them, not a chosen few: a parser, sanitizer, segmenter or matcher that is upgraded can
    change an output, and a list kept by hand forgets the next one added to pyproject.toml.
    """
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: set[str] = set()
    pending = [root]
    while pending:
        try:
            wanted = requires(pending.pop()) or []
        except PackageNotFoundError:
            continue
        for line in wanted:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            if name not in found and (requirement.marker is None or requirement.marker.evaluate({"extra": ""})):
                found.add(name)
                pending.append(name)
    return sorted(found)


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _dependency_versions() -> list[str]:
    return [f"{name}={_version(name)}" for name in dependencies()]


def _installed() -> list:
    """What changes when a distribution is installed, upgraded or removed: sys.path's folders and their mtimes."""
    found = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.append([entry, os.stat(entry or ".").st_mtime_ns])
    return found


def cached_dependency_versions(folder: Path) -> list[str]:
    """:func:`dependencies` with their versions, kept in ``folder`` until a folder on sys.path changes.

    Reading the metadata takes longer than a re-run with nothing to do: a cron job starts a process a minute.
    """
    path, installed = folder / "dependencies.json", _installed()
    try:
        saved = json.loads(path.read_bytes())
        if saved["installed"] == installed and saved["check"] == _sha256(json.dumps(saved["versions"]).encode()):
            return saved["versions"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    versions = _dependency_versions()
    record = {"installed": installed, "versions": versions, "check": _sha256(json.dumps(versions).encode())}
    with contextlib.suppress(OSError):  # a cache: the next run tries again
        write_atomic(path, json.dumps(record).encode(), durable=False)
    return versions


@functools.cache
def code_salt(versions: tuple[str, ...] | None = None) -> str:
    """The hash of everything besides the input files that decides the output (``versions``: the dependencies')."""
    digest = hashlib.sha256(f"{FORMAT} {__version__}".encode())
    for line in _dependency_versions() if versions is None else versions:
        digest.update(f"{line}\n".encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
