"""Publishing: the localized site behind the completion gate, its manifest and its archive."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from . import __version__, bundle, catalogs, checks, feeds, site
from .errors import InputError
from .model import Article, EntryState, Problems
from .pipeline import Project
from .rendering import Localized, render_body
from .spool import Spool

LISTED_PER_PAGE = 100  # articles on each of a locale's front pages


@dataclass
class PublishReport:
    """What publish did: locale decisions, problems, outputs (the per-article rows are in the manifest)."""

    policy: str
    locales: dict[str, dict] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)  # bounded: the first ones, and a count of the rest
    outputs: list[str] = field(default_factory=list)

    @property
    def left_out(self) -> list[str]:
        """Configured target locales that did not make it into the bundle."""
        return [locale for locale, decision in self.locales.items() if not decision["included"]]


@dataclass
class _Totals:
    """A locale's counts over the archive, for the completion gate."""

    segments: int = 0
    reviewed: int = 0
    errors: int = 0


def publish(project: Project, policy: str | None = None, force: bool = False) -> PublishReport:
    """Build ``dist/bundle/`` and ``dist/<project>-<version>.tar.gz`` behind the completion gate.

    What grows with the archive (each edition's counts, feed entry, listing and
    manifest row) waits in a :class:`Spool` on disk, not in memory.
    """
    config = project.config
    policy = config.unreviewed_policy if policy is None else policy
    if policy not in bundle.POLICIES:
        raise InputError(f"unknown policy {policy!r}: use {', '.join(bundle.POLICIES)}")
    articles = _EachArticle(project)
    report = PublishReport(policy=policy)
    spool = Spool()
    try:
        totals = _survey(project, articles, policy == "mt", spool)
        for locale in sorted(totals):
            report.locales[locale] = _decision(locale, totals[locale], config.min_reviewed, policy, force)
        folder = config.dist_dir / "bundle"
        bundle.replace_folder(folder, lambda fresh: _fill_bundle(project, fresh, articles, spool, report))
    finally:
        spool.close()
    archive = config.dist_dir / f"{config.project}-{config.version}.tar.gz"
    bundle.write_archive(folder, archive, f"{config.project}-{config.version}")
    report.outputs = [project.shown(folder), project.shown(archive)]
    return report


def _decision(locale: str, totals: _Totals, min_reviewed: float, policy: str, force: bool) -> dict:
    """Whether a locale goes into the bundle, and why not."""
    share = 100 * totals.reviewed / max(totals.segments, 1)
    reasons = []
    if share < min_reviewed:
        reasons.append(f"below the {min_reviewed:g}% required")
    elif policy == "omit" and share < 100:
        reasons.append("unreviewed entries, and the policy for them is 'omit'")
    if totals.errors:
        noun = "check error" if totals.errors == 1 else "check errors"
        reasons.append(f"{totals.errors} {noun} in what would be published (translate-flow check {locale})")
    decision: dict = {"reviewed_percent": round(share, 1), "included": force or not reasons}
    if reasons:
        decision["reason"] = "; ".join(reasons) + ("; published anyway (--force)" if force else "")
    return decision


class _EachArticle:
    """The project's articles, read again for each pass over them: never all in memory at once."""

    def __init__(self, project: Project):
        self.project = project

    def __iter__(self) -> Iterator[Article]:
        return self.project.each_article()


def _survey(project: Project, articles: Iterable[Article], use_fuzzy: bool, spool: Spool) -> dict[str, _Totals]:
    """Each catalog read once: its counts into the spool, and per locale the totals and the QA errors
    in entries the bundle would show (reviewed ones, and fuzzy ones under 'mt')."""
    glossary = project.glossary()
    shown_states = {EntryState.TRANSLATED, EntryState.FUZZY} if use_fuzzy else {EntryState.TRANSLATED}
    totals: dict[str, _Totals] = {}
    for article in articles:
        keys = [segment.key for segment in article.segments]
        for locale in project.locales_for(article):
            path = project.catalog_path(locale, article.slug)
            po = catalogs.read_catalog(path, project.shown(path)).po
            counts = _publish_counts(po, keys)
            spool.add_counts(article.slug, locale, counts)
            lines = {e.linenum for e in po if not e.obsolete and catalogs.entry_state(e) in shown_states}
            findings = checks.check_catalog(po, project.shown(path), article.language, locale, glossary)
            total = totals.setdefault(locale, _Totals())
            total.segments += len(keys)
            total.reviewed += counts["reviewed"]
            total.errors += sum(1 for f in findings if f.severity == "error" and f.line in lines)
    return totals


def _publish_counts(po, keys: list[tuple]) -> dict:
    wanted = set(keys)
    machine = [e for e in po if not e.obsolete and (e.msgctxt, e.msgid) in wanted and catalogs.is_machine_suggestion(e)]
    return {
        "reviewed": catalogs.stats(po, keys).translated,
        "machine": len(machine),
        "engines": sorted({catalogs.provenance_of(e).engine for e in machine}),
    }


