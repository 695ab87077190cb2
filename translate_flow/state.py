"""What earlier runs established, kept in ``.translate-flow/`` so that a re-run costs what changed.

Three kinds of record, all facts about content hashes:

- **file digests**: the sha256 of a file, with the ``stat`` it had when hashed. As in git's
  index, an unchanged (size, mtime, ctime, inode) stands for an unchanged file, except for a
  *racy* entry, one modified less than a second before it was hashed: a later write in the
  same clock tick would not change its mtime, so it is hashed again each time until it is old.
- **results**: "with these input hashes, the command leaves these output hashes". A command
  skips its work only when the files on disk hash to what the result says. Catalogs are still
  written only by :mod:`catalogs`, through its concurrent-edit check; a result never writes.
- **parsed articles**: one JSON record per article (never a pickle: see :mod:`article_record`),
  named by the hash of its bytes.

Every key includes a *salt*: the hash of translate-flow's own code and rules, the versions
of every distribution it depends on and the project's configuration. Any change there starts afresh.
A missing, truncated or garbled file fails its checksum and is rebuilt, never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

from . import __version__
from .article_record import article_from_dict, article_to_dict
from .files import write_atomic
from .model import Article

FORMAT = "translate-flow-state 1"
ARTICLE_FORMAT = b"translate-flow-article 2"
RACY_NS = 2_000_000_000  # mtime granularity: from a clock tick (ext4, tmpfs) to 2 s (FAT)


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


@functools.cache
def code_salt() -> str:
    """The hash of everything besides the input files that decides the output."""
    digest = hashlib.sha256(f"{FORMAT} {__version__}".encode())
    for name in dependencies():
        digest.update(f"{name}={_version(name)}\n".encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _name(key: tuple) -> str:
    """A result's key as stored: a hash, as the state of 10,000 articles holds 120,000 of them."""
    return sha256(json.dumps(key).encode())[:32]


def _racy(entry: list) -> bool:
    """Whether the file was modified within a clock tick of being hashed: a later write could keep its stat."""
    return entry[1] >= entry[5] - RACY_NS


def _stat_key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class State:
    """The records of one project; load with :meth:`open`, keep with :meth:`save`."""

    def __init__(self, folder: Path, salt: str):
        self.folder = folder
        self.salt = salt
        self.files: dict[str, list] = {}  # path -> [size, mtime_ns, ctime_ns, inode, sha256, hashed at (ns)]
        self.results: dict[str, object] = {}
        self.parses = 0  # articles parsed (not found in the cache) by this process
        self._dirty = False

    @classmethod
    def open(cls, folder: Path, config: bytes) -> State:
        """The saved state, or an empty one if it is missing, corrupt or from other code or settings."""
        state = cls(folder, sha256(f"{code_salt()}\0".encode() + config))
        try:
            head, _, body = (folder / "state.json").read_bytes().partition(b"\n")
            fields = head.decode("ascii").split(" ")
            if " ".join(fields[:2]) != FORMAT or fields[2] != sha256(body):
                return state
            saved = json.loads(body)
        except (OSError, ValueError, IndexError, UnicodeDecodeError):
            return state
        if saved.get("salt") == state.salt:
            state.files, state.results = saved["files"], saved["results"]
        return state

    def save(self) -> None:
        """Write the state atomically (digests that would not be trusted are left out)."""
        if not self._dirty:
            return
        files = {path: entry for path, entry in self.files.items() if not _racy(entry)}
        body = json.dumps({"salt": self.salt, "files": files, "results": self.results}, sort_keys=True).encode()
        # A cache is rebuilt if a crash garbles it, so it needs no fsync.
        write_atomic(self.folder / "state.json", f"{FORMAT} {sha256(body)}\n".encode() + body, durable=False)
        self._dirty = False

    def digest(self, path: Path) -> str | None:
        """The sha256 of a file (``None`` if there is none), hashed again only if its stat changed."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        known = self.files.get(str(path))
        if known is not None and known[:4] == _stat_key(stat) and not _racy(known):
            return known[4]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        return self.note(path, data, stat)

    def note(self, path: Path, data: bytes, stat: os.stat_result | None = None) -> str:
        """Record the digest of bytes just read from or written to ``path``."""
        digest = sha256(data)
        stat = stat or path.stat()
        self.files[str(path)] = [*_stat_key(stat), digest, time.time_ns()]
        self._dirty = True
        return digest

    def result(self, *key: object) -> object:
        """What was recorded for ``key``, or ``None``."""
        return self.results.get(_name(key))

    def remember(self, value: object, *key: object) -> None:
        name = _name(key)
        if self.results.get(name) != value:
            self.results[name] = value
            self._dirty = True

    def _parsed_path(self, name: str, digest: str) -> Path:
        key = sha256(f"{self.salt}\0{name}\0{digest}".encode())
        return self.folder / "parsed" / key[:2] / f"{key}.json"

    def parsed(self, name: str, digest: str) -> Article | None:
        """What was kept for the file ``name`` with bytes of hash ``digest``, or ``None``.

        Checked against its checksum, so a damaged record is not used, and read as JSON data,
        never unpickled: a planted file can at worst describe an article, as an edited source could.
        """
        try:
            head, _, payload = self._parsed_path(name, digest).read_bytes().partition(b"\n")
            if head == ARTICLE_FORMAT + b" " + sha256(payload).encode():
                return article_from_dict(json.loads(payload))
        except (OSError, ValueError, KeyError):  # ValueError: JSON, UTF-8, ISO dates, the record's shape
            pass
        return None

    def keep_parsed(self, name: str, digest: str, article: Article) -> None:
        self.parses += 1
        payload = json.dumps(article_to_dict(article), separators=(",", ":")).encode()
        path = self._parsed_path(name, digest)
        write_atomic(path, ARTICLE_FORMAT + b" " + sha256(payload).encode() + b"\n" + payload, durable=False)
