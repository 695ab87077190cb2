"""Provenance lines: only the tool's own lines count; a translator's note of the same shape is theirs."""

from __future__ import annotations

import polib

from translate_flow import catalogs, pofile
from translate_flow.provenance import Provenance, is_machine_suggestion, is_merged, provenance_of

from .conftest import po_path
from .test_align import pair

NOTE = "tm: ask the desk about „unită”"
TITLE = "NATO must stay united"


def annotate(path, note: str, draft: str | None = None) -> None:
    """What a translator does in an editor: a note on every entry, and a fuzzy draft of the title."""
    po = polib.pofile(str(path))
    for entry in po:
        entry.tcomment = note
        if draft is not None and entry.msgid == TITLE:
            entry.msgstr, entry.flags = draft, ["fuzzy"]
    po.save()


def notes(path) -> list[str]:
    return [entry.tcomment for entry in polib.pofile(str(path))]


def test_a_translator_note_survives_align_machine_suggestions_and_review_edits(cli):
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    annotate(path, NOTE)
    assert cli.project("align", *pair(cli), "--write").exit_code == 0
    assert all(NOTE in comment.split("\n") for comment in notes(path))
    assert any(comment.startswith("aligned: ") for comment in notes(path))

    machine = catalogs.Suggestion(
        "NATO trebuie să rămână unită.", Provenance("mt", "argos en→ro translate-en_ro 1.9 beam=4 score=-0.2")
    )
    assert catalogs.fill(path, "ro.po", {(None, TITLE): machine}, lambda entry: True)  # as `translate` fills
    title = next(entry for entry in polib.pofile(str(path)) if entry.msgid == TITLE)
    assert title.tcomment.split("\n") == ["mt: argos en→ro translate-en_ro 1.9 beam=4 score=-0.2", NOTE]

    result = cli.project("review", "ro", input="e\nNATO trebuie să rămână unit.\nq\n")
    assert result.exit_code == 0, result.output
    assert "1 edited" in result.stderr
    assert all(NOTE in comment.split("\n") for comment in notes(path))
    assert any(comment.startswith("edited: ") for comment in notes(path))


def test_a_draft_with_a_note_shaped_like_machine_provenance_is_not_overwritten(cli):
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    annotate(path, "mt: check the verb with Ana", draft="NATO să fie unită (ciornă)")
    assert cli.project("align", *pair(cli), "--write").exit_code == 0
    title = next(entry for entry in polib.pofile(str(path)) if entry.msgid == TITLE)
    assert (title.msgstr, title.tcomment) == ("NATO să fie unită (ciornă)", "mt: check the verb with Ana")


def test_a_note_shaped_like_a_merged_line_does_not_make_an_entry_merged():
    po = pofile.parse(
        'msgid ""\nmsgstr ""\n\n# merged: see above\nmsgid "A."\nmsgstr ""\n\n# mt: done by hand\n'
        '#, fuzzy\nmsgid "B."\nmsgstr "B!"\n',
        "x.po",
    )
    untranslated, draft = po
    assert not is_merged(untranslated) and provenance_of(untranslated) is None
    assert not is_machine_suggestion(draft)
    tool = pofile.Entry(msgid="C.", tcomment="merged: with the entry above; msgstr stays empty (aligned: x.md:9)")
    assert is_merged(tool)
