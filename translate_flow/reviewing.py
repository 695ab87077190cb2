"""What reviewers and translators ask of a project: the review queue, QA checks, decisions, memory exchange.

A part of :class:`pipeline.Project`, kept apart by responsibility.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from . import checks, review
    from .memory import Pair


class Reviewing:
    """Mixed into :class:`pipeline.Project`."""

    @property
    def memory_path(self) -> Path:
        """Imported translation memory, committed with the catalogs."""
        return self.config.locales_dir / "memory.tmx"

    def tm_pairs(self) -> list[Pair]:
        """Reviewed and aligned translations of every catalog, for exchange: a merged group is one unit."""
        from .memory import exchange_pairs

        found = []
        for source in self.sources():  # slugs only: no list of every parsed article
            slug = self.slug(source)
            for locale in self.locales_for(source):
                path = self.catalog_path(locale, slug)
                found.append((source.language, locale, path, self.shown(path)))
        return exchange_pairs(found)

    def tm_export(self, path: Path) -> int:
        """Write the reviewed and aligned pairs as TMX 1.4b; returns how many."""
        from .memory import export_tmx

        return export_tmx(path, self.tm_pairs, self.config.source_language)

    def tm_import(self, path: Path) -> int:
        """Add a TMX file's pairs to ``locales/memory.tmx``; returns how many were new."""
        from .memory import import_tmx

        return import_tmx(path, self.memory_path, self.shown(self.memory_path), self.config.source_language)

    def queue(self, locale: str, slugs: Iterable[str] = ()) -> list[review.QueueItem]:
        """Entries of one locale that wait for review, in document order."""
        from . import catalogs, review

        items = []
        for article in self.articles(slugs):
            for target in self.locales_for(article, [locale]):
                path = self.catalog_path(target, article.slug)
                po = catalogs.read_catalog(path, self.shown(path)).po
                items += review.queue(po, self.shown(path), target, article.language)
        return items

    def glossary(self) -> list[checks.GlossaryTerm]:
        from . import checks

        return checks.read_glossary(self.config.glossary, self.shown(self.config.glossary))

    def check(self, locales: Iterable[str] = (), slugs: Iterable[str] = ()) -> list[checks.Finding]:
        """QA findings over the catalogs, in file and line order."""
        from . import catalogs, checks

        glossary = self.glossary()
        findings = []
        for article in self.articles(slugs):
            for locale in self.locales_for(article, locales):
                path = self.catalog_path(locale, article.slug)
                po = catalogs.read_catalog(path, self.shown(path)).po
                findings += checks.check_catalog(po, self.shown(path), article.language, locale, glossary)
        return findings

    def accept(self, item: review.QueueItem, text: str | None = None) -> None:
        """Record a review decision at once (atomically), in the reviewer's name."""
        from . import catalogs, review

        translator = review.translator(self.config, self.root)
        catalogs.accept(self.root / item.path, item.path, item.key, text, translator, self.history)
