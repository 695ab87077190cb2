"""No lost edits while translators save: the stress benchmark, short, and the history of reviewed translations."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from translate_flow import catalogs, history
from translate_flow.pipeline import Project

from .conftest import load_benchmark, po_path
from .test_catalogs import edit_source, translate


@pytest.fixture(scope="module")
def stress():
    module = load_benchmark("concurrent_saves")
    yield module
    module.remove_models()


def test_no_edit_is_lost_while_the_tool_runs(stress, tmp_path):
    """update, translate and run in a loop, source edits included, against 200 editor saves."""
    stress.install_models(tmp_path)
    outcome = stress.stress(tmp_path, edits=200)
    assert outcome.lost == []
    assert outcome.reviews_lost == []
    assert outcome.tool_rounds >= 3  # the tool did run against the editor


def test_the_stress_check_sees_a_lost_edit_and_a_lost_review(stress, tmp_path):
    """The benchmark's verdict can fail: a file missing an edit, a review turned machine output."""
    root = stress.make_project(tmp_path)
    seeded = stress.seed(root)
    path = stress.catalog(root, "ro")
    po = polib.pofile(str(path))
    reviewed_key = next(iter(seeded["ro"]))
    entry = next(e for e in po if stress.key_of(e) == reviewed_key)
    entry.msgstr, entry.flags = "mt output", ["fuzzy"]
    po.save()
    log = tmp_path / "editor.json"
    edit = {"ro": {reviewed_key.replace("NATO", "X"): "Editat 1"}, "de": {}, "fr": {}}
    log.write_text(json.dumps({"latest": edit, "lost": []}), encoding="utf-8")
    outcome = stress.Outcome(edits=1)
    stress.final_check(root, log, seeded, outcome)
    assert len(outcome.lost) == 1 and "Editat 1" in outcome.lost[0]
    assert len(outcome.reviews_lost) == 1 and "mt output" in outcome.reviews_lost[0]


def reviewed_entry(path: Path, msgid: str) -> polib.POEntry:
    return next(e for e in polib.pofile(str(path)) if e.msgid == msgid and not e.obsolete)


SENTENCE = "NATO must stay united"


def test_a_reviewed_translation_that_vanishes_comes_back_fuzzy(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {SENTENCE: "NATO trebuie să rămână unită"})
    project.update()  # seen: recorded in the history
    translate(path, {SENTENCE: ""})  # lost, e.g. by a save that went wrong
    Project(project.root).update()  # a later run: the history comes from the file
    entry = reviewed_entry(path, SENTENCE)
    assert entry.msgstr == "NATO trebuie să rămână unită"
    assert "fuzzy" in entry.flags
    assert history.RESTORED in entry.tcomment
    lines = (project.root / ".translate-flow" / "reviewed.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))  # each translation recorded once


def test_a_reviewed_translation_is_never_replaced_by_machine_output(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {SENTENCE: "NATO trebuie să rămână unită"})
    project.update()
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == SENTENCE)
    entry.msgstr, entry.flags, entry.tcomment = (
        "gibberish",
        ["fuzzy"],
        "mt: argos en→ro translate-en_ro 1.0 beam=4 score=-1.00",
    )
    po.save()
    project.update()
    entry = reviewed_entry(path, SENTENCE)
    assert entry.msgstr == "NATO trebuie să rămână unită"
    assert not catalogs.is_machine_suggestion(entry)


def test_a_translators_unfinished_work_is_not_replaced_by_the_history(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {SENTENCE: "Prima"})
    project.update()
    translate(path, {SENTENCE: "A doua, încă nesigură"}, fuzzy=True)
    project.update()
    entry = reviewed_entry(path, SENTENCE)
    assert entry.msgstr == "A doua, încă nesigură"
    assert history.RESTORED not in entry.tcomment


def test_a_changed_source_sentence_takes_nothing_from_the_history(project: Project):
    """History is keyed by msgid: a new sentence gets the normal fuzzy match, not the old text restored."""
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {SENTENCE: "NATO trebuie să rămână unită"})
    project.update()
    edit_source(project.root, SENTENCE + "\n", "NATO must remain united\n")
    project.update()
    assert not any(history.RESTORED in e.tcomment for e in polib.pofile(str(path)))


def test_a_translator_can_change_a_reviewed_translation(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {SENTENCE: "Prima"})
    project.update()
    translate(path, {SENTENCE: "A doua"})
    project.update()
    translate(path, {SENTENCE: ""})
    project.update()
    assert reviewed_entry(path, SENTENCE).msgstr == "A doua"  # the latest reviewed text, not the first


def test_reviewed_machine_output_inherited_by_a_changed_sentence_stays(project: Project):
    """Reviewed MT text keeps its ``# mt:`` line; inherited as fuzzy, it must not pass for a machine suggestion."""
    project.run()
    path = po_path(project.root, "ro")
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith("He was in Berlin"))
    entry.msgstr, entry.flags, entry.tcomment = "Revizuit", [], "mt: argos en→ro translate-en_ro 1.0 beam=4 score=-1.00"
    po.save()
    project.update()
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")
    project.update()
    entry = next(e for e in polib.pofile(str(path)) if e.msgid.startswith("He was in Bucharest"))
    assert entry.msgstr == "Revizuit" and "fuzzy" in entry.flags
    assert not catalogs.is_machine_suggestion(entry)
