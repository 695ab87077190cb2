"""Sentence alignment of two editions of one article, with calibrated scores.

Every candidate bead (1:1, 1:2 or 2:1) gets the log-odds that it is right from a
logistic model over features that survive translation: Gale–Church's length
cost, numbers and names found on both sides or on one only, shared word stems
(cognates such as "decision" ~ "decizia"), or shared words with the machine
translation of the original when a model is installed (as Bleualign does), and
the paragraph structure. Dynamic programming picks the monotone chain of beads
with the most log-odds; a sentence whose every pairing is more likely wrong than
right stays unpaired (1:0 or 0:1), so unrelated text is never forced into pairs.
The title aligns only with the title, the summary with the summary, scored on
their content like any sentence.

The coefficients live in ``data/alignment.json``, fitted by
``benchmarks/align_calibration.py`` on the labelled set in ``tests/alignment/``;
a bead's score is the fitted probability that it is right.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from .model import PLACEHOLDER, Article, Segment

SHAPES = ((1, 1), (1, 2), (2, 1))  # the linking beads; 1:0 and 0:1 are the rest
FRONT = ("title", "summary")
NAME = re.compile(r"\b[^\W\d_][\w']*")  # "NATO-Verbündeten" gives "NATO"
WORD = re.compile(r"[^\W\d_]{4,}")
RELATED = 0.4  # below this share of the original's sentences confidently linked, two files are different articles


@dataclass(frozen=True)
class Bead:
    """Sentences of the source edition aligned with sentences of the target edition (indices)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float  # the probability that the bead is right


@dataclass(frozen=True)
class Alignment:
    """The beads of two editions, and whether they look like the same article at all."""

    beads: list[Bead]
    related: float  # the share of the original's sentences in links scored 0.5 or more

    @property
    def different_articles(self) -> bool:
        return self.related < RELATED


@functools.cache
def coefficients() -> dict:
    """The fitted model: feature weights, the link bonus and the two Platt calibrations."""
    path = resources.files("translate_flow") / "data" / "alignment.json"
    return json.loads(path.read_text(encoding="utf-8"))


def block_of(segment: Segment) -> str:
    """The block a sentence belongs to: "title", "summary", "paragraph 3", "heading 1"…"""
    return segment.location.split(",")[0]


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _stems(text: str) -> set[str]:
    """Words of four letters or more by their first four letters, accents folded: cognates across languages."""
    return {_fold(w)[:4] for w in WORD.findall(text)}


def _trigrams(text: str) -> set[str]:
    """Letter trigrams of the words of four letters or more: looser cognates ("annual" ~ "anuală")."""
    return {word[k : k + 3] for word in map(_fold, WORD.findall(text)) for k in range(len(word) - 2)}


@dataclass(frozen=True)
class _Sentence:
    length: int
    numbers: frozenset[str]
    names: frozenset[str]
    stems: frozenset[str]
    trigrams: frozenset[str]
    block: str
    starts_block: bool


def _sentences(segments: list[Segment], translations: list[str] | None) -> list[_Sentence]:
    result = []
    for index, segment in enumerate(segments):
        text = PLACEHOLDER.sub("", segment.text)
        stems = _stems(text) | (_stems(translations[index]) if translations else set())
        trigrams = _trigrams(text) | (_trigrams(translations[index]) if translations else set())
        block = block_of(segment)
        result.append(
            _Sentence(
                length=len(text),
                numbers=frozenset(str(int(n)) for n in re.findall(r"\d+", text)),
                names=frozenset(_fold(w)[:5] for w in NAME.findall(text) if w[0].isupper() and len(w) > 1),
                stems=frozenset(stems),
                trigrams=frozenset(trigrams),
                block=block,
                starts_block=index == 0 or block != block_of(segments[index - 1]),
            )
        )
    return result


def features(
    left: list[_Sentence], right: list[_Sentence], position: float, ratio: float, names: set, between: bool = False
) -> list[float]:
    """What the model weighs for linking ``left`` with ``right`` (see data/alignment.json for the names)."""
    length_left, length_right = sum(s.length for s in left), sum(s.length for s in right)
    mean = (length_left + length_right / ratio) / 2
    delta = (ratio * length_left - length_right) / math.sqrt(max(mean, 1) * 6.8)
    length_cost = min(-math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)), 10.0)
    numbers = [frozenset().union(*(s.numbers for s in side)) for side in (left, right)]
    found = [frozenset().union(*(s.names for s in side)) & names for side in (left, right)]
    stems = [frozenset().union(*(s.stems for s in side)) for side in (left, right)]
    trigrams = [frozenset().union(*(s.trigrams for s in side)) for side in (left, right)]
    blocks = [{s.block for s in side} for side in (left, right)]
    return [
        1.0,
        length_cost,
        min(len(numbers[0] & numbers[1]), 3),
        min(len(numbers[0] ^ numbers[1]), 3),
        min(len(found[0] & found[1]), 3),
        min(len(found[0] ^ found[1]), 3),
        _dice(*stems),
        _dice(*trigrams),
        float(len(left) + len(right) > 2),
        float(len(blocks[0]) > 1 or len(blocks[1]) > 1),
        float(left[0].starts_block != right[0].starts_block),
        position,
        float(left[0].block in FRONT),
        float(between),
    ]


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / max(len(a) + len(b), 1)


def _logistic(weights: list[float], values: list[float]) -> float:
    return sum(w * v for w, v in zip(weights, values, strict=True))


def _probability(log_odds: float) -> float:
    return 1 / (1 + math.exp(-max(min(log_odds, 30.0), -30.0)))


