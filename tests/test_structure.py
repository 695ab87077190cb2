"""structure.py: a translation that changes the Markdown's markup is named by its own file:line, and only it."""

from __future__ import annotations

import pytest

from translate_flow.markdown import parser
from translate_flow.model import MERGED, Translation
from translate_flow.rendering import localize
from translate_flow.structure import MESSAGE, signature

from .test_rendering import article

BODY = "He was in *Berlin* today. She was in *Paris* today.\n"
PARIS = Translation("Ea a fost la <1>Paris</1> azi.", path="ro.po", line=11)


def test_only_the_entry_that_breaks_the_markup_is_named_and_shown_in_the_source_language():
    # "*" between a letter and a quotation mark opens nothing: CommonMark's flanking rules.
    translations = {
        "He was in <1>Berlin</1> today.": Translation("A fost la<1>„Berlin”</1>azi.", path="ro.po", line=7),
        "She was in <1>Paris</1> today.": PARIS,
    }
    localized = localize(article(BODY), "ro", lambda segment: translations.get(segment.text))
    assert [(p.path, p.line, p.message) for p in localized.problems] == [("ro.po", 7, MESSAGE)]
    assert localized.body_html() == (
        '<p><span lang="en" dir="ltr" data-fallback>He was in <em>Berlin</em> today.</span>'
        " Ea a fost la <em>Paris</em> azi.</p>\n"
    )


def test_a_sentence_merged_into_the_broken_one_is_not_blamed():
    translations = {
        "He was in <1>Berlin</1> today.": Translation("A fost la<1>„Berlin”</1>azi.", path="ro.po", line=7),
        "Bye now.": Translation(MERGED, path="ro.po", line=9),
    }
    localized = localize(article("He was in *Berlin* today. Bye now.\n"), "ro", lambda s: translations.get(s.text))
    assert [(p.path, p.line) for p in localized.problems] == [("ro.po", 7)]


def test_a_translation_that_keeps_the_markup_is_no_problem():
    translations = {"She was in <1>Paris</1> today.": PARIS}
    assert localize(article(BODY), "ro", lambda segment: translations.get(segment.text)).problems == []


@pytest.mark.parametrize(
    ("source", "translated"),
    [
        ("He was in *Berlin*.\n", "A fost la *Berlin*, azi.\n"),
        ("One\ntwo.\n", "Unu doi.\n"),  # a line break in text is text
        ("A [link](/x) and `code`.\n\n- item\n", "Un [link](/x) și `code`.\n\n- element\n"),
    ],
)
def test_text_is_not_markup(source, translated):
    assert signature(parser().parse(source)) == signature(parser().parse(translated))


@pytest.mark.parametrize(
    ("source", "changed"),
    [
        ("A *b* c.\n", "A **b** c.\n"),
        ("A [link](/x).\n", "A [link](/y).\n"),
        ("A `code` here.\n", "A `cod` here.\n"),
        ("    code block\n", "    cod block\n"),
        ("```py\nx = 1\n```\n", "```py\nx = 2\n```\n"),
        ("```py\nx = 1\n```\n", "```js\nx = 1\n```\n"),
        ("A <b>b</b> c.\n", "A <i>b</i> c.\n"),
        ("<div>x</div>\n", "<div>y</div>\n"),
        ("1. one\n", "3. one\n"),
    ],
)
def test_markup_urls_code_and_html_are_markup(source, changed):
    assert signature(parser().parse(source)) != signature(parser().parse(changed))
