"""Fit the aligner's model on the labelled set and measure it, cross-validated by subject.

    .venv/bin/python benchmarks/align_calibration.py          # measure, print the tables
    .venv/bin/python benchmarks/align_calibration.py --write  # also refit translate_flow/data/alignment.json
    .venv/bin/python benchmarks/align_calibration.py --translator apertium  # also with Apertium's translations

With ``--translator apertium`` the originals are also translated by Apertium (en→es→ro; Debian's apertium,
apertium-en-es and apertium-es-ro) and given to the aligner as machine translations; the tables are printed for
the model fitted without them (the committed one) and for one fitted with them, each held out the same way.

Each fold holds out one subject (nato, floods, inflation, energy, and the editions of tests/editions/): the model is
fitted on the others and scored on it, so every figure is on articles the fit never saw.
The committed coefficients are then fitted on the whole set.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

import numpy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.alignment.devset import Case, cases, edition_cases  # noqa: E402
from translate_flow import align as aligner  # noqa: E402
from translate_flow.align_features import prefixes  # noqa: E402

MODEL = REPO / "translate_flow" / "data" / "alignment.json"
FEATURES = [
    "bias",
    "length_cost",
    "numbers_shared",
    "numbers_one_side",
    "names_shared",
    "names_one_side",
    "stem_dice",
    "trigram_dice",
    "merge_or_split",
    "crosses_paragraph",
    "paragraph_edge_differs",
    "position_distance",
    "front_matter",
    "nothing_shared",
]
CONTEXT = ["between_first_pass_links", "bodies_linked_by_first_pass", "front_matter_of_linked_bodies"]
BONUSES = [float(x) for x in range(7)]
CUTS = [x / 4 for x in range(-8, 3)]
NO_SWAPS = 1000.0  # a penalty no pair of links outweighs
SWAP_PENALTIES = [NO_SWAPS, 4.0, 2.0, 0.0]  # tried after the bonus and cut: swapped neighbours are the exception
MOVED = [None, 4.0, 3.0, 2.0, 1.0, 0.0, -1.0]  # the second pass's last: links out of order, from the most cautious
FIRST_PRECISION = 0.98  # the first pass places anchors: it must be right
LEXICON_DICE = 0.6
LEXICON_PAIRS = 50
PRECISION = 0.95  # the second pass takes the most generous link bonus that keeps this precision in training


def using(model: dict, case: Case | None = None, lexicons: dict | None = None):
    """Make the aligner use ``model`` instead of the committed coefficients; in training, with the lexicon
    learned without ``case``'s subject (``lexicons``), so that its features look as they will on new articles."""
    chosen = {**model, "lexicon": lexicons[case.subject]} if lexicons and case else model
    aligner.coefficients = lambda: chosen  # type: ignore[assignment]


def candidates(model: dict, case: Case, with_context: bool, lexicons: dict) -> tuple[list[list[float]], list[int]]:
    """Features and labels of every 1:1, 1:2 and 2:1 bead, for the first pass or (the first pass fitted) the second."""
    using(model, case, lexicons)
    rows, labels = [], []
    for a, b, scorer, _ in aligner.passes(case.source, case.target, case.translations):
        for di, dj in aligner.SHAPES:
            for i in range(len(a) - di + 1):
                for j in range(len(b) - dj + 1):
                    centre = abs((i + di / 2) / len(a) - (j + dj / 2) / len(b))
                    sides = scorer.left[i : i + di], scorer.right[j : j + dj]
                    context = scorer.context(i, di, j, dj) if with_context else ()
                    rows.append(aligner.features(*sides, centre, scorer.ratio, scorer.names, context))
                    labels.append(int((tuple(a[i : i + di]), tuple(b[j : j + dj])) in case.gold))
    return rows, labels


