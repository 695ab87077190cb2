"""Apertium's rule-based translation (Debian packages), as word knowledge for the aligner.

Debian installs some modes (``/usr/share/apertium/modes/*.mode``, listed by
``apertium -l``) and ships others only in a package's ``modes.xml``
(``apertium-es-ro`` installs ro→es; its es→ro is built but not installed): both
are found here. A route is one mode or two through a pivot (en→es→ro).
Apertium names languages by ISO 639-1 or 639-3 codes ("ro-es", "eng-spa").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/usr/share/apertium")
ISO_639_1 = {
    "afr": "af", "arg": "an", "ast": "ast", "cat": "ca", "deu": "de", "eng": "en", "epo": "eo", "eus": "eu",
    "fra": "fr", "glg": "gl", "ita": "it", "nld": "nl", "oci": "oc", "por": "pt", "ron": "ro", "rum": "ro",
    "spa": "es", "swe": "sv", "dan": "da", "nob": "nb", "nno": "nn", "isl": "is",
}  # fmt: skip
PARAGRAPH = re.compile(r"\n[ \t]*\n")


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


def modes(root: Path = ROOT) -> dict[tuple[str, str], Mode]:
    """The translation modes on this machine, by language pair; installed ones first."""
    found: dict[tuple[str, str], Mode] = {}
    for path in sorted((root / "modes").glob("*.mode")):
        if pair := _pair(path.stem):
            found.setdefault(pair, Mode(path.stem, path.read_text(encoding="utf-8").strip()))
    for path in sorted(root.glob("apertium-*/modes.xml")):
        for mode in ElementTree.parse(path).getroot().iter("mode"):
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
    return shutil.which("apertium") is not None


def translate(texts: list[str], modes_: list[Mode]) -> list[str]:
    """Each text through the modes in turn, in one Apertium call per mode.

    Texts go one paragraph each: a blank line keeps Apertium's transfer rules
    from moving words between two texts (a line break alone does not).
    """
    lines = [" ".join(t.split()) for t in texts]
    sent = [line for line in lines if line]  # an empty text would be no paragraph at all
    if not sent:
        return lines
    text = "\n\n".join(sent) + "\n"
    with tempfile.TemporaryDirectory(prefix="apertium-") as folder:
        (Path(folder) / "modes").mkdir()
        for mode in modes_:
            (Path(folder) / "modes" / f"{mode.name}.mode").write_text(mode.pipeline + "\n", encoding="utf-8")
            done = subprocess.run(
                ["apertium", "-u", "-d", folder, mode.name], input=text, capture_output=True, text=True, check=False
            )
            if done.returncode:
                raise ApertiumError(f"apertium {mode.name}: {done.stderr.strip() or f'exit {done.returncode}'}")
            text = done.stdout
    result = iter(" ".join(part.split()) for part in PARAGRAPH.split(text.strip()))
    translated = [next(result, None) if line else "" for line in lines]
    if None in translated or next(result, None) is not None:
        raise ApertiumError(f"apertium did not give one translation for each of {len(sent)} sentences")
    return translated  # type: ignore[return-value]
