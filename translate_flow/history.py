"""The append-only history of reviewed translations, in ``.translate-flow/reviewed.jsonl``.

Every reviewed translation (translated, not fuzzy) that translate-flow reads or
writes is appended once, keyed by catalog, msgctxt and msgid. When an entry's
translation is gone while its source sentence is still there (an editor cut the
file short, a save went wrong, someone cleared it), or a machine suggestion
stands where a reviewed translation was, the last reviewed text comes back,
fuzzy, with a comment saying so. A reviewed translation is never replaced by
machine output.

One JSON object per line, appended with a single ``write`` on an ``O_APPEND``
descriptor, so runs that append at the same time do not interleave; a line cut
short by a killed run is skipped when reading.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from . import provenance
from .pofile import Entry, PoFile

RESTORED = "history: a reviewed translation, restored; check it, then clear fuzzy"
Key = tuple[str, str | None, str]  # catalog (as shown), msgctxt, msgid


class History:
    """Reviewed translations seen so far, loaded once, appended as new ones appear."""

    def __init__(self, path: Path):
        self.path = path
        self._latest: dict[Key, str] | None = None

    def _load(self) -> dict[Key, str]:
        if self._latest is None:
            self._latest = {}
            try:
                lines = self.path.read_bytes().splitlines()
            except FileNotFoundError:
                lines = []
            for row in _rows(lines):
                try:
                    self._latest[(row["catalog"], row["msgctxt"], row["msgid"])] = row["msgstr"]
                except (KeyError, TypeError):
                    continue
        return self._latest

    def reviewed(self, catalog: str, msgctxt: str | None, msgid: str) -> str | None:
        """The last reviewed translation seen for an entry."""
        return self._load().get((catalog, msgctxt, msgid))

    def record(self, catalog: str, po: PoFile) -> int:
        """Append the reviewed translations of ``po`` not yet recorded as they are; returns how many."""
        latest = self._load()
        rows = []
        for entry in po:
            key = (catalog, entry.msgctxt, entry.msgid)
            if _is_reviewed(entry) and latest.get(key) != entry.msgstr:
                latest[key] = entry.msgstr
                row = {"catalog": catalog, "msgctxt": entry.msgctxt, "msgid": entry.msgid, "msgstr": entry.msgstr}
                rows.append(json.dumps(row, ensure_ascii=False) + "\n")
        if rows:
            self._append("".join(rows).encode("utf-8"))
        return len(rows)

    def _append(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)

    def restore(self, catalog: str, po: PoFile) -> int:
        """Bring back reviewed translations lost from current entries, as fuzzy; returns how many."""
        restored = 0
        for entry in po:
            if entry.obsolete or entry.msgid_plural or not _lost(entry):
                continue
            text = self.reviewed(catalog, entry.msgctxt, entry.msgid)
            if text is None or text == entry.msgstr:
                continue
            entry.msgstr, entry.fuzzy = text, True
            entry.previous_msgid = entry.previous_msgctxt = None
            # Reviewed text: no longer machine output or aligned, and restored once.
            kept = provenance.replace(entry.tcomment, None).split("\n")
            entry.tcomment = "\n".join([RESTORED, *(line for line in kept if line and not line.startswith("history:"))])
            restored += 1
        return restored


CHUNK = 1000  # lines decoded as one JSON array: a history holds a row per reviewed entry of the project


def _rows(lines: list[bytes]) -> Iterator[object]:
    """Each line's JSON value, in order; lines that do not parse (a killed run cut them short) are left out."""
    for start in range(0, len(lines), CHUNK):
        chunk = lines[start : start + CHUNK]
        try:
            rows = json.loads(b"[" + b",".join(chunk) + b"]")  # one call, where every line is whole
        except ValueError:
            rows = None
        if rows is not None and len(rows) == len(chunk):  # a line "{...},{...}" would give two: not a row
            yield from rows
        else:
            for line in chunk:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue


def _is_reviewed(entry: Entry) -> bool:
    return not entry.obsolete and not entry.msgid_plural and bool(entry.msgstr) and not entry.fuzzy


def _lost(entry: Entry) -> bool:
    """No translation, or a machine suggestion standing where a reviewed one may have been.

    A merged sentence (its text said by the entry above) is a translator's decision, not a loss.
    """
    if provenance.is_merged(entry):
        return False
    # A suggestion with a ``#| msgid`` is a changed sentence's inherited text, not one that stood here.
    return not entry.msgstr or (provenance.is_machine_suggestion(entry) and entry.previous_msgid is None)