def logistic_fit(x: numpy.ndarray, y: numpy.ndarray, l2: float = 0.1) -> list[float]:
    """Maximum likelihood with a small ridge penalty (not on the bias), by Newton's method."""
    w = numpy.zeros(x.shape[1])
    ridge = numpy.full(x.shape[1], l2)
    ridge[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + numpy.exp(-numpy.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + numpy.diag(ridge) + 1e-9 * numpy.eye(x.shape[1])
        step = numpy.linalg.solve(hessian, gradient)
        w -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return [round(float(v), 4) for v in w]


def run(model: dict, chosen: list[Case], lexicons: dict | None = None) -> list[tuple[Case, aligner.Alignment]]:
    results = []
    for case in chosen:
        using(model, case, lexicons)
        results.append((case, aligner.align(case.source, case.target, case.translations)))
    return results


def link_scores(results) -> tuple[float, float]:
    """Precision and recall of sentence links (pairs of sentences in one bead)."""
    found = gold = right = 0
    for case, alignment in results:
        links = {(i, j) for bead in alignment.beads for i in bead.source for j in bead.target}
        found, gold, right = found + len(links), gold + len(case.links), right + len(links & case.links)
    return right / max(found, 1), right / max(gold, 1)


def _stage_fit(model: dict, stage: str, training: list[Case], precision: float, lexicons: dict) -> None:
    rows, labels = [], []
    for case in training:
        r, y = candidates(model, case, stage == "second_pass", lexicons)
        rows += r
        labels += y
    weights = logistic_fit(numpy.array(rows), numpy.array(labels, dtype=float))
    if stage == "first_pass":  # the first pass has no context: its model also stands in for the second's
        model["first_pass"] = {"weights": weights}
        model["second_pass"] = {"weights": [*weights, *(0.0 for _ in CONTEXT)]}
    else:
        model["second_pass"] = {"weights": weights}

    def quality(setting: tuple[float, float, float, float | None]) -> tuple[bool, float, float]:
        bonus, cut, penalty, moved = setting
        model[stage] |= {"link_bonus": bonus, "unlink_below": cut, "swap_penalty": penalty}
        if stage == "first_pass":
            model["second_pass"] |= model["first_pass"] | {"weights": [*weights, *(0.0 for _ in CONTEXT)]}
        else:
            model[stage]["moved_above"] = moved  # None: never
        found_precision, recall = link_scores(run(model, training, lexicons))
        return found_precision >= precision, recall, found_precision

    bonus, cut, _, _ = max(((b, c, NO_SWAPS, None) for b in BONUSES for c in CUTS), key=quality)
    penalty = max(((bonus, cut, penalty, None) for penalty in SWAP_PENALTIES), key=quality)[2]
    moved = [None] if stage == "first_pass" else MOVED
    quality(max(((bonus, cut, penalty, threshold) for threshold in moved), key=quality))


def lexicon(training: list[Case]) -> dict[str, dict[str, str]]:
    """Word translations learned from the gold links of ``training``, for each pair of languages.

    Dice's association of a word (its first five letters) with a stem of the other side over
    the linked sentences; a pair is kept when each is the other's best partner, it was seen
    in articles on at least two subjects and its association is at least LEXICON_DICE
    (Melamed's competitive linking, in short). Stems the two words share already match without it.
    A pair seen on one subject only would make unrelated articles on that subject look alike.
    """
    linked: dict[str, set[tuple[str, str, str]]] = collections.defaultdict(set)
    for case in training:
        languages = aligner.language_pair(case.source, case.target)
        for source, target in case.gold:
            if source and target:
                texts = [
                    " ".join(article.segments[k].text for k in side)
                    for article, side in ((case.source, source), (case.target, target))
                ]
                linked[languages].add((case.subject, *texts))
    return {
        languages: _associations(pairs)
        for languages, pairs in sorted(linked.items())
        if len(pairs) >= LEXICON_PAIRS  # from a handful of sentences, a table would only learn them by heart
    }


def _associations(pairs: set[tuple[str, str, str]]) -> dict[str, str]:
    left, right, both = collections.Counter(), collections.Counter(), collections.Counter()
    subjects: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for subject, source, target in sorted(pairs):
        words, stems = prefixes(source, 5), prefixes(target, 4)
        left.update(words)
        right.update(stems)
        both.update((w, s) for w in words for s in stems)
        for pair in ((w, s) for w in words for s in stems):
            subjects[pair].add(subject)
    dice = {
        (w, s): 2 * n / (left[w] + right[s]) for (w, s), n in both.items() if len(subjects[w, s]) >= 2 and w[:4] != s
    }
    best_stem: dict[str, tuple[float, str]] = {}
    best_word: dict[str, tuple[float, str]] = {}
    for (w, s), d in sorted(dice.items()):
        best_stem[w] = max(best_stem.get(w, (0.0, "")), (d, s))
        best_word[s] = max(best_word.get(s, (0.0, "")), (d, w))
    return {w: s for w, (d, s) in sorted(best_stem.items()) if d >= LEXICON_DICE and best_word[s][1] == w}


def fit(training: list[Case]) -> dict:
    model: dict = {"features": FEATURES, "context_features": CONTEXT, **_identity(), "lexicon": lexicon(training)}
    settings = {"link_bonus": 0.0, "unlink_below": 0.0, "swap_penalty": NO_SWAPS}
    model["first_pass"] = {"weights": [0.0] * len(FEATURES), **settings}
    model["second_pass"] = {"weights": [0.0] * (len(FEATURES) + len(CONTEXT)), **settings}
    subjects = {case.subject for case in training}
    lexicons = {s: lexicon([c for c in training if c.subject != s]) for s in subjects}
    _stage_fit(model, "first_pass", training, FIRST_PRECISION, lexicons)
    _stage_fit(model, "second_pass", training, PRECISION, lexicons)
    link_rows, link_y, skip_rows, skip_y = [], [], [], []
    for case in training:
        using(model, case, lexicons)
        for a, b, scorer, chain in aligner.passes(case.source, case.target, case.translations):
            if not (a and b):
                continue
            for (s, t), row in zip(chain, aligner.calibration_inputs(scorer, chain), strict=True):
                right = (tuple(a[k] for k in s), tuple(b[k] for k in t)) in case.gold
                (link_rows if s and t else skip_rows).append(row)
                (link_y if s and t else skip_y).append(right)
    model["link_calibration"] = logistic_fit(numpy.array(link_rows), numpy.array(link_y, dtype=float), l2=0.01)
    model["skip_calibration"] = logistic_fit(numpy.array(skip_rows), numpy.array(skip_y, dtype=float), l2=0.01)
    return model


def _identity() -> dict:
    """Calibrations that pass a link's log-odds through, and score every unpaired sentence 0.5."""
    return {"link_calibration": [0.0, 1.0, 0.0], "skip_calibration": [0.0, 0.0, 0.0, 0.0]}


def with_translations(chosen: list[Case], folder: Path) -> list[Case]:
    """The cases with their originals translated by Apertium where it has a route (cached in ``folder``)."""
    from translate_flow import apertium

    cache_path = folder / "apertium-cache.json"
    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    available, result = apertium.modes(), []
    for case in chosen:
        route = apertium.route(case.source.language, case.target.language, available)
        if route is None:
            result.append(case)
            continue
        key = " ".join(mode.name for mode in route)
        texts = [segment.text for segment in case.source.segments]
        missing = sorted({t for t in texts if f"{key} {t}" not in cache})
        cache |= {f"{key} {t}": done for t, done in zip(missing, apertium.translate(missing, route), strict=True)}
        result.append(dataclasses.replace(case, translations=[cache[f"{key} {t}"] for t in texts]))
    cache_path.write_text(json.dumps(cache, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def main(write: bool, translator: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="align-devset-"))
    everything = cases(folder) + edition_cases()
    translated = with_translations(everything, folder) if translator == "apertium" else None
    subjects = sorted({case.subject for case in everything})
    columns: dict[str, list] = collections.defaultdict(list)
    for subject in subjects:
        model = fit([c for c in everything if c.subject != subject])
        columns["without MT"] += run(model, [c for c in everything if c.subject == subject])
        if translated:
            columns["Apertium, model fitted without"] += run(model, [c for c in translated if c.subject == subject])
            model = fit([c for c in translated if c.subject != subject])
            columns["Apertium, model fitted with"] += run(model, [c for c in translated if c.subject == subject])
    for name, results in columns.items():
        print(f"## {name}\n")
        report(results)
        print()
    if write:
        model = fit(everything)
        MODEL.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(REPO)}")


def report(results) -> None:
    beads = [(bead.score, (bead.source, bead.target) in case.gold) for case, a in results for bead in a.beads]
    print(f"{len(results)} edition pairs, {len(beads)} beads, held out by subject\n")
    print("| score | beads | right | accuracy |\n|---|---|---|---|")
    for low in (0.0, 0.2, 0.4, 0.6, 0.8, 0.9):
        high = {0.8: 0.9, 0.9: 1.01}.get(low, low + 0.2)
        inside = [right for score, right in beads if low <= score < high]
        if inside:
            print(
                f"| {low:.1f}–{min(high, 1.0):.1f} | {len(inside)} | {sum(inside)} | {sum(inside) / len(inside):.2f} |"
            )
    confident = [right for score, right in beads if score >= 0.8]
    print(f"\nbeads scoring 0.8 or more: {len(confident)}, right {sum(confident) / max(len(confident), 1):.3f}\n")
    print("| variant | pairs | link precision | link recall | looks like a different article |\n|---|---|---|---|---|")
    for variant in ("close", "loose", "reordered", "dropped-added", "unrelated"):
        chosen = [(c, a) for c, a in results if c.variant == variant]
        precision, recall = link_scores(chosen)
        different = sum(a.different_articles for _, a in chosen)
        print(f"| {variant} | {len(chosen)} | {precision:.2f} | {recall:.2f} | {different} of {len(chosen)} |")
    print(
        "\nloose rewrites, links of beads scoring at least:\n\n| score | link precision | link recall |\n|---|---|---|"
    )
    loose = [(c, a) for c, a in results if c.variant == "loose"]
    for threshold in (0.0, 0.5, 0.7, 0.8, 0.9):
        kept = [(c, aligner.Alignment([b for b in a.beads if b.score >= threshold], a.related)) for c, a in loose]
        precision, recall = link_scores(kept)
        print(f"| {threshold:.1f} | {precision:.2f} | {recall:.2f} |")


if __name__ == "__main__":
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--write", action="store_true", help="refit translate_flow/data/alignment.json")
    options.add_argument(
        "--translator",
        choices=["none", "apertium"],
        default="none",
        help="also measure with the originals' Apertium translations",
    )
    arguments = options.parse_args()
    main(arguments.write, arguments.translator)
