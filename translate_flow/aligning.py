"""Human editions: each aligned with its original, and its catalog seeded from the alignment.

A part of :class:`pipeline.Project`, kept apart by responsibility, as :mod:`building` is for ``build``.
``run`` aligns every edition it finds; one whose original, edition, catalog and translator are as
its last alignment left them is not aligned again: the translations and the alignment cost about
0.1 s an edition, on every cron tick.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Article, Problem, Report
from .sources import read_article

if TYPE_CHECKING:
    from .align import Alignment, Bead
    from .sources import ArticleFile


def different_articles(alignment: Alignment) -> str:
    """Why an edition was not taken for a translation of its original."""
    return f"looks like a different article: only {alignment.related:.0%} of the original's sentences pair with it"


class Aligning:
    """Aligning human editions; mixed into :class:`pipeline.Project`."""

    def read_edition(self, path: Path) -> Article:
        """An article file given on the command line, anywhere: its language is the front matter's."""
        return read_article(path.resolve(), None, self.root)

    def align(self, source: Article, target: Article) -> Alignment:
        """Sentence alignment of two editions of one article.

        With an Argos model or Apertium modes for the pair installed, the original's
        machine translation (cached like any other) is compared with the edition too.
        """
        from .align import align
        from .align_translations import translations

        return align(source, target, translations(source, target, self.config, self.mt_cache_path))

    def write_alignment(self, source: Article, target: Article, beads: list[Bead]) -> Report:
        """Seed ``locales/<target>/<slug>.po`` with an edition, fuzzy, for review.

        Reviewed translations are never replaced; machine suggestions are.
        """
        return self._seed(source, target, beads)[0]

    def _seed(self, source: Article, target: Article, beads: list[Bead]) -> tuple[Report, str | None]:
        """:meth:`write_alignment`, and the hash of the catalog as it left it (written, or read as it was)."""
        from . import catalogs
        from .align import catalog_suggestions
        from .state import sha256

        locale = target.language
        report = self.update([source.slug], [locale])
        path = self.catalog_path(locale, source.slug)
        suggestions = catalog_suggestions(source, target, beads, self.shown(target.path))
        left: list[str] = []

        def pending(entry) -> bool:
            return not entry.msgstr or catalogs.is_machine_suggestion(entry)

        def seeded(po, data: bytes, written: bool) -> None:
            left.append(sha256(data))

        filled = len(catalogs.fill(path, self.shown(path), suggestions, pending, self.history, seeded))
        report.counts["aligned"] += filled
        report.record(self.shown(path), bool(filled))
        return report, left[-1] if left else None

    def editions(self, slugs: Iterable[str] = (), locales: Iterable[str] = ()) -> list[tuple[Article, Article, tuple]]:
        """(original, human edition, their hashes) for each slug's copy in another language that is a target.

        The hashes are taken before the articles are read: one saved in between is aligned again next time.
        """
        copies: dict[str, list[ArticleFile]] = {}
        for other in self._all_files():
            copies.setdefault(other.slug, []).append(other)
        found = []
        for source in self.sources(slugs):  # parsed only if it has an edition: a cron tick has thousands without
            targets = self.locales_for(source, locales)
            for other in copies.get(self.slug(source), []):
                if other.language in targets:
                    hashes = (self._digest(source.path), self._digest(other.path))
                    found.append((self.article(source), self._read(other.path, other.language), hashes))
        return found

    def align_editions(self, slugs: Iterable[str] = (), locales: Iterable[str] = ()) -> Report:
        """Seed each human edition's catalog from its alignment; warn about editions of different articles."""
        from .align_translations import identity

        report, translators = Report(), {}
        for original, edition, hashes in self.editions(slugs, locales):
            pair = (original.language, edition.language)
            if pair not in translators:
                translators[pair] = identity(*pair, self.config)
            report.extend(self._align_edition(original, edition, hashes, translators[pair]))
        return report

    def _align_edition(self, original: Article, edition: Article, hashes: tuple, translator: list) -> Report:
        """Align and seed, unless the articles, the catalog and the translator are as the last time left them."""
        report, path = Report(), self.catalog_path(edition.language, original.slug)
        key = ("aligned", self.shown(edition.path), *hashes, translator)
        known = self.state.result(*key)
        # An edition not seeded (a different article) does not depend on the catalog.
        if isinstance(known, dict) and (not known["seeded"] or known["catalog"] == self.state.digest(path)):
            if known["seeded"]:
                report.record(self.shown(path), False)
            report.problems += [Problem(*problem) for problem in known["problems"]]
            return report
        alignment, catalog = self.align(original, edition), None
        if alignment.different_articles:
            message = different_articles(alignment) + "; not aligned"
            report.problems.append(Problem(self.shown(edition.path), None, message))
        else:
            seeding, catalog = self._seed(original, edition, alignment.beads)
            report.extend(seeding)
        problems = [[problem.path, problem.line, problem.message] for problem in report.problems]
        seeded = not alignment.different_articles
        # The hash of the bytes seeded, not the file's: an editor may have saved an older buffer over them since.
        self.state.remember({"catalog": catalog, "seeded": seeded, "problems": problems}, *key)
        return report
