"""``extract`` and ``update``: a POT per article, and each target's PO file merged with it.

A part of :class:`pipeline.Project`, kept apart by responsibility, as :mod:`building` is for ``build``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Report
from .settling import agreed
from .state import sha256

if TYPE_CHECKING:
    from .sources import ArticleFile


class Updating:
    """The ``extract`` and ``update`` commands; mixed into :class:`pipeline.Project`."""

    def extract(self, slugs: Iterable[str] = ()) -> Report:
        """Write one POT per article under ``locales/templates/``."""
        report = Report()
        files = self.sources(slugs)
        for source in self.progress(files, "extract", len(files)):
            key = self.extract_key(source.path)
            known = self.state.result(*key)
            if self._unchanged(known):
                report.record(known[0][0], False)
                continue
            from . import templates

            article = self._read(source.path, source.language)
            path = self.template_path(article.slug)
            report.record(self.shown(path), templates.save_template(path, self.template(article)))
            self.state.remember([[self.shown(path), *self.state.stamp(path)]], *key)
        self.state.save()
        return report

    def update(self, slugs: Iterable[str] = (), locales: Iterable[str] = ()) -> Report:
        """Create or update ``locales/<locale>/<slug>.po`` from each article.

        A catalog is skipped when its article, its POT and its own bytes are as an
        earlier merge left them; an article whose files all keep their ``stat`` is settled.
        """
        report = Report()
        files = self.sources(slugs)
        for source in self.progress(files, "update", len(files)):
            wanted = self.locales_for(source, locales)
            settled = ("updated", self.shown(source.path), wanted)
            if not wanted or self.settled(settled, report):
                continue
            slug = (self._slug_of(source) or self._read(source.path, source.language)).slug
            merged = [self._update_catalog(source, slug, locale, report) for locale in wanted]
            checked = agreed(*merged)  # the hashes each catalog was checked or merged with, and left with
            if checked is not None:
                self.settle(settled, checked, [self.catalog_path(locale, slug) for locale in wanted], [])
        self.state.save()
        return report

    def _update_catalog(self, source: ArticleFile, slug: str, locale: str, report: Report) -> dict:
        """Merge one catalog with its article's template (unless it was already); the hashes it was left with.

        Settled at once: a catalog just written is quiet (see filetimes); a translator's save since is not.
        """
        path, template = self.catalog_path(locale, slug), self.template_path(slug)
        key = ("update", self.shown(path), self._digest(source.path), self.state.digest(template))
        before = self.state.digest(path)
        if before is not None and self.state.result(*key) == before:
            report.record(self.shown(path), False)
            return {source.path: key[2], template: key[3], path: before}
        from . import catalogs

        article = self._read(source.path, source.language)
        merged: list[str] = []  # the hash of the catalog as the merge left it: written, or read already merged

        def left(po, data: bytes, written: bool) -> None:
            merged.append(sha256(data))
            if written:
                self.record_written(article, path, po, data, merged[-1])

        changed = catalogs.update_catalog(
            path, self.template(article), locale, self.config.fuzzy_threshold, self.shown(path), self.history, left
        )
        report.record(self.shown(path), changed)
        # A merged catalog is a fixed point of the merge (test_running_twice_changes_no_byte). Kept by the hash of
        # the bytes merged, not the file's: an editor may have saved a buffer read before the merge over it since.
        after = merged[-1] if merged else None
        self.state.remember(after, *key)
        return {source.path: key[2], template: key[3], path: after}
