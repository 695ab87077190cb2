"""html_body.py: the page a reader gets says what the localized Markdown says, and raw HTML is what the policy says."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.markdown import UnmappableBlock, parser
from translate_flow.model import MERGED, PLACEHOLDER_SPLIT, Translation
from translate_flow.rendering import localize

from .test_markup_survives import SPEC, commonmark
from .test_no_script import PAYLOADS, SOURCE
from .test_rendering import article, body_of

FALLBACK = '<span lang="en" dir="ltr" data-fallback>'


def page(body: str, translations: dict[str, Translation], raw_html: str = "sanitize") -> str:
    return localize(article(body), "ro", lambda segment: translations.get(segment.text)).body_html(raw_html)


hostile_text = st.lists(
    st.one_of(
        st.sampled_from(PAYLOADS),
        st.sampled_from(["\\", "&amp;", "&#60;", "*", "_", "[", "](", "\n", "  \n", "  ", "&#10;", "`", " "]),
        st.text(max_size=5),
    ),
    max_size=4,
).map("".join)


def test_a_line_break_a_translator_typed_is_a_space_not_a_hard_break():
    """Two spaces and a line break would be a hard break in Markdown; the Markdown file has none either."""
    assert page("Hello world.\n", {"Hello world.": Translation("Salut  \n  lume.")}) == "<p>Salut lume.</p>\n"


@pytest.mark.parametrize(
    ("body", "msgstr", "expected"),
    [
        ("Hello *world*.\n", "Salut <1> lume </1>.", "<p>Salut  <em>lume</em> .</p>\n"),
        (
            "He *was* in *Berlin*.\n",
            "El <1> a fost </1> la <2> Berlin </2>.",
            "El  <em>a fost</em>  la  <em>Berlin</em> .",
        ),
        ("He ***was*** today.\n", "El <1> <2> a fost </2> </1> azi.", "El   <em><strong>a fost</strong></em>   azi."),
    ],
)
def test_spaces_inside_emphasis_move_outside_it(body, msgstr, expected):
    """``* a *`` would be no emphasis in CommonMark: the Markdown file moves the spaces out, and so does the page."""
    assert expected in localize(article(body), "ro", lambda segment: Translation(msgstr)).body_html()


@pytest.mark.parametrize(
    ("body", "msgstr", "expected"),
    [
        ("Hello world.\n", "Salut <> lume.", "<p>Salut &lt;&gt; lume.</p>\n"),
        ("Hello *world*.\n", "<1>Salut</1> <> lume </>.", "<p><em>Salut</em> &lt;&gt; lume &lt;/&gt;.</p>\n"),
    ],
)
def test_text_that_only_looks_like_a_placeholder_keeps_its_spaces(body, msgstr, expected):
    assert localize(article(body), "ro", lambda segment: Translation(msgstr)).body_html() == expected


@pytest.mark.parametrize("msgstr", ["Salut\rlume.", "Salut\r\nlume.", "  Salut lume. "])
def test_a_carriage_return_is_a_space_and_outer_spaces_go(msgstr):
    localized = localize(article("Hello world.\n"), "ro", lambda segment: Translation(msgstr))
    assert body_of(localized.markdown()) == "Salut lume.\n"
    assert re.fullmatch(r"<p>Salut\slume\.</p>\n", localized.body_html())


@pytest.mark.parametrize(
    ("translations", "expected"),
    [
        ({}, f"<p>{FALLBACK}Hello world. Bye now.</span></p>\n"),  # one span for the block, not one per sentence
        ({"Hello world.": Translation("Salut.")}, f"<p>Salut. {FALLBACK}Bye now.</span></p>\n"),
        (
            {"Bye now.": Translation("Pa.", fuzzy=True)},
            f"<p>{FALLBACK}Hello world.</span> <span data-mt>Pa.</span></p>\n",
        ),
        ({"Hello world.": Translation("Salut, pa."), "Bye now.": Translation(MERGED)}, "<p>Salut, pa.</p>\n"),
        # merged into a sentence shown in English: its own words are shown too, not lost
        ({"Bye now.": Translation(MERGED)}, f"<p>{FALLBACK}Hello world. Bye now.</span></p>\n"),
    ],
)
def test_each_sentence_is_marked_as_the_reader_should_know_it(translations, expected):
    assert page("Hello world. Bye now.\n", translations) == expected


def test_sentences_in_later_blocks_land_in_their_own_block():
    translations = {"One.": Translation("Unu."), "Three.": Translation("Trei."), "Four.": Translation("Patru.")}
    body = "One. Two.\n\n- Three.\n- Four.\n\n> Five.\n"
    assert page(body, translations) == (
        f"<p>Unu. {FALLBACK}Two.</span></p>\n<ul>\n<li>Trei.</li>\n<li>Patru.</li>\n</ul>\n"
        f"<blockquote>\n<p>{FALLBACK}Five.</span></p>\n</blockquote>\n"
    )


# Raw HTML in a source article: [build] raw_html.

ALLOWED = (
    '<div lang="de" dir="ltr" title="t" class="c"><a href="https://example.org/">a</a> '
    '<a href="http://example.org/">b</a> <a href="mailto:desk@example.org">c</a> <a href="/relative">d</a> '
    '<img src="https://example.org/x.png" alt="x" width="10" height="20"></div>'
    '<ol start="3"><li>x</li></ol><table><thead><tr><th colspan="2" rowspan="1" scope="col">h</th></tr></thead>'
    '<tbody><tr><td colspan="2" rowspan="1">d</td></tr></tbody></table>'
    '<p><time datetime="2024-11-05">5 Nov</time><span data-mt="" data-fallback="">s</span></p>'
)


def test_html_on_the_allow_list_comes_through_sanitizing_unchanged():
    assert page(f"Text.\n\n{ALLOWED}\n", {"Text.": Translation("Text.")}) == f"<p>Text.</p>\n{ALLOWED}\n"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="tel:+40211234567">call</a>', "<a>call</a>"),  # only http(s), mailto and relative URLs
        ('<a href="ftp://example.org/f">file</a>', "<a>file</a>"),
        ("<p>before <!-- an editor's note --> after</p>", "<p>before  after</p>"),  # comments never reach readers
        ('<p style="color:red" onclick="x()">p</p>', "<p>p</p>"),
        ("<center>old</center> <nav>menu</nav>", "old menu"),  # the sanitizer's own list is longer than ours
    ],
)
def test_sanitizing_removes_what_is_not_on_the_allow_list(html, expected):
    assert (
        page(f"Text.\n\n<div>{html}</div>\n", {"Text.": Translation("Text.")})
        == f"<p>Text.</p>\n<div>{expected}</div>\n"
    )


def test_a_page_without_raw_html_is_the_renderers_own():
    """The sanitizer rewrites markup (``<hr />`` becomes ``<hr>``): it runs only on a body that has raw HTML."""
    assert page("A *b* c.\n\n---\n", {}) == f"<p>{FALLBACK}A <em>b</em> c.</span></p>\n<hr />\n"
    plain = 0
    for example in SPEC:
        html = commonmark().render(example["markdown"])
        tokens = commonmark().parse(example["markdown"])
        if any(t.type.startswith("html") for t in tokens + [c for t in tokens for c in t.children or ()]):
            continue
        try:
            localized = localize(article(example["markdown"]), "ro", lambda segment: Translation(segment.text))
        except UnmappableBlock:
            continue
        assert localized.body_html() == html, example["example"]
        plain += 1
    assert plain > 500


def test_an_untranslated_page_is_the_renderers_own_inside_its_fallback_spans():
    """A block whose sentences all show the source is the source's block, wrapped once: no sentence cut changes it."""
    plain = 0
    for example in SPEC:
        tokens = commonmark().parse(example["markdown"])
        if any(t.type.startswith("html") for t in tokens + [c for t in tokens for c in t.children or ()]):
            continue
        try:
            localized = localize(article(example["markdown"]), "ro", lambda segment: None)
        except UnmappableBlock:
            continue
        html = localized.body_html()
        assert html.replace(FALLBACK, "").replace("</span>", "") == commonmark().render(example["markdown"])
        plain += FALLBACK in html
    assert plain > 400


