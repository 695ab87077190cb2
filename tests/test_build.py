"""build: localized Markdown and HTML from the catalogs."""

from __future__ import annotations

import re

import html5lib
import pytest
from html5lib.html5parser import ParseError

from translate_flow.pipeline import Project
from translate_flow.rendering import format_published

from .conftest import SAMPLE, msgid_line, po_path
from .test_catalogs import edit_source, translate

TITLE = "NATO must stay united"
BERLIN = "He was in Berlin for talks with German chancellor Olaf Scholz."


def parse_html(text: str):
    """Parse with html5lib in strict mode: any HTML5 parse error fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def output(project: Project, locale: str, suffix: str) -> str:
    return (project.root / "dist" / locale / f"{SAMPLE}{suffix}").read_text(encoding="utf-8")


def test_build_writes_markdown_and_html_for_every_locale(project: Project):
    report = project.run()
    for locale in ("en", "ro", "de", "fr"):
        assert f"dist/{locale}/{SAMPLE}.md" in report.written
        assert f"dist/{locale}/{SAMPLE}.html" in report.written
    assert report.problems == []


def test_reviewed_translations_are_used_and_others_fall_back(project: Project):
    project.run()
    translate(po_path(project.root, "ro"), {TITLE: "NATO trebuie să rămână unită"})
    translate(po_path(project.root, "ro"), {BERLIN: "A fost la Berlin."}, fuzzy=True)
    project.build()
    markdown = output(project, "ro", ".md")
    assert 'title: "NATO trebuie să rămână unită"\n' in markdown
    assert "language: ro\n" in markdown
    assert BERLIN in markdown  # fuzzy: not used by default
    page = output(project, "ro", ".html")
    assert "<title>NATO trebuie să rămână unită</title>" in page
    # its paragraph falls back whole: one span, the sentence inside it
    assert re.search(f'<span lang="en" dir="ltr" data-fallback>[^<]*{re.escape(BERLIN)}[^<]*</span>', page)
    assert "<h1>NATO trebuie să rămână unită</h1>" in page


def test_include_fuzzy_uses_unreviewed_translations(project: Project):
    project.run()
    translate(po_path(project.root, "ro"), {BERLIN: "A fost la Berlin."}, fuzzy=True)
    project.build(include_fuzzy=True)
    assert "A fost la Berlin." in output(project, "ro", ".md")
    assert "A fost la Berlin." in output(project, "ro", ".html")


def test_html_is_valid_with_lang_dir_title_and_alternates(project: Project):
    project.run()
    page = output(project, "de", ".html")
    document = parse_html(page)
    root = document.getroot() if hasattr(document, "getroot") else document
    assert root.get("lang") == "de"
    assert root.get("dir") == "ltr"
    assert root.find("head/title").text == TITLE
    alternates = {link.get("hreflang"): link.get("href") for link in root.iter("link") if link.get("hreflang")}
    assert alternates == {
        "de": f"../de/{SAMPLE}.html",
        "en": f"../en/{SAMPLE}.html",
        "fr": f"../fr/{SAMPLE}.html",
        "ro": f"../ro/{SAMPLE}.html",
        "x-default": f"../en/{SAMPLE}.html",
    }
    assert len(root.findall(".//article/p")) == 4  # the body's paragraphs
    assert len(root.findall(".//article/header/p")) == 3  # the fallback notice, summary, byline


def test_right_to_left_locale(project_dir):
    config = project_dir / "translate-flow.toml"
    config.write_text(config.read_text().replace('en = ["ro", "de", "fr"]', 'en = ["ro", "de", "fr", "ar"]'))
    project = Project(project_dir)
    project.run()
    root = parse_html(output(project, "ar", ".html"))
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")


def test_a_translators_markup_is_escaped_text(project: Project):
    project.run()
    evil = '<script>alert("x")</script> & <b>bold</b> <https://evil.example>'
    translate(po_path(project.root, "ro"), {TITLE: evil, BERLIN: evil})
    project.build()
    page = output(project, "ro", ".html")
    parse_html(page)
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="https://evil.example"' not in page


def test_byline_date_is_formatted_per_locale_in_the_article_offset(project: Project):
    project.run()
    assert '<time datetime="2024-11-05T13:50:00+02:00">5 noiembrie 2024, 13:50</time>' in output(project, "ro", ".html")
    assert ">5. November 2024, 13:50</time>" in output(project, "de", ".html")
    assert ">5 novembre 2024, 13:50</time>" in output(project, "fr", ".html")
    assert ">November 5, 2024, 1:50\u202fPM</time>" in output(project, "en", ".html")


def test_date_format_uses_the_articles_own_offset():
    from datetime import datetime

    moment = datetime.fromisoformat("2024-11-05T23:30:00-05:00")
    assert format_published(moment, "ro") == "5 noiembrie 2024, 23:30"


def test_lost_placeholder_is_a_problem_and_falls_back(project: Project):
    project.run()
    edit_source(project.root, "He was in Berlin", "He was in *Berlin*")
    project.run()
    source = "He was in <1>Berlin</1> for talks with German chancellor Olaf Scholz."
    translate(po_path(project.root, "de"), {source: "Er war in Berlin."})
    report = project.build()
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.path == f"locales/de/{SAMPLE}.po"
    assert problem.message == "placeholder <1>, </1> missing in the translation"
    assert problem.line == msgid_line(po_path(project.root, "de"), source)
    assert "He was in *Berlin* for talks" in output(project, "de", ".md")


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("Er war in <1>Berlin</1>.", "Er war in *Berlin*."),
        ("<1>Berlin</1> war es.", "*Berlin* war es."),
        ("- Er war in <1>Berlin</1>.", "\\- Er war in *Berlin*."),
        ("2024. Er war in <1>Berlin</1>.", "2024\\. Er war in *Berlin*."),
        ("Er war\nin <1>Berlin</1>.", "Er war in *Berlin*."),
    ],
)
def test_translations_are_restored_into_safe_markdown(project: Project, translation, expected):
    edit_source(project.root, "He was in Berlin", "He was in *Berlin*")
    project.run()
    source = "He was in <1>Berlin</1> for talks with German chancellor Olaf Scholz."
    translate(po_path(project.root, "de"), {source: translation})
    assert project.build().problems == []
    assert f"on Monday. {expected} “Whoever" in output(project, "de", ".md")


def test_html_parser_catches_broken_markup():
    """The validity check itself can fail."""
    with pytest.raises(ParseError):
        parse_html("<!DOCTYPE html><html><body><p>x</b></body></html>")


def test_a_summary_left_out_of_an_edition_renders_as_none(project: Project):
    """An edition without a summary aligns it 1:0, and its msgstr is "^"."""
    project.update(locales=["ro"])
    summary = next(s.text for s in project.articles()[0].segments if s.location == "summary")
    translate(po_path(project.root, "ro"), {summary: "^", TITLE: "NATO trebuie să rămână unită"})
    assert project.build(locales=["ro"]).problems == []
    assert '\nsummary: ""\n' in output(project, "ro", ".md")
    page = output(project, "ro", ".html")
    parse_html(page)
    assert 'class="summary"' not in page
    assert 'name="description"' not in page
