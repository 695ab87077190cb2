"""Sentence alignment of two editions of one article, with calibrated scores.

Every candidate bead (1:1, 1:2 or 2:1) gets the log-odds that it is right from a
logistic model over features that survive translation: Gale–Church's length
cost, numbers (in either convention, small ones also in words) and names found
on both sides or on one only, shared word stems and letter trigrams (cognates
such as "decision" ~ "decizia", and the words of the original's machine
translation when a model is installed, as Bleualign does), and the paragraph
structure (the features are in ``align_features.py``). Dynamic programming picks
the chain of beads with the most log-odds plus a bonus, monotone but for two
neighbouring sentences of a paragraph that an edition swapped; links that stay
more likely wrong than right are undone, so unrelated text ends up 1:0 and 0:1
instead of being forced into pairs. Sentences it leaves unpaired on both sides
are then linked out of order where that is likely: an edition moved them.

Two passes: the first, without context, places confident links in the body; the
second also knows whether a bead fills the gap between two of them and how much
of the two bodies the first pass linked, which decides doubtful pairs and the
title and summary (aligned only with each other, scored on their content like
any sentence, and vouched for by related bodies).

The coefficients live in ``data/alignment.json``, fitted by
``benchmarks/align_calibration.py`` on the labelled set in ``tests/alignment/``;
a bead's score is the fitted (Platt-calibrated) probability that it is right.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

from .align_features import FRONT, Sentence, features, sentences
from .catalogs import Suggestion
from .model import Article, Segment
from .provenance import Provenance
from .provenance import merged as merged_sentence

SHAPES = ((1, 1), (1, 2), (2, 1))  # the linking beads; 1:0 and 0:1 are the rest
SWAP = (2, 2)  # two neighbouring sentences of a paragraph, linked crosswise: two 1:1 beads out of the edition's order
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
    """The fitted model: each pass's feature weights, link bonus and unlink threshold, and the calibrations."""
    path = resources.files("translate_flow") / "data" / "alignment.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _probability(log_odds: float) -> float:
    return 1 / (1 + math.exp(-max(min(log_odds, 30.0), -30.0)))


Chain = list[tuple[tuple[int, ...], tuple[int, ...]]]


class _Scorer:
    """Log-odds of every candidate bead between two runs of sentences, for one pass of the model."""

    def __init__(self, left: list[Sentence], right: list[Sentence], ratio: float, names: set, stage: dict):
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
        # Two editions of one article give its title and summary in both: two related bodies vouch for them.
        front = float(self.left[i].block in FRONT) * self.related
        return (float(self.between_links(i, di, j, dj)), self.related, front)

    def log_odds(self, i: int, di: int, j: int, dj: int, swap: tuple[int, int] | None = None) -> float:
        """The log-odds of a bead; ``swap``: where the two crossed links it belongs to start."""
        key = (i, di, j, dj, swap)
        if key not in self._cache:
            centre = abs((i + di / 2) / len(self.left) - (j + dj / 2) / len(self.right))
            left, right = self.left[i : i + di], self.right[j : j + dj]
            edges = (self.left[swap[0]], self.right[swap[1]]) if swap else None
            values = features(left, right, centre, self.ratio, self.names, self.context(i, di, j, dj), edges)
            self._cache[key] = sum(w * v for w, v in zip(self.stage["weights"], values, strict=True))
        return self._cache[key]

    def gain(self, i: int, di: int, j: int, dj: int) -> float:
        """What a step of the chain adds: a link its log-odds plus the bonus, a swap both links' less its penalty."""
        if (di, dj) == SWAP:
            if self.left[i].block != self.left[i + 1].block or self.right[j].block != self.right[j + 1].block:
                return -math.inf
            return sum(self.crossed_log_odds(i, j)) + 2 * self.stage["link_bonus"] - self.stage["swap_penalty"]
        return self.log_odds(i, di, j, dj) + self.stage["link_bonus"] if di and dj else 0.0

    def crossed_log_odds(self, i: int, j: int) -> tuple[float, float]:
        """The log-odds of linking ``i`` with ``j + 1`` and ``i + 1`` with ``j``."""
        return self.log_odds(i, 1, j + 1, 1, (i, j)), self.log_odds(i + 1, 1, j, 1, (i, j))

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
    """The chain of beads with the most log-odds, monotone but for swaps of two neighbours within a paragraph.

    A link's gain is its log-odds plus a bonus, so that the path follows the
    translation through weak stretches; links that stay unlikely are undone after.
    """
    n, m = len(scorer.left), len(scorer.right)
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == -math.inf:
                continue
            for di, dj in (*SHAPES, (1, 0), (0, 1), SWAP):
                if i + di <= n and j + dj <= m:
                    gain = scorer.gain(i, di, j, dj)
                    if best[i][j] + gain > best[i + di][j + dj]:
                        best[i + di][j + dj] = best[i][j] + gain
                        back[i + di][j + dj] = (di, dj)
    chain: Chain = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        i, j = i - di, j - dj
        if (di, dj) == SWAP:
            chain += _crossed(scorer, i, j)
        elif di and dj and scorer.log_odds(i, di, j, dj) < scorer.stage["unlink_below"]:
            # The path needed this bead, but it is more likely wrong than right: leave both sides unpaired.
            chain += [((), (k,)) for k in reversed(range(j, j + dj))] + [((k,), ()) for k in reversed(range(i, i + di))]
        else:
            chain.append((tuple(range(i, i + di)), tuple(range(j, j + dj))))
    return chain[::-1]


