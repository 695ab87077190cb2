"""The fuzzy index of a translation memory: inverted word index for candidates, rapidfuzz for scores.

Similarity is word by word: each distinct word (casefolded; placeholders by kind) stands for
one character, so rapidfuzz's Indel ratio compares sentences word by word in C++. The same
words in another order count too, less ``REORDER_PENALTY``.

Candidates are complete, not guessed: the posting lists of the query's words give, for every
unit, how many distinct words it shares with the query, which bounds its score from above.
Units whose bound reaches ``minimum`` are scored, best bound first, until the bound of the
next falls below the best score found: the answer is the one a scan of every unit gives.

The index is an SQLite file under ``.translate-flow/``, rebuilt only when the units changed:
each source file is remembered by its SHA-256 together with the units it gave, so only
changed files are read again, and the index by a hash of all units.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FORMAT = "1"  # bump when the schema or the tokenization changes
REORDER_PENALTY = 10  # points off the score of the same words in another order
LOOKED_UP = 8  # rarest query words whose postings are read, at least (more when needed)
BATCH = 256  # candidates scored at a time, best bound first
EPSILON = 1e-6  # scores are compared with this much slack for rounding
FIRST_CODE = 0x10000  # word ids become characters from here, clear of the surrogates
TOKEN = re.compile(r"</?\d+/?>|\d+(?:[.,\u00a0\u202f]\d+)*|\w+")  # placeholders, numbers as written, words


def words(text: str) -> list[str]:
    """Casefolded words; a placeholder counts as its kind, whatever its number."""
    out = []
    for token in TOKEN.findall(text):
        if token[0] == "<":
            out.append("</>" if token[1] == "/" else "<#/>" if token.endswith("/>") else "<>")
        else:
            out.append(token.casefold())
    return out


@dataclass(frozen=True)
class Unit:
    """A reviewed translation in memory, and the file it came from as users see it."""

    source: str
    target: str
    origin: str


@dataclass(frozen=True)
class Hit:
    unit: Unit
    score: float  # 0-100; 100 only for the same source text


Reader = Callable[[Path, str], list[tuple[str, str]]]


class TmIndex:
    """One locale's memory, indexed in SQLite at ``path``."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = _open(path)
        except sqlite3.DatabaseError:  # a damaged or foreign file: it is only a cache
            path.unlink()
            self._db = _open(path)
        self.rebuilt = False  # whether the last sync rebuilt the index
        self._missed: list[str] = []  # queries these units answered with nothing, saved at close
        self._sources: list[str] = []
        self._encoded: list[str] = []
        self._sorted: list[str] = []
        self._exact: dict[str, int] = {}
        self._vocabulary = 0
        self._lengths = None  # words per unit, a numpy array from the first fuzzy lookup

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def sync(
        self, files: Sequence[tuple[Path, str]], read: Reader, digest: Callable[[Path], str | None] | None = None
    ) -> None:
        """Bring the index up to date with ``files`` (path, shown), read with ``read`` where they changed.

        ``digest`` gives a file's sha256 (None if it is gone); a project passes its state's, which knows
        an unchanged file by its ``stat`` instead of reading every catalog on every run.
        """
        digests = [(shown, (digest or _sha256)(path)) for path, shown in files]
        stored = self._db.execute("SELECT path, sha256 FROM files ORDER BY position").fetchall()
        self.rebuilt = False
        if self._meta("format") == FORMAT and stored == digests:
            self._load()
            return
        known = dict(stored) if self._meta("format") == FORMAT else {}
        units: list[Unit] = []
        for (path, shown), (_, digest) in zip(files, digests, strict=True):
            if digest is not None and known.get(shown) == digest:
                rows = self._db.execute("SELECT source, target FROM units WHERE origin = ? ORDER BY id", (shown,))
            else:
                rows = read(path, shown) if digest is not None else []
            units += [Unit(source, target, shown) for source, target in rows]
        key = hashlib.sha256(json.dumps([FORMAT, *map(vars, units)], ensure_ascii=False).encode()).hexdigest()
        with self._db:
            self._db.execute("DELETE FROM files")
            self._db.executemany("INSERT INTO files (path, sha256) VALUES (?, ?)", digests)
            if self._meta("units") != key:
                self._build(units)
                self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("units", key), ("format", FORMAT)])
                self.rebuilt = True
        self._load()

    def _build(self, units: list[Unit]) -> None:
        import numpy

        self._db.execute("DELETE FROM missed")  # what another memory found nothing for, this one may
        self._db.execute("DELETE FROM units")
        self._db.execute("DELETE FROM words")
        vocabulary: dict[str, int] = {}
        postings: dict[str, list[int]] = {}
        rows = []
        for number, unit in enumerate(units):
            tokens = words(unit.source)
            codes = [chr(FIRST_CODE + vocabulary.setdefault(word, len(vocabulary))) for word in tokens]
            for word in dict.fromkeys(tokens):
                postings.setdefault(word, []).append(number)
            rows.append((number, unit.source, unit.target, unit.origin, "".join(codes), "".join(sorted(codes))))
        self._db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", rows)
        self._db.executemany(
            "INSERT INTO words VALUES (?, ?, ?, ?)",
            (
                (word, vocabulary[word], len(ids), numpy.array(ids, dtype=numpy.int32).tobytes())
                for word, ids in postings.items()
            ),
        )

    def _load(self) -> None:
        rows = self._db.execute("SELECT source, encoded, sorted FROM units ORDER BY id").fetchall()
        self._sources = [row[0] for row in rows]
        self._encoded = [row[1] for row in rows]
        self._sorted = [row[2] for row in rows]
        self._vocabulary = self._db.execute("SELECT COUNT(*) FROM words").fetchone()[0]
        self._lengths = None  # made at the first fuzzy lookup: numpy takes 0.1 s to import, which no run needs
        # that finds the memory empty or every sentence in it as it is
        self._exact = {}
        for number, source in enumerate(self._sources):
            self._exact.setdefault(source, number)

    def __len__(self) -> int:
        return len(self._sources)

    def unit(self, number: int) -> Unit:
        source, target, origin = self._db.execute(
            "SELECT source, target, origin FROM units WHERE id = ?", (number,)
        ).fetchone()
        return Unit(source, target, origin)

    def exact(self, text: str) -> Hit | None:
        number = self._exact.get(text)
        return None if number is None else Hit(self.unit(number), 100.0)

    def best(self, text: str, minimum: float) -> Hit | None:
        """The most similar unit scoring at least ``minimum``: the same text first, then the index."""
        found = self.exact(text)
        if found or not self._sources:
            return found
        import numpy

        query = self._query(text)
        if query is None:
            return None
        numbers, bounds = self._candidates(query, minimum)  # each bound reaches minimum
        top, tied = minimum, numbers[:0]
        for start in range(0, len(numbers), BATCH):  # most promising first, until none can do better
            if len(tied) and bounds[start] < top - EPSILON:
                break
            batch = numbers[start : start + BATCH]
            scores = self._scores(query, [self._encoded[n] for n in batch], [self._sorted[n] for n in batch])
            if scores.max() < top - EPSILON:
                continue
            if not len(tied) or scores.max() > top + EPSILON:
                top, tied = scores.max(), numbers[:0]
            tied = numpy.concatenate([tied, batch[scores >= top - EPSILON]])
        return self._choose(text, tied.tolist(), top)

    def scan(self, text: str, minimum: float) -> Hit | None:
        """The same answer as ``best``, by scoring every unit: the reference the index is measured against."""
        found = self.exact(text)
        if found or not self._sources:
            return found
        query = self._query(text)
        if query is None:
            return None
        scores = self._scores(query, self._encoded, self._sorted)
        top = scores.max()
        if top < minimum - EPSILON:
            return None
        return self._choose(text, [int(n) for n in (scores >= top - EPSILON).nonzero()[0]], top)

    def _query(self, text: str) -> _Query | None:
        tokens = words(text)
        if not tokens:
            return None
        distinct = list(dict.fromkeys(tokens))
        known = {}
        for start in range(0, len(distinct), 500):
            chunk = distinct[start : start + 500]
            sql = f"SELECT word, id, df FROM words WHERE word IN ({','.join('?' * len(chunk))})"
            known.update({word: (code, df) for word, code, df in self._db.execute(sql, chunk)})
        unknown = iter(range(self._vocabulary, self._vocabulary + len(distinct)))  # words no unit holds
        codes = {word: chr(FIRST_CODE + (known[word][0] if word in known else next(unknown))) for word in distinct}
        encoded = "".join(codes[word] for word in tokens)
        frequency = {word: known[word][1] if word in known else 0 for word in distinct}
        return _Query(encoded, "".join(sorted(encoded)), len(tokens), sorted(distinct, key=lambda w: frequency[w]))

    def _postings(self, chosen: list[str]):
        import numpy

        sql = f"SELECT postings FROM words WHERE word IN ({','.join('?' * len(chosen))})"
        blobs = [numpy.frombuffer(blob, dtype=numpy.int32) for (blob,) in self._db.execute(sql, chosen)]
        return numpy.concatenate(blobs) if blobs else numpy.zeros(0, dtype=numpy.int32)

    def _candidates(self, query: _Query, minimum: float):
        """Units that could score ``minimum``, by an upper bound on their score, best bound first.

        A ratio counts common words: at most the words the unit shares with the query (those the
        query repeats perhaps more than once) and at most the unit's length. Only the rarest
        query words are looked up; the unit is assumed to hold the others, which keeps the bound
        an upper bound. As a unit needs ``need`` of the distinct words, one holding none of the
        ``distinct - need + 1`` rarest cannot score ``minimum``.
        """
        import numpy

        if self._lengths is None:
            self._lengths = numpy.fromiter(map(len, self._encoded), dtype=numpy.int64, count=len(self._encoded))
        distinct = len(query.rarest)
        need = _shared_words_needed(query.length, distinct, minimum)
        looked_up = query.rarest[: max(distinct - need + 1, min(distinct, LOOKED_UP))]
        numbers, shared = numpy.unique(self._postings(looked_up), return_counts=True)
        lengths = self._lengths[numbers]
        assumed = distinct - len(looked_up) + query.length - distinct
        bounds = 200 * numpy.minimum(shared + assumed, lengths) / (query.length + lengths)
        keep = bounds >= minimum - EPSILON
        order = numpy.argsort(-bounds[keep], kind="stable")
        return numbers[keep][order], bounds[keep][order]

    def _scores(self, query: _Query, encoded: Sequence[str], in_order: Sequence[str]):
        """Word-level similarity of the query to each unit: in order, or in any order less the penalty."""
        import numpy
        from rapidfuzz import fuzz, process

        same_order = process.cdist([query.encoded], encoded, scorer=fuzz.ratio, dtype=numpy.float64)[0]
        any_order = process.cdist([query.sorted], in_order, scorer=fuzz.ratio, dtype=numpy.float64)[0]
        return numpy.minimum(numpy.maximum(same_order, any_order - REORDER_PENALTY), 99.0)

    def _choose(self, text: str, tied: list[int], score: float) -> Hit | None:
        """Among equal scores, the closer text character by character (case, punctuation), then the earlier unit."""
        from rapidfuzz import fuzz

        if not tied:
            return None
        chosen = min(tied, key=lambda n: (-fuzz.ratio(text, self._sources[n]), n))
        return Hit(self.unit(chosen), round(float(score), 2))

    def missed(self, asked: str) -> bool:
        """Whether these units, as they are, were found to hold nothing for ``asked`` (a key naming the queries)."""
        return self._db.execute("SELECT 1 FROM missed WHERE asked = ?", (asked,)).fetchone() is not None

    def note_missed(self, asked: str) -> None:
        self._missed.append(asked)

    def close(self) -> None:
        if self._missed:
            with self._db:
                self._db.executemany("INSERT OR IGNORE INTO missed VALUES (?)", ((key,) for key in self._missed))
        self._db.close()


