"""Reading articles: front matter, blocks, sentences, placeholders, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from translate_flow.errors import InputError
from translate_flow.markdown import body_pieces
from translate_flow.model import Segment, SegmentKind
from translate_flow.sources import read_article

from .conftest import REPO, SAMPLE

HEADER = "---\ntitle: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n---\n"


def article_from(tmp_path: Path, body: str, header: str = HEADER, name: str = "a.md"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return read_article(path, "en")


def body_segments(article) -> list[Segment]:
    return [s for s in article.segments if s.kind is SegmentKind.MARKDOWN]


def test_sample_has_title_summary_and_15_body_sentences():
    article = read_article(REPO / "sources" / "en" / f"{SAMPLE}.md", "en")
    segments = article.segments
    assert len(segments) == 17
    assert [s.location for s in segments[:2]] == ["title", "summary"]
    assert segments[0].text == "NATO must stay united"
    assert [s.location for s in segments[2:7]] == [f"paragraph 1, sentence {n}" for n in range(1, 6)]
    assert segments[-1].location == "paragraph 4, sentence 4"
    assert segments[5].text == "“ I have no doubt, because it is in our interest."  # the source's own typo kept
    assert article.author == "Leyla Cheamil"
    assert article.published.isoformat() == "2024-11-05T13:50:00+02:00"


def test_segments_know_their_line(tmp_path):
    article = article_from(tmp_path, "\n# Heading\n\nFirst. Second\ncontinues.\n")
    lines = {s.text: s.line for s in article.segments}
    assert lines == {"T": 2, "Heading": 8, "First.": 10, "Second continues.": 10}


def test_inline_markup_becomes_numbered_placeholders(tmp_path):
    body = 'Read *this* and **that** in [the report](https://nato.int/r "R"), run `ls -l`, see ![map](m.png).\n'
    (segment,) = body_segments(article_from(tmp_path, body))
    assert segment.text == "Read <1>this</1> and <2>that</2> in <3>the report</3>, run <4/>, see <5/>."
    assert dict(segment.markup) == {
        "<1>": "*",
        "</1>": "*",
        "<2>": "**",
        "</2>": "**",
        "<3>": "[",
        "</3>": '](https://nato.int/r "R")',
        "<4/>": "`ls -l`",
        "<5/>": "![map](m.png)",
    }


def test_hard_break_inside_a_sentence_is_a_placeholder(tmp_path):
    (segment,) = body_segments(article_from(tmp_path, "Roses are red  \nviolets are blue.\n"))
    assert segment.text == "Roses are red<1/>violets are blue."
    assert dict(segment.markup) == {"<1/>": "  \n"}


def test_nested_markup(tmp_path):
    (segment,) = body_segments(article_from(tmp_path, "A **bold *and italic* [link](u)** end.\n"))
    assert segment.text == "A <1>bold <2>and italic</2> <3>link</3></1> end."


def test_markup_around_a_whole_paragraph_stays_outside_the_sentences(tmp_path):
    segments = body_segments(article_from(tmp_path, "*Editor's note. Two sentences here.*\n"))
    assert [s.text for s in segments] == ["Editor's note.", "Two sentences here."]


def test_a_sentence_break_never_splits_a_markup_pair(tmp_path):
    segments = body_segments(article_from(tmp_path, "Start *one. two.* Three.\n"))
    assert [s.text for s in segments] == ["Start <1>one. two.</1>", "Three."]


def test_blocks_that_are_translated_and_not(tmp_path):
    body = (
        "# Head\n\nPara.\n\n- Item one.\n- Item two.\n\n> Quoted.\n\n"
        "```\nfenced code.\n```\n\n    indented code.\n\n<div>\nraw html.\n</div>\n"
    )
    segments = body_segments(article_from(tmp_path, body))
    assert [(s.location, s.text) for s in segments] == [
        ("heading 1", "Head"),
        ("paragraph 1, sentence 1", "Para."),
        ("list item 1, sentence 1", "Item one."),
        ("list item 2, sentence 1", "Item two."),
        ("quote 1, sentence 1", "Quoted."),
    ]


def test_repeated_sentences_get_a_stable_context(tmp_path):
    body = "Yes. Intro.\n\nYes.\n\nYes.\n"
    segments = body_segments(article_from(tmp_path, body))
    assert [(s.context, s.text) for s in segments] == [
        (None, "Yes."),
        (None, "Intro."),
        ("occurrence 2", "Yes."),
        ("occurrence 3", "Yes."),
    ]
    edited = body_segments(article_from(tmp_path, body.replace("Intro.", "Changed intro.")))
    assert [s.key for s in edited if s.text == "Yes."] == [s.key for s in segments if s.text == "Yes."]


def test_soft_line_breaks_become_spaces_in_the_msgid(tmp_path):
    (segment,) = body_segments(article_from(tmp_path, "One sentence\n   over two lines.\n"))
    assert segment.text == "One sentence over two lines."
    assert segment.source == "One sentence\n   over two lines."


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("no front matter\n", 1, "missing front matter"),
        ("---\ntitle: [unclosed\n---\nBody.\n", 3, "malformed front matter"),
        ("---\ntitle: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\n---\n", 1, "lacks 'language'"),
        ("---\ntitle: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: xx\n---\n", 5, "unknown locale"),
        ("---\ntitle: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: ro\n---\n", 5, "does not match"),
        ("---\ntitle: T\nauthor: A\npublished: 2024-11-05 13:50\nlanguage: en\n---\n", 4, "UTC offset"),
        ("---\ntitle: T\nauthor: A\npublished: yesterday\nlanguage: en\n---\n", 4, "ISO 8601"),
        (HEADER.replace("title: T\n", "title: T\nslug: ../../etc/passwd\n"), 3, "unsafe article slug"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, content, line, message):
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_article(path, "en")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(HEADER.encode() + b"Fine.\n\nBroken \xff byte.\n")
    with pytest.raises(InputError) as caught:
        read_article(path, "en")
    assert (caught.value.line, caught.value.message) == (9, "invalid UTF-8 (byte 0xff)")


def test_missing_source(tmp_path):
    with pytest.raises(InputError, match="source not found"):
        read_article(tmp_path / "nope.md", "en")


def test_tab_indented_continuation_lines(tmp_path):
    article = article_from(tmp_path, "- An item\n\tcontinued *after* a tab.\n")
    (segment,) = body_segments(article)
    assert segment.text == "An item continued <1>after</1> a tab."
    assert "".join(p if isinstance(p, str) else p.source for p in article.pieces) == HEADER + (
        "- An item\n\tcontinued *after* a tab.\n"
    )


def test_a_nul_byte_is_refused_with_its_line(tmp_path):
    with pytest.raises(InputError) as caught:
        article_from(tmp_path, "Fine.\n\nA NUL \x00 byte.\n")
    assert (caught.value.line, caught.value.message) == (9, "NUL byte in a text file")


def test_a_block_that_cannot_be_mapped_is_an_error_not_a_silent_skip(tmp_path):
    with pytest.raises(InputError) as caught:
        article_from(tmp_path, "Fine.\n\nA lone\rcarriage return.\n")
    assert (caught.value.line, caught.value.message) == (9, "cannot map this Markdown block back to its source lines")


@pytest.mark.parametrize(
    "deep",
    [
        "- " * 5000 + "Deep item.\n",
        "> " * 5000 + "Deep quote.\n",
        "".join("  " * depth + f"- Item {depth}.\n" for depth in range(30)),
    ],
)
def test_nesting_markdown_would_drop_is_refused(cli, deep):
    path = cli.root / "sources" / "en" / "deep.md"
    path.write_text(
        "---\ntitle: Deep\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n---\n" + deep,
        encoding="utf-8",
    )
    result = cli.project("extract")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:") or "sources/en/deep.md:" in result.stderr
    assert "nested too deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_nesting_within_the_limit_is_extracted():
    body = "".join("  " * depth + f"- Item {depth}.\n" for depth in range(9))  # 18 levels: lists and items
    texts = [p.text for p in body_pieces(body, "en", 0, lambda offset: 1) if not isinstance(p, str)]
    assert texts == [f"Item {depth}." for depth in range(9)]


def _nodes(root) -> list:
    return [
        (k.value, v.value, type(v).__name__, v.start_mark.index, v.end_mark.index, v.start_mark.line)
        for k, v in root.value
    ]


scalar = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from("\t\x00\x1b\x7f\x85")), max_size=12
)


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(st.sampled_from(["title", "summary", "author", "x"]), scalar, st.sampled_from("'\"p")), max_size=4
    )
)
@example([("title", "a\tb", "p")])  # libyaml takes this tab, the Python loader refuses it
@example([("summary", "a\x85b", "p")])
def test_libyaml_reads_front_matter_as_the_python_loader_does(fields):
    """Front matter goes through libyaml for speed; its nodes and marks must be the pure-Python loader's."""
    import yaml

    from translate_flow import sources

    def quoted(value: str, style: str) -> str:
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False) if style == '"' else value

    text = "".join(f"{key}: {quoted(value, style)}\n" for key, value, style in fields)
    try:
        expected = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        with pytest.raises(yaml.YAMLError) as raised:
            sources._compose(text)
        assert str(raised.value) == str(error)  # the Python loader's own words
        return
    found = sources._compose(text)
    assert (found is None) == (expected is None)
    if expected is not None and isinstance(expected, yaml.MappingNode):
        assert _nodes(found) == _nodes(expected)


def test_libyaml_reads_a_well_formed_front_matter(monkeypatch):
    import yaml

    from translate_flow import sources

    loaders: list = []
    real = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda text, Loader: loaders.append(Loader) or real(text, Loader=Loader))
    sources._compose('title: "T"\n')
    with pytest.raises(yaml.YAMLError):
        sources._compose("title: [unclosed\n")
    assert loaders == [yaml.CSafeLoader, yaml.CSafeLoader, yaml.SafeLoader]


@pytest.mark.parametrize("depth", [50, 400, 700])
def test_nesting_is_read_alike_with_or_without_libyaml(tmp_path, depth):
    """libyaml follows 700 levels, the Python loader not (RecursionError): past a depth both take, it decides."""
    path = tmp_path / "sources" / "en" / "deep.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        f"---\ntitle: T\nauthor: A\nlanguage: en\npublished: 2024-11-05T10:00:00+02:00\n"
        f"x: {'[' * depth}{']' * depth}\n---\nBody.\n"
    )
    if depth < 500:
        assert read_article(path, "en").title == "T"
    else:
        with pytest.raises(InputError, match="nested too deeply"):
            read_article(path, "en")
