"""``status``: entry and word counts per article and locale, from one record per article when nothing changed.

A part of :class:`pipeline.Project`, kept apart by responsibility. Each catalog's counts are kept under
the hashes of its article and of its bytes (``build`` records them as it reads the catalog). On top of
those, each article has one record of its catalogs' counts with the ``stat`` that stands for each
catalog's bytes: at 10,000 articles, ``status`` costs one lookup and a ``stat`` per catalog instead of
two lookups per catalog. That record is a shortcut only: it is used when the article hashes as recorded
and every catalog still has its recorded, quiet ``stat`` (:meth:`state.State.still`), and otherwise rebuilt from
the counts kept by hash, never trusted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Article, Stats
from .state import sha256

if TYPE_CHECKING:
    from .sources import ArticleFile


class Counting:
    """The ``status`` command and the counts it reads; mixed into :class:`pipeline.Project`."""

    def status(self, slugs: Iterable[str] = (), locales: Iterable[str] = ()) -> list[tuple[str, str, Stats]]:
        """Entry and word counts per article and target locale; unchanged pairs are counted from the state."""
        rows = []
        for source in self.sources(slugs):
            slug, digest = self.slug(source), self._digest(source.path)
            known = self._article_counts(source, digest)
            for locale in self.locales_for(source, locales):
                counts = known.get(locale) if known else None
                rows.append((slug, locale, Stats(**counts) if counts else self._catalog_counts(source, locale)))
            if known is None:
                self.remember_counts(source)
        self.state.save()
        return rows

    def _counts_key(self, source: ArticleFile) -> tuple:
        return ("counts", self.shown(source.path))

    def _article_counts(self, source: ArticleFile, digest: str) -> dict[str, dict] | None:
        """The counts of an article's catalogs by locale, if its record still stands for the files on disk."""
        known = self.state.result(*self._counts_key(source))
        if not (isinstance(known, dict) and known.get("source") == digest):
            return None
        catalogs = known.get("catalogs")
        targets = self.locales_for(source)
        if not (isinstance(catalogs, dict) and sorted(catalogs) == sorted(targets)):
            return None
        for path, stamp, _ in catalogs.values():
            if not self.state.still(self.root / path, stamp):  # else counted by hash, and the record renewed
                return None
        return {locale: counts for locale, (_, _, counts) in catalogs.items()}

    def remember_counts(self, source: ArticleFile) -> None:
        """Record an article's counts with its catalogs' stamps, if each catalog's counts are kept for its bytes."""
        digest, slug, catalogs = self._digest(source.path), self.slug(source), {}
        for locale in self.locales_for(source):
            path = self.catalog_path(locale, slug)
            stamp = self.state.stamp(path)
            counts = self.state.result("status", self.shown(path), digest, stamp[0])
            if stamp[0] is None or not isinstance(counts, dict):
                return
            catalogs[locale] = [self.shown(path), stamp, counts]
        self.state.remember({"source": digest, "catalogs": catalogs}, *self._counts_key(source))

    def _catalog_counts(self, source: ArticleFile, locale: str) -> Stats:
        """One catalog's counts, kept under the hashes of the article and the catalog, or read from it."""
        path = self.catalog_path(locale, self.slug(source))
        known = self.state.result("status", self.shown(path), self._digest(source.path), self.state.digest(path))
        if isinstance(known, dict):
            return Stats(**known)
        from . import catalogs

        catalog = catalogs.read_catalog(path, self.shown(path))
        return self._record_stats(self.article(source), path, catalog)

    def _record_stats(self, article: Article, path: Path, catalog) -> Stats:
        """What ``status`` shows for a catalog just read, kept under the hash of the bytes it was read from."""
        data = catalog.snapshot.data
        return self._keep_stats(article, path, catalog.po, None if data is None else sha256(data))

    def _keep_stats(self, article: Article, path: Path, po, digest: str | None) -> Stats:
        """A catalog's counts, kept under the hashes of its article and of its bytes (when they are known)."""
        from . import catalogs

        stats = catalogs.stats(po, [segment.key for segment in article.segments])
        if digest is not None:
            self.state.remember(
                dataclasses.asdict(stats), "status", self.shown(path), self._digest(article.path), digest
            )
        return stats

    def record_written(self, article: Article, path: Path, po, data: bytes, digest: str) -> None:
        """What ``status`` and ``build`` need of a catalog just written, under the hash of its bytes (``digest``).

        ``build`` reads no catalog with no usable translation (a new article's, or one with only
        suggestions): it knows from here that the edition shows the original.
        """
        from . import catalogs

        self.state.wrote(path, data, digest)
        shown = self.shown(path)  # kept by our bytes' hash: the file may hold another's save already
        self._keep_stats(article, path, po, digest)
        usable = [len(catalogs.translations(po, fuzzy, shown)) for fuzzy in (False, True)]
        self.state.remember(usable, "usable", shown, digest)

    def nothing_usable(self, article: Article, path: Path, include_fuzzy: bool) -> bool:
        """Whether the catalog at ``path`` is known, by the hash of its bytes, to hold no usable translation."""
        shown, digest = self.shown(path), self.state.digest(path)
        usable = self.state.result("usable", shown, digest)
        counted = self.state.result("status", shown, self._digest(article.path), digest)
        return digest is not None and isinstance(usable, list) and usable[include_fuzzy] == 0 and counted is not None
