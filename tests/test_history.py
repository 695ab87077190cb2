"""The history of reviewed translations: what it records, what it brings back, and what it leaves alone."""

from __future__ import annotations

import json
import os

from translate_flow.history import History
from translate_flow.pofile import Entry, PoFile
from translate_flow.provenance import Provenance, merged

NOTE = "history: a reviewed translation, restored; check it, then clear fuzzy"  # what the translator reads
MT = Provenance("mt", "argos en→ro translate-en_ro 1.9 beam=4 score=-0.20").format()


def recorded(tmp_path, translations: dict[str, str]) -> History:
    """A history that saw these reviewed translations of c.po, read back as a later run reads it."""
    History(tmp_path / "reviewed.jsonl").record("c.po", PoFile([Entry(k, v) for k, v in translations.items()]))
    return History(tmp_path / "reviewed.jsonl")


def test_reviewed_translations_are_recorded_once_and_read_back_by_a_later_run(tmp_path):
    path = tmp_path / "project" / ".translate-flow" / "reviewed.jsonl"
    store = History(path)
    po = PoFile(
        [
            Entry("a", "Ăsta"),
            Entry("b", "B", msgctxt="2"),
            Entry("c", "C draft", flags=["fuzzy"]),
            Entry("d", ""),
            Entry("e", "E old", obsolete=True),
            Entry("f", "", msgid_plural="fs", msgstr_plural={0: "F", 1: "Fs"}),
        ]
    )
    assert store.record("c.po", po) == 2
    assert store.record("c.po", po) == 0
    later = History(path)
    keys = [(None, "a"), ("2", "b"), (None, "c"), (None, "d"), (None, "e"), (None, "f"), (None, "b")]
    assert [later.reviewed("c.po", *key) for key in keys] == ["Ăsta", "B", None, None, None, None, None]
    assert later.reviewed("other.po", None, "a") is None
    assert later.record("c.po", po) == 0  # a later run does not record them again
    text = path.read_text(encoding="utf-8")
    assert [json.loads(line)["msgid"] for line in text.splitlines()] == ["a", "b"]
    assert "Ăsta" in text  # readable as written: grep finds a translation


def test_a_changed_reviewed_translation_is_appended_and_the_latest_wins(tmp_path):
    store = recorded(tmp_path, {"a": "A1"})
    assert store.record("c.po", PoFile([Entry("a", "A2")])) == 1
    assert History(tmp_path / "reviewed.jsonl").reviewed("c.po", None, "a") == "A2"
    assert len((tmp_path / "reviewed.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_a_missing_history_knows_nothing_and_stays_missing_until_something_is_reviewed(tmp_path):
    store = History(tmp_path / "reviewed.jsonl")
    assert store.reviewed("c.po", None, "a") is None
    assert store.record("c.po", PoFile([Entry("a", "")])) == 0
    assert store.restore("c.po", PoFile([Entry("a", "")])) == 0
    assert not (tmp_path / "reviewed.jsonl").exists()


def test_recording_leaves_no_descriptor_open(tmp_path):
    store = History(tmp_path / "reviewed.jsonl")
    before = len(os.listdir("/proc/self/fd"))
    for number in range(5):
        store.record("c.po", PoFile([Entry("a", f"A{number}")]))
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_lost_translation_comes_back_fuzzy_with_a_note_and_the_translators_comments(tmp_path):
    store = recorded(tmp_path, {"a": "A", "b": "B", "c": "C"})
    lost = Entry("a", "", tcomment="ask Ana\naligned: x.md:3 score=0.90", previous_msgid="old a", previous_msgctxt="x")
    machine = Entry("b", "B (mt)", flags=["fuzzy"], tcomment=MT)  # machine output where a review stood
    bare = Entry("c", "")
    po = PoFile([lost, machine, bare])
    assert store.restore("c.po", po) == 3
    assert [(e.msgstr, e.fuzzy, e.previous_msgid, e.previous_msgctxt) for e in po] == [
        ("A", True, None, None),
        ("B", True, None, None),
        ("C", True, None, None),
    ]
    assert [e.tcomment for e in po] == [f"{NOTE}\nask Ana", NOTE, NOTE]
    lost.msgstr = ""  # lost again: still one note
    assert store.restore("c.po", po) == 1
    assert lost.tcomment == f"{NOTE}\nask Ana"


def test_what_is_not_a_loss_stays_as_it_is(tmp_path):
    store = recorded(tmp_path, {m: m.upper() for m in "abcdefg"})
    po = PoFile(
        [
            Entry("a", "a (mt)", flags=["fuzzy"], tcomment=MT, previous_msgid="old a"),  # a changed sentence's
            Entry("b", "", tcomment=merged("").format()),  # said by the entry above
            Entry("c", "c draft", flags=["fuzzy"]),  # a translator's unfinished work
            Entry("d", "", obsolete=True),
            Entry("e", "", msgid_plural="es", msgstr_plural={0: "", 1: ""}),  # now a plural: one msgstr won't do
            Entry("f", "F", flags=["fuzzy"], tcomment=MT),  # the machine says what the reviewer said
            Entry("g", "G"),
            Entry("h", ""),  # never reviewed
        ]
    )
    before = [(e.msgstr, list(e.flags), e.tcomment, e.previous_msgid) for e in po]
    assert store.restore("c.po", po) == 0
    assert [(e.msgstr, list(e.flags), e.tcomment, e.previous_msgid) for e in po] == before


def test_a_history_line_cut_short_by_a_kill_is_skipped(tmp_path):
    store = tmp_path / "reviewed.jsonl"
    row = {"catalog": "c.po", "msgctxt": None, "msgid": "a", "msgstr": "A"}
    store.write_text(json.dumps(row) + "\n" + '{"catalog": "c.po", "msgid', encoding="utf-8")
    assert History(store).reviewed("c.po", None, "a") == "A"


def test_the_history_gets_the_umasks_mode(tmp_path):
    previous = os.umask(0o002)
    try:
        assert History(tmp_path / "reviewed.jsonl").record("c.po", PoFile([Entry("a", "A")])) == 1
    finally:
        os.umask(previous)
    assert (tmp_path / "reviewed.jsonl").stat().st_mode & 0o777 == 0o664
