"""Sentence alignment of two editions of one article.

Dynamic programming over sentence lengths in the manner of Gale and Church
(1993), with the costs strengthened by anchors that survive translation:
numbers, names and acronyms found in both editions, and quotation marks; and by
the block structure: title with title, summary with summary, and paragraph
boundaries as strong hints. Beads are 1:1, 1:2, 2:1, 1:0 and 0:1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .model import PLACEHOLDER, Article, Segment
from .review import ENGLISH_QUOTES, QUOTES

# Gale & Church's priors for each bead shape, and the variance of the length ratio.
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2}
VARIANCE = 6.8
ANCHOR_MATCH = 2.0  # cost removed per anchor both sides share
ANCHOR_MISS = 1.0  # cost added per anchor only one side has
BLOCK_CROSS = 8.0  # a bead that spans two paragraphs on one side
SKIP_LENGTH = 3.0  # the length cost of a 1:0 or 0:1 bead (Gale–Church's grows with the sentence)
BLOCK_EDGE = 2.0  # a bead that starts a paragraph on one side only
SCORE_SCALE = 5.0  # score = exp(-cost / SCORE_SCALE)

NAME = re.compile(r"\b[^\W\d_][\w']*")  # "NATO-Verbündeten" gives "NATO"


@dataclass(frozen=True)
class Bead:
    """Sentences of the source edition aligned with sentences of the target edition (indices)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float


def block_of(segment: Segment) -> str:
    """The block a sentence belongs to: "title", "summary", "paragraph 3", "heading 1"…"""
    return segment.location.split(",")[0]


def _plain(segment: Segment) -> str:
    return PLACEHOLDER.sub("", segment.text)


def _name_key(word: str) -> str:
    """Names across languages: case and accents folded, the first five letters ("Iranul" ~ "Iran")."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return folded[:5]


def _anchors(segment: Segment, language: str) -> set[str]:
    text = _plain(segment)
    found = {f"#{int(number)}" for number in re.findall(r"\d+", text)}
    found |= {"@" + _name_key(w) for w in NAME.findall(text) if w[0].isupper() and len(w) > 1}
    opening, closing = QUOTES.get(language.split("_")[0], ENGLISH_QUOTES)
    if opening in text:
        found.add("quote-open")
    if closing in text:
        found.add("quote-close")
    return found


class _Costs:
    """Bead costs for the bodies of two editions."""

    def __init__(self, source: list[Segment], target: list[Segment], languages: tuple[str, str]):
        self.source, self.target = source, target
        self.lengths = ([len(_plain(s)) for s in source], [len(_plain(t)) for t in target])
        self.ratio = max(sum(self.lengths[1]), 1) / max(sum(self.lengths[0]), 1)
        anchors = ([_anchors(s, languages[0]) for s in source], [_anchors(t, languages[1]) for t in target])
        shared = set().union(*anchors[0]) & set().union(*anchors[1])
        self.anchors = tuple([a & shared for a in side] for side in anchors)
        self.blocks = ([block_of(s) for s in source], [block_of(t) for t in target])

    def __call__(self, i: int, di: int, j: int, dj: int) -> float:
        """The cost of aligning source[i:i+di] with target[j:j+dj]."""
        cost = -math.log(PRIORS[di, dj]) + (self._length_cost(i, di, j, dj) if di and dj else SKIP_LENGTH)
        left = set().union(*self.anchors[0][i : i + di])
        right = set().union(*self.anchors[1][j : j + dj])
        cost += ANCHOR_MISS * len(left ^ right) - ANCHOR_MATCH * len(left & right)
        for side, start, count in ((0, i, di), (1, j, dj)):
            if len(set(self.blocks[side][start : start + count])) > 1:
                cost += BLOCK_CROSS
        if di and dj and self._starts_block(0, i) != self._starts_block(1, j):
            cost += BLOCK_EDGE
        return cost

    def _length_cost(self, i: int, di: int, j: int, dj: int) -> float:
        """Gale–Church: how unlikely the two lengths are for a translation, −log of a normal tail."""
        source_length = sum(self.lengths[0][i : i + di])
        target_length = sum(self.lengths[1][j : j + dj])
        mean = (source_length + target_length / self.ratio) / 2
        delta = (self.ratio * source_length - target_length) / math.sqrt(max(mean, 1) * VARIANCE)
        return -math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12))

    def _starts_block(self, side: int, index: int) -> bool:
        return index == 0 or self.blocks[side][index] != self.blocks[side][index - 1]


def _align_body(source: list[Segment], target: list[Segment], languages: tuple[str, str]) -> list[Bead]:
    costs = _Costs(source, target, languages)
    n, m = len(source), len(target)
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == math.inf:
                continue
            for di, dj in PRIORS:
                if i + di <= n and j + dj <= m:
                    cost = costs(i, di, j, dj)
                    if best[i][j] + cost < best[i + di][j + dj]:
                        best[i + di][j + dj] = best[i][j] + cost
                        back[i + di][j + dj] = (di, dj, cost)
    beads = []
    i, j = n, m
    while i or j:
        di, dj, cost = back[i][j]
        i, j = i - di, j - dj
        score = round(math.exp(-max(cost, 0.0) / SCORE_SCALE), 3)
        beads.append(Bead(tuple(range(i, i + di)), tuple(range(j, j + dj)), score))
    return beads[::-1]


def align(source: Article, target: Article) -> list[Bead]:
    """Beads in document order; every sentence of both editions is in exactly one."""
    left, right = source.segments, target.segments
    beads = []
    for field in ("title", "summary"):  # front matter aligns with front matter
        a = [i for i, s in enumerate(left) if s.location == field]
        b = [i for i, s in enumerate(right) if s.location == field]
        if a or b:
            beads.append(Bead(tuple(a), tuple(b), 1.0 if a and b else 0.0))
    body_left = [i for i, s in enumerate(left) if s.location not in ("title", "summary")]
    body_right = [i for i, s in enumerate(right) if s.location not in ("title", "summary")]
    languages = (source.language, target.language)
    for bead in _align_body([left[i] for i in body_left], [right[i] for i in body_right], languages):
        beads.append(
            Bead(tuple(body_left[i] for i in bead.source), tuple(body_right[j] for j in bead.target), bead.score)
        )
    return beads
