"""What earlier runs established, kept in ``.translate-flow/`` so that a re-run costs what changed.

Three kinds of record, all facts about content hashes:

- **file digests**: the sha256 of a file, with the ``stat`` it had when hashed. As in git's
  index, an unchanged (size, mtime, ctime, inode) stands for an unchanged file, except for a
  *racy* entry, one modified within a clock tick of being hashed: a later write in the same
  tick would not change its mtime, so it is hashed again each time until it is old. The files
  we write are never racy: their mtime is set before the window (:mod:`filetimes`).
- **results**: "with these input hashes, the command leaves these output hashes". A command
  skips its work only when the files on disk hash to what the result says. Catalogs are still
  written only by :mod:`catalogs`, through its concurrent-edit check; a result never writes.
- **parsed articles**: one JSON record per article (never a pickle: see :mod:`article_record`),
  named by the hash of its bytes.

Digests and results are rows of one SQLite table, parsed articles of another, in one file: a
run's memory does not grow with the archive, and no file is created per article. Every row
carries its checksum (CRC-32, or a sha256 for a parse) and the state its *salt* (:mod:`salt`):
any change there starts afresh. A damaged row fails its checksum and is redone, a file sqlite
cannot read is replaced: never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
import zlib
from pathlib import Path

from .article_record import article_from_dict, article_to_dict
from .filetimes import ours, racy
from .model import Article
from .salt import cached_dependency_versions, code_salt

STATE_FILE = "state.sqlite3"
SALT_KEY = "salt"
PENDING_RECORDS = 50_000  # changed records held before they are saved
PENDING_CHARS = 16_000_000  # or fewer, if their JSON is this long
RECENT_RECORDS = 50_000  # records held after reading: bounded, as the state can hold millions
RECENT_CHARS = 4_000_000  # and their JSON at most this long: a record can list a catalog's entries (8 KiB held)
STORED_CHARS = 32_000_000  # records read in one scan at the first lookup, up to this much text (see State._load)
FILE_PREFIX = "file:"  # a file's digest; other keys are hashes of results' keys
ARTICLE_FORMAT = b"translate-flow-article 2"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _encode(value: object) -> str:
    """A record as stored: its CRC-32 first, so that a damaged record is never trusted."""
    text = json.dumps(value, separators=(",", ":"))
    return f"{zlib.crc32(text.encode()):08x}{text}"


def _decode(body: str) -> object:
    text = body[8:]
    if body[:8] != f"{zlib.crc32(text.encode()):08x}":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _name(key: tuple) -> str:
    """A result's key as stored: a hash, as the state of 10,000 articles holds 120,000 of them."""
    return sha256(json.dumps(key).encode())[:32]


def _racy(entry: list) -> bool:
    """Whether the file of a digest entry was modified within a clock tick of being hashed (see filetimes)."""
    return racy(entry[1], entry[5])


