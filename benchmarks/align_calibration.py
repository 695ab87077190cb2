"""Fit the aligner's model on the labelled set and measure it, cross-validated by subject.

    .venv/bin/python benchmarks/align_calibration.py          # measure, print the tables
    .venv/bin/python benchmarks/align_calibration.py --write  # also refit translate_flow/data/alignment.json

Each fold holds out one subject (nato, floods, inflation, energy, and the editions of tests/editions/): the model is
fitted on the others and scored on it, so every figure is on articles the fit never saw.
The committed coefficients are then fitted on the whole set.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.alignment.devset import Case, cases, edition_cases  # noqa: E402
from translate_flow import align as aligner  # noqa: E402

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
]
CONTEXT = ["between_first_pass_links", "bodies_linked_by_first_pass"]
BONUSES = [float(x) for x in range(7)]
CUTS = [x / 4 for x in range(-8, 3)]
NO_SWAPS = 1000.0  # a penalty no pair of links outweighs
SWAP_PENALTIES = [NO_SWAPS, 4.0, 2.0, 0.0]  # tried after the bonus and cut: swapped neighbours are the exception
FIRST_PRECISION = 0.98  # the first pass places anchors: it must be right
PRECISION = 0.95  # the second pass takes the most generous link bonus that keeps this precision in training


def using(model: dict):
    """Make the aligner use ``model`` instead of the committed coefficients."""
    aligner.coefficients = lambda: model  # type: ignore[assignment]


def candidates(case: Case, with_context: bool) -> tuple[list[list[float]], list[int]]:
    """Features and labels of every 1:1, 1:2 and 2:1 bead, for the first pass or (the first pass fitted) the second."""
    rows, labels = [], []
    for a, b, scorer, _ in aligner.passes(case.source, case.target):
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


def run(model: dict, chosen: list[Case]) -> list[tuple[Case, aligner.Alignment]]:
    using(model)
    return [(case, aligner.align(case.source, case.target)) for case in chosen]


def link_scores(results) -> tuple[float, float]:
    """Precision and recall of sentence links (pairs of sentences in one bead)."""
    found = gold = right = 0
    for case, alignment in results:
        links = {(i, j) for bead in alignment.beads for i in bead.source for j in bead.target}
        found, gold, right = found + len(links), gold + len(case.links), right + len(links & case.links)
    return right / max(found, 1), right / max(gold, 1)


def _stage_fit(model: dict, stage: str, training: list[Case], precision: float) -> None:
    rows, labels = [], []
    for case in training:
        r, y = candidates(case, stage == "second_pass")
        rows += r
        labels += y
    weights = logistic_fit(numpy.array(rows), numpy.array(labels, dtype=float))
    if stage == "first_pass":  # the first pass has no context: its model also stands in for the second's
        model["first_pass"] = {"weights": weights}
        model["second_pass"] = {"weights": [*weights, 0.0, 0.0]}
    else:
        model["second_pass"] = {"weights": weights}

    def quality(setting: tuple[float, float, float]) -> tuple[bool, float, float]:
        model[stage] |= {"link_bonus": setting[0], "unlink_below": setting[1], "swap_penalty": setting[2]}
        if stage == "first_pass":
            model["second_pass"] |= model["first_pass"] | {"weights": [*weights, 0.0, 0.0]}
        found_precision, recall = link_scores(run(model, training))
        return found_precision >= precision, recall, found_precision

    bonus, cut, _ = max(((b, c, NO_SWAPS) for b in BONUSES for c in CUTS), key=quality)
    quality(max(((bonus, cut, penalty) for penalty in SWAP_PENALTIES), key=quality))


def fit(training: list[Case]) -> dict:
    model: dict = {"features": FEATURES, "context_features": CONTEXT, **_identity()}
    settings = {"link_bonus": 0.0, "unlink_below": 0.0, "swap_penalty": NO_SWAPS}
    model["first_pass"] = {"weights": [0.0] * len(FEATURES), **settings}
    model["second_pass"] = {"weights": [0.0] * (len(FEATURES) + 2), **settings}
    using(model)
    _stage_fit(model, "first_pass", training, FIRST_PRECISION)
    _stage_fit(model, "second_pass", training, PRECISION)
    link_rows, link_y, skip_rows, skip_y = [], [], [], []
    for case in training:
        for a, b, scorer, chain in aligner.passes(case.source, case.target):
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


def main(write: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="align-devset-"))
    everything = cases(folder) + edition_cases()
    subjects = sorted({case.subject for case in everything})
    held_out = []
    for subject in subjects:
        model = fit([c for c in everything if c.subject != subject])
        held_out += run(model, [c for c in everything if c.subject == subject])
    report(held_out)
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
    main("--write" in sys.argv[1:])