@dataclass(frozen=True)
class _Query:
    encoded: str
    sorted: str
    length: int  # words, repeats included
    rarest: list[str]  # the distinct words, rarest in the memory first


def _shared_words_needed(length: int, distinct: int, minimum: float) -> int:
    """Distinct query words a unit must hold to score ``minimum``.

    A ratio of t needs a common subsequence of t·(n+m)/2 words, at least t·n/(2-t) as the
    unit holds m ≥ that many; a word the query repeats may give more than one of them.
    """
    t = min(minimum, 99.0) / 100
    common = math.ceil(t * length / (2 - t) - 1e-9)
    return max(1, min(distinct, common - (length - distinct)))


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS files (position INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT);"
    "CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, source TEXT, target TEXT, origin TEXT,"
    " encoded TEXT, sorted TEXT);"
    "CREATE INDEX IF NOT EXISTS units_origin ON units (origin);"
    "CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, id INTEGER, df INTEGER, postings BLOB);"
    "CREATE TABLE IF NOT EXISTS missed (asked TEXT PRIMARY KEY);"
)


def _open(path: Path) -> sqlite3.Connection:
    """The cache at ``path``, emptied first when an older format wrote it."""
    db = sqlite3.connect(path)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" in tables and db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() != (FORMAT,):
        db.executescript("".join(f"DROP TABLE IF EXISTS {name};" for name in sorted(tables)))
    db.executescript(SCHEMA)
    return db


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
