"""Apertium's rule-based translation (Debian packages), as word knowledge for the aligner.

Debian installs some modes (``/usr/share/apertium/modes/*.mode``, listed by
``apertium -l``) and ships others only in a package's ``modes.xml``
(``apertium-es-ro`` installs ro→es; its es→ro is built but not installed): both
are found here. A route is one mode or two through a pivot (en→es→ro).
Apertium names languages by ISO 639-1 or 639-3 codes ("ro-es", "eng-spa").
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/usr/share/apertium")
ISO_639_1 = {
    "afr": "af", "arg": "an", "cat": "ca", "dan": "da", "deu": "de", "eng": "en", "epo": "eo", "eus": "eu",
    "fra": "fr", "glg": "gl", "isl": "is", "ita": "it", "nld": "nl", "nno": "nn", "nob": "nb", "oci": "oc",
    "por": "pt", "ron": "ro", "rum": "ro", "spa": "es", "swe": "sv",
}  # fmt: skip
RESERVED = re.compile(r"([\[\]{}^$/\\@<>])")  # escaped in Apertium's stream format
STREAM = re.compile(r"\\(.)|\[[^\]]*\]", re.DOTALL)  # an escaped character, or a superblank (formatting)


class ApertiumError(Exception):
    """Apertium failed or answered with a different number of sentences."""


@dataclass(frozen=True)
class Mode:
    name: str  # "eng-spa"
    pipeline: str  # the mode file: a shell pipeline of Apertium's programs


def _pair(name: str) -> tuple[str, str] | None:
    """The two languages of a translation mode ("eng-spa" → en, es); None for other modes ("ro-es-anmor")."""
    parts = name.split("-")
    if len(parts) != 2 or "_" in name:
        return None
    return ISO_639_1.get(parts[0], parts[0]), ISO_639_1.get(parts[1], parts[1])


def _pipeline(folder: Path, mode: ElementTree.Element) -> str:
    """A ``modes.xml`` mode as the mode file Apertium's build would write."""
    steps = []
    for program in mode.iter("program"):
        files = [f"'{folder / file.get('name', '')}'" for file in program.iter("file")]
        steps.append(" ".join([program.get("name", ""), *files]))
    return " | ".join(steps)


@functools.cache  # run aligns every edition: the packages are read once
def modes(root: Path = ROOT) -> dict[tuple[str, str], Mode]:
    """The translation modes on this machine, by language pair; installed ones first."""
    found: dict[tuple[str, str], Mode] = {}
    for path in sorted((root / "modes").glob("*.mode")):
        if pair := _pair(path.stem):
            found.setdefault(pair, Mode(path.stem, path.read_text(encoding="utf-8").strip()))
    for path in sorted(root.glob("apertium-*/modes.xml")):
        try:
            listed = ElementTree.parse(path).getroot().iter("mode")
        except ElementTree.ParseError:  # a broken package's file: its installed modes may still serve
            continue
        for mode in listed:
            pair = _pair(mode.get("name", ""))
            if pair and pair not in found:
                found[pair] = Mode(mode.get("name", ""), _pipeline(path.parent, mode))
    return found


def route(source: str, target: str, available: dict[tuple[str, str], Mode]) -> list[Mode] | None:
    """The modes that take ``source`` to ``target``: one, or two through a pivot language; None if none do."""
    source, target = (code.replace("-", "_").split("_")[0].lower() for code in (source, target))
    if (source, target) in available:
        return [available[source, target]]
    pivots = sorted({b for a, b in available if a == source} & {a for a, b in available if b == target})
    return [available[source, pivots[0]], available[pivots[0], target]] if pivots else None


def installed() -> bool:
    return shutil.which("apertium-wblank-mode") is not None  # Debian's apertium package


def translate(texts: list[str], modes_: list[Mode]) -> list[str]:
    """Each text through the modes in turn, all in one call, each translated as if alone.

    Apertium's transfer rules match across sentences and lines ("dijo. “Cada aliado"
    makes "Fiecărui aliat", a dative), so texts are sent as Apertium's stream format
    with a null flush after each, which ends every rule and resets the tagger:
    a sentence's translation never depends on its neighbours, and its cache entry holds.
    """
    lines = [" ".join(t.split()) for t in texts]
    sent = [line for line in lines if line]  # an empty text needs no call
    if not sent:
        return lines
    stream = "".join(RESERVED.sub(r"\\\1", line) + "[][\n]\0" for line in sent)
    with tempfile.TemporaryDirectory(prefix="apertium-") as folder:
        steps = []
        for mode in modes_:
            path = Path(folder) / f"{mode.name}.mode"
            path.write_text(mode.pipeline + "\n", encoding="utf-8")
            steps.append(_null_flushing(path))
        # $1 and $2 of a mode file: lt-proc's generation option (-n: no marks on unknown words), the tagger's.
        script = "set -o pipefail; " + " | ".join(f"( {step} )" for step in steps)
        done = subprocess.run(
            ["bash", "-c", script, "apertium", "-n", ""], input=stream, capture_output=True, text=True
        )
    if done.returncode:
        names = " | ".join(mode.name for mode in modes_)
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise ApertiumError(f"apertium {names}: {last}")
    parts = done.stdout.split("\0")
    if len(parts) < len(sent) or any(part.strip() for part in parts[len(sent) :]):
        raise ApertiumError(f"apertium did not give one translation for each of {len(sent)} sentences")
    translated = iter(" ".join(STREAM.sub(lambda m: m.group(1) or " ", part).split()) for part in parts)
    return [next(translated) if line else "" for line in lines]


def _null_flushing(path: Path) -> str:
    """A mode's pipeline with every program flushing its state at each null character (Apertium's own tool)."""
    done = subprocess.run(["apertium-wblank-mode", "-z", str(path)], capture_output=True, text=True)
    if done.returncode:
        raise ApertiumError(f"apertium-wblank-mode {path.stem}: {done.stderr.strip() or f'exit {done.returncode}'}")
    return done.stdout.strip()