def _fill_bundle(
    project: Project, folder: Path, articles: Iterable[Article], spool: Spool, report: PublishReport
) -> None:
    config = project.config
    use_fuzzy = report.policy == "mt"
    pages = site.Site(config.project, config.base_url)
    for article in articles:
        locales = [article.language] + [loc for loc in project.locales_for(article) if report.locales[loc]["included"]]
        links = site.ArticleLinks.of(article, locales)
        for locale in locales:
            localized = project.localize(article, locale, use_fuzzy)
            report.problems += localized.problems
            out = folder / locale
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{article.slug}.md").write_text(localized.markdown(), encoding="utf-8")
            page = site.article_page(localized, render_body(localized, config.raw_html), links, pages)
            (out / f"{article.slug}.html").write_text(page, encoding="utf-8")
            files = [f"{locale}/{article.slug}.md", f"{locale}/{article.slug}.html"]
            if locale != article.language:
                mo = f"{locale}/LC_MESSAGES/{article.slug}.mo"
                po_path = project.catalog_path(locale, article.slug)
                bundle.compile_mo(po_path, folder / mo, locale, use_fuzzy, project.shown(po_path))
                files.append(mo)
            counts = spool.counts(article.slug, locale)
            row = _manifest_row(article, locale, counts, localized, folder, files)
            entry = _entry(localized, links)
            spool.add_edition(entry, _listing(localized, entry), row)
    _write_site(folder, pages, config, spool)
    fields = {
        "generator": f"translate-flow {__version__}",
        "project": config.project,
        "version": config.version,
        "source_revision": bundle.source_revision(project.root),
        "policy": report.policy,
        "min_reviewed_percent": config.min_reviewed,
        "locales": report.locales,
    }
    bundle.write_manifest(folder / "manifest.json", fields, spool.manifest_rows(), folder)


def _entry(localized: Localized, links: site.ArticleLinks) -> feeds.Entry:
    article = localized.article
    title = localized.field_text("title")
    summary = localized.field_text("summary")
    return feeds.Entry(
        path=links.paths[localized.locale],
        locale=localized.locale,
        title=title[0] if title else article.title,
        summary=summary[0] if summary else None,
        author=article.author,
        published=article.published,
        alternates=links.paths,
        original=links.paths[links.original],
    )


def _listing(localized: Localized, entry: feeds.Entry) -> site.Listing:
    def language_of(location: str) -> str | None:
        """The source language where the field fell back to it."""
        text = localized.field_text(location)
        return localized.article.language if text and text[1] else None

    article = localized.article
    return site.Listing(
        article.slug, entry.title, entry.summary, entry.published, language_of("title"), language_of("summary")
    )


def _write_site(folder: Path, pages: site.Site, config, spool: Spool) -> None:
    """The pages around the articles: front pages, stylesheet, and with a base URL the sitemap and feeds.

    A locale's articles are listed a page of ``LISTED_PER_PAGE`` at a time; its feed
    has the newest ``[publish] feed_entries``.
    """
    locales = spool.locales()
    (folder / "index.html").write_text(site.root_index(pages, config.source_language, locales), encoding="utf-8")
    (folder / site.STYLESHEET).write_text(site.stylesheet(), encoding="utf-8")
    fronts = [""]
    for locale in locales:
        count = max(1, -(-spool.count(locale) // LISTED_PER_PAGE))
        listings = spool.listings(locale)
        for number in range(1, count + 1):
            page = site.Page(number, count)
            listed = list(islice(listings, LISTED_PER_PAGE))
            front = site.locale_index(pages, locale, listed, locales, page)
            path = folder / page.path(locale)
            path.parent.mkdir(exist_ok=True)
            path.write_text(front, encoding="utf-8")
            fronts.append(page.path(locale))
        if pages.base_url:
            feed = feeds.atom_feed(pages.base_url, pages.project, locale, spool.newest(locale, config.feed_entries))
            (folder / locale / "feed.xml").write_text(feed, encoding="utf-8")
    if pages.base_url:
        feeds.write_sitemaps(folder, pages.base_url, fronts, spool.entries())


def _manifest_row(article, locale, counts: dict | None, localized, folder: Path, files: list[str]) -> dict:
    """``counts``: the catalog's, None for the original."""
    total = len(article.segments)
    fallback = sum(1 for p in localized.parts if not isinstance(p, str) and p.fallback)
    numbers = counts or {"reviewed": total, "machine": 0, "engines": []}
    return {
        "article": article.slug,
        "locale": locale,
        "segments": total,
        "words": sum(catalogs.words(segment.text) for segment in article.segments),
        "reviewed_percent": round(100 * numbers["reviewed"] / max(total, 1), 1),
        "machine_unreviewed_percent": round(100 * numbers["machine"] / max(total, 1), 1),
        "fallback_percent": round(100 * fallback / max(total, 1), 1),
        "engines": numbers["engines"],
        "files": {name: bundle.sha256(folder / name) for name in files},
    }
