"""``translate-flow update`` against ``msgmerge --previous`` after editors changed some sentences.

    .venv/bin/python benchmarks/update_vs_msgmerge.py [--articles 2000] [--edits 1000] [--repeats 3]

A newsroom project (benchmarks/newsroom.py, 3 target locales) is extracted and
updated, and every entry is given a translation, so that a changed sentence has
an old translation to inherit. Then one sentence is edited in each of ``--edits``
articles and the POTs are extracted again. Timed, in CPU seconds of the process:

- translate-flow: ``translate-flow update`` (a new process; catalogs written);
- msgmerge: for each locale, ``msgmerge --previous`` of that locale's catalogs
  concatenated into one PO (``msgcat --use-first``) with the new POTs concatenated
  into one POT. Fuzzy matching is on in both.

Each repetition restores the catalogs and runs both ways, in alternating order.
Reported: medians [min–max], the ratio of medians, and how many fuzzy entries each
way produced and how many of them are the same (msgctxt, msgid).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsroom import edit_one_sentence, make_project

from translate_flow.pipeline import Project

LOCALES = ("ro", "de", "fr")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path) -> float:
    before = children_cpu()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return children_cpu() - before


def translate_everything(root: Path) -> None:
    """A stand-in translation for every entry: the msgid reversed word by word."""
    for path in root.glob("locales/*/*.po"):
        po = polib.pofile(str(path), wrapwidth=79)
        for entry in po:
            entry.msgstr = " ".join(reversed(entry.msgid.split(" ")))
        po.save()


def fuzzy_keys(paths: list[Path]) -> set[tuple[str, str | None, str]]:
    keys = set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            if "fuzzy" in entry.flags and not entry.obsolete:
                keys.add((path.parent.name, entry.msgctxt, entry.msgid))
    return keys


def concatenated(files: list[Path], output: Path) -> Path:
    subprocess.run(["msgcat", "--use-first", "-o", str(output), *map(str, files)], check=True)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="msgmerge-bench-"))
    try:
        root = make_project(work / "project", options.articles)
        project = Project(root)
        project.extract()
        project.update()
        translate_everything(root)
        Project(root).update()  # catalogs as translate-flow writes them; the state knows them
        olds = {loc: concatenated(sorted(root.glob(f"locales/{loc}/*.po")), work / f"old-{loc}.po") for loc in LOCALES}
        entries = sum(1 for e in polib.pofile(str(olds["ro"])) if not e.obsolete)
        for number in range(0, options.articles, max(1, options.articles // options.edits))[: options.edits]:
            edit_one_sentence(root, number)
        Project(root).extract()
        pot = concatenated(sorted(root.glob("locales/templates/*.pot")), work / "new.pot")
        saved = work / "saved-locales"
        shutil.copytree(root / "locales", saved)
        shutil.copy(root / ".translate-flow" / "state.sqlite3", work / "saved-state.sqlite3")

        times: dict[str, list[float]] = {"translate-flow": [], "msgmerge": []}
        for repeat in range(options.repeats):
            ways = ["translate-flow", "msgmerge"] if repeat % 2 == 0 else ["msgmerge", "translate-flow"]
            for way in ways:
                shutil.rmtree(root / "locales")
                shutil.copytree(saved, root / "locales")
                shutil.copy(work / "saved-state.sqlite3", root / ".translate-flow" / "state.sqlite3")
                if way == "translate-flow":
                    command = [sys.executable, "-c", "from translate_flow.cli import app; app()", "update"]
                    times[way].append(timed(command, root))
                    ours = fuzzy_keys(sorted(root.glob("locales/*/*.po")))
                else:
                    times[way].append(
                        sum(
                            timed(
                                ["msgmerge", "--previous", "-q", "-o", f"merged-{loc}.po", str(olds[loc]), str(pot)],
                                work,
                            )
                            for loc in LOCALES
                        )
                    )
            print(f"repetition {repeat + 1}: done", file=sys.stderr)

        theirs = set()
        for loc in LOCALES:
            theirs |= {(loc, c, m) for (_, c, m) in fuzzy_keys([work / f"merged-{loc}.po"])}
        print(f"{options.articles} articles, {entries} entries per locale, {options.edits} edited sentences, 3 locales")
        for way, values in times.items():
            print(f"  {way:<15} {statistics.median(values):7.2f} s CPU [{min(values):.2f}–{max(values):.2f}]")
        ratio = statistics.median(times["msgmerge"]) / statistics.median(times["translate-flow"])
        print(f"  translate-flow is {ratio:.1f}× faster (ratio of medians)")
        print(f"  fuzzy entries: translate-flow {len(ours)}, msgmerge {len(theirs)}, the same {len(ours & theirs)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