def _crossed(scorer: _Scorer, i: int, j: int) -> Chain:
    """A swap's two beads, last first (the chain is built backwards), or its four sentences unpaired
    when either link is more likely wrong than right."""
    if min(scorer.crossed_log_odds(i, j)) >= scorer.stage["unlink_below"]:
        return [((i + 1,), (j,)), ((i,), (j + 1,))]
    return [((), (j + 1,)), ((), (j,)), ((i + 1,), ()), ((i,), ())]


def _pair_moved(scorer: _Scorer, chain: Chain) -> Chain:
    """The chain with sentences it left unpaired on both sides linked out of order where such a link is likely:
    an edition moved them (the DP only follows the original's order, and crosses only two neighbours).
    Only in bodies that the first pass found related, so that the sentences of a different article stay unpaired.
    """
    threshold = scorer.stage.get("moved_above")
    if threshold is None or (scorer.related or 0.0) < RELATED:
        return chain
    moved = _moved_links(scorer, chain, threshold)
    kept = [(source, target) for source, target in chain if source or target[0] not in moved.values()]
    return [
        ((source[0],), (moved[source[0]],)) if source and source[0] in moved else (source, target)
        for source, target in kept
    ]


def _moved_links(scorer: _Scorer, chain: Chain, threshold: float) -> dict[int, int]:
    """Unpaired sentences of the source linked with unpaired ones of the target, the most likely links first.

    Editions move a sentence within its paragraph or a whole paragraph, so a moved link joins two paragraphs
    that links already join, or two that no link touches yet.
    """
    paragraphs = {
        (scorer.left[i].block, scorer.right[j].block) for source, target in chain for i in source for j in target
    }
    left = [source[0] for source, target in chain if not target]
    right = [target[0] for source, target in chain if not source]
    ranked = sorted(((scorer.log_odds(i, 1, j, 1), i, j) for i in left for j in right), reverse=True)
    moved: dict[int, int] = {}
    for log_odds, i, j in ranked:
        if log_odds < threshold:
            break
        pair = scorer.left[i].block, scorer.right[j].block
        untouched = all(pair[0] != a and pair[1] != b for a, b in paragraphs)
        if i not in moved and j not in moved.values() and (pair in paragraphs or untouched):
            moved[i] = j
            paragraphs.add(pair)
    return moved


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
            log_odds = scorer.log_odds(source[0], len(source), target[0], len(target), _swap_of(chain, position))
            rows.append([1.0, log_odds, float(lonely)])
            continue
        before = any(s and t for s, t in chain[:position])
        after = any(s and t for s, t in chain[position + 1 :])
        best = scorer.best_log_odds(0, source[0]) if source else scorer.best_log_odds(1, target[0])
        rows.append([1.0, best, float(before and after), scorer.related or 0.0])
    return rows


def _swap_of(chain: Chain, position: int) -> tuple[int, int] | None:
    """Where the swap starts that a link of the chain belongs to, if it is one of two crossed links."""
    source, target = chain[position]
    for other_source, other_target in chain[max(position - 1, 0) : position + 2]:
        lone = len(source) == len(target) == len(other_source) == len(other_target) == 1
        if lone and other_source[0] - source[0] == target[0] - other_target[0] in (-1, 1):
            return min(source[0], other_source[0]), min(target[0], other_target[0])
    return None


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
    lexicon = model.get("lexicon", {}).get(language_pair(source, target))
    left = sentences(source.segments, source.language, translations, lexicon)
    right = sentences(target.segments, target.language, None)
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
            _pair_moved(scorer, _align_run(scorer))
            if a and b
            else [((i,), ()) for i in range(len(a))] + [((), (j,)) for j in range(len(b))]
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


def language_pair(source: Article, target: Article) -> str:
    """How the lexicon names the two editions' languages: "en ro"."""
    return " ".join(a.language.replace("-", "_").split("_")[0].lower() for a in (source, target))


def _runs(segments: list[Segment]) -> list[tuple[str, list[int]]]:
    """Indices of the title, of the summary and of the body sentences."""
    runs: dict[str, list[int]] = {}
    for index, segment in enumerate(segments):
        runs.setdefault(segment.location if segment.location in FRONT else "body", []).append(index)
    return list(runs.items())


def catalog_suggestions(source: Article, target: Article, beads: list[Bead], where: str) -> dict:
    """The catalog suggestions an edition makes for its original's entries, by entry key.

    A bead's target sentences go to its first source entry; the others are noted as
    merged with it. A sentence the edition added joins its neighbour's suggestion.
    """
    suggestions: dict = {}
    last_key, waiting = None, ""
    for bead in beads:
        keys = [source.segments[i].key for i in bead.source]
        text = " ".join(target.segments[j].text for j in bead.target)
        line = target.segments[bead.target[0]].line if bead.target else None
        sentences = [source.segments[i] for i in bead.source] + [target.segments[j] for j in bead.target]
        front = any(segment.location in FRONT for segment in sentences)  # title and summary stand alone
        if not keys and front:  # a title or summary the original lacks has no entry to go to
            continue
        if not keys:  # 0:1, a sentence the edition added: it goes with its neighbour
            if last_key:
                earlier = suggestions[last_key]
                suggestions[last_key] = Suggestion(f"{earlier.text} {text}", earlier.provenance)
            else:
                waiting = f"{waiting} {text}".strip()
            continue
        if bead.target:
            text = f"{waiting} {text}".strip()
            waiting = ""
            aligned = Provenance("aligned", f"{where}:{line} score={bead.score:.2f}")
            suggestions[keys[0]] = Suggestion(text, aligned)
            last_key, rest = (None if front else keys[0]), keys[1:]
            note = merged_sentence(f"aligned: {where}:{line}")
        else:
            rest, note = keys, merged_sentence(f"aligned: left out of {where}")
        for key in rest:
            suggestions[key] = Suggestion(None, note)
    return suggestions
