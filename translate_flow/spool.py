"""What publish gathers about every edition, kept on disk and read back in order.

An archive of 100,000 articles in four languages has 400,000 editions: their
counts, feed entries, front-page listings and manifest rows do not fit in memory
together. They go into a private SQLite database (a temporary file that SQLite
deletes when it is closed; a killed run leaves nothing), which sorts them with
bounded memory for the sitemap, the feeds and the front pages.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime

from .feeds import Entry
from .site import Listing

_TABLES = """
CREATE TABLE counts (slug TEXT, locale TEXT, counts TEXT, PRIMARY KEY (slug, locale));
CREATE TABLE editions (locale TEXT, path TEXT, slug TEXT, published REAL, entry TEXT, listing TEXT);
CREATE INDEX newest ON editions (locale, published DESC, slug);
CREATE TABLE manifest (row TEXT);
"""


class Spool:
    """Per edition: the catalog's counts, the feed entry, the listing and the manifest row."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a private database in a temporary file, gone when closed
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _TABLES)

    def close(self) -> None:
        self._db.close()

    def add_counts(self, slug: str, locale: str, counts: dict) -> None:
        self._db.execute("INSERT INTO counts VALUES (?, ?, ?)", (slug, locale, json.dumps(counts)))

    def counts(self, slug: str, locale: str) -> dict | None:
        row = self._db.execute("SELECT counts FROM counts WHERE slug = ? AND locale = ?", (slug, locale)).fetchone()
        return json.loads(row[0]) if row else None

    def add_edition(self, entry: Entry, listing: Listing, manifest_row: dict) -> None:
        self._db.execute(
            "INSERT INTO editions VALUES (?, ?, ?, ?, ?, ?)",
            (entry.locale, entry.path, listing.slug, entry.published.timestamp(), _dump(entry), _dump(listing)),
        )
        self._db.execute("INSERT INTO manifest VALUES (?)", (json.dumps(manifest_row, ensure_ascii=False),))

    def locales(self) -> list[str]:
        """The locales with at least one edition, sorted."""
        return [locale for (locale,) in self._db.execute("SELECT DISTINCT locale FROM editions ORDER BY locale")]

    def count(self, locale: str) -> int:
        return self._db.execute("SELECT count(*) FROM editions WHERE locale = ?", (locale,)).fetchone()[0]

    def entries(self) -> Iterator[Entry]:
        """Every edition's feed entry, by path: the sitemap's order."""
        for (data,) in self._db.execute("SELECT entry FROM editions ORDER BY path"):
            yield _load(Entry, data)

    def newest(self, locale: str, limit: int) -> list[Entry]:
        """A locale's ``limit`` newest entries, newest first (ties by path)."""
        rows = self._db.execute(
            "SELECT entry FROM editions WHERE locale = ? ORDER BY published DESC, path LIMIT ?", (locale, limit)
        )
        return [_load(Entry, data) for (data,) in rows]

    def listings(self, locale: str) -> Iterator[Listing]:
        """A locale's listings, newest first (ties by slug): its front pages' order."""
        rows = self._db.execute(
            "SELECT listing FROM editions WHERE locale = ? ORDER BY published DESC, slug", (locale,)
        )
        for (data,) in rows:
            yield _load(Listing, data)

    def manifest_rows(self) -> Iterator[dict]:
        """The manifest's rows in the order they were added."""
        for (data,) in self._db.execute("SELECT row FROM manifest ORDER BY rowid"):
            yield json.loads(data)


def _dump(record: Entry | Listing) -> str:
    fields = asdict(record)
    fields["published"] = record.published.isoformat()
    return json.dumps(fields, ensure_ascii=False)


def _load(kind: type, data: str):
    fields = json.loads(data)
    fields["published"] = datetime.fromisoformat(fields["published"])
    return kind(**fields)
