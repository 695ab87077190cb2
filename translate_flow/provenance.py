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

KINDS = ("mt", "tm", "aligned", "edited", "merged")
_LINE = re.compile(rf"({'|'.join(KINDS)}): (.*)")
MERGED_WITH_PREVIOUS = "with the entry above; msgstr stays empty"


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
        return cls(match.group(1), match.group(2)) if match else None

    @property
    def merged(self) -> bool:
        return self.kind == "merged"

    @property
    def engine(self) -> str:
        """For ``mt``: the engine and route, without the decoding settings and score."""
        return self.detail.split(" beam=")[0]


def merged(where: str) -> Provenance:
    return Provenance("merged", f"{MERGED_WITH_PREVIOUS} ({where})" if where else MERGED_WITH_PREVIOUS)


def of(comment: str) -> Provenance | None:
    """The provenance among an entry's translator-comment lines, if any."""
    return next((found for line in comment.split("\n") if (found := Provenance.parse(line))), None)


def replace(comment: str, provenance: Provenance | None) -> str:
    """The comment with its provenance line replaced (or dropped); other lines stay as they are."""
    kept = [line for line in comment.split("\n") if Provenance.parse(line) is None] if comment else []
    return "\n".join(([provenance.format()] if provenance else []) + kept)


def provenance_of(entry) -> Provenance | None:
    """Where an entry's text came from, when the tool or a reviewer recorded it."""
    return of(entry.tcomment)


def is_machine_suggestion(entry) -> bool:
    found = provenance_of(entry)
    return entry.fuzzy and found is not None and found.kind == "mt"


def is_merged(entry) -> bool:
    """A sentence with no text of its own: translated with the entry above, or left out of the edition."""
    found = provenance_of(entry)
    return not entry.msgstr and found is not None and found.merged
