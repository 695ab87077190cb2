"""Markup survives translation: the CommonMark spec examples under four translations.

Each example is extracted, its msgids translated four ways that keep every
placeholder, and built. The HTML must keep the source's tags, nesting, hrefs
and code; the localized Markdown must parse to the same markup, or the entry
that breaks it is reported and shown in the source language, never silently.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.markdown import UnmappableBlock, body_pieces, parser
from translate_flow.model import PLACEHOLDER_SPLIT, Article, Segment, Translation
from translate_flow.rendering import localize
from translate_flow.structure import signature

from .conftest import SAMPLE, msgid_line, po_path
from .test_build import BERLIN
from .test_catalogs import edit_source, translate
from .test_roundtrip import documents

SPEC = json.loads((Path(__file__).parent / "corpus" / "commonmark-spec-0.31.2.json").read_text(encoding="utf-8"))


@functools.cache
def commonmark():
    """markdown-it's own rendering is the reference: it differs from the spec's HTML in a few examples."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


FRONT_MATTER = "---\ntitle: T\n---\n"


def article(body: str) -> Article:
    pieces = (FRONT_MATTER, *body_pieces(body, "en", 0, lambda offset: 1))
    return Article("x", Path("x.md"), "en", pieces, 1, "A", datetime(2024, 1, 1), "T")


def body_of(localized) -> str:
    """The body of the localized Markdown file."""
    return localized.markdown().split("---\n", 2)[2]


def between_placeholders(change):
    def translate(segment: Segment) -> Translation:
        parts = PLACEHOLDER_SPLIT.split(segment.text)
        text = "".join(part if PLACEHOLDER_SPLIT.fullmatch(part) or not part else change(part) for part in parts)
        return Translation(text, path="ro.po", line=1)

    return translate


# Examples whose localized Markdown could not keep the markup, each reported: moving words
# across "_" or "__" can leave them inside a word, where they are no emphasis.
REPORTED = {"identity": 0, "space added": 0, "upper-cased": 0, "words reversed": 12}
TRANSLATIONS = {
    "identity": between_placeholders(lambda text: text),
    "space added": between_placeholders(lambda text: text + " "),
    "upper-cased": between_placeholders(str.upper),
    "words reversed": between_placeholders(lambda text: " ".join(reversed(text.split(" ")))),
}


def html_markup(html: str) -> list:
    """Elements in document order with their depth, URLs and code: what a translation must keep.

    The ``<span lang>`` the build puts around text shown in the source language is left out.
    """
    found = []

    def walk(element, depth: int) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            ours = child.tag == "span" and set(child.attrib) <= {"lang", "dir", "data-fallback", "data-mt"}
            if not ours:
                urls = tuple(child.get(name) for name in ("href", "src"))
                code = "".join(child.itertext()) if child.tag == "code" else None
                found.append((depth, child.tag, urls, code))
            walk(child, depth if ours else depth + 1)

    walk(html5lib.parseFragment(html, namespaceHTMLElements=False), 0)
    return found


@pytest.mark.parametrize("name", TRANSLATIONS)
def test_spec_examples_keep_their_markup(name):
    changed = 0
    for example in SPEC:
        try:
            source = article(example["markdown"])
        except UnmappableBlock:
            continue
        localized = localize(source, "ro", TRANSLATIONS[name])
        number = example["example"]
        assert html_markup(localized.body_html("keep")) == html_markup(commonmark().render(example["markdown"])), number
        rebuilt = body_of(localized)
        assert signature(parser().parse(rebuilt)) == signature(parser().parse(example["markdown"])), number
        reverted = [p for p in localized.parts if not isinstance(p, str) and p.fallback]
        assert len(localized.problems) == len(reverted), number  # every fallback said so
        changed += bool(localized.problems)
    assert changed == REPORTED[name]


def test_identity_rebuilds_every_spec_example_byte_for_byte():
    mapped = 0
    for example in SPEC:
        try:
            source = article(example["markdown"])
        except UnmappableBlock:
            continue
        mapped += 1
        localized = localize(source, "ro", lambda segment: Translation(segment.text))
        assert body_of(localized) == example["markdown"], example["example"]
        assert localized.body_html("keep") == commonmark().render(example["markdown"]), example["example"]
    assert mapped == len(SPEC) == 652


@pytest.mark.parametrize(
    ("body", "msgstr", "expected"),
    [
        ("See [the report].\n\n[the report]: /report\n", "Vezi <1>raportul</1>.", '<a href="/report">raportul</a>'),
        ("See [the report][].\n\n[the report]: /r\n", "Vezi <1>raportul</1>.", '<a href="/r">raportul</a>'),
        ("See [A\nreport].\n\n[a report]: /r\n", "Vezi <1>raportul</1>.", '<a href="/r">raportul</a>'),
        ("Line\\<br/> here.\n", "Linia\\<br/> aici.", "Linia&lt;br/&gt; aici."),
        ("Use ``foo`` now.\n", "Folosește <1/> acum.", "<code>foo</code>"),
        ("He was in _Berlin_ today.\n", "他今天在<1>柏林</1>。", "在<em>柏林</em>。"),  # "_" inside a word: "*"
        ("A [link](<foo\\>) here.\n", "Un [link](<foo\\>) aici.", "Un [link](&lt;foo&gt;) aici."),  # no link
    ],
)
def test_translated_text_keeps_links_and_literals(body, msgstr, expected):
    source = article(body)
    localized = localize(source, "ro", lambda segment: Translation(msgstr))
    assert localized.problems == []
    assert expected in localized.body_html()
    assert expected in parser().render(body_of(localized))


def test_build_says_when_a_translation_cannot_keep_the_markup(cli):
    edit_source(cli.root, "He was in Berlin", "He was in *Berlin*")
    cli.project("update")
    msgid = BERLIN.replace("Berlin", "<1>Berlin</1>")
    # "*" between a letter and a quotation mark opens nothing: CommonMark's flanking rules.
    translate(po_path(cli.root, "ro"), {msgid: "A fost la<1>„Berlin”</1>pentru discuții."})
    result = cli.project("build")
    assert result.exit_code == 1
    line = msgid_line(po_path(cli.root, "ro"), msgid)  # problems name the msgid line of the entry
    assert f"locales/ro/{SAMPLE}.po:{line}: the translation changes the Markdown markup" in result.output
    markdown = (cli.root / "dist" / "ro" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    assert "He was in *Berlin* for talks" in markdown  # shown in the source language instead
    assert "A fost la" not in markdown


@settings(max_examples=100)
@given(documents, st.sampled_from(sorted(TRANSLATIONS)))
def test_generated_documents_keep_their_markup(document, name):
    localized = localize(article(document), "ro", TRANSLATIONS[name])
    assert html_markup(localized.body_html("keep")) == html_markup(commonmark().render(document))
    assert signature(parser().parse(body_of(localized))) == signature(parser().parse(document))
    reverted = [p for p in localized.parts if not isinstance(p, str) and p.fallback]
    assert len(localized.problems) == len(reverted)