def _read_bytes(path: Path) -> bytes:
    """A file's bytes in four system calls (``Path.read_bytes`` makes nine): a re-run hashes thousands."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _stat_key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class State:
    """The records of one project, in ``.translate-flow/state.sqlite3``; changes are kept by :meth:`save`.

    At the first lookup the records are read in one scan, as far as ``STORED_CHARS`` of text goes
    (the whole state of a few thousand articles); beyond that a record is looked up when it is needed:
    at 100,000 articles the state holds about two million records, and a run touches those of the
    files it looks at.
    """

    def __init__(self, folder: Path, salt: str):
        self.folder = folder
        self.salt = salt
        self.parses = 0  # articles parsed (not found in the cache) by this process
        self._pending: dict[str, object] = {}  # records changed by this process, until save()
        self._pending_chars = 0  # the length of their results' JSON (file digests are small)
        self._recent: dict[str, object] = {}  # records read lately: one article's are asked for several times
        self._recent_chars = 0  # the length of their JSON
        self._db: sqlite3.Connection | None = None
        self._stored: dict[str, str] | None = None  # records as stored, read in one scan (see _load)
        self._stored_all = False  # whether that scan read every record: then a key not in it has none
        self._stored_chars = 0
        self.scan_chars = STORED_CHARS  # the bound of that scan (a worker process, one of many, reads none)
        self._pending_parsed: dict[str, bytes] = {}  # parsed articles kept by this process, until save()
        self._pending_parsed_bytes = 0

    @classmethod
    def open(cls, folder: Path, config: bytes) -> State:
        """The saved state; emptied if it is from other code or settings, replaced if sqlite finds it damaged."""
        versions = tuple(cached_dependency_versions(folder)) if folder.is_dir() else None
        return cls(folder, sha256(f"{code_salt(versions)}\0".encode() + config))

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError:
                self._start_afresh()
        return self._db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.folder / STATE_FILE, timeout=60)
        # A cache is rebuilt if a crash damages it (each record carries its checksum), so it needs no fsync.
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, body BLOB NOT NULL)")
        if self._select(db, SALT_KEY) != self.salt:
            with db:
                db.execute("DELETE FROM records")
                db.execute("DELETE FROM parsed")
                db.execute("INSERT INTO records VALUES (?, ?)", (SALT_KEY, _encode(self.salt)))
            # Earlier versions kept parses as files, one created per article; a table costs none.
            shutil.rmtree(self.folder / "parsed", ignore_errors=True)
        return db

    def _start_afresh(self) -> None:
        """Replace a file sqlite cannot read by an empty state."""
        if self._db is not None:
            self._db.close()
        self._recent.clear()
        self._recent_chars = 0
        self._stored, self._stored_all, self._stored_chars = {}, True, 0
        for suffix in ("", "-journal"):
            (self.folder / f"{STATE_FILE}{suffix}").unlink(missing_ok=True)
        self._db = self._connect()

    @staticmethod
    def _body(db: sqlite3.Connection, key: str) -> str:
        row = db.execute("SELECT body FROM records WHERE key = ?", (key,)).fetchone()
        return "" if row is None else row[0]

    @classmethod
    def _select(cls, db: sqlite3.Connection, key: str) -> object:
        body = cls._body(db, key)
        return _decode(body) if body else None

    def _get(self, key: str) -> object:
        if key in self._pending:
            return self._pending[key]
        if key in self._recent:
            return self._recent[key]
        if len(self._recent) >= RECENT_RECORDS or self._recent_chars >= RECENT_CHARS:
            self._recent.clear()
            self._recent_chars = 0
        try:
            if self._stored is None:
                self._load()
            body = self._stored.get(key)
            if body is None:
                body = "" if self._stored_all else self._body(self._connection(), key)
        except sqlite3.DatabaseError:
            self._start_afresh()
            body = ""
        found = self._recent[key] = _decode(body) if body else None
        self._recent_chars += len(body)
        return found

    def _load(self) -> None:
        """Read the stored records in one scan, up to ``STORED_CHARS`` of text.

        A command looks up thousands of records; one query each cost more than the work they save
        (each query takes and drops sqlite's file lock: about 8 system calls). A state too large for
        the bound is read as far as it goes, and the rest looked up one at a time. Records saved by
        other processes after the scan are not seen: this is a cache, and they are made again.
        """
        self._stored, self._stored_all, self._stored_chars = {}, False, 0
        cursor = self._connection().execute("SELECT key, body FROM records")
        try:
            while rows := cursor.fetchmany(4096):
                self._stored.update(rows)
                self._stored_chars += sum(len(key) + len(body) for key, body in rows)
                if self._stored_chars > self.scan_chars:
                    return  # what was read still answers its keys; the others are looked up
            self._stored_all = True
        finally:
            cursor.close()  # an unfinished query would hold the lock

    def _keep_stored(self, rows: list[tuple[str, str]]) -> None:
        """Saved rows join the scanned ones while the bound allows; past it, a key not held is looked up."""
        for key, body in rows:
            held = self._stored.get(key)
            grown = len(body) - len(held) if held is not None else len(key) + len(body)
            if held is None and self._stored_chars + grown > self.scan_chars:
                self._stored_all = False
                continue
            self._stored[key] = body
            self._stored_chars += grown

    def save(self) -> None:
        """Write the records changed since the last save (digests that would not be trusted are left out)."""
        if self._pending_parsed:
            self._save_parsed()
        if not self._pending:
            return
        rows = [
            (key, _encode(value))
            for key, value in self._pending.items()
            if not (key.startswith(FILE_PREFIX) and _racy(value))
        ]
        self._insert("records", rows)
        self._recent.update(self._pending)
        self._recent_chars += sum(len(body) for _, body in rows)
        if self._stored is not None:
            self._keep_stored(rows)
        self._pending.clear()
        self._pending_chars = 0

    def _insert(self, table: str, rows: list[tuple]) -> None:
        """Insert or replace rows in one transaction; a file sqlite finds damaged is replaced by an empty state."""
        statement = f"INSERT OR REPLACE INTO {table} VALUES (?, ?)"
        try:
            with self._connection() as db:
                db.executemany(statement, rows)
        except sqlite3.DatabaseError:
            self._start_afresh()
            with self._db as db:
                db.executemany(statement, rows)

    def _save_parsed(self) -> None:
        self._insert("parsed", list(self._pending_parsed.items()))
        self._pending_parsed.clear()
        self._pending_parsed_bytes = 0

    def take_changes(self) -> tuple[dict[str, object], dict[str, bytes]]:
        """The records and parses made since the last save, handed over (by a worker process) instead of saved."""
        changes, self._pending, self._pending_chars = self._pending, {}, 0
        parses, self._pending_parsed, self._pending_parsed_bytes = self._pending_parsed, {}, 0
        return changes, parses

    def adopt(self, changes: tuple[dict[str, object], dict[str, bytes]]) -> None:
        """Records and parses a worker process made, to be saved with this process's own."""
        records, parses = changes
        self._pending.update(records)
        self._pending_parsed.update(parses)
        self._pending_parsed_bytes += sum(map(len, parses.values()))
        self._save_if_many()

    def _save_if_many(self) -> None:
        # A first pass over 100,000 articles makes millions, some of them a catalog's entries.
        if len(self._pending) >= PENDING_RECORDS or self._pending_chars + self._pending_parsed_bytes >= PENDING_CHARS:
            self.save()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def entry(self, path: Path) -> list | None:
        """What is known of a file: [size, mtime_ns, ctime_ns, inode, sha256, hashed at (ns)]."""
        found = self._get(FILE_PREFIX + str(path))
        return found if isinstance(found, list) and len(found) == 6 else None

    def digest(self, path: Path) -> str | None:
        """The sha256 of a file (``None`` if there is none), hashed again only if its stat changed."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        known = self.entry(path)
        # A racy digest is trusted only by the process that hashed those bytes (it wrote or read them):
        # hashing them again now would be as racy. It is not saved, so the next run hashes the file again.
        if known is not None and known[:4] == _stat_key(stat) and (not _racy(known) or self._noted(path)):
            return known[4]
        try:
            data = _read_bytes(path)
        except FileNotFoundError:
            return None
        return self.note(path, data, stat)

    def _noted(self, path: Path) -> bool:
        return FILE_PREFIX + str(path) in self._pending

    def wrote(self, path: Path, data: bytes, digest: str | None = None) -> str | None:
        """Record the digest of bytes this process just wrote to ``path`` through :mod:`files`
        (``digest``: their sha256, where the caller has it already).

        They stand for the file only while it is the very file written (:func:`filetimes.ours`), whose
        mtime, set before the racy window, makes its stat quiet at once; if anyone wrote it since, the
        file's own bytes are hashed.
        """
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        if not ours(path, stat):
            return self.digest(path)
        return self._keep_digest(path, digest or sha256(data), stat)

    def note(self, path: Path, data: bytes, stat: os.stat_result | None = None) -> str:
        """Record the digest of bytes just read from ``path`` (or written: see :meth:`wrote`)."""
        return self._keep_digest(path, sha256(data), stat or path.stat())

    def _keep_digest(self, path: Path, digest: str, stat: os.stat_result) -> str:
        self._pending[FILE_PREFIX + str(path)] = [*_stat_key(stat), digest, time.time_ns()]
        self._save_if_many()
        return digest

    def stamp(self, path: Path) -> list:
        """A file's digest with the stat that stands for it: ``[sha256, size, mtime_ns, ctime_ns, inode, hashed at]``.

        Kept in a result, it lets :meth:`holds` check an output with one ``stat`` and no lookup.
        """
        digest = self.digest(path)
        entry = self.entry(path)
        return [digest] if entry is None else [digest, *entry[:4], entry[5]]

    @staticmethod
    def stat_key(path: Path | str) -> list[int] | None:
        """What a file's ``stat`` says of its bytes (size, mtime, ctime, inode), or ``None`` if it is gone."""
        try:
            return _stat_key(os.stat(path))
        except FileNotFoundError:
            return None

    @staticmethod
    def quiet(stamp: list) -> bool:
        """Whether a :meth:`stamp` just taken has a stat that stands for its bytes from now on (not racy)."""
        return len(stamp) == 6 and not _racy([*stamp[1:5], stamp[0], stamp[5]])

    @staticmethod
    def still(path: Path, stamp: list) -> bool:
        """Whether ``path`` has the stat of a :meth:`stamp` that was not racy: its bytes, known with one ``stat``."""
        if len(stamp) != 6:
            return False
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        entry = [*stamp[1:5], stamp[0], stamp[5]]
        return entry[:4] == _stat_key(stat) and not _racy(entry)

    def holds(self, path: Path, stamp: list) -> bool:
        """Whether ``path`` still has the bytes of a :meth:`stamp` (or of a bare ``[sha256]``)."""
        return self.still(path, stamp) or (stamp[0] is not None and self.digest(path) == stamp[0])

    def result(self, *key: object) -> object:
        """What was recorded for ``key``, or ``None``."""
        return self._get(_name(key))

    def remember(self, value: object, *key: object) -> None:
        name = _name(key)
        if self._get(name) != value:
            self._pending[name] = value
            self._pending_chars += len(json.dumps(value, separators=(",", ":")))
            self._save_if_many()

    def _parsed_key(self, name: str, digest: str) -> str:
        return sha256(f"{self.salt}\0{name}\0{digest}".encode())

    def parsed(self, name: str, digest: str) -> Article | None:
        """What was kept for the file ``name`` with bytes of hash ``digest``, or ``None``.

        Checked against its checksum, so a damaged record is not used, and read as JSON data,
        never unpickled: a planted record can at worst describe an article, as an edited source could.
        """
        key = self._parsed_key(name, digest)
        try:
            body = self._pending_parsed.get(key)
            if body is None:
                row = self._connection().execute("SELECT body FROM parsed WHERE key = ?", (key,)).fetchone()
                body = row[0] if row else b""
            head, _, payload = bytes(body).partition(b"\n")
            if head == ARTICLE_FORMAT + b" " + sha256(payload).encode():
                return article_from_dict(json.loads(payload))
        except (sqlite3.DatabaseError, TypeError, ValueError, KeyError):  # ValueError: JSON, UTF-8, ISO dates, shape
            pass
        return None

    def keep_parsed(self, name: str, digest: str, article: Article) -> None:
        """Keep an article's parse, saved with the records (one table row: no file to create per article)."""
        self.parses += 1
        payload = json.dumps(article_to_dict(article), separators=(",", ":")).encode()
        body = ARTICLE_FORMAT + b" " + sha256(payload).encode() + b"\n" + payload
        self._pending_parsed[self._parsed_key(name, digest)] = body
        self._pending_parsed_bytes += len(body)
        self._save_if_many()
