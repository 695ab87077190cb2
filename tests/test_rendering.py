"""rendering.py: what a translator's msgstr becomes in the localized Markdown and HTML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from translate_flow.markdown import body_pieces
from translate_flow.model import MERGED, Article, Translation
from translate_flow.rendering import format_published, localize
from translate_flow.sources import read_article

FRONT_MATTER = "---\ntitle: T\n---\n"
SAMPLE = Path(__file__).parent.parent / "sources" / "en" / "nato-must-stay-united.md"


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


def test_a_translated_title_fills_the_front_matter_with_the_state_of_the_translation():
    """A line break in a title's msgstr becomes a space; the front matter says the locale and the shares."""
    sample = read_article(SAMPLE, "en")
    msgstrs = {"NATO must stay united": Translation("NATO trebuie\nsă rămână unită")}
    localized = localize(sample, "ro", lambda segment: msgstrs.get(segment.text))
    front_matter = localized.markdown().split("---\n")[1]
    assert front_matter.startswith('title: "NATO trebuie să rămână unită"\nsummary: "NATO must stay united – is')
    assert front_matter.endswith(
        "language: ro\n"
        "translation:\n"
        "  locale: ro\n"
        "  source_language: en\n"
        "  reviewed_percent: 5.9\n"
        "  unreviewed_percent: 0.0\n"
        "  fallback_percent: 94.1\n"
    )
    assert localized.field_text("title") == ("NATO trebuie să rămână unită", False)
    assert localized.field_text("summary")[1] is True  # shown in English


def test_a_translation_keeps_the_sources_own_emphasis_characters():
    localized = translated("A _b_ and __c__ d.\n", "X <1>b</1> și <2>c</2> y.")
    assert body_of(localized.markdown()) == "X _b_ și __c__ y.\n"


def test_a_literal_asterisk_joined_to_a_closing_run_keeps_the_sources_emphasis():
    """In **NATO* *Dr.** one * of the last run closes and one is literal: escaping it would pair them otherwise."""
    source = "**NATO* *Dr.**.\n"
    assert article(source).segments[0].text == "<1><2>NATO</2> *Dr.</1>*."
    localized = translated(source, "<1><2>NATO</2> *Dr. med.</1>*.")
    assert localized.problems == []
    assert body_of(localized.markdown()) == "**NATO* \\*Dr. med.**.\n"
    assert "<em><em>NATO</em> *Dr. med.</em>" in localized.body_html()


def test_a_literal_asterisk_joined_to_an_opening_run_keeps_the_sources_emphasis():
    source = "Berlin***NATO*s*.\n"
    assert article(source).segments[0].text == "Berlin*<1><2>NATO</2>s</1>."
    localized = translated(source, "Berlinul*<1><2>NATO</2>ului</1>.")
    assert localized.problems == []
    assert body_of(localized.markdown()) == "Berlinul***NATO*ului*.\n"
    assert "<p>Berlinul*<em><em>NATO</em>ului</em>.</p>" in localized.body_html()


def test_a_literal_asterisk_that_would_leave_its_emphasis_falls_back_to_the_source():
    """0<strong>*0</strong> has no CommonMark: 0**\\*0** cannot open, and 0***0** reads 0*<strong>0</strong>."""
    source = "A **b** c.\n"
    localized = translated(source, "0<1>*0</1>")
    assert body_of(localized.markdown()) == source  # the page and the file both show the source, and say why
    assert "<strong>b</strong>" in localized.body_html()
    assert len(localized.problems) == 1


