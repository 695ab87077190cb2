"""POT and PO catalogs: valid for gettext, polib and Babel; merges that lose nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po

from translate_flow import catalogs
from translate_flow.errors import InputError
from translate_flow.pipeline import Project
from translate_flow.plurals import plural_forms
from translate_flow.provenance import Provenance

from .conftest import REPO, SAMPLE, po_path

SOURCE = Path("sources/en") / f"{SAMPLE}.md"


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


def translate(path: Path, mapping: dict[str, str], fuzzy: bool = False) -> None:
    """What a translator does in Poedit: fill msgstr lines, mark them reviewed or not, and save."""
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    po.save()


def edit_source(root: Path, old: str, new: str) -> None:
    path = root / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_every_catalog_passes_msgfmt_polib_and_babel(project: Project):
    project.extract()
    project.update()
    files = sorted(project.root.glob("locales/**/*.po*"))
    assert [f.relative_to(project.root).as_posix() for f in files] == [
        f"locales/de/{SAMPLE}.po",
        f"locales/fr/{SAMPLE}.po",
        f"locales/ro/{SAMPLE}.po",
        f"locales/templates/{SAMPLE}.pot",
    ]
    for path in files:
        msgfmt_check(path)
        assert len(polib.pofile(str(path))) == 17
        with path.open("rb") as stream:
            assert len(read_po(stream)) == 17


def test_template_entries_name_file_line_and_place(project: Project):
    project.extract()
    pot = polib.pofile(str(project.root / f"locales/templates/{SAMPLE}.pot"))
    first, second, third = pot[0], pot[1], pot[2]
    assert (first.msgid, first.comment, first.occurrences) == ("NATO must stay united", "title", [(str(SOURCE), "2")])
    assert second.comment == "summary"
    assert (third.comment, third.occurrences) == ("paragraph 1, sentence 1", [(str(SOURCE), "9")])
    assert [e.msgctxt for e in pot] == [None] * 17


def test_po_header_is_complete(project: Project):
    project.run()
    metadata = polib.pofile(str(po_path(project.root, "ro"))).metadata
    assert metadata["Language"] == "ro"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["Plural-Forms"] == "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;"
    assert metadata["Project-Id-Version"] == "newsroom 2024.11"
    assert metadata["PO-Revision-Date"] == metadata["POT-Creation-Date"] == "2024-11-05 12:00+0000"
    for key in ("Report-Msgid-Bugs-To", "Last-Translator", "Language-Team", "MIME-Version"):
        assert key in metadata


@pytest.mark.parametrize("locale", ["ro", "fr", "de", "pt_BR", "ar", "ru", "ja", "sw"])
def test_plural_forms_pass_msgfmt(tmp_path, locale):
    path = tmp_path / "p.po"
    path.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {locale}\\n"\n'
        f'"Plural-Forms: {plural_forms(locale)}\\n"\n\n'
        'msgid "one file"\nmsgid_plural "%d files"\n' + "".join(f'msgstr[{i}] "x"\n' for i in range(6)),
        encoding="utf-8",
    )
    nplurals = int(re.search(r"nplurals=(\d)", plural_forms(locale)).group(1))
    text = path.read_text().split("msgstr[0]")[0] + "".join(f'msgstr[{i}] "x"\n' for i in range(nplurals))
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_running_twice_changes_no_byte(project: Project, monkeypatch):
    project.run()
    snapshot = {p: p.read_bytes() for p in project.root.glob("locales/**/*.po*")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # years later: still no date churn
    report = project.run()
    assert [p for p in report.written if p.startswith("locales")] == []
    assert {p: p.read_bytes() for p in project.root.glob("locales/**/*.po*")} == snapshot


def test_pot_and_po_wrap_the_same(project: Project):
    project.run()
    pot = (project.root / f"locales/templates/{SAMPLE}.pot").read_text(encoding="utf-8")
    po = po_path(project.root, "de").read_text(encoding="utf-8")
    blocks = lambda text: [b for b in text.split("\n\n") if "#. paragraph" in b]  # noqa: E731
    assert [b.split("msgstr")[0] for b in blocks(pot)] == [b.split("msgstr")[0] for b in blocks(po)]
    assert max(len(line) for line in pot.splitlines() if not line.startswith('"Plural')) <= 79


def test_update_keeps_translations_and_flags(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {"NATO must stay united": "NATO trebuie să rămână unită"})
    translate(path, {"He was in Berlin for talks with German chancellor Olaf Scholz.": "A fost la Berlin."}, fuzzy=True)
    project.update()
    po = polib.pofile(str(path))
    assert po.find("NATO must stay united").msgstr == "NATO trebuie să rămână unită"
    entry = po.find("He was in Berlin for talks with German chancellor Olaf Scholz.")
    assert (entry.msgstr, entry.flags) == ("A fost la Berlin.", ["fuzzy"])


def test_changed_sentence_becomes_fuzzy_with_previous_msgid(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    old = "He was in Berlin for talks with German chancellor Olaf Scholz."
    translate(path, {old: "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."})
    edit_source(project.root, "He was in Berlin", "He was in Berlin on Monday")
    project.run()
    po = polib.pofile(str(path))
    entry = po.find("He was in Berlin on Monday for talks with German chancellor Olaf Scholz.")
    assert entry.msgstr == "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."
    assert entry.flags == ["fuzzy"]
    assert entry.previous_msgid == old
    assert "#| msgid" in path.read_text(encoding="utf-8")
    assert [e for e in po if e.obsolete] == []  # as msgmerge: the inherited entry is not also kept as #~
    msgfmt_check(path)


def test_fuzzy_threshold_is_configurable(project_dir: Path):
    config = project_dir / "translate-flow.toml"
    settings = config.read_text().replace("fuzzy_threshold = 80", "fuzzy_threshold = 99")
    config.write_text(settings.replace("fuzzy_min = 75", "fuzzy_min = 99"))  # run's memory would match it too
    project = Project(project_dir)
    project.run()
    path = po_path(project_dir, "de")
    translate(path, {"He was in Berlin for talks with German chancellor Olaf Scholz.": "Er war in Berlin."})
    edit_source(project_dir, "He was in Berlin", "He was in Berlin on Monday")
    project.run()
    new = polib.pofile(str(path)).find("He was in Berlin on Monday for talks with German chancellor Olaf Scholz.")
    assert new.msgstr == ""  # 93% similar: below 99


def test_vanished_sentences_become_obsolete_and_come_back(project: Project):
    project.run()
    path = po_path(project.root, "de")
    sentence = "Allies are also boosting investment within NATO and one of the priorities is air defence"
    full = sentence + ", especially in the context of the drones entering NATO air space as part of the war."
    translate(path, {full: "Die Verbündeten investieren mehr."})
    edit_source(project.root, " " + full, "")
    project.run()
    po = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [(full, "Die Verbündeten investieren mehr.")]
    assert "#~ msgid" in path.read_text(encoding="utf-8")
    edit_source(project.root, "part of 2024.", "part of 2024. " + full)
    project.run()
    po = polib.pofile(str(path))
    assert po.obsolete_entries() == []
    assert po.find(full).msgstr == "Die Verbündeten investieren mehr."


def test_new_sentences_are_empty_and_in_document_order(project: Project):
    project.run()
    edit_source(project.root, "He was in Berlin", "A new sentence. He was in Berlin")
    project.run()
    po = polib.pofile(str(po_path(project.root, "fr")))
    ids = [e.msgid for e in po if not e.obsolete]
    assert ids[3:5] == ["A new sentence.", "He was in Berlin for talks with German chancellor Olaf Scholz."]
    assert po.find("A new sentence.").msgstr == ""


def test_corrupt_po_is_reported_with_its_line(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[24] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        project.update()
    assert caught.value.path == f"locales/ro/{SAMPLE}.po"
    assert caught.value.line == 25
    assert caught.value.message == "unterminated string"


def test_duplicate_entries_are_refused_not_dropped(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "NATO must stay united"\nmsgstr "Dublură"\n', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate entry"):
        project.update()
    assert "Dublură" in path.read_text(encoding="utf-8")


def test_translator_saving_during_update_loses_nothing(project: Project, monkeypatch):
    """The file changes between read and write: the update merges again from the new version."""
    project.run()
    path = po_path(project.root, "ro")
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")
    real_merge = catalogs.merge
    calls = []

    def merge_while_translator_saves(*args, **kwargs):
        result = real_merge(*args, **kwargs)
        if not calls:
            translate(path, {"NATO must stay united": "Salvat de traducător"})
        calls.append(1)
        return result

    monkeypatch.setattr(catalogs, "merge", merge_while_translator_saves)
    project.update(locales=["ro"])
    po = polib.pofile(str(path))
    assert len(calls) == 2
    assert po.find("NATO must stay united").msgstr == "Salvat de traducător"
    assert po.find("He was in Bucharest for talks with German chancellor Olaf Scholz.") is not None


def test_a_file_that_never_settles_stops_with_a_message(project: Project, monkeypatch):
    project.run()
    path = po_path(project.root, "ro")
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")
    real_merge = catalogs.merge

    def merge_and_touch(*args, **kwargs):
        result = real_merge(*args, **kwargs)
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return result

    monkeypatch.setattr(catalogs, "merge", merge_and_touch)
    with pytest.raises(InputError, match="keeps changing"):
        project.update(locales=["ro"])


def test_writes_are_atomic(project: Project, monkeypatch):
    """A crash during the write leaves the old file whole and no temporary file behind."""
    from translate_flow import files

    project.run()
    path = po_path(project.root, "ro")
    before = path.read_bytes()
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(files, "exchange", crash)
    with pytest.raises(OSError, match="disk full"):
        project.update(locales=["ro"])
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_committed_catalogs_are_what_run_writes(tmp_path: Path):
    """`make run` on a fresh clone leaves git clean: the sample's catalogs are already up to date."""
    root = tmp_path / "clone"
    for name in ("sources", "locales"):
        shutil.copytree(REPO / name, root / name)
    for name in ("translate-flow.toml", "glossary.csv"):
        shutil.copy(REPO / name, root / name)
    Project(root).run()
    committed = {p.relative_to(REPO): p.read_bytes() for p in (REPO / "locales").rglob("*.po*")}
    assert {p.relative_to(root): p.read_bytes() for p in (root / "locales").rglob("*.po*")} == committed


REPLACED = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    '#, fuzzy\n#| msgid "He was in Berlin."\nmsgid "He was in Bucharest."\nmsgstr "A fost la Berlin."\n\n'
    '#~ msgid "He was in Berlin."\n#~ msgstr "{twin}"\n'
)


@pytest.mark.parametrize("twin", ["", "A fost la Berlin luni."])
def test_a_replaced_human_translation_is_kept_even_when_its_old_msgid_has_an_obsolete_twin(tmp_path, twin):
    path = tmp_path / "x.po"
    path.write_text(REPLACED.format(twin=twin), encoding="utf-8")
    machine = catalogs.Suggestion(
        "A fost la București.", Provenance("mt", "argos en→ro translate-en_ro 1.9 beam=4 score=-0.2")
    )
    catalogs.fill(path, "x.po", {(None, "He was in Bucharest."): machine}, lambda entry: True)
    po = polib.pofile(str(path))
    texts = {entry.msgstr for entry in po} | {entry.msgstr for entry in po.obsolete_entries()}
    assert {"A fost la Berlin.", twin} - {""} <= texts
    assert ("A fost la București." in texts) == (twin == "")  # a twin that says something else: no replacing
