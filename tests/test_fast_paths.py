"""The short ways taken for speed give what the long ways gave: template dates, plural checks, provenance."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow import html_body, provenance, state
from translate_flow.errors import InputError
from translate_flow.history import History
from translate_flow.markdown import body_pieces
from translate_flow.model import Article, Translation
from translate_flow.pipeline import Project
from translate_flow.pofile import Entry, parse
from translate_flow.rendering import localize

from .conftest import SAMPLE

PLURAL_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {}\\n"\n'


def pot_of(project: Project) -> bytes:
    return (project.root / f"locales/templates/{SAMPLE}.pot").read_bytes()


def test_a_template_keeps_its_dates_when_only_the_clock_moved(project: Project, monkeypatch):
    project.extract()
    before = pot_of(project)
    (project.root / ".translate-flow" / state.STATE_FILE).unlink()  # no shortcut: the template is made and compared
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    assert Project(project.root).extract().written == []
    assert pot_of(project) == before


def test_a_template_changed_by_hand_is_made_again_with_new_dates(project: Project, monkeypatch):
    project.extract()
    path = project.root / f"locales/templates/{SAMPLE}.pot"
    path.write_bytes(path.read_bytes().replace(b"#. title", b"#. a title"))
    (project.root / ".translate-flow" / state.STATE_FILE).unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    Project(project.root).extract()
    assert b"#. a title" not in pot_of(project)
    assert b'"POT-Creation-Date: 2030-01-01 00:00+0000\\n"' in pot_of(project)


@pytest.mark.parametrize("damage", [b"\xff\xfe not UTF-8", b'msgid "unterminated\n', b""])
def test_a_damaged_template_is_replaced_not_refused(project: Project, damage: bytes):
    project.extract()
    before = pot_of(project)
    path = project.root / f"locales/templates/{SAMPLE}.pot"
    path.write_bytes(damage)
    (project.root / ".translate-flow" / state.STATE_FILE).unlink()
    Project(project.root).extract()
    assert pot_of(project) == before  # same clock (SOURCE_DATE_EPOCH), same template


def test_a_directory_in_place_of_a_template_is_refused(project: Project):
    path = project.root / f"locales/templates/{SAMPLE}.pot"
    path.mkdir(parents=True)
    with pytest.raises(InputError, match="a directory where a PO file should be"):
        project.extract()


def test_a_broken_plural_forms_is_refused_in_every_file_that_has_it():
    text = PLURAL_HEADER.format("nplurals=2; plural=n>2 ? 2 : 0;")
    for shown in ("a.po", "b.po"):  # the verdict is remembered; the file and line are each file's own
        with pytest.raises(InputError) as error:
            parse(text, shown)
        assert str(error.value).startswith(f"{shown}:1: the plural expression gives 2, but nplurals=2")


def test_a_good_plural_forms_gives_its_count_each_time():
    text = PLURAL_HEADER.format("nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;") + '\nmsgid "a"\nmsgid_plural "b"\n'
    text += 'msgstr[0] "x"\nmsgstr[1] "y"\n'
    for _ in range(2):
        with pytest.raises(InputError, match="2 plural forms, Plural-Forms says 3"):
            parse(text, "c.po")


def test_provenance_is_read_from_the_comment_each_entry_has_now():
    entry = Entry(msgid="a", msgstr="", tcomment="merged: " + provenance.MERGED_WITH_PREVIOUS)
    assert provenance.is_merged(entry)
    entry.tcomment = ""
    assert not provenance.is_merged(entry)
    entry.tcomment, entry.msgstr, entry.flags = "mt: argos en→ro x 1.9 beam=4 score=-0.31", "b", ["fuzzy"]
    assert provenance.is_machine_suggestion(entry)
    entry.fuzzy = False
    assert not provenance.is_machine_suggestion(entry)


def test_history_reads_every_whole_line_and_skips_the_rest(tmp_path):
    def row(msgid: str, msgstr: str) -> bytes:
        return json.dumps({"catalog": "c.po", "msgctxt": None, "msgid": msgid, "msgstr": msgstr}).encode()

    lines = [row(str(n), f"first {n}") for n in range(2500)]  # more than one chunk
    lines[1200] = lines[1200][:25]  # cut short by a killed run
    lines[1300] = row("two", "a") + b"," + row("two", "b")  # two rows on one line: not a row
    lines[1400] = b""
    lines.append(row("7", "second 7"))  # a later row wins
    path = tmp_path / "reviewed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    history = History(path)
    assert history.reviewed("c.po", None, "1199") == "first 1199"
    assert history.reviewed("c.po", None, "1200") is None
    assert history.reviewed("c.po", None, "two") is None
    assert history.reviewed("c.po", None, "1201") == "first 1201"
    assert history.reviewed("c.po", None, "7") == "second 7"
    assert history.reviewed("c.po", None, "2499") == "first 2499"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("ab \t\u00a0ă„”*_`[]()<>!#$%&;\\\r\n\0~^{}=+-:.|'\"") | st.characters()))
def test_text_is_read_as_the_markdown_parser_reads_it(text: str):
    parsed = html_body._text_parser().parseInline(text)[0].children if text else []
    assert [token.as_dict() for token in html_body.text_tokens(text)] == [token.as_dict() for token in parsed]


FRONT = "---\ntitle: A\n---\n"
RAW_BODY = 'He met <b class="x">the minister</b> in ![Berlin](b.png "the city") today. It rained.\n\n<div>raw</div>\n'


@pytest.mark.parametrize("first", ["escape", "sanitize", "keep"])
def test_editions_of_one_body_render_as_if_each_were_alone(first: str):
    source = Article(
        "x",
        Path("x.md"),
        "en",
        (FRONT, *body_pieces(RAW_BODY, "en", 0, lambda offset: 1)),
        1,
        "A",
        datetime(2024, 1, 1),
        "T",
    )
    editions = [
        localize(source, "ro", lambda segment: Translation("Ploua.") if segment.text == "It rained." else None),
        localize(source, "de", lambda segment: None),
    ]
    alone = {}
    for localized, policy in [(e, p) for e in editions for p in ("escape", "sanitize", "keep")]:
        html_body._parsed_body.cache_clear()
        alone[localized.locale, policy] = localized.body_html(policy)
    html_body._parsed_body.cache_clear()
    editions[0].body_html(first)  # the parse is kept, and this edition's changes must not reach the next
    for localized, policy in [(e, p) for e in editions for p in ("escape", "sanitize", "keep")]:
        assert localized.body_html(policy) == alone[localized.locale, policy], (localized.locale, policy)


def test_a_header_field_is_read_from_the_header_as_it_is_now():
    po = parse('msgid ""\nmsgstr ""\n"Language: ro\\n"\n"X-Note: a: b\\n"\n"language: de\\n"\n', "h.po")
    assert (po.field("LANGUAGE"), po.field("x-note"), po.field("Missing")) == ("ro", "a: b", None)
    po.set_field("Language", "fr")
    assert po.field("Language") == "fr"
