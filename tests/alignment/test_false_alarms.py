"""False alarms of `check` on correct human translations, with pofilter's on the same files beside them.

The catalogs are what `align --write` makes, with the gold alignment, of the labelled set's close
translations and of the gold editions (merges, splits, dropped and added sentences): every entry
is a correct human translation. The loose rewrites are counted beside them: a rewrite may
legitimately drop a number or shorten a sentence, which the checks are there to point out.
Run with -s to see the counts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from translate_flow.align import Bead
from translate_flow.pipeline import Project

from ..conftest import REPO
from .devset import cases, edition_cases


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory) -> tuple[Project, list[Path]]:
    """The catalogs of the close translations and editions ("translation") and of the rewrites ("rewrite")."""
    root = tmp_path_factory.mktemp("human")
    shutil.copy(REPO / "translate-flow.toml", root)
    shutil.copy(REPO / "glossary.csv", root)
    chosen = [c for c in cases(tmp_path_factory.mktemp("devset")) if c.variant in ("close", "loose")]
    chosen += [c for c in edition_cases() if c.name.endswith(" ro")]
    for case in chosen:
        slug = case.name.replace(" ", "-")
        for language, article in (("en", case.source), ("ro", case.target)):
            folder = root / "sources" / language
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{slug}.md").write_text(article.path.read_text(encoding="utf-8"), encoding="utf-8")
    project = Project(root)
    paths = []
    for case in chosen:
        slug = case.name.replace(" ", "-")
        source, target = (project.read_edition(root / "sources" / lang / f"{slug}.md") for lang in ("en", "ro"))
        beads = _in_document_order([Bead(s, t, 1.0) for s, t in case.gold])
        project.write_alignment(source, target, beads)
        path = project.catalog_path("ro", slug)
        po = polib.pofile(str(path))
        for entry in po:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]  # reviewed: a human wrote them
        po.save()
        paths.append(path)
    return project, paths


def _in_document_order(beads: list[Bead]) -> list[Bead]:
    """Beads by their first source sentence; a sentence the edition added goes after the bead before it."""
    ordered = sorted((b for b in beads if b.source), key=lambda b: b.source[0])
    for bead in sorted((b for b in beads if not b.source), key=lambda b: b.target[0]):
        before = [k for k, b in enumerate(ordered) if bead.target[0] - 1 in b.target]
        ordered.insert(before[0] + 1 if before else 0, bead)
    return ordered


def pofilter_flagged(path: Path, out: Path) -> int:
    pofilter = Path(sys.executable).parent / "pofilter"
    subprocess.run([str(pofilter), "--language=ro", str(path), str(out)], check=True, capture_output=True)
    if not out.is_file() or not out.read_text(encoding="utf-8").strip():
        return 0  # nothing flagged
    flagged = [e for e in polib.pofile(str(out)) if e.msgid and not e.obsolete]
    return sum(1 for e in flagged if "(pofilter) untranslated" not in e.tcomment or e.tcomment.count("(pofilter)") > 1)


def test_at_most_one_false_alarm_per_hundred_human_translations(catalogs, tmp_path):
    project, paths = catalogs
    findings = project.check(["ro"])
    flagged = {}
    for kind, chosen in (
        ("translations", [p for p in paths if "-loose" not in p.stem]),
        ("rewrites", [p for p in paths if "-loose" in p.stem]),
    ):
        entries = sum(1 for p in chosen for e in polib.pofile(str(p)) if not e.obsolete and e.msgstr not in ("", "^"))
        ours = {(f.path, f.line) for f in findings if Path(f.path).stem in {p.stem for p in chosen}}
        theirs = sum(pofilter_flagged(path, tmp_path / f"{path.stem}.pofilter.po") for path in chosen)
        print(f"\n{kind}: {len(chosen)} catalogs, {entries} entries; check flags {len(ours)}, pofilter {theirs}")
        flagged[kind] = (entries, len(ours))
    for finding in findings:
        print(f"  {finding}")
    entries, ours = flagged["translations"]
    assert entries >= 100
    assert ours <= entries / 100