class _Scorer:
    """Log-odds of every candidate bead between two runs of sentences."""

    def __init__(self, left: list[_Sentence], right: list[_Sentence], ratio: float, names: set):
        self.left, self.right, self.ratio, self.names = left, right, ratio, names
        self._cache: dict[tuple, float] = {}
        self.model = coefficients()
        self.link_ends: set[tuple[int, int]] = set()  # (i, j) where a first-pass link ends…
        self.link_starts: set[tuple[int, int]] = set()  # …and where one starts

    def between_links(self, i: int, di: int, j: int, dj: int) -> bool:
        """A bead filling exactly the gap between two links of the first pass."""
        return (i, j) in self.link_ends and (i + di, j + dj) in self.link_starts

    def log_odds(self, i: int, di: int, j: int, dj: int) -> float:
        key = (i, di, j, dj, self.between_links(i, di, j, dj))
        if key not in self._cache:
            centre = abs((i + di / 2) / len(self.left) - (j + dj / 2) / len(self.right))
            values = features(self.left[i : i + di], self.right[j : j + dj], centre, self.ratio, self.names, key[4])
            self._cache[key] = _logistic(self.model["weights"], values)
        return self._cache[key]

    def anchor(self, chain: list[tuple[tuple[int, ...], tuple[int, ...], float]]) -> None:
        """Remember the first pass's links: a sentence pair wedged between two links is likely one too."""
        for source, target, _ in chain:
            if source and target:
                self.link_starts.add((source[0], target[0]))
                self.link_ends.add((source[-1] + 1, target[-1] + 1))

    def best_log_odds(self, side: int, index: int) -> float:
        """The most likely link of one sentence with any sentences of the other side, in any bead shape."""
        n, m = len(self.left), len(self.right)
        candidates = [
            (i, di, j, dj)
            for di, dj in SHAPES
            for i in range(n - di + 1)
            for j in range(m - dj + 1)
            if (side == 0 and i <= index < i + di) or (side == 1 and j <= index < j + dj)
        ]
        return max((self.log_odds(*c) for c in candidates), default=-30.0)


def _align_run(scorer: _Scorer) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """The monotone chain of beads with the most log-odds; (left, right, score) each.

    A link's gain is its log-odds plus a bonus, so that the path follows the
    translation through weak stretches; links that stay unlikely are undone after.
    """
    n, m = len(scorer.left), len(scorer.right)
    bonus = scorer.model["link_bonus"]
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == -math.inf:
                continue
            for di, dj in (*SHAPES, (1, 0), (0, 1)):
                if i + di <= n and j + dj <= m:
                    gain = scorer.log_odds(i, di, j, dj) + bonus if di and dj else 0.0
                    if best[i][j] + gain > best[i + di][j + dj]:
                        best[i + di][j + dj] = best[i][j] + gain
                        back[i + di][j + dj] = (di, dj)
    chain = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        i, j = i - di, j - dj
        if di and dj and scorer.log_odds(i, di, j, dj) < scorer.model["unlink_below"]:
            # The path needed this bead, but it is more likely wrong than right: leave both sides unpaired.
            chain += [((), (k,), _score(scorer, i, 0, k, 1)) for k in reversed(range(j, j + dj))]
            chain += [((k,), (), _score(scorer, k, 1, j, 0)) for k in reversed(range(i, i + di))]
        else:
            chain.append((tuple(range(i, i + di)), tuple(range(j, j + dj)), _score(scorer, i, di, j, dj)))
    return chain[::-1]


def _score(scorer: _Scorer, i: int, di: int, j: int, dj: int) -> float:
    """The calibrated probability that the bead is right (Platt scaling of the log-odds)."""
    if di and dj:
        slope, intercept = scorer.model["link_calibration"]
        return round(_probability(slope * scorer.log_odds(i, di, j, dj) + intercept), 3)
    slope, intercept = scorer.model["skip_calibration"]
    best = scorer.best_log_odds(0, i) if di else scorer.best_log_odds(1, j)
    return round(_probability(slope * best + intercept), 3)


def align(source: Article, target: Article, translations: list[str] | None = None) -> Alignment:
    """Beads in document order; every sentence of both editions is in exactly one.

    ``translations``, when given, are the machine translations of ``source``'s
    segments into the target's language, one for each.
    """
    left_segments, right_segments = source.segments, target.segments
    left, right = _sentences(left_segments, translations), _sentences(right_segments, None)
    names = {n for s in left for n in s.names} & {n for s in right for n in s.names}
    ratio = max(sum(s.length for s in right), 1) / max(sum(s.length for s in left), 1)
    beads = []
    left_runs, right_runs = dict(_runs(left_segments)), dict(_runs(right_segments))
    for name in ("title", "summary", "body"):
        a, b = left_runs.get(name, []), right_runs.get(name, [])
        if not a or not b:
            beads += [Bead((i,), (), 1.0) for i in a] + [Bead((), (j,), 1.0) for j in b]
            continue
        scorer = _Scorer([left[i] for i in a], [right[j] for j in b], ratio, names)
        scorer.anchor(_align_run(scorer))
        for s, t, score in _align_run(scorer):
            beads.append(Bead(tuple(a[k] for k in s), tuple(b[k] for k in t), score))
    linked = sum(len(bead.source) for bead in beads if bead.target and bead.score >= 0.5)
    return Alignment(beads, linked / max(len(left_segments), 1))


def _runs(segments: list[Segment]) -> list[tuple[str, list[int]]]:
    """Indices of the title, of the summary and of the body sentences."""
    runs: dict[str, list[int]] = {}
    for index, segment in enumerate(segments):
        runs.setdefault(segment.location if segment.location in FRONT else "body", []).append(index)
    return list(runs.items())
