"""The small typed data model that every stage shares."""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

# Inline markup in a msgid: <1>…</1> for pairs, <2/> for code, images, HTML and breaks.
PLACEHOLDER = re.compile(r"</?\d+/?>")
PLACEHOLDER_SPLIT = re.compile(f"({PLACEHOLDER.pattern})")  # re.split keeps the placeholders

# The translation of a sentence that has no text of its own: it was translated together with
# the entry above (an edition merged two sentences) or left out. In a PO file such an entry has
# an empty msgstr and a "# merged:" comment (see provenance.py); a msgstr of just "^" is how
# older versions wrote it, and update converts it.
MERGED = "^"

LENGTH_BUCKET = 8  # tokens; sentences in one bucket share a decoding bound

# The string settings of [mt] that take one of a few values: CTranslate2's devices and compute types.
MT_CHOICES = {
    "device": ("auto", "cpu", "cuda"),
    "compute_type": (
        "default",
        "auto",
        "int8",
        "int8_float32",
        "int8_float16",
        "int8_bfloat16",
        "int16",
        "float16",
        "bfloat16",
        "float32",
    ),
}


@dataclass(frozen=True)
class MTOptions:
    """How to run the models. ``beam_size``, ``max_length_ratio``, ``device`` and ``compute_type`` change the output."""

    beam_size: int = 4
    batch_size: int = 8
    max_length_ratio: float = 2.0
    inter_threads: int = 0  # 0: chosen from the machine's cores
    intra_threads: int = 0
    device: str = "auto"  # "auto": "cuda" where CTranslate2 sees a GPU, else "cpu"
    compute_type: str = "default"  # CTranslate2's; "default": the type the model was saved in
    ray_address: str = ""  # "": in this process; "local": a Ray started here; else a cluster for ray.init
    ray_workers: int = 0  # 0: as many as the Ray cluster has room for

    def threads(self) -> tuple[int, int]:
        """(inter, intra): one thread per batch and batches in parallel served best on small machines."""
        cores = os.cpu_count() or 1
        intra = self.intra_threads or (1 if cores <= 4 else 2)
        inter = self.inter_threads or max(1, cores // intra)
        return inter, intra

    @property
    def key(self) -> str:
        """What the cache keys on; ``device`` must be resolved ("cpu" or "cuda"), not "auto"."""
        base = f"beam={self.beam_size} ratio={self.max_length_ratio}"
        if (self.device, self.compute_type) == ("cpu", "default"):
            return base  # the key of every cache written before GPUs were supported
        # int8 on a CPU and float16 on a GPU round differently: their outputs differ, so must their keys.
        return f"{base} device={self.device} compute={self.compute_type}"

    def decoding_bound(self, tokens: int) -> int:
        """At most this many output tokens: random or looping models never stop by themselves."""
        bucket = LENGTH_BUCKET * math.ceil(max(tokens, 1) / LENGTH_BUCKET)
        return math.ceil(self.max_length_ratio * bucket) + 2


class SegmentKind(StrEnum):
    MARKDOWN = "markdown"  # inline Markdown, with placeholders for markup
    YAML = "yaml"  # a front-matter scalar: plain text


@dataclass(frozen=True)
class Segment:
    """One translatable unit: a sentence of the body, the title or the summary.

    ``text`` is the msgid: whitespace normalized, inline markup replaced by
    numbered placeholders (``<1>…</1>``, ``<2/>``). ``source`` is the exact
    source text it came from, so an untouched segment is restored byte for byte.
    """

    text: str
    source: str
    location: str
    line: int
    kind: SegmentKind = SegmentKind.MARKDOWN
    markup: tuple[tuple[str, str], ...] = ()  # placeholder -> exact source markup
    context: str | None = None  # msgctxt, only when the same text occurs twice

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)


@dataclass(frozen=True)
class Field:
    """A front-matter value that the build sets per locale (the ``language``)."""

    name: str
    source: str


Piece = str | Segment | Field


@dataclass(frozen=True)
class Article:
    """A source article: the whole file as a sequence of pieces.

    Joining the pieces' source text gives the file back exactly, which is what
    makes an identity translation reproduce the source byte for byte.
    """

    slug: str
    path: Path
    language: str
    pieces: tuple[Piece, ...]
    body_index: int  # pieces before this index are the front matter
    author: str
    published: datetime
    title: str

    @property
    def segments(self) -> list[Segment]:
        return [piece for piece in self.pieces if isinstance(piece, Segment)]


@dataclass(frozen=True)
class Problem:
    """Something wrong that a run found in a file; it did not stop the run."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def order(self) -> tuple[str, int]:
        """Where it is shown among others: by file, then line, as an editor would walk them."""
        return self.path, self.line or 0


PROBLEMS_KEPT = 1_000  # problem lines a report holds: a run over an archive can find millions, each counted


class Problems(list):
    """A report's problems: the first ``PROBLEMS_KEPT`` in the order they are shown; the others only counted.

    Those held are trimmed whenever they reach twice the bound, so what :meth:`shown` gives is
    the beginning of what a report holding every problem would show, whatever their number.
    """

    more = 0  # problems found and not held (a class default: unpickling extends a list before setting attributes)

    def append(self, problem: Problem) -> None:
        super().append(problem)
        if len(self) >= 2 * PROBLEMS_KEPT:
            self.sort(key=Problem.order)  # stable: equal places keep the order they were found in
            self.more += len(self) - PROBLEMS_KEPT
            del self[PROBLEMS_KEPT:]

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)
        self.more += getattr(problems, "more", 0)

    def __iadd__(self, problems: Iterable[Problem]) -> Problems:
        self.extend(problems)
        return self

    @property
    def total(self) -> int:
        return len(self) + self.more

    def shown(self) -> list[Problem]:
        """The first ``PROBLEMS_KEPT`` problems in order; ``total`` says how many there are in all."""
        return sorted(self, key=Problem.order)[:PROBLEMS_KEPT]


@dataclass(frozen=True)
class Translation:
    """The catalog's word on one segment, and where it was read."""

    text: str
    fuzzy: bool = False
    path: str = ""
    line: int | None = None


class EntryState(StrEnum):
    TRANSLATED = "translated"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"


@dataclass
class Stats:
    """Counts of entries and source words by state, for one catalog."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: dict[str, int] = field(default_factory=lambda: {state.value: 0 for state in EntryState})

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    def add(self, state: EntryState, words: int) -> None:
        setattr(self, state.value, getattr(self, state.value) + 1)
        self.words[state.value] += words


T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int], Iterator[T]]


def no_progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    yield from items


@dataclass
class Report:
    """What a command did: files written, files already up to date, problems found."""

    files: dict[str, bool] = field(default_factory=dict)  # path -> written at some point, in first-seen order
    problems: Problems = field(default_factory=Problems)
    counts: Counter = field(default_factory=Counter)  # e.g. segments by where their translation came from
    missing: list[str] = field(default_factory=list)  # language pairs without a model

    @property
    def written(self) -> list[str]:
        return [path for path, written in self.files.items() if written]

    @property
    def unchanged(self) -> list[str]:
        return [path for path, written in self.files.items() if not written]

    def record(self, path: str, changed: bool) -> None:
        """Note a file; one written at any point counts as written (a dict: no scan of the files so far)."""
        self.files[path] = self.files.get(path, False) or changed

    def extend(self, other: Report) -> None:
        for path, changed in other.files.items():
            self.record(path, changed)
        self.problems += other.problems
        self.counts += other.counts
        self.missing += other.missing
