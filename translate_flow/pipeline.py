"""The workflow over a project's articles: extract → update → align → translate → build, then review and publish."""

from __future__ import annotations

import contextlib
import functools
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import parallel
from .aligning import Aligning
from .building import Building
from .config import Config, load_config, normalize_locale
from .counting import Counting
from .errors import InputError
from .model import Article, MTOptions, Progress, Report, no_progress
from .reviewing import Reviewing
from .settling import Settling
from .sources import ArticleFile, check_slug, find_articles, originals, read_article
from .state import State
from .updating import Updating

if TYPE_CHECKING:
    from .history import History
    from .pofile import PoFile

# The stage modules are imported where they are used: a re-run with nothing to do needs none of them
# (test_a_no_change_rerun_imports_no_stage), and at cron frequency their imports are most of its cost.

HELD_ARTICLES = 256  # parsed articles kept in memory; the rest are a JSON record away in the state


class Project(Updating, Aligning, Building, Counting, Reviewing, Settling):
    """A translate-flow project: its settings, sources and catalogs."""

    def __init__(self, root: Path | str = ".", progress: Progress = no_progress):
        self.config: Config = load_config(root)
        self.progress = progress
        # The articles read lately: a run reads each at most once from disk, and holds a bounded number.
        self._parsed: OrderedDict[tuple[Path, str, str], Article] = OrderedDict()
        self._folders: dict[tuple[Path, tuple[str, ...]], Path | None] = {}
        self._templates: OrderedDict[Path, tuple[Article, PoFile]] = OrderedDict()
        self._listings: dict[str, list[ArticleFile]] | None = None  # run's one look at sources/
        self._slugs: dict[Path, str] | None = None  # and at each article's slug, for all its steps

    @functools.cached_property
    def history(self) -> History:
        from .history import History

        return History(self.root / ".translate-flow" / "reviewed.jsonl")

    @property
    def root(self) -> Path:
        return self.config.root

    def shown(self, path: Path) -> str:
        """A path as users see it: relative to the project root."""
        # String operations: at newsroom scale pathlib's relative_to costs more than the work skipped.
        text, root = str(path), str(self.root).rstrip(os.sep) + os.sep
        return text[len(root) :].replace(os.sep, "/") if text.startswith(root) else text

    def _inside(self, folder: Path, *parts: str) -> Path:
        """``folder/parts…``, refused if it resolves outside ``folder`` (a symlink can lead out)."""
        parent = self._resolved(folder, parts[:-1])
        path = folder.joinpath(*parts[:-1]).resolve() / parts[-1] if parent is None else parent / parts[-1]
        if parent is not None and path.is_symlink():
            path = path.resolve()
            parent = path if path.is_relative_to(folder) else None
        if parent is None:  # a file that is no link is inside when its folder is (checked once, in _resolved)
            raise InputError(f"path would leave {self.shown(folder)}/", path)
        return path

    def _resolved(self, folder: Path, parts: tuple[str, ...]) -> Path | None:
        """``folder/parts…`` resolved, or None if that leads outside ``folder``; resolved once per run."""
        key = (folder, parts)
        if key not in self._folders:
            resolved = folder.joinpath(*parts).resolve()
            self._folders[key] = resolved if resolved.is_relative_to(folder) else None
        return self._folders[key]

    def template_path(self, slug: str) -> Path:
        return self._inside(self.config.locales_dir, "templates", f"{slug}.pot")

    def catalog_path(self, locale: str, slug: str) -> Path:
        return self._inside(self.config.locales_dir, locale, f"{slug}.po")

    def output_path(self, locale: str, slug: str, suffix: str) -> Path:
        return self._inside(self.config.dist_dir, locale, f"{slug}{suffix}")

    @functools.cached_property
    def state(self) -> State:
        """What earlier runs established (see :mod:`state`); saved at the end of each command."""
        return State.open(self.root / ".translate-flow", self.config.path.read_bytes())

    def sources(self, slugs: Iterable[str] = ()) -> list[ArticleFile]:
        """The files of the original articles, all or those named.

        Each is read first (parses are cached) so that a front matter slug that
        repeats another article's is refused before either's files are written.
        Within :meth:`run`, the folder is looked at once for all its steps.
        """
        chosen = self._listed("originals", self._originals)
        wanted = [check_slug(slug) for slug in slugs]
        known = {a.slug for a in chosen}
        for slug in wanted:
            if slug not in known:
                raise InputError(f"no article {slug!r} under {self.shown(self.config.sources_dir)}/")
        return [a for a in chosen if a.slug in wanted] if wanted else chosen

    def _listed(self, what: str, listing: Callable[[], list[ArticleFile]]) -> list[ArticleFile]:
        """``listing()``, made once within :meth:`run`."""
        if self._listings is None:
            return listing()
        if what not in self._listings:
            self._listings[what] = listing()
        return list(self._listings[what])

    def _all_files(self) -> list[ArticleFile]:
        return self._listed("files", lambda: find_articles(self.config))

    def _originals(self) -> list[ArticleFile]:
        chosen = originals(self.config, self._all_files())
        known_slugs = [self._slug_of(source) for source in chosen]  # looked up once: a lookup and a stat each
        unknown = [(s.path, s.language) for s, slug in zip(chosen, known_slugs, strict=True) if slug is None]
        for _ in parallel.run_all(self, "_parse", unknown, "parse"):
            pass  # parsed on every core when there are many; kept in the state
        first: dict[str, Path] = {}
        for source, known_slug in zip(chosen, known_slugs, strict=True):
            slug = (known_slug or self._slug_of(source) or self._read(source.path, source.language)).slug
            if first.setdefault(slug, source.path) != source.path:
                shown = self.shown(first[slug])
                raise InputError(f"slug {slug!r} is taken by {shown}: their catalogs would collide", source.path)
        return chosen

    def articles(self, slugs: Iterable[str] = ()) -> list[Article]:
        """The original articles, all or those named, parsed."""
        return [self._read(a.path, a.language) for a in self.sources(slugs)]

    def each_article(self, slugs: Iterable[str] = ()) -> Iterator[Article]:
        """The original articles one at a time: at most ``HELD_ARTICLES`` of them in memory, however many there are."""
        for source in self.sources(slugs):
            yield self._read(source.path, source.language)

    def _digest(self, path: Path) -> str:
        digest = self.state.digest(path)
        if digest is None:
            raise InputError("source not found", self.shown(path))
        return digest

    def _parse(self, path: Path, language: str) -> Report:
        self._read(path, language)
        return Report()

    def _read(self, path: Path, language: str) -> Article:
        """An article, parsed at most once per content: in this run, then from the state's parsed records."""
        digest = self._digest(path)
        key = (path, language, digest)
        if key not in self._parsed:
            name = f"{language}\0{path}"
            article = self.state.parsed(name, digest)
            if not isinstance(article, Article) or article.path != path:
                data = path.read_bytes()
                digest = self.state.note(path, data)
                article = read_article(path, language, self.root, data)
                self.state.keep_parsed(name, digest, article)
            self.state.remember(article.slug, "slug", self.shown(path), digest)
            if len(self._parsed) >= HELD_ARTICLES:
                # The latest goes, not the oldest: a command reads every article again after sources() has
                # (a cycle), and evicting the oldest would miss every time; the one read next is kept.
                self._parsed.popitem(last=True)
            self._parsed[key] = article
        self._parsed.move_to_end(key)
        return self._parsed[key]

    def locales_for(self, article: Article | ArticleFile, locales: Iterable[str] = ()) -> list[str]:
        """The target locales of an article, narrowed to ``locales`` when given."""
        targets = [loc for loc in self.config.targets_for(article.language) if loc != article.language]
        wanted = [normalize_locale(loc) for loc in locales]
        for locale in wanted:
            if locale not in self.config.all_locales:
                raise InputError(f"locale {locale!r} is not a target in {self.shown(self.config.path)}")
        return [loc for loc in targets if not wanted or loc in wanted]

    def template(self, article: Article):
        """The article's POT, dated as on disk unless its entries changed (made once per run: ``run`` asks twice)."""
        from . import templates

        known = self._templates.get(article.path)
        if known is not None and known[0] is article:
            return known[1]
        pot = templates.build_template(
            article, f"{self.config.project} {self.config.version}", self.shown(article.path)
        )
        path = self.template_path(article.slug)
        extracted = self.state.result(*self.extract_key(article.path))
        if self._unchanged(extracted) and extracted[0][0] == self.shown(path):
            pot = templates.dated_as(pot, path)  # extract wrote it from these bytes: only its dates can differ
        else:
            pot = templates.keep_dates(pot, path)
        self._templates[article.path] = (article, pot)
        if len(self._templates) > HELD_ARTICLES:
            self._templates.popitem(last=False)
        return pot

    def extract_key(self, path: Path) -> tuple:
        """The key of what ``extract`` recorded for the source at ``path``: its POT and that POT's stamp."""
        return ("extract", self.shown(path), self._digest(path))

    def _unchanged(self, outputs: object) -> bool:
        """Whether files recorded as ``[[path, *stamp], ...]`` (see :meth:`State.stamp`) still hold those bytes."""
        return isinstance(outputs, list) and all(self.state.holds(self.root / p, stamp) for p, *stamp in outputs)

    def slug(self, source: ArticleFile) -> str:
        """An article's slug (front matter can set it), parsing it only if no earlier run did."""
        if self._slugs is not None and source.path in self._slugs:
            return self._slugs[source.path]
        slug = (self._slug_of(source) or self._read(source.path, source.language)).slug
        if self._slugs is not None:
            self._slugs[source.path] = slug
        return slug

    def article(self, source: ArticleFile) -> Article:
        return self._read(source.path, source.language)

    def _slug_of(self, source: ArticleFile) -> _Slug | None:
        """The slug an earlier run read in this article (front matter can set it), without parsing."""
        slug = self.state.result("slug", self.shown(source.path), self._digest(source.path))
        return _Slug(slug) if isinstance(slug, str) else None

    def translate(
        self,
        slugs: Iterable[str] = (),
        locales: Iterable[str] = (),
        retranslate: bool = False,
        options: MTOptions | None = None,
    ) -> Report:
        """Fill untranslated entries from translation memory, else machine translation, as fuzzy.

        A memory match of at least ``[memory] fuzzy_min`` also replaces an unreviewed
        machine suggestion; glossary terms are protected from the model. Catalogs are
        updated first. Each batch is saved as soon as it is done, so an interrupted run
        keeps its work and the next run resumes.
        """
        from .memory import TranslationMemory
        from .translation import translate_pending

        slugs, locales = list(slugs), list(locales)
        report = self.update(slugs, locales)
        sources = self.sources(slugs)
        memory = TranslationMemory(self.root / ".translate-flow" / "tm", self.config.fuzzy_min, self.state.digest)
        with contextlib.closing(memory):
            for locale in dict.fromkeys(loc for source in sources for loc in self.locales_for(source, locales)):
                memory.add_locale(
                    locale, [*self._catalogs_of(locale), (self.memory_path, self.shown(self.memory_path))]
                )
            report.extend(
                translate_pending(
                    self._targets(sources, locales),
                    memory,
                    options or self.config.mt,
                    self.mt_cache_path,
                    retranslate,
                    self.progress,
                    self.history,
                    self.glossary(),
                    functools.partial(self._candidates, retranslate=retranslate),
                )
            )
        self.state.save()
        return report

    def _catalogs_of(self, locale: str) -> Iterator[tuple[Path, str]]:
        """Every catalog of a locale as (path, shown), in name order."""
        folder = self.config.locales_dir / locale
        for path in sorted(folder.glob("*.po")):
            yield path, self.shown(path)

    def _targets(self, sources: list[ArticleFile], locales: list[str]) -> Iterator[tuple[str, str, Path, str]]:
        """(language, locale, path, shown) of each catalog to translate, made as it is reached.

        Made one at a time: a list of them all, with their paths, grew with the archive (300,000 at 100,000 articles).
        """
        for source in sources:
            for locale in self.locales_for(source, locales):
                path = self.catalog_path(locale, self.slug(source))
                yield source.language, locale, path, self.shown(path)

    def _candidates(self, path: Path, shown: str, retranslate: bool) -> list[list]:
        """The entries translate may fill in a catalog, kept by the hash of its bytes (see translation.candidates)."""
        from .translation import candidates

        key = ("translate", shown, self.state.digest(path), retranslate)
        known = self.state.result(*key)
        if isinstance(known, list):
            return known
        found = candidates(path, shown, retranslate)
        self.state.remember(found, *key)
        return found

    @property
    def mt_cache_path(self) -> Path:
        return self.root / ".translate-flow" / "mt-cache.sqlite3"

    def run(
        self,
        slugs: Iterable[str] = (),
        locales: Iterable[str] = (),
        include_fuzzy: bool = False,
        options: MTOptions | None = None,
    ) -> Report:
        """extract → update → align existing editions → translate → build."""
        slugs, locales = list(slugs), list(locales)
        self._listings, self._slugs = {}, {}
        try:
            return self._run(slugs, locales, include_fuzzy, options)
        finally:
            self._listings = self._slugs = None

    def _run(self, slugs: list[str], locales: list[str], include_fuzzy: bool, options: MTOptions | None) -> Report:
        report = self.extract(slugs)
        report.extend(self.align_editions(slugs, locales))
        report.extend(self.translate(slugs, locales, options=options))
        report.extend(self.build(slugs, locales, include_fuzzy))
        return report


@dataclass(frozen=True)
class _Slug:
    """Stands for an article where only its slug is needed."""

    slug: str
