"""Lost edits under concurrent saves: translate-flow in a loop against an editor saving the same PO files.

    .venv/bin/python benchmarks/concurrent_saves.py --edits 2000

The tool runs ``update``, ``translate`` (with genuine tiny Argos models) and
``run`` in a loop, changing a source sentence every few rounds. At the same time
an editor process edits one msgstr at a time (a reviewed translation: no fuzzy)
and saves the whole file, alternately through a temporary file and a rename, and
in place: truncate, then slow chunked writes, as some text editors do.

An edit is lost when its msgstr is not in the file, active or obsolete, under
its msgid or inherited by a changed sentence (``#| msgid``), when the editor
next reads that file or at the end; a later edit of the same entry by the
editor itself supersedes it. A review is lost when a reviewed translation the
editor never touched is no longer reviewed with its text (gone, turned fuzzy,
or replaced by machine output). Exit status 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "nato-must-stay-united"
LOCALES = ("ro", "de", "fr")
# Source edits: each pair is toggled back and forth, so entries go obsolete and come back.
SOURCE_EDITS = [("He was in Berlin", "He was in Bucharest"), ("NATO must stay united", "NATO must stay strong")]


@dataclass
class Outcome:
    edits: int = 0
    lost: list[str] = field(default_factory=list)
    reviews_lost: list[str] = field(default_factory=list)
    tool_rounds: int = 0
    refused: int = 0  # rounds that stopped with a one-line error (exit 2)

    def summary(self) -> str:
        return (
            f"edits: {self.edits}, lost: {len(self.lost)}, reviews lost: {len(self.reviews_lost)}, "
            f"tool rounds: {self.tool_rounds} ({self.refused} refused)"
        )


def catalog(root: Path, locale: str) -> Path:
    return root / "locales" / locale / f"{SLUG}.po"


def make_project(folder: Path, sample: Path = REPO) -> Path:
    """The sample project of ``sample`` (a checkout: its settings must suit the code under test)."""
    root = folder / "project"
    root.mkdir(parents=True)
    shutil.copytree(sample / "sources", root / "sources")
    shutil.copy(sample / "translate-flow.toml", root)
    shutil.copy(sample / "glossary.csv", root)
    return root


def install_models(folder: Path) -> None:
    """Genuine, untrained en→ro/de/fr packages, installed with translate-flow's own installer."""
    from translate_flow import packages
    from translate_flow.synthetic import build_package

    text = (REPO / "sources" / "en" / f"{SLUG}.md").read_text(encoding="utf-8") * 3
    for index, locale in enumerate(LOCALES):
        if packages.find("en", locale) is None:
            packages.install_archive(build_package("en", locale, text, folder / f"en_{locale}.argosmodel", seed=index))


def remove_models() -> None:
    from translate_flow import packages

    for locale in LOCALES:
        if packages.find("en", locale) is not None:
            packages.remove("en", locale)


def seed(root: Path) -> dict[str, dict[str, str]]:
    """Run once, then mark every other entry reviewed: the work that must never be lost."""
    import polib

    from translate_flow.pipeline import Project

    Project(root).run()
    seeded: dict[str, dict[str, str]] = {}
    for locale in LOCALES:
        path = catalog(root, locale)
        po = polib.pofile(str(path), wrapwidth=79)
        seeded[locale] = {}
        for index, entry in enumerate(e for e in po if not e.obsolete):
            if index % 2 == 0:
                entry.msgstr = f"Revizuit {locale} {index}"
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                entry.previous_msgid = None
                seeded[locale][key_of(entry)] = entry.msgstr
        path.write_text(str(po), encoding="utf-8")
    return seeded


def key_of(entry) -> str:
    return json.dumps([entry.msgctxt, entry.msgid])


def translations(data: bytes) -> dict[str, set[str]]:
    """Every msgstr by key, active and obsolete; also under the ``#| msgid`` a changed sentence inherited it from."""
    import polib

    found: dict[str, set[str]] = {}
    for entry in polib.pofile(data.decode("utf-8")):
        found.setdefault(key_of(entry), set()).add(entry.msgstr)
        if entry.previous_msgid:
            previous = json.dumps([entry.previous_msgctxt or entry.msgctxt, entry.previous_msgid])
            found.setdefault(previous, set()).add(entry.msgstr)
    return found


# -- The editor ---------------------------------------------------------------------------------


def save_by_rename(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".edit~")
    temporary.write_bytes(data)
    os.rename(temporary, path)


def save_in_place(path: Path, data: bytes, chunk: int = 700) -> None:
    with open(path, "wb", buffering=0) as stream:  # O_TRUNC: the file is empty from here on
        for start in range(0, len(data), chunk):
            stream.write(data[start : start + chunk])
            time.sleep(0.0005)