@pytest.mark.parametrize(
    ("locale", "notice"),
    [
        ("ro", "Această traducere nu a fost încă revizuită."),
        ("de_AT", "Diese Übersetzung wurde noch nicht geprüft."),
        ("fr", "Cette traduction n’a pas encore été relue."),
        ("pt_BR", "This translation has not been reviewed yet."),  # no notice in Portuguese: English
    ],
)
def test_an_unreviewed_translation_says_so_in_the_readers_language(locale, notice):
    unreviewed = localize(article("Hello world.\n"), locale, lambda segment: Translation("Salut.", fuzzy=True))
    assert body_of(unreviewed.markdown()) == f"*{notice}*\n\nSalut.\n"
    assert "  reviewed_percent: 0.0\n  unreviewed_percent: 100.0\n" in unreviewed.markdown()
    reviewed = localize(article("Hello world.\n"), locale, lambda segment: Translation("Salut."))
    assert body_of(reviewed.markdown()) == "Salut.\n"


@pytest.mark.parametrize("fuzzy", [False, True])
def test_a_sentence_merged_into_the_one_before_leaves_no_gap(fuzzy):
    """msgstr "^": its words are in the previous sentence's translation; the space before it goes too.

    A merge that is only a suggestion (fuzzy) makes the page unreviewed, like any other."""
    msgstrs = {"Hello world.": Translation("Salut lume, pa."), "Bye now.": Translation(MERGED, fuzzy=fuzzy)}
    localized = localize(article("Hello world. Bye now.\n"), "ro", lambda segment: msgstrs.get(segment.text))
    notice = "*Această traducere nu a fost încă revizuită.*\n\n" if fuzzy else ""
    assert body_of(localized.markdown()) == f"{notice}Salut lume, pa.\n"
    assert localized.body_html() == "<p>Salut lume, pa.</p>\n"


@pytest.mark.parametrize(
    "head",
    [None, Translation("Era la <1>Berlin azi, pa."), Translation("Era la <1>Berlin</1> <1>azi</1>, pa.")],
    ids=["untranslated", "placeholder-missing", "placeholder-repeated"],
)
def test_a_merged_sentence_whose_head_shows_its_source_shows_its_own(head):
    """The merged sentence's words were in its head's translation: when that is not shown, neither text is lost."""
    msgstrs = {"He was in <1>Berlin</1> today.": head, "Bye now.": Translation(MERGED)}
    localized = localize(article("He was in *Berlin* today. Bye now.\n"), "ro", lambda s: msgstrs.get(s.text))
    assert body_of(localized.markdown()) == "He was in *Berlin* today. Bye now.\n"
    html = localized.body_html()
    assert html == '<p><span lang="en" dir="ltr" data-fallback>He was in <em>Berlin</em> today. Bye now.</span></p>\n'


@pytest.mark.parametrize(("translated_title", "language"), [(True, '"ro"'), (False, '"en"')])
def test_the_language_field_names_the_translation_only_when_something_is_translated(
    tmp_path, translated_title, language
):
    """A quoted field stays quoted; a page shown wholly in the source language says so."""
    quoted = tmp_path / "a.md"
    quoted.write_text(SAMPLE.read_text(encoding="utf-8").replace("language: en", 'language: "en"'), encoding="utf-8")
    sample = read_article(quoted, "en")
    title = Translation("NATO trebuie să rămână unită")
    localized = localize(
        sample, "ro", lambda segment: title if translated_title and segment.location == "title" else None
    )
    assert f"\nlanguage: {language}\ntranslation:\n  locale: ro\n" in localized.markdown()


def test_underscore_emphasis_inside_a_word_is_rewritten_with_asterisks():
    """Languages written without spaces put emphasis inside a word, where CommonMark reads only * as emphasis."""
    localized = translated("A _b_ c.\n", "甲<1>乙</1>丙。", "zh")
    assert localized.problems == []
    assert body_of(localized.markdown()) == "甲*乙*丙。\n"
    assert localized.body_html() == "<p>甲<em>乙</em>丙。</p>\n"


def test_the_byline_joins_date_and_time_as_the_locale_does():
    """Portuguese joins them with a space, English with a comma: the pattern is the reader's locale's."""
    moment = datetime.fromisoformat("2024-11-05T23:30:00-05:00")
    assert format_published(moment, "pt_BR") == "5 de novembro de 2024 23:30"
    assert format_published(moment, "en") == "November 5, 2024, 11:30\u202fPM"
