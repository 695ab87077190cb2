"""A newsroom project of generated, news-like articles, for the scale benchmarks.

    .venv/bin/python benchmarks/newsroom.py DIR [--articles 1000] [--seed 1]

Each article has front matter (title, summary), a few headings and paragraphs of
about 25 sentences in all, with emphasis, links and inline code, like the wire
copy a newsroom publishes. The project targets three locales (ro, de, fr).
Same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CONFIG = """\
[project]
name = "newsroom"
version = "2024.11"
source_language = "en"

[targets]
en = ["ro", "de", "fr"]

[catalogs]
fuzzy_threshold = 80
"""

SUBJECTS = [
    "The finance minister",
    "NATO's secretary general",
    "The city council",
    "European Commission president Ursula von der Leyen",
    "The central bank",
    "Opposition leaders",
    "A spokesperson for the ministry",
    "Health officials",
    "The prime minister of The Netherlands",
    "Farmers in the east of the country",
]
VERBS = ["said", "warned", "announced", "confirmed", "denied", "argued", "promised on Monday", "told reporters"]
CLAIMS = [
    "that the budget would be approved before the end of the year",
    "that talks with Washington had made real progress",
    "that prices of energy would stay high through the winter",
    "that the new rules would take effect on 1st October",
    "that the alliance stays united whoever wins the elections",
    "that the deployment was a significant escalation of the war",
    "that almost 21 billion euros had been spent in the first part of 2024",
    "that the investigation would be published in full",
    "that schools would reopen after the storm",
    "that the deal protects jobs in the steel industry",
]
TAILS = [
    "",
    ", according to a statement",
    " in Brussels",
    " after a meeting in Berlin",
    ", citing figures from the statistics office",
    " in an interview with *Reuters*",
    " on [the official website](https://example.org/news)",
    ", quoting the `2024-11` report",
]
HEADINGS = ["Reactions", "What happens next", "Background", "The numbers", "Analysis"]


def sentence(rng: random.Random, serial: int) -> str:
    """One distinct sentence: the serial number keeps sentences of different articles apart."""
    claim = rng.choice(CLAIMS).replace("the", f"the {serial}", 1) if rng.random() < 0.5 else rng.choice(CLAIMS)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {claim}{rng.choice(TAILS)} (ref. {serial})."


def article(rng: random.Random, number: int) -> str:
    """The Markdown of article ``number``: about 23 body sentences, a title and a summary."""
    serial = number * 100
    title = f"Story {number}: {rng.choice(SUBJECTS)} {rng.choice(VERBS)}"
    summary = sentence(rng, serial)
    lines = [
        "---",
        f'title: "{title}"',
        f'summary: "{summary}"',
        "author: Newsroom Desk",
        f"published: 2024-11-{1 + number % 28:02d}T{number % 24:02d}:30:00+02:00",
        "language: en",
        "---",
        "",
    ]
    for block in range(rng.randint(5, 7)):
        if block and rng.random() < 0.5:
            lines += [f"## {rng.choice(HEADINGS)}", ""]
        sentences = [sentence(rng, serial + block * 10 + i) for i in range(rng.randint(3, 5))]
        lines += [" ".join(sentences), ""]
    return "\n".join(lines)


def make_project(folder: Path, articles: int, seed: int = 1) -> Path:
    """Write ``translate-flow.toml`` and ``sources/en/story-N.md`` under ``folder``."""
    rng = random.Random(seed)
    sources = folder / "sources" / "en"
    sources.mkdir(parents=True, exist_ok=True)
    (folder / "translate-flow.toml").write_text(CONFIG)
    for number in range(articles):
        (sources / f"story-{number:06d}.md").write_text(article(rng, number))
    return folder


def edit_one_sentence(folder: Path, number: int) -> None:
    """Change one word of one body sentence of article ``number``, as an editor would."""
    path = folder / "sources" / "en" / f"story-{number:06d}.md"
    text = path.read_text()
    body = text.index("\n---\n") + 5
    marker = text.index(" (ref. ", body)
    path.write_text(text[:marker] + " today" + text[marker:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    make_project(options.folder, options.articles, options.seed)
    print(f"{options.articles} articles in {options.folder}")


if __name__ == "__main__":
    main()
