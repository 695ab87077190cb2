"""Translation memory: reviewed translations in any catalog, reused on exact match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogs import entry_state, read_catalog
from .model import EntryState


@dataclass(frozen=True)
class Match:
    text: str
    origin: str  # the catalog it came from, as users see it

    @property
    def provenance(self) -> str:
        return f"tm: {self.origin}"


class TranslationMemory:
    """Reviewed (non-fuzzy) translations by target locale and source text."""

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], Match] = {}

    def add(self, locale: str, source: str, target: str, origin: str) -> None:
        self._pairs.setdefault((locale, source), Match(target, origin))

    def add_catalogs(self, locale: str, catalogs: Iterable[tuple[Path, str]]) -> None:
        """Learn every reviewed entry of these (path, shown) catalogs, obsolete ones too."""
        for path, shown in catalogs:
            for entry in read_catalog(path, shown).po:
                if entry_state(entry) is EntryState.TRANSLATED:
                    self.add(locale, entry.msgid, entry.msgstr, shown)

    def lookup(self, locale: str, source: str) -> Match | None:
        return self._pairs.get((locale, source))

    def __len__(self) -> int:
        return len(self._pairs)
