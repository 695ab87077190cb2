"""The labelled alignment set: edition pairs built from ``articles.yaml``, each with its gold beads.

Variants of each article: ``close`` (the close translation), ``loose`` (the
rewrite), ``reordered`` (the translation's last paragraph moved first),
``dropped-added`` (a paragraph and a sentence dropped, a sentence and a
paragraph of the other article on the subject added) and ``unrelated`` (the
translation of the other article on the subject: nothing may pair).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from translate_flow.model import Article
from translate_flow.sources import read_article

ARTICLES = Path(__file__).parent / "articles.yaml"
Beads = set[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass(frozen=True)
class Sentence:
    text: str
    renders: tuple[int, ...] | None  # the English sentences it translates; None: its own


@dataclass(frozen=True)
class Edition:
    title: Sentence
    summary: Sentence
    body: tuple[tuple[Sentence, ...], ...]

    @property
    def sentences(self) -> list[Sentence]:
        return [self.title, self.summary, *(s for paragraph in self.body for s in paragraph)]


@dataclass(frozen=True)
class Case:
    name: str
    subject: str
    variant: str
    source: Article
    target: Article
    gold: Beads
    translations: list[str] | None = None  # the source's machine translation, when a benchmark adds one

    @property
    def links(self) -> set[tuple[int, int]]:
        return {(i, j) for s, t in self.gold for i in s for j in t}


def _tagged(text: str) -> Sentence:
    tag, _, rest = text.partition(": ")
    return Sentence(rest, None if tag == "+" else tuple(int(n) for n in tag.split("+")))


def _edition(data: dict, tagged: bool) -> Edition:
    if tagged:
        return Edition(
            _tagged(data["title"]),
            _tagged(data["summary"]),
            tuple(tuple(_tagged(s) for s in p) for p in data["body"]),
        )
    counter = iter(range(2, 1000))
    return Edition(
        Sentence(data["title"], (0,)),
        Sentence(data["summary"], (1,)),
        tuple(tuple(Sentence(s, (next(counter),)) for s in p) for p in data["body"]),
    )


def _as_own(edition: Edition) -> Edition:
    """The same text, with no sentence translating the original: an unrelated article."""

    def strip(s: Sentence) -> Sentence:
        return Sentence(s.text, None)

    return Edition(strip(edition.title), strip(edition.summary), tuple(tuple(map(strip, p)) for p in edition.body))


def gold_beads(source_count: int, target: Edition) -> Beads:
    """Consecutive target sentences rendering the same English ones form one bead; the rest stay alone."""
    beads: Beads = set()
    used: set[int] = set()
    sentences = target.sentences
    j = 0
    while j < len(sentences):
        renders = sentences[j].renders
        k = j + 1
        while renders is not None and k < len(sentences) and sentences[k].renders == renders:
            k += 1
        beads.add((renders or (), tuple(range(j, k))))
        used |= set(renders or ())
        j = k
    return beads | {((i,), ()) for i in range(source_count) if i not in used}


def _write(folder: Path, name: str, language: str, edition: Edition) -> Article:
    path = folder / f"{name}.{language}.md"
    body = "\n\n".join(" ".join(s.text for s in paragraph) for paragraph in edition.body)
    front = (
        f"title: {json.dumps(edition.title.text, ensure_ascii=False)}\n"
        f"summary: {json.dumps(edition.summary.text, ensure_ascii=False)}\n"
        f"author: Desk\npublished: 2024-11-05T13:50:00+02:00\nlanguage: {language}\n"
    )
    path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    article = read_article(path, language)
    expected = [s.text for s in edition.sentences]
    assert [s.text for s in article.segments] == expected, f"{path}: the segmenter splits differently"
    return article


def _variants(data: dict, other: dict) -> dict[str, tuple[Edition, Edition]]:
    english, romanian = _edition(data["en"], False), _edition(data["ro"], False)
    other_romanian = _as_own(_edition(other["ro"], False))
    variants = {"close": romanian}
    if "loose" in data:
        variants["loose"] = _edition(data["loose"], True)
    body = romanian.body
    variants["reordered"] = Edition(romanian.title, romanian.summary, (body[-1], *body[:-1]))
    first, *_, last = body
    added = other_romanian.body[0]
    variants["dropped-added"] = Edition(
        romanian.title,
        romanian.summary,
        ((*first[:-1], other_romanian.body[-1][-1]), last[:-1], added),
    )
    variants["unrelated"] = other_romanian
    return {name: (english, edition) for name, edition in variants.items()}


def cases(folder: Path) -> list[Case]:
    """Every edition pair of the set, written under ``folder``."""
    articles = yaml.safe_load(ARTICLES.read_text(encoding="utf-8"))
    result = []
    for slug, data in articles.items():
        other = next(d for s, d in articles.items() if s != slug and d["subject"] == data["subject"])
        for variant, (english, romanian) in _variants(data, other).items():
            source = _write(folder, slug, "en", english)
            target = _write(folder, f"{slug}-{variant}", "ro", romanian)
            gold = gold_beads(len(english.sentences), romanian)
            result.append(Case(f"{slug} {variant}", data["subject"], variant, source, target, gold))
    return result


def edition_cases() -> list[Case]:
    """The gold alignments of ``tests/editions/`` (and the sample), as one more subject of the set."""
    repo = Path(__file__).resolve().parent.parent.parent
    editions = repo / "tests" / "editions"
    result = []
    for name, pairs in json.loads((editions / "gold.json").read_text(encoding="utf-8")).items():
        if " " not in name:
            continue
        slug, source, target = name.split()
        base = repo / "sources" if (repo / "sources" / source / f"{slug}.md").exists() else editions
        articles = [read_article(base / language / f"{slug}.md", language) for language in (source, target)]
        gold = {(tuple(s), tuple(t)) for s, t in pairs}
        result.append(Case(name, "editions", "close", *articles, gold))
    return result
