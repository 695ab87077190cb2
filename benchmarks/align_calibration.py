"""Fit the aligner's model on the labelled set and measure it, cross-validated by subject.

    .venv/bin/python benchmarks/align_calibration.py          # measure, print the tables
    .venv/bin/python benchmarks/align_calibration.py --write  # also refit translate_flow/data/alignment.json

Each fold holds out one subject (nato, floods, inflation, and the editions of tests/editions/): the model is fitted on
the other two and scored on it, so every figure is on articles the fit never saw.
The committed coefficients are then fitted on the whole set.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

import numpy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.alignment.devset import Case, cases, edition_cases  # noqa: E402
from translate_flow import align as aligner  # noqa: E402

MODEL = REPO / "translate_flow" / "data" / "alignment.json"
FEATURES = json.loads(MODEL.read_text(encoding="utf-8"))["features"]
BONUSES = [x / 2 for x in range(0, 13)]
CUTS = [x / 2 for x in range(-8, 3)]
PRECISION = 0.95  # the link bonus is the most generous one that keeps this precision on the training folds


def candidates(case: Case, first_pass: aligner.Alignment | None) -> tuple[list[list[float]], list[int]]:
    """Features and labels of every 1:1, 1:2 and 2:1 bead within the title, the summary and the body.

    With ``first_pass``, a bead that fills the gap between two of its links is marked so.
    """
    left, right = aligner._sentences(case.source.segments, None), aligner._sentences(case.target.segments, None)
    names = {n for s in left for n in s.names} & {n for s in right for n in s.names}
    ratio = max(sum(s.length for s in right), 1) / max(sum(s.length for s in left), 1)
    rows, labels = [], []
    left_runs, right_runs = dict(aligner._runs(case.source.segments)), dict(aligner._runs(case.target.segments))
    for name, a in left_runs.items():
        b = right_runs.get(name, [])
        ends, starts = set(), set()
        for bead in first_pass.beads if first_pass else []:
            if bead.source and bead.target and bead.source[0] in a:
                starts.add((a.index(bead.source[0]), b.index(bead.target[0])))
                ends.add((a.index(bead.source[-1]) + 1, b.index(bead.target[-1]) + 1))
        for di, dj in aligner.SHAPES:
            for i in range(len(a) - di + 1):
                for j in range(len(b) - dj + 1):
                    centre = abs((i + di / 2) / len(a) - (j + dj / 2) / len(b))
                    sides = [left[k] for k in a[i : i + di]], [right[k] for k in b[j : j + dj]]
                    between = (i, j) in ends and (i + di, j + dj) in starts
                    rows.append(aligner.features(*sides, centre, ratio, names, between))
                    labels.append(int((tuple(a[i : i + di]), tuple(b[j : j + dj])) in case.gold))
    return rows, labels


def logistic_fit(x: numpy.ndarray, y: numpy.ndarray, l2: float = 0.1) -> numpy.ndarray:
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
    return w


def run(model: dict, training: list[Case]) -> list[tuple[Case, aligner.Alignment]]:
    aligner.coefficients.cache_clear()
    original = aligner.coefficients
    aligner.coefficients = lambda: model  # type: ignore[assignment]
    try:
        return [(case, aligner.align(case.source, case.target)) for case in training]
    finally:
        aligner.coefficients = original


def link_scores(results) -> tuple[float, float]:
    """Precision and recall of sentence links (pairs of sentences in one bead)."""
    found = gold = right = 0
    for case, alignment in results:
        links = {(i, j) for bead in alignment.beads for i in bead.source for j in bead.target}
        found, gold, right = found + len(links), gold + len(case.links), right + len(links & case.links)
    return right / max(found, 1), right / max(gold, 1)


def fit_weights(training: list[Case], first_passes: list | None) -> list[float]:
    rows, labels = [], []
    for index, case in enumerate(training):
        r, y = candidates(case, first_passes[index] if first_passes else None)
        rows += r
        labels += y
    return [round(float(w), 4) for w in logistic_fit(numpy.array(rows), numpy.array(labels, dtype=float))]


def fit(training: list[Case]) -> dict:
    model = {"features": FEATURES, "weights": fit_weights(training, None), "link_bonus": 0.0, "unlink_below": 0.0}
    model |= _identity()
    # The first pass of the aligner runs with the wedge feature off: its links place the wedges.
    first_passes = [alignment for _, alignment in run(model, training)]
    model = {"features": FEATURES, "weights": fit_weights(training, first_passes)}

    def quality(setting: tuple[float, float]) -> tuple[bool, float, float]:
        bonus, cut = setting
        precision, recall = link_scores(
            run({**model, "link_bonus": bonus, "unlink_below": cut, **_identity()}, training)
        )
        return precision >= PRECISION, recall, precision

    model["link_bonus"], model["unlink_below"] = max(((b, c) for b in BONUSES for c in CUTS), key=quality)
    results = run({**model, **_identity()}, training)
    link_x, link_y, skip_x, skip_y = [], [], [], []
    for case, alignment in results:
        scorer_free = _raw_scores(case, alignment, model)
        for bead, raw in zip(alignment.beads, scorer_free, strict=True):
            right = (bead.source, bead.target) in case.gold
            (link_x if bead.source and bead.target else skip_x).append(raw)
            (link_y if bead.source and bead.target else skip_y).append(right)
    for name, x, y in (("link_calibration", link_x, link_y), ("skip_calibration", skip_x, skip_y)):
        design = numpy.column_stack([numpy.ones(len(x)), numpy.array(x)])
        intercept, slope = logistic_fit(design, numpy.array(y, dtype=float), l2=0.01)
        model[name] = [round(float(slope), 4), round(float(intercept), 4)]
    return model


def _identity() -> dict:
    """Calibrations that pass the raw log-odds through: score = sigmoid(log-odds)."""
    return {"link_calibration": [1.0, 0.0], "skip_calibration": [1.0, 0.0]}


def _raw_scores(case: Case, alignment: aligner.Alignment, model: dict) -> list[float]:
    """Each bead's log-odds before calibration, recovered from its identity-calibrated score."""
    return [math.log(max(b.score, 1e-3) / max(1 - b.score, 1e-3)) for b in alignment.beads]


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


if __name__ == "__main__":
    main("--write" in sys.argv[1:])
