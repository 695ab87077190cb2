"""Sentence alignment of two editions of one article, with calibrated scores.

Every candidate bead (1:1, 1:2 or 2:1) gets the log-odds that it is right from a
logistic model over features that survive translation: Gale–Church's length
cost, numbers (in either convention, small ones also in words) and names found
on both sides or on one only, shared word stems and letter trigrams (cognates
such as "decision" ~ "decizia", and the words of the original's machine
translation when a model is installed, as Bleualign does), and the paragraph
structure. Dynamic programming picks the monotone chain of beads with the most
log-odds plus a bonus; links that stay more likely wrong than right are undone,
so unrelated text ends up 1:0 and 0:1 instead of being forced into pairs.

Two passes: the first, without context, places confident links in the body; the
second also knows whether a bead fills the gap between two of them and how much
of the two bodies the first pass linked, which decides doubtful pairs and the
title and summary (aligned only with each other, scored on their content like
any sentence).

The coefficients live in ``data/alignment.json``, fitted by
``benchmarks/align_calibration.py`` on the labelled set in ``tests/alignment/``;
a bead's score is the fitted (Platt-calibrated) probability that it is right.
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
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
RELATED = 0.4  # below this share of the original's sentences confidently linked, two files are different articles
# Small numbers are often written as words in one edition and as digits in the other ("two" ~ "2" ~ "doi").
NUMBER_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve",
    "ro": "doi/doua trei patru cinci sase sapte opt - zece unsprezece doisprezece/douasprezece",
    "de": "zwei drei vier funf sechs sieben acht neun zehn elf zwolf",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze",
}  # "nouă" (nine, but also "new") is left out
NUMBER_OF = {
    language: {form: str(value) for value, forms in enumerate(words.split(), start=2) for form in forms.split("/")}
    for language, words in NUMBER_WORDS.items()
}


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
    """The fitted model: each pass's feature weights, link bonus and unlink threshold, and the calibrations."""
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


def _number_value(token: str) -> str:
    """Digits as a value in either convention: a separator before exactly three digits groups thousands,
    any other is the decimal mark ("6,000" ~ "6.000", "6.5" ~ "6,50")."""
    whole, _, decimals = re.sub(r"[.,](?=\d{3}(?!\d))", "", token).replace(",", ".").partition(".")
    decimals = decimals.replace(".", "").rstrip("0")
    return f"{int(whole)}.{decimals}" if decimals else str(int(whole))


def _numbers(text: str, language: str) -> frozenset[str]:
    words = NUMBER_OF.get(language.split("_")[0], {})
    spelled = {words[w] for w in map(_fold, re.findall(r"[^\W\d_]+", text)) if w in words}
    return frozenset({_number_value(n) for n in NUMBER.findall(text)} | spelled)


def _sentences(segments: list[Segment], language: str, translations: list[str] | None) -> list[_Sentence]:
    result = []
    for index, segment in enumerate(segments):
        text = PLACEHOLDER.sub("", segment.text)
        stems = _stems(text) | (_stems(translations[index]) if translations else set())
        trigrams = _trigrams(text) | (_trigrams(translations[index]) if translations else set())
        block = block_of(segment)
        result.append(
            _Sentence(
                length=len(text),
                numbers=_numbers(text, language),
                names=frozenset(_fold(w)[:5] for w in NAME.findall(text) if w[0].isupper() and len(w) > 1),
                stems=frozenset(stems),
                trigrams=frozenset(trigrams),
                block=block,
                starts_block=index == 0 or block != block_of(segments[index - 1]),
            )
        )
    return result


def features(
    left: list[_Sentence], right: list[_Sentence], position: float, ratio: float, names: set, context: tuple = ()
) -> list[float]:
    """What the model weighs for linking ``left`` with ``right`` (data/alignment.json names them).

    ``context`` is the second pass's: whether the bead fills the gap between two
    first-pass links, and how much of the two bodies the first pass linked.
    """
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
        *context,
    ]


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / max(len(a) + len(b), 1)


def _probability(log_odds: float) -> float:
    return 1 / (1 + math.exp(-max(min(log_odds, 30.0), -30.0)))


Chain = list[tuple[tuple[int, ...], tuple[int, ...]]]


class _Scorer:
    """Log-odds of every candidate bead between two runs of sentences, for one pass of the model."""

    def __init__(self, left: list[_Sentence], right: list[_Sentence], ratio: float, names: set, stage: dict):
        self.left, self.right, self.ratio, self.names, self.stage = left, right, ratio, names, stage
        self._cache: dict[tuple, float] = {}
        self.related: float | None = None  # the second pass's context, from the first
        self.link_ends: set[tuple[int, int]] = set()  # (i, j) where a first-pass link ends…
        self.link_starts: set[tuple[int, int]] = set()  # …and where one starts

    def with_context(self, first: Chain, related: float, stage: dict) -> _Scorer:
        """A scorer for the second pass, which knows the first pass's links."""
        second = _Scorer(self.left, self.right, self.ratio, self.names, stage)
        second.related = related
        for source, target in first:
            if source and target:
                second.link_starts.add((source[0], target[0]))
                second.link_ends.add((source[-1] + 1, target[-1] + 1))
        return second

    def between_links(self, i: int, di: int, j: int, dj: int) -> bool:
        """A bead filling exactly the gap between two links of the first pass."""
        return (i, j) in self.link_ends and (i + di, j + dj) in self.link_starts

    def context(self, i: int, di: int, j: int, dj: int) -> tuple:
        if self.related is None:
            return ()
        return (float(self.between_links(i, di, j, dj)), self.related)

    def log_odds(self, i: int, di: int, j: int, dj: int) -> float:
        key = (i, di, j, dj)
        if key not in self._cache:
            centre = abs((i + di / 2) / len(self.left) - (j + dj / 2) / len(self.right))
            left, right = self.left[i : i + di], self.right[j : j + dj]
            values = features(left, right, centre, self.ratio, self.names, self.context(i, di, j, dj))
            self._cache[key] = sum(w * v for w, v in zip(self.stage["weights"], values, strict=True))
        return self._cache[key]

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


