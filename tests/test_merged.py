"""Merged sentences: one meaning in every command, one unit in translation memory, never in a .mo file."""

from __future__ import annotations

import json

import polib

from translate_flow.memory import TranslationMemory, match_percent
from translate_flow.pipeline import Project

from .conftest import SAMPLE, po_path
from .test_align import accept_everything, pair
from .test_catalogs import edit_source

HEAD = (
    "NATO will work with the winner of the US elections, whoever that person may be and will do its best to stay "
    "united, NATO secretary general Mark Rutte promised on Monday."
)
MERGED = "He was in Berlin for talks with German chancellor Olaf Scholz."


def test_a_merged_sentence_is_an_empty_msgstr_that_gettext_keeps(cli):
    cli.project("align", *pair(cli), "--write")
    path = po_path(cli.root, "ro")
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "^"' not in text
    assert "# merged: with the entry above; msgstr stays empty" in text
    assert polib.pofile(str(path)).find(MERGED).msgstr == ""


def test_queue_status_check_and_publish_agree_on_a_merged_group(cli):
    cli.project("align", *pair(cli), "--write")
    items = json.loads(cli.project("queue", "ro", "--json").stdout)
    assert MERGED not in [item["source"] for item in items]
    head = next(item for item in items if item["source"] == HEAD)
    assert head["merged"] == [MERGED]
    assert json.loads(cli.project("status", "-l", "ro", "--json").stdout)[0]["untranslated"] == 0

    accept_everything(po_path(cli.root, "ro"))
    status = json.loads(cli.project("status", "-l", "ro", "--json").stdout)[0]
    assert (status["translated"], status["fuzzy"]) == (17, 0)
    assert json.loads(cli.project("queue", "ro", "--json").stdout) == []
    findings = json.loads(cli.project("check", "ro", "--json").stdout)
    merged_line = next(e.linenum for e in polib.pofile(str(po_path(cli.root, "ro"))) if e.msgid == MERGED)
    assert all(abs(f["line"] - merged_line) > 3 for f in findings if f["locale"] == "ro")

    result = cli.project("publish", "--force", "--policy", "mt")
    assert result.exit_code in (0, 1), result.output
    mo = polib.mofile(str(cli.root / "dist" / "bundle" / "ro" / "LC_MESSAGES" / f"{SAMPLE}.mo"))
    assert MERGED not in [entry.msgid for entry in mo]
    assert "^" not in [entry.msgstr for entry in mo] and "" not in [e.msgstr for e in mo if e.msgid]
    assert mo.find(HEAD).msgstr.endswith("cu cancelarul german Olaf Scholz.")
    html = (cli.root / "dist" / "bundle" / "ro" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    assert "He was in Berlin" not in html


def test_memory_and_tmx_treat_a_merged_group_as_one_unit(cli):
    cli.project("align", *pair(cli), "--write")
    accept_everything(po_path(cli.root, "ro"))
    project = Project(cli.root)
    pairs = project.tm_pairs()
    assert HEAD not in [p.source for p in pairs]
    group = next(p for p in pairs if p.source.startswith(HEAD))
    assert group.source == f"{HEAD} {MERGED}"
    assert group.target.endswith("cu cancelarul german Olaf Scholz.")

    memory = TranslationMemory(cli.root / ".translate-flow" / "tm")
    memory.add_locale("ro", [(po_path(cli.root, "ro"), "ro.po")])
    alone = memory.suggest("ro", HEAD)  # its translation says more than this sentence: no exact match
    assert alone is None or match_percent(alone.provenance.format()) < 100
    whole = memory.suggest("ro", f"{HEAD} {MERGED}")
    assert (whole.text, whole.provenance.format()) == (group.target, "tm: ro.po")
    memory.close()


def test_a_changed_merged_sentence_is_reviewed_once_with_its_group(cli):
    cli.project("align", *pair(cli), "--write")
    accept_everything(po_path(cli.root, "ro"))
    edit_source(cli.root, "He was in Berlin", "He was in Bucharest")
    cli.project("update", "-l", "ro")
    assert [item["source"] for item in json.loads(cli.project("queue", "ro", "--json").stdout)] == [HEAD]
    assert cli.project("review", "ro", input="a\nq\n").exit_code == 0
    reviewed = po_path(cli.root, "ro").read_bytes()
    assert b"#| msgid" not in reviewed
    cli.project("update", "-l", "ro")
    assert po_path(cli.root, "ro").read_bytes() == reviewed
    assert json.loads(cli.project("queue", "ro", "--json").stdout) == []


def test_a_deleted_merged_sentence_sends_its_group_back_to_review(cli):
    cli.project("align", *pair(cli), "--write")
    accept_everything(po_path(cli.root, "ro"))
    edit_source(cli.root, f" {MERGED}", "")
    cli.project("update", "-l", "ro")
    head = polib.pofile(str(po_path(cli.root, "ro"))).find(HEAD)
    assert head.fuzzy and "Berlin" in head.msgstr  # the translation still says the deleted sentence
    assert [item["source"] for item in json.loads(cli.project("queue", "ro", "--json").stdout)] == [HEAD]


def test_a_caret_from_older_versions_becomes_a_merged_entry():
    from translate_flow import pofile
    from translate_flow.merging import merge

    old = pofile.parse(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "A."\nmsgstr "A și B."\n\n'
        '# aligned: sources/ro/x.md:9 merged into the entry above\n#, fuzzy\nmsgid "B."\nmsgstr "^"\n\n'
        '# aligned: sources/ro/x.md left out of the edition\nmsgid "C."\nmsgstr "^"\n',
        "x.po",
    )
    pot = pofile.PoFile([pofile.Entry(msgid=text) for text in ("A.", "B.", "C.")])
    merged, left_out = list(merge(pot, old, "ro", 80))[1:]
    assert (merged.msgstr, merged.flags, left_out.msgstr) == ("", [], "")
    assert merged.tcomment == "merged: with the entry above; msgstr stays empty (aligned: sources/ro/x.md:9)"
    assert left_out.tcomment.endswith("(aligned: left out of sources/ro/x.md)")
