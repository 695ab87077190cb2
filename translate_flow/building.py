"""``build``: each article merged with its catalogs into ``dist/<locale>/<slug>.md`` and ``.html``.

A part of :class:`pipeline.Project`, kept apart by responsibility: the pages an edition becomes, which
of them are still as built, and the counts ``status`` will ask for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import parallel
from .model import Article, Problem, Report
from .settling import agreed

if TYPE_CHECKING:
    from .sources import ArticleFile


class Building:
    """The ``build`` command and what it needs; mixed into :class:`pipeline.Project`."""

    def build(self, slugs: Iterable[str] = (), locales: Iterable[str] = (), include_fuzzy: bool = False) -> Report:
        """Merge the catalogs into ``dist/<locale>/<slug>.md`` and ``.html``.

        An edition whose article and catalog are unchanged since it was built, and whose
        files still hold what was written, is skipped. The others are rendered on every
        core when there are many (:mod:`parallel`), with the same bytes as one process writes.
        """
        report = Report()
        files = self.sources(slugs)
        stale = []
        for source in files:
            built = list(dict.fromkeys([source.language, *self.config.targets_for(source.language)]))
            selected = set(self.locales_for(source, locales)) if locales else set(built)
            wanted = [loc for loc in built if loc in selected]
            settled = ("built", self.shown(source.path), wanted, include_fuzzy)
            if self.settled(settled, report):
                continue
            editions = {loc: self._still_built(source, loc, include_fuzzy, report) for loc in wanted}
            if not all(editions.values()):
                stale.append((source, editions, built, include_fuzzy))
            else:
                self._settle_editions(source, editions, settled)
        for done in parallel.run_all(self, "_build_editions", stale, "build"):
            report.extend(done)
        if files:
            self._write_stylesheet(report)
        self.state.save()
        return report

    def _write_stylesheet(self, report: Report) -> None:
        known = self.state.result("stylesheet")  # the CSS is package data: the salt covers it
        if self._unchanged(known):
            report.record(known[0][0], False)
            return
        from . import site
        from .files import write_if_changed

        path, css = self.config.dist_dir / site.STYLESHEET, site.stylesheet()
        report.record(self.shown(path), write_if_changed(path, css, durable=False))
        self.state.wrote(path, css.encode("utf-8"))
        self.state.remember([[self.shown(path), *self.state.stamp(path)]], "stylesheet")

    def _edition_key(self, source: ArticleFile, locale: str, include_fuzzy: bool) -> tuple:
        catalog = None
        if locale != source.language:
            catalog = self.state.digest(self.catalog_path(locale, self.slug(source)))
        return ("build", locale, self.shown(source.path), self._digest(source.path), catalog, include_fuzzy)

    def _still_built(self, source: ArticleFile, locale: str, include_fuzzy: bool, report: Report) -> dict | None:
        """The record of an edition whose files are as its last build left them (reported unchanged), or None."""
        key = self._edition_key(source, locale, include_fuzzy)
        known = self.state.result(*key)
        if not (isinstance(known, dict) and self._unchanged(known.get("outputs"))):
            return None
        for path, *_ in known["outputs"]:
            report.record(path, False)
        report.problems += [Problem(*problem) for problem in known["problems"]]
        return {**known, "key": key}

    def _settle_editions(self, source: ArticleFile, editions: dict[str, dict], key: tuple) -> None:
        slug, hashes, written, problems = self.slug(source), [], [], []
        for locale, known in editions.items():
            _, _, _, source_digest, catalog_digest, _ = known["key"]  # the hashes the check was made with
            found = {source.path: source_digest}
            if locale != source.language:
                found[self.catalog_path(locale, slug)] = catalog_digest
            for path, digest, *_ in known["outputs"]:
                written.append(self.root / path)
                found[self.root / path] = digest
            hashes.append(found)
            problems += [Problem(*problem) for problem in known["problems"]]
        checked = agreed(*hashes)  # one edition built from a source saved since another's check: not settled
        if checked is not None:
            self.settle(key, checked, written, problems)

    def _build_editions(
        self, source: ArticleFile, editions: dict[str, dict | None], built: list[str], include_fuzzy: bool
    ) -> Report:
        """Build the editions not known to be built (``None``), then settle the article."""
        report = Report()
        for locale, known in editions.items():
            editions[locale] = known or self._build_edition(source, locale, built, include_fuzzy, report)
        self.remember_counts(source)  # its catalogs were just read: status will need none of them
        # Settled at once, as the next run would find it: the files just written are quiet (see filetimes).
        self._settle_editions(source, editions, ("built", self.shown(source.path), list(editions), include_fuzzy))
        return report

    def _build_edition(
        self, source: ArticleFile, locale: str, built: list[str], include_fuzzy: bool, report: Report
    ) -> dict:
        """Render and write one edition; its record, as :meth:`_still_built` gives it."""
        from . import site
        from .files import write_if_changed
        from .rendering import render_body

        key = self._edition_key(source, locale, include_fuzzy)
        article = self._read(source.path, source.language)
        localized = self.localize(article, locale, include_fuzzy)
        report.problems += localized.problems
        links = site.ArticleLinks.of(article, built)
        preview = site.Site(self.config.project, with_index=False)
        page = site.article_page(localized, render_body(localized, self.config.raw_html), links, preview)
        outputs = []
        for suffix, text in ((".md", localized.markdown()), (".html", page)):
            path = self.output_path(locale, article.slug, suffix)
            # dist/ is rebuilt from sources and catalogs: no fsync (see files.write_atomic).
            report.record(self.shown(path), write_if_changed(path, text, durable=False))
            self.state.wrote(path, text.encode("utf-8"))
            outputs.append([self.shown(path), *self.state.stamp(path)])
        problems = [[p.path, p.line, p.message] for p in localized.problems]
        self.state.remember({"outputs": outputs, "problems": problems}, *key)
        return {"outputs": outputs, "problems": problems, "key": key}

    def localize(self, article: Article, locale: str, include_fuzzy: bool):
        """The article merged with its catalog for ``locale`` (the original needs none).

        The catalog's counts are recorded for ``status`` on the way: after a build it reads no catalog.
        A catalog known to hold nothing usable is not read (see :meth:`record_written`).
        """
        from . import catalogs
        from .rendering import localize

        found = {}
        if locale != article.language:
            path = self.catalog_path(locale, article.slug)
            if not self.nothing_usable(article, path, include_fuzzy):
                catalog = catalogs.read_catalog(path, self.shown(path))
                found = catalogs.translations(catalog.po, include_fuzzy, self.shown(path))
                self._record_stats(article, path, catalog)
        return localize(article, locale, lambda segment: found.get(segment.key))