def editor(root: Path, edits: int, random_seed: int, log: Path, seeded: dict[str, dict[str, str]]) -> None:
    """Edit and save; check at each read that the earlier edits of that file are still there.

    The seeded reviews are left alone, to check that the tool keeps them too, wherever
    a changed source sentence carried them.
    """
    import polib

    chance = random.Random(random_seed)
    latest: dict[str, dict[str, str]] = {locale: {} for locale in LOCALES}  # locale → key → msgstr
    lost: list[str] = []
    for number in range(edits):
        locale = chance.choice(LOCALES)
        path = catalog(root, locale)
        data = path.read_bytes()
        present = translations(data)
        for key, text in list(latest[locale].items()):
            if text not in present.get(key, set()):
                lost.append(f"{locale} {key} {text!r} (seen at edit {number})")
                del latest[locale][key]
        po = polib.pofile(data.decode("utf-8"), wrapwidth=79)
        reviews = set(seeded[locale].values())
        entry = chance.choice(
            [e for e in po if not e.obsolete and key_of(e) not in seeded[locale] and e.msgstr not in reviews]
        )
        for key, text in list(latest[locale].items()):
            if text == entry.msgstr:  # a changed sentence inherited this edit: the editor now replaces it
                del latest[locale][key]
        entry.msgstr = f"Editat {number}"
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        latest[locale][key_of(entry)] = entry.msgstr
        (save_by_rename if number % 2 else save_in_place)(path, str(po).encode("utf-8"))
        time.sleep(chance.uniform(0, 0.004))
    log.write_text(json.dumps({"latest": latest, "lost": lost}), encoding="utf-8")


# -- The tool -----------------------------------------------------------------------------------


def toggle_source(root: Path, round_number: int) -> None:
    path = root / "sources" / "en" / f"{SLUG}.md"
    old, new = SOURCE_EDITS[round_number % len(SOURCE_EDITS)]
    text = path.read_text(encoding="utf-8")
    text = text.replace(old, new) if old in text else text.replace(new, old)
    path.write_text(text, encoding="utf-8")


def run_tool_until(root: Path, editing: subprocess.Popen, outcome: Outcome) -> None:
    from translate_flow.errors import InputError
    from translate_flow.pipeline import Project

    project = Project(root)
    steps = (project.update, project.translate, project.run)
    while editing.poll() is None:
        if outcome.tool_rounds % 4 == 3:
            toggle_source(root, outcome.tool_rounds // 4)
        try:
            steps[outcome.tool_rounds % len(steps)]()
        except InputError:  # exit 2 with one line: the file kept changing, or was read half-written
            outcome.refused += 1
        outcome.tool_rounds += 1


def final_check(root: Path, log: Path, seeded: dict[str, dict[str, str]], outcome: Outcome) -> None:
    import polib

    result = json.loads(log.read_text(encoding="utf-8"))
    outcome.lost += result["lost"]
    for locale in LOCALES:
        data = catalog(root, locale).read_bytes()
        present = translations(data)
        for key, text in result["latest"][locale].items():
            if text not in present.get(key, set()):
                outcome.lost.append(f"{locale} {key} {text!r} (at the end)")
        entries = {key_of(e): e for e in polib.pofile(data.decode("utf-8")) if not e.obsolete}
        for key, text in seeded[locale].items():  # the editor never touches these
            entry = entries.get(key)
            if entry is None:
                if text not in present.get(key, set()):  # its sentence left the source: kept obsolete
                    outcome.reviews_lost.append(f"{locale} {key} {text!r}: gone")
            elif entry.msgstr != text or "fuzzy" in entry.flags:
                outcome.reviews_lost.append(f"{locale} {key} {text!r}: now {entry.msgstr!r} {entry.flags}")


def stress(folder: Path, edits: int, random_seed: int = 1, sample: Path = REPO) -> Outcome:
    """The whole experiment in ``folder``; models must be installed (``install_models``)."""
    root = make_project(folder, sample)
    seeded = seed(root)
    log = folder / "editor.json"
    (folder / "seeded.json").write_text(json.dumps(seeded), encoding="utf-8")
    command = [sys.executable, __file__, "--editor", str(root), "--edits", str(edits), "--seed", str(random_seed)]
    editing = subprocess.Popen([*command, "--log", str(log)])
    outcome = Outcome(edits=edits)
    try:
        run_tool_until(root, editing, outcome)
    finally:
        editing.wait()
    if editing.returncode != 0:
        raise RuntimeError(f"the editor failed with exit status {editing.returncode}")
    final_check(root, log, seeded, outcome)
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=Path, default=REPO, help="the checkout whose sample project to use")
    parser.add_argument("--editor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.editor:
        seeded = json.loads((arguments.log.parent / "seeded.json").read_text(encoding="utf-8"))
        editor(arguments.editor, arguments.edits, arguments.seed, arguments.log, seeded)
        return 0
    with tempfile.TemporaryDirectory(prefix="concurrent-saves-") as scratch:
        folder = Path(scratch)
        os.environ["ARGOS_PACKAGES_DIR"] = str(folder / "packages")  # before argostranslate reads its settings
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        install_models(folder)
        started = time.monotonic()
        outcome = stress(folder, arguments.edits, arguments.seed, arguments.sample)
        print(outcome.summary(), f"in {time.monotonic() - started:.0f} s")
        for line in (outcome.lost + outcome.reviews_lost)[:20]:
            print("  ", line)
    return 1 if outcome.lost or outcome.reviews_lost else 0


if __name__ == "__main__":
    sys.exit(main())
