"""Fuzzy translation-memory look-ups: translate-flow's index, a linear rapidfuzz scan, translate-toolkit's matcher.

    .venv/bin/python benchmarks/tm_lookup.py [--units 100000] [--queries 400] [--repeats 3]

A memory of ``--units`` reviewed sentences (seeded, Zipf-distributed words, 6-30 words
each) is written as one PO file and indexed the way ``translate`` does it (cold: parsed and
built; warm: the cache in ``.translate-flow/`` found current). Half the queries are near
duplicates of a memory sentence (one or two words replaced, added or dropped), half are new
sentences from the same vocabulary. Three ways answer the same queries, interleaved, each
``--repeats`` times:

- index: ``TmIndex.best`` (inverted word index for candidates, rapidfuzz for scores);
- scan: the same scores computed for every unit with ``rapidfuzz.process.cdist``;
- pot2po --tm: translate-toolkit's ``match.matcher``, which ``pot2po --tm`` uses per unit,
  on the first ``--toolkit-queries`` queries (it is slow: a full run would take hours).

Reported: look-ups per second (median and range), ratios in the same run, and how often the
index's answer equals the scan's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate_flow.memory import TranslationMemory

SEED = 13
THRESHOLD = 75


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice("abcdefghijklmnoprstuvz") for _ in range(rng.randint(2, 10))))
    return sorted(words)


def sentence(words: list[str], weights: list[float], rng: random.Random) -> str:
    chosen = rng.choices(words, weights, k=rng.randint(6, 30))
    return " ".join(chosen).capitalize() + "."


def near_duplicate(text: str, words: list[str], rng: random.Random) -> str:
    tokens = text[:-1].split()
    for _ in range(rng.randint(1, 2)):
        where = rng.randrange(len(tokens))
        change = rng.choice(("replace", "add", "drop"))
        if change == "replace":
            tokens[where] = rng.choice(words)
        elif change == "add":
            tokens.insert(where, rng.choice(words))
        elif len(tokens) > 6:
            del tokens[where]
    return " ".join(tokens) + "."


def build_memory(units: int, rng: random.Random) -> tuple[list[str], list[str], list[float]]:
    words = vocabulary(30_000, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    sources = list(dict.fromkeys(sentence(words, weights, rng) for _ in range(units)))
    return sources, words, weights


def write_po(path: Path, sources: list[str]) -> None:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ro"}
    for number, source in enumerate(sources):
        po.append(polib.POEntry(msgid=source, msgstr=f"[ro {number}] {source}"))
    po.save(str(path))


def timed(lookup, queries: list[str]) -> tuple[float, list]:
    start = time.perf_counter()
    answers = [lookup(query) for query in queries]
    return len(queries) / (time.perf_counter() - start), answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--toolkit-queries", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(SEED)
    sources, words, weights = build_memory(args.units, rng)
    queries = [
        near_duplicate(rng.choice(sources), words, rng) if number % 2 == 0 else sentence(words, weights, rng)
        for number in range(args.queries)
    ]
    folder = Path(tempfile.mkdtemp(prefix="tm-bench-"))
    catalog = folder / "locales" / "ro" / "archive.po"
    catalog.parent.mkdir(parents=True)
    write_po(catalog, sources)
    print(f"memory: {len(sources):,} reviewed units, {len(words):,}-word vocabulary; {len(queries)} queries")

    memory = TranslationMemory(folder / ".translate-flow" / "tm", THRESHOLD)
    start = time.perf_counter()
    memory.add_locale("ro", [(catalog, "locales/ro/archive.po")])
    cold = time.perf_counter() - start
    memory.close()
    memory = TranslationMemory(folder / ".translate-flow" / "tm", THRESHOLD)
    start = time.perf_counter()
    memory.add_locale("ro", [(catalog, "locales/ro/archive.po")])
    warm = time.perf_counter() - start
    index = memory._indexes["ro"]
    print(f"index: built in {cold:.1f} s (PO parsed); opened from the cache in {warm:.2f} s")

    from translate.search import match
    from translate.storage import factory

    store = factory.getobject(str(catalog))
    toolkit = match.matcher(store, max_candidates=1, min_similarity=THRESHOLD, max_length=1000)
    few = queries[: args.toolkit_queries]
    ways = {
        "index": (lambda q: index.best(q, THRESHOLD), queries),
        "scan": (lambda q: index.scan(q, THRESHOLD), queries),
        "pot2po --tm": (toolkit.matches, few),
    }
    rates: dict[str, list[float]] = {name: [] for name in ways}
    answers: dict[str, list] = {}
    for _ in range(args.repeats):  # interleaved: each repeat runs every way once
        for name, (lookup, asked) in ways.items():
            rate, answers[name] = timed(lookup, asked)
            rates[name].append(rate)
    same = sum(a == b for a, b in zip(answers["index"], answers["scan"], strict=True))
    found = sum(a is not None for a in answers["index"])
    toolkit_found = sum(bool(a) for a in answers["pot2po --tm"])
    best = statistics.median(rates["index"])
    print("\n| way | look-ups/s (median) | range | index is |\n|---|---|---|---|")
    for name, values in rates.items():
        ratio = best / statistics.median(values)
        print(f"| {name} | {statistics.median(values):,.1f} | {min(values):,.1f}–{max(values):,.1f} | {ratio:,.1f}× |")
    print(f"\nindex = scan on {same}/{len(queries)} queries; {found} matched at ≥ {THRESHOLD}%")
    print(f"pot2po --tm: {len(few)} queries (of the same list), {toolkit_found} matched at ≥ {THRESHOLD}%")


if __name__ == "__main__":
    main()
