"""Where a translation came from, as one translator-comment line: written and read only here.

``# mt: argos en→ro 1.9 beam=4 score=-0.31``, ``# tm: locales/ro/other.po``,
``# aligned: sources/ro/x.md:12 score=0.93``, ``# edited: Ana Pop <ana@example.org>``,
and for a sentence that has no text of its own in the translation (an edition
merged it into the sentence before, or left it out), with an empty msgstr:
``# merged: with the entry above; msgstr stays empty (aligned: sources/ro/x.md:9)``.
A comment is what GNU gettext tools and PO editors keep on an untranslated
entry (msgcat drops flags there), and an empty msgstr never reaches a .mo file.
Such an entry and the one above are one unit: reviewing the entry above reviews both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MERGED_WITH_PREVIOUS = "with the entry above; msgstr stays empty"
_SCORE, _NOTES = r"score=-?\d+(?:\.\d+)?", r"(?: [a-z]+=\S+)*"  # notes: tags=check, numbers=2023→2024, …
# Only the lines the tool writes are provenance: a translator's own "# tm: ask the desk" is a note,
# which is never taken for the tool's line nor replaced by it.
DETAILS = {
    # argos en→ro translate-en_ro 1.9 beam=4 score=-0.31; a pivot: translate-ro_en 1.9 + translate-en_de 1.9
    "mt": rf"\S+ \S+→\S+ \S+ \S+(?: \+ \S+ \S+)* beam=\d+ {_SCORE}{_NOTES}",
    "tm": rf"(?:\d{{1,3}}% )?\S+\.(?:po|tmx){_NOTES}",  # 86% locales/ro/other.po numbers=12→15
    # x.md:12 score=0.93; before merged lines: "x.md:9 merged into the entry above", "x.md left out of the edition"
    "aligned": rf"\S+:\d+ {_SCORE}|\S+:\d+ merged into the entry above|\S+ left out of the edition",
    "edited": r"a reviewer|.+ <[^<>]*>",  # [qa] translator or git's "Name <email>"
    "merged": rf"{re.escape(MERGED_WITH_PREVIOUS)}(?: \(.+\))?",
}
KINDS = tuple(DETAILS)
_LINE = re.compile("|".join(rf"({kind}): ({detail})" for kind, detail in DETAILS.items()))


@dataclass(frozen=True)
class Provenance:
    """One provenance line: its kind (``mt``, ``tm``, ``aligned``, ``edited``, ``merged``) and the rest."""

    kind: str
    detail: str

    def format(self) -> str:
        return f"{self.kind}: {self.detail}"

    @classmethod
    def parse(cls, line: str) -> Provenance | None:
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        kind, detail = (group for group in match.groups() if group is not None)
        return cls(kind, detail)

    @property
    def merged(self) -> bool:
        return self.kind == "merged"

    @property
    def engine(self) -> str:
        """For ``mt``: the engine and route, without the decoding settings and score."""
        return self.detail.split(" beam=")[0]


def merged(where: str) -> Provenance:
    return Provenance("merged", f"{MERGED_WITH_PREVIOUS} ({where})" if where else MERGED_WITH_PREVIOUS)


WRAPPED = 4  # polib and PO editors wrap long comment lines at spaces: a provenance line may take a few


def _found(lines: list[str]) -> list[tuple[int, int, Provenance]]:
    """The provenance lines among ``lines``: (first, one past the last, what they say), wrapped ones joined."""
    found, start = [], 0
    while start < len(lines):
        ends = range(min(len(lines), start + WRAPPED), start, -1)
        hit = next(((end, p) for end in ends if (p := Provenance.parse(" ".join(lines[start:end])))), None)
        if hit is not None:
            found.append((start, *hit))
        start = hit[0] if hit else start + 1
    return found


@lru_cache(maxsize=4096)
def of(comment: str) -> Provenance | None:
    """The provenance among an entry's translator-comment lines, if any (remembered: merges ask for every entry)."""
    if not comment:
        return None
    found = _found(comment.split("\n"))
    return found[0][2] if found else None


def replace(comment: str, provenance: Provenance | None) -> str:
    """The comment with its provenance line replaced (or dropped); other lines stay as they are."""
    lines = comment.split("\n") if comment else []
    tool = {index for start, end, _ in _found(lines) for index in range(start, end)}
    kept = [line for index, line in enumerate(lines) if index not in tool]
    return "\n".join(([provenance.format()] if provenance else []) + kept)


def provenance_of(entry) -> Provenance | None:
    """Where an entry's text came from, when the tool or a reviewer recorded it."""
    return of(entry.tcomment)


def is_machine_suggestion(entry) -> bool:
    if not entry.fuzzy:
        return False
    found = provenance_of(entry)
    return found is not None and found.kind == "mt"


def is_merged(entry) -> bool:
    """A sentence with no text of its own: translated with the entry above, or left out of the edition."""
    if entry.msgstr:
        return False
    found = provenance_of(entry)
    return found is not None and found.merged