def test_escaped_raw_html_is_text_and_the_builds_own_spans_stay_markup():
    body = 'A <b>b</b> c.\n\n<div onclick="x">A <i>b</i></div>\n\nEnd.\n'
    assert page(body, {}, "escape") == (
        f"<p>{FALLBACK}A &lt;b&gt;b&lt;/b&gt; c.</span></p>\n"
        "<p>&lt;div onclick=&quot;x&quot;&gt;A &lt;i&gt;b&lt;/i&gt;&lt;/div&gt;</p>\n"
        f"<p>{FALLBACK}End.</span></p>\n"
    )
    translated = {"A <1/>b<2/> c.": Translation("X <1/>b<2/> y.")}
    assert page("A <b>b</b> c.\n", translated, "escape") == "<p>X &lt;b&gt;b&lt;/b&gt; y.</p>\n"
    assert page("A <b>b</b> c.\n", translated, "keep") == "<p>X <b>b</b> y.</p>\n"


@settings(max_examples=100)
@given(st.data())
def test_the_page_says_what_the_localized_markdown_says(data):
    """Two ways to the same text: the page from tokens, the Markdown file by escaping; a reader sees no difference."""

    def translate(segment):
        parts = PLACEHOLDER_SPLIT.split(segment.text)
        return Translation("".join(p if PLACEHOLDER_SPLIT.fullmatch(p) else data.draw(hostile_text) for p in parts))

    localized = localize(article(SOURCE), "ro", translate)
    if any(part.fallback for part in localized.parts if not isinstance(part, str)):
        return  # the page marks a fallback with a span the Markdown has no way to say
    seen = re.sub(r"\s+", " ", localized.body_html("keep"))
    assert seen == re.sub(r"\s+", " ", parser().render(body_of(localized.markdown())))
