"""The end of `run`: where each locale stands, and the next command a newcomer should type."""

from __future__ import annotations

from collections import Counter

import polib

from translate_flow.pipeline import Project
from translate_flow.summary import LocaleSummary, describe, summarize

from .conftest import po_path
from .test_catalogs import translate


def test_counts_follow_each_suggestions_origin(project: Project):
    project.update()
    path = po_path(project.root, "de")
    po = polib.pofile(str(path))
    entries = [e for e in po if not e.obsolete]
    comments = [
        "mt: argos en→de x 1.0 beam=4 score=-0.5",
        "tm: locales/memory.tmx",
        "aligned: sources/de/x.md:3 score=0.9",
    ]
    for entry, comment in zip(entries[:3], comments, strict=True):
        entry.msgstr, entry.flags, entry.tcomment = "Vorschlag", ["fuzzy"], comment
    entries[3].msgstr, entries[3].flags = "Geändert", ["fuzzy"]  # inherited when the source changed
    entries[4].msgstr = "Geprüft"
    po.save()
    (de,) = [s for s in summarize(project) if s.locale == "de"]
    assert (de.entries, de.reviewed, de.untranslated) == (17, 1, 12)
    assert de.waiting == Counter(
        {"machine translation": 1, "translation memory": 1, "the human edition": 1, "an earlier source text": 1}
    )
    assert describe(de, [])[0] == (
        "de: 1 of 17 entries reviewed; 4 waiting for review (1 from an earlier source text, 1 from machine "
        "translation, 1 from the human edition, 1 from translation memory); 12 untranslated"
    )
    assert describe(de, [])[-1] == "    next: translate-flow review de"


def test_a_fully_reviewed_locale_is_told_to_publish(project: Project):
    project.update(locales=["fr"])
    path = po_path(project.root, "fr")
    translate(path, {e.msgid: f"fr {e.msgid}" for e in polib.pofile(str(path)) if not e.obsolete})
    (fr,) = summarize(project, locales=["fr"])
    assert describe(fr, []) == [
        "fr: 17 of 17 entries reviewed; 0 waiting for review; 0 untranslated",
        "    next: translate-flow publish",
    ]


def test_untranslated_entries_with_a_model_point_to_translate():
    summary = LocaleSummary("ro", ["en"], entries=3, reviewed=1, untranslated=2)
    assert describe(summary, ["en→de"])[-1] == (
        "    next: translate locales/ro/*.po in a PO editor, or translate-flow translate"
    )
    assert describe(summary, ["en→ro"])[-1] == (
        "    next: translate-flow models install en ro, or translate locales/ro/*.po in a PO editor"
    )


def test_a_summary_with_nothing_changed_reads_no_count_and_a_save_is_counted(project: Project, monkeypatch):
    """Each article's counts are kept with the stat of its source and catalogs: a stat that moved is counted again."""
    from translate_flow import filetimes, summary

    monkeypatch.setattr(filetimes, "RACY_NS", 0)  # as a later cron tick finds the files: all quiet
    monkeypatch.setattr(filetimes, "FINE_RACY_NS", 0)
    project.update()
    first = summarize(Project(project.root))
    counted: list = []
    real = summary._counts
    monkeypatch.setattr(summary, "_counts", lambda *args: counted.append(args[2]) or real(*args))
    assert summarize(Project(project.root)) == first
    assert counted == []
    path = po_path(project.root, "de")
    po = polib.pofile(str(path))
    next(e for e in po if not e.obsolete).msgstr = "Geprüft"
    po.save()
    (de,) = [s for s in summarize(Project(project.root)) if s.locale == "de"]
    assert de.reviewed == 1 and path in counted
