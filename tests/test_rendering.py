"""rendering.py: what a translator's msgstr becomes in the localized Markdown and HTML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from translate_flow.markdown import body_pieces
from translate_flow.model import Article, Translation
from translate_flow.rendering import localize

FRONT_MATTER = "---\ntitle: T\n---\n"


def article(body: str, language: str = "en") -> Article:
    pieces = (FRONT_MATTER, *body_pieces(body, language, 0, lambda offset: 1))
    return Article("x", Path("x.md"), language, pieces, 1, "A", datetime(2024, 1, 1), "T")


def body_of(markdown: str) -> str:
    return markdown.split("---\n", 2)[2]


def translated(body: str, msgstr: str, locale: str = "ro"):
    return localize(article(body), locale, lambda segment: Translation(msgstr))


@pytest.mark.parametrize("entity", ["&#10;", "&#13;", "&#9;"])
def test_whitespace_a_translator_wrote_as_an_entity_stays_one(entity):
    """A raw line break could end the paragraph, a tab could open a code block; a lost one would join words."""
    localized = translated("Hello world.\n", f"Salut{entity}lume.")
    assert body_of(localized.markdown()) == f"Salut{entity}lume.\n"
    assert localized.problems == []


def test_a_repeated_placeholder_is_a_problem_and_falls_back():
    localized = translated("He was in *Berlin*.\n", "<1>Berlin</1> și <1>Berlin</1>.")
    assert [p.message for p in localized.problems] == ["placeholder <1>, </1> repeated in the translation"]
    assert body_of(localized.markdown()) == "He was in *Berlin*.\n"


def test_a_fallback_passage_names_its_language_as_html_wants_it():
    source = localize(article("Olá mundo.\n", "pt_BR"), "ro", lambda segment: None)
    assert '<span lang="pt-BR" dir="ltr" data-fallback>Olá mundo.</span>' in source.body_html()


def test_a_lost_placeholder_is_a_problem_and_falls_back():
    localized = translated("He was in *Berlin*.\n", "Er war in Berlin.")
    assert [p.message for p in localized.problems] == ["placeholder <1>, </1> missing in the translation"]
    assert body_of(localized.markdown()) == "He was in *Berlin*.\n"


def test_placeholders_closed_out_of_order_are_a_problem_and_fall_back():
    source = "A *b **c** d* e.\n"
    assert article(source).segments[0].text == "A <1>b <2>c</2> d</1> e."
    localized = translated(source, "A <1>b <2>c</1> d</2> e.")
    assert [p.message for p in localized.problems] == ["placeholder </1> closes out of order"]
    assert body_of(localized.markdown()) == source
