"""The round-trip invariant: an identity translation rebuilds the source exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from translate_flow.markdown import body_pieces
from translate_flow.model import Segment, Translation
from translate_flow.rendering import localize, restore_markup
from translate_flow.sources import read_article

from .conftest import REPO, SAMPLE


def identity(segment: Segment) -> Translation:
    return Translation(segment.text)


def with_state(markdown: str, locale: str, source: str) -> str:
    """The front matter of a fully reviewed translation says so before its closing line."""
    block = (
        f"translation:\n  locale: {locale}\n  source_language: {source}\n"
        "  reviewed_percent: 100.0\n  unreviewed_percent: 0.0\n  fallback_percent: 0.0\n"
    )
    front, body = markdown.split("\n---\n", 1)
    return f"{front}\n{block}---\n{body}"


@pytest.mark.parametrize("language", ["en", "ro"])
@pytest.mark.parametrize("target", ["de", "fr", "ro", "en"])
def test_identity_translation_rebuilds_sample_exactly(language, target):
    path = REPO / "sources" / language / f"{SAMPLE}.md"
    source = path.read_text(encoding="utf-8")
    built = localize(read_article(path, language), target, identity).markdown()
    expected = source.replace(f"language: {language}\n", f"language: {target}\n", 1)
    assert built == (expected if target == language else with_state(expected, target, language))


def test_front_matter_keeps_quoting_and_order(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\n# a comment\ntitle: 'Quoted: title'\nlanguage: \"en\"\nauthor: A\n"
        "published: 2024-11-05T13:50:00+02:00\nextra: [1, 2]\n---\nBody.\n",
        encoding="utf-8",
    )
    built = localize(read_article(path, "en"), "pt_BR", identity).markdown()
    expected = path.read_text(encoding="utf-8").replace('language: "en"', 'language: "pt_BR"')
    assert built == with_state(expected, "pt_BR", "en")


# --- generated CommonMark documents -------------------------------------------------------

words = st.sampled_from(
    ["NATO", "Rutte", "said", "the", "war", "Dr.", "No. 5", "3.5", "40,000", "U.S.", "„quoted”", "e.g.", "x<y", "a&b"]
)
ends = st.sampled_from([".", "!", "?", "", "…", ".”"])
spaces = st.sampled_from([" ", " ", " ", "  "])


@st.composite
def phrase(draw, depth: int = 0) -> str:
    """Inline Markdown; from depth 2 on, plain words only."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        choice = draw(st.integers(0, 10 if depth < 2 else 3))
        word = draw(words)
        if choice <= 3:
            parts.append(word)
        elif choice == 4:
            parts.append(f"*{draw(phrase(depth + 1))}*")
        elif choice == 5:
            parts.append(f"**{draw(phrase(depth + 1))}**")
        elif choice == 6:
            url = "https://example.org/" + re.sub(r"\W", "", word)
            parts.append(f'[{draw(phrase(depth=2))}]({url} "t")')  # links never nest
        elif choice == 7:
            parts.append(f"`{word} code`")
        elif choice == 8:
            parts.append(f"_{draw(phrase(depth + 1))}_")
        elif choice == 9:
            parts.append(f"![{word}](img.png)")
        else:
            parts.append(draw(st.sampled_from(["<https://x.org>", "<span>hi</span>", "&amp;", "\\*", "&copy;"])))
    return draw(spaces).join(parts)


@st.composite
def paragraph_text(draw) -> str:
    sentences = [draw(phrase()) + draw(ends) for _ in range(draw(st.integers(1, 4)))]
    separators = st.sampled_from([" ", "  ", "\n", "  \n", "\\\n", " \n   ", "\n\t"])
    text = sentences[0]
    for sentence in sentences[1:]:
        text += draw(separators) + sentence
    return text


@st.composite
def block(draw) -> str:
    kind = draw(st.integers(0, 9))
    text = draw(paragraph_text())
    one_line = re.sub(r"[ \\]*\n[ ]*", " ", text)
    if kind == 0:
        return f"{'#' * draw(st.integers(1, 6))} {one_line}{draw(st.sampled_from(['', ' #', ' ##']))}"
    if kind == 1:
        return f"{one_line}\n{draw(st.sampled_from(['===', '---']))}"
    if kind == 2:
        marker = draw(st.sampled_from(["-", "*", "+", "1.", "2)"]))
        items = [draw(paragraph_text()) for _ in range(draw(st.integers(1, 3)))]
        pad = " " * (len(marker) + 1)
        return "\n".join(f"{marker} " + item.replace("\n", "\n" + pad) for item in items)
    if kind == 3:
        return "> " + text.replace("\n", "\n> ")
    if kind == 4:
        return f"```python\nx = '{one_line}'\n```"
    if kind == 5:
        return "    indented code. Not translated.\n    More code."
    if kind == 6:
        return f'<div class="embed">\n{one_line}\n</div>'
    if kind == 7:
        return draw(st.sampled_from(["***", "---", "___"]))
    return draw(st.sampled_from(["", " ", "  ", "   "])) + text


documents = st.lists(block(), min_size=1, max_size=5).map(lambda blocks: "\n\n".join(blocks) + "\n")


def pieces(body: str, language: str = "en") -> list:
    return body_pieces(body, language, 0, lambda offset: 1)


def html(markdown: str) -> str:
    """Rendered HTML with whitespace runs collapsed: a soft break and a space read the same."""
    return re.sub(r"\s+", " ", MarkdownIt("commonmark").render(markdown)).strip()


@given(documents, st.sampled_from(["en", "ro"]))
def test_pieces_join_back_to_the_document(document, language):
    parts = pieces(document, language)
    assert "".join(p if isinstance(p, str) else p.source for p in parts) == document


@example('# ****NATO** [NATO](https://example.org/NATO "t")**.\n')  # literal ** before a placeholder
@example("NATO.\n===\n\n# **NATO* *Dr.**.\n")  # a literal * in the same run as a closing one
@example("> NATO. **NATO **Dr.****. \n>    NATO *\\**.\n")  # joined and escaped literals in one sentence
@given(documents)
def test_msgids_rebuild_the_same_document(document):
    """Restoring each msgid's placeholders (no identity shortcut) renders the same HTML."""
    parts = pieces(document)
    rebuilt = "".join(p if isinstance(p, str) else restore_markup(p, p.text) for p in parts)
    assert html(rebuilt) == html(document)


@given(documents)
def test_msgids_hold_no_markup_or_urls(document):
    for segment in (p for p in pieces(document) if isinstance(p, Segment)):
        text = re.sub(r"</?\d+/?>", "", segment.text)
        assert "https://example.org" not in text
        assert "`" not in text
        assert "\n" not in segment.text
        assert segment.text == segment.text.strip()
