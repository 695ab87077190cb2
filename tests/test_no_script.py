"""No script from a translation or a source, ever: the HTML is built from the source's tokens."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.markdown import body_pieces, parser
from translate_flow.model import Article, Translation
from translate_flow.rendering import localize, render_body

from .conftest import SAMPLE, po_path
from .test_build import BERLIN, output
from .test_catalogs import edit_source, translate
from .test_publish import review_all

# OWASP XSS filter evasion cheat sheet, and the issue's reports.
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example>",
    "<svg onload=alert(1)>",
    "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    "<IMG SRC=" + "".join(f"&#{ord(c)};" for c in "javascript:alert('X')") + ">",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<BODY ONLOAD=alert(1)>",
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<iframe src=javascript:alert(1) <",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<div style=\"background:url('javascript:alert(1)')\">",
    "<details open ontoggle=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "\\\\<script>alert(1)</script>",
    "`<script>`alert(1)",
    "<style>@import 'x';</style>",
    "<object data=x.swf></object><embed src=x.swf>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "style", "base", "form", "svg", "math"}
BAD_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def dangers(html: str) -> set[str]:
    """What html5lib finds that can run script: tags, on* attributes, javascript:/data: URLs."""
    found = set()
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in DANGEROUS_TAGS:
            found.add(f"<{element.tag.lower()}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.add(f"{name}=")
            if name in URL_ATTRIBUTES and BAD_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                found.add(f"{name}={value[:20]}")
    return found


def raw_html(markdown: str) -> list[str]:
    tokens = parser().parse(markdown)
    inline = [child for token in tokens for child in token.children or ()]
    return [t.content for t in tokens + inline if t.type in ("html_block", "html_inline")]


FRONT_MATTER = "---\ntitle: T\n---\n"


def article(body: str) -> Article:
    pieces = (FRONT_MATTER, *body_pieces(body, "en", 0, lambda offset: 1))
    return Article("x", Path("x.md"), "en", pieces, 1, "A", datetime(2024, 1, 1), "Title")


def body_of(localized) -> str:
    """The body of the localized Markdown file."""
    return localized.markdown().split("---\n", 2)[2]


SOURCE = (
    "Plain words, no markup.\n\n"
    "He was in *Berlin* with [Olaf Scholz](https://example.org/scholz) and `code`.\n\n"
    "- A list item with **strong** words.\n\n> A quote, with a <span>span</span>.\n"
)


def check(body: str, msgstr: str, fuzzy: bool = False) -> None:
    """Neither the page nor the Markdown gains anything dangerous; raw HTML kept, so no sanitizer helps."""
    source = article(body)
    localized = localize(source, "ro", lambda segment: Translation(msgstr, fuzzy=fuzzy))
    before = dangers(localize(source, "en", lambda s: None).body_html("keep"))
    assert dangers(localized.body_html("keep")) <= before, msgstr
    assert dangers(render_body(localized)) <= before, msgstr
    assert len(raw_html(body_of(localized))) <= len(raw_html(body)), msgstr


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_stay_text_in_html_and_markdown(payload):
    check(SOURCE, f"A fost la Berlin {payload}.")
    check(SOURCE, f"A fost la <1>{payload}</1> cu <2>{payload}</2> și <3/>{payload}.", fuzzy=True)


def test_the_issue_report_reaches_the_page_as_text(project):
    project.run()
    translate(po_path(project.root, "ro"), {BERLIN: "A fost la Berlin \\<img src=x onerror=alert(1)>."})
    project.build()
    page = output(project, "ro", ".html")
    assert "A fost la Berlin &lt;img src=x onerror=alert(1)&gt;." in page
    assert dangers(page) <= dangers(output(project, "en", ".html"))  # the template's own, if any
    assert raw_html(output(project, "ro", ".md")) == []


def test_publish_with_machine_output_is_safe_too(cli):
    edit_source(cli.root, "He was in Berlin", "He was in *Berlin*")
    cli.project("update")
    review_all(cli.root, "ro")
    hostile = "A fost în <1>\\<script>alert(1)</script></1> \\<svg onload=alert(1)>."
    msgid = BERLIN.replace("Berlin", "<1>Berlin</1>")
    translate(po_path(cli.root, "ro"), {msgid: hostile}, fuzzy=True)
    gated = cli.project("publish", "--policy", "mt")
    assert "ro: left out" in gated.stdout and "check error" in gated.stdout  # check's markup finding gates it
    cli.project("publish", "--policy", "mt", "--force")  # and forced through, it is still only text
    page = (cli.root / "dist" / "bundle" / "ro" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    assert "<em>&lt;script&gt;alert(1)&lt;/script&gt;</em>" in page
    assert dangers(page) <= dangers(
        (cli.root / "dist" / "bundle" / "en" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    )


segment_texts = st.sampled_from(["<1>", "</1>", "<2>", "</2>", "<3/>", "<4/>", "<1/>", "<9>", "<2></1>"])
pieces = st.one_of(
    st.sampled_from(PAYLOADS),
    segment_texts,
    st.sampled_from(["\\", "\\\\", "&amp;", "&lt;", "&#60;", "&#x3C;", "&#0;", "&", "<", ">", '"', "'", "`", "*", "_"]),
    st.sampled_from(["[", "](", ")", "![", "javascript:", "data:", "on", "=", " ", "\n", "&#10;", "&#9;", "    "]),
    st.text(max_size=5),
)


@settings(max_examples=150)
@given(st.lists(pieces, max_size=12).map("".join), st.booleans())
def test_no_hostile_msgstr_adds_script(msgstr, fuzzy):
    check(SOURCE, msgstr, fuzzy)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("sanitize", "<div>A <b>div</b>.</div>"),
        ("escape", "&lt;div onclick=&quot;alert(1)&quot;&gt;A &lt;b&gt;div&lt;/b&gt;.&lt;script&gt;"),
        ("keep", '<div onclick="alert(1)">A <b>div</b>.<script>alert(1)</script></div>'),
    ],
)
def test_raw_html_in_sources_is_sanitized_escaped_or_kept(mode, expected):
    body = 'Some *text*.\n\n<div onclick="alert(1)">A <b>div</b>.<script>alert(1)</script></div>\n'
    html = localize(article(body), "ro", lambda s: None).body_html(mode)
    assert expected in html
    assert "<em>text</em>" in html
    assert (dangers(html) == set()) == (mode != "keep")


def test_sanitized_inline_html_keeps_its_allowed_markup():
    html = localize(article("A <span class=x onmouseover=alert(1)>b</span> c.\n"), "ro", lambda s: None).body_html()
    assert html == '<p><span lang="en" dir="ltr" data-fallback="">A <span class="x">b</span> c.</span></p>\n'
