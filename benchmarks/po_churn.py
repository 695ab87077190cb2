"""Lines changed in a PO file per edited source sentence: translate-flow's update against msgmerge's.

    .venv/bin/python benchmarks/po_churn.py [--edits 20] [--seed 1]

The sample project is run once, every Romanian entry gets a reviewed
translation, and the file is saved by each editor library in turn (msgcat at
its default width, then the savers of tests/test_pofile.py: msgcat at 70
columns, polib, Babel, translate-toolkit), as translators' tools would. Then, one at a
time, a random source sentence gets one more word. For each edit both ways
start from the same PO bytes, interleaved:

- translate-flow: ``Project.update`` (extract is part of it);
- msgmerge: ``msgmerge --previous old.po new.pot`` on the template translate-flow
  extracted, the way a gettext project updates its catalogs.

A changed line counts once: ``difflib.unified_diff`` lines starting with + or -.
It prints, per editor, the median and range of changed lines per edit, and the
ratio of translate-flow's median to msgmerge's.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.test_pofile import EDITORS as WRAPPING_EDITORS  # noqa: E402
from translate_flow.pipeline import Project  # noqa: E402

SLUG = "nato-must-stay-united"


def save_with_gettext(path: Path) -> None:
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


# "msgcat" there saves at 70 columns, as an editor with its own wrapping would; "gettext" at msgcat's default.
EDITORS = {"gettext": save_with_gettext} | {f"{name} (tests)": save for name, save in WRAPPING_EDITORS.items()}


def changed_lines(before: str, after: str) -> int:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))


def project_with_reviews(folder: Path, editor) -> Project:
    import polib

    for name in ("sources", "translate-flow.toml", "glossary.csv"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    shutil.rmtree(folder / "sources" / "ro")  # no human edition: every entry is the translator's
    project = Project(folder)
    project.update([SLUG], ["ro"])
    path = project.catalog_path("ro", SLUG)
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr, entry.flags = f"Traducere revizuită: {entry.msgid}", []
    po.save()
    editor(path)
    return project


def edit_one_sentence(project: Project, rng: random.Random) -> None:
    source = project.config.sources_dir / "en" / f"{SLUG}.md"
    text = source.read_text(encoding="utf-8")
    body = text.index("\n---", 4) + 4
    words = [m for m in re.finditer(r"(?<= )[a-z]{4,}(?= )", text) if m.start() > body]
    word = rng.choice(words)
    source.write_text(text[: word.start()] + "really " + text[word.start() :], encoding="utf-8")


def measure(editor_name: str, edits: int, seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        project = project_with_reviews(folder, EDITORS[editor_name])
        path = project.catalog_path("ro", SLUG)
        for _ in range(edits):
            before = path.read_text(encoding="utf-8")
            edit_one_sentence(project, rng)
            project = Project(folder)
            project.extract([SLUG])
            merged = folder / "msgmerge.po"
            pot = project.template_path(SLUG)
            subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(merged), str(path), str(pot)], check=True)
            theirs.append(changed_lines(before, merged.read_text(encoding="utf-8")))
            project.update([SLUG], ["ro"])
            ours.append(changed_lines(before, path.read_text(encoding="utf-8")))
            path.write_text(merged.read_text(encoding="utf-8"), encoding="utf-8")  # both start alike next time
            EDITORS[editor_name](path)
    return ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1730808000")
    print(subprocess.run(["msgmerge", "--version"], capture_output=True, text=True).stdout.split("\n")[0])
    print(f"{'saved by':<26} {'translate-flow':>22} {'msgmerge':>22} {'ratio':>6}")
    for name in EDITORS:
        ours, theirs = measure(name, arguments.edits, arguments.seed)
        ratio = statistics.median(ours) / max(statistics.median(theirs), 1)
        print(
            f"{name:<26} {statistics.median(ours):>10} [{min(ours)}–{max(ours)}]".ljust(42)
            + f"{statistics.median(theirs):>10} [{min(theirs)}–{max(theirs)}]".ljust(22)
            + f"{ratio:>6.2f}"
        )


if __name__ == "__main__":
    main()