def _align_run(scorer: _Scorer) -> Chain:
    """The monotone chain of beads with the most log-odds.

    A link's gain is its log-odds plus a bonus, so that the path follows the
    translation through weak stretches; links that stay unlikely are undone after.
    """
    n, m = len(scorer.left), len(scorer.right)
    bonus, cut = scorer.stage["link_bonus"], scorer.stage["unlink_below"]
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
    chain: Chain = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        i, j = i - di, j - dj
        if di and dj and scorer.log_odds(i, di, j, dj) < cut:
            # The path needed this bead, but it is more likely wrong than right: leave both sides unpaired.
            chain += [((), (k,)) for k in reversed(range(j, j + dj))] + [((k,), ()) for k in reversed(range(i, i + di))]
        else:
            chain.append((tuple(range(i, i + di)), tuple(range(j, j + dj))))
    return chain[::-1]


def calibration_inputs(scorer: _Scorer, chain: Chain) -> list[list[float]]:
    """What the calibration weighs for each bead of a chain.

    A link: its log-odds, and whether an unpaired sentence lies next to it (the
    link may be part of a split or merge). An unpaired sentence: its most likely
    link anywhere, whether links of this chain lie on both sides of it (a gap
    the edition rewrote, rather than text of its own), and how related the two
    bodies are.
    """
    rows = []
    for position, (source, target) in enumerate(chain):
        if source and target:
            neighbours = chain[max(position - 1, 0) : position] + chain[position + 1 : position + 2]
            lonely = any(not (s and t) for s, t in neighbours)
            rows.append([1.0, scorer.log_odds(source[0], len(source), target[0], len(target)), float(lonely)])
            continue
        before = any(s and t for s, t in chain[:position])
        after = any(s and t for s, t in chain[position + 1 :])
        best = scorer.best_log_odds(0, source[0]) if source else scorer.best_log_odds(1, target[0])
        rows.append([1.0, best, float(before and after), scorer.related or 0.0])
    return rows


def _scores(scorer: _Scorer, chain: Chain) -> list[float]:
    """The calibrated probability that each bead is right."""
    model = coefficients()
    scores = []
    for (source, target), row in zip(chain, calibration_inputs(scorer, chain), strict=True):
        weights = model["link_calibration"] if source and target else model["skip_calibration"]
        scores.append(round(_probability(sum(w * v for w, v in zip(weights, row, strict=True))), 3))
    return scores


def passes(source: Article, target: Article, translations: list[str] | None = None):
    """Both passes over the title, the summary and the body: (indices left, indices right, scorer, chain) each."""
    model = coefficients()
    left = _sentences(source.segments, source.language, translations)
    right = _sentences(target.segments, target.language, None)
    names = {n for s in left for n in s.names} & {n for s in right for n in s.names}
    ratio = max(sum(s.length for s in right), 1) / max(sum(s.length for s in left), 1)
    left_runs, right_runs = dict(_runs(source.segments)), dict(_runs(target.segments))
    body_left, body_right = left_runs.get("body", []), right_runs.get("body", [])
    related, body_chain = 0.0, []
    if body_left and body_right:
        first = _Scorer([left[i] for i in body_left], [right[j] for j in body_right], ratio, names, model["first_pass"])
        body_chain = _align_run(first)
        linked = sum(len(s) + len(t) for s, t in body_chain if s and t)
        related = linked / (len(body_left) + len(body_right))
    result = []
    # In document order: front matter may put the summary before the title.
    for name in sorted(("title", "summary", "body"), key=lambda n: (left_runs.get(n) or right_runs.get(n) or [0])[0]):
        a, b = left_runs.get(name, []), right_runs.get(name, [])
        scorer = _Scorer([left[i] for i in a], [right[j] for j in b], ratio, names, model["first_pass"])
        scorer = scorer.with_context(body_chain if name == "body" else [], related, model["second_pass"])
        chain = (
            _align_run(scorer) if a and b else [((i,), ()) for i in range(len(a))] + [((), (j,)) for j in range(len(b))]
        )
        result.append((a, b, scorer, chain))
    return result


def align(source: Article, target: Article, translations: list[str] | None = None) -> Alignment:
    """Beads in document order; every sentence of both editions is in exactly one.

    ``translations``, when given, are the machine translations of ``source``'s
    segments into the target's language, one for each.
    """
    beads = []
    for a, b, scorer, chain in passes(source, target, translations):
        scores = _scores(scorer, chain) if a and b else [1.0] * len(chain)
        for (s, t), score in zip(chain, scores, strict=True):
            beads.append(Bead(tuple(a[k] for k in s), tuple(b[k] for k in t), score))
    linked = sum(len(bead.source) for bead in beads if bead.target and bead.score >= 0.5)
    return Alignment(beads, linked / max(len(source.segments), 1))


def _runs(segments: list[Segment]) -> list[tuple[str, list[int]]]:
    """Indices of the title, of the summary and of the body sentences."""
    runs: dict[str, list[int]] = {}
    for index, segment in enumerate(segments):
        runs.setdefault(segment.location if segment.location in FRONT else "body", []).append(index)
    return list(runs.items())
