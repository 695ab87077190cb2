"""Publishing: the localized site behind the completion gate, its manifest and its archive."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, bundle, catalogs, checks, feeds, site
from .errors import InputError
from .model import Article, EntryState, Problem
from .pipeline import Project
from .rendering import Localized, render_body


@dataclass
class PublishReport:
    """What publish did: locale decisions, per-article rows of the manifest, problems."""

    policy: str
    locales: dict[str, dict] = field(default_factory=dict)
    articles: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def left_out(self) -> list[str]:
        """Configured target locales that did not make it into the bundle."""
        return [locale for locale, decision in self.locales.items() if not decision["included"]]


def publish(project: Project, policy: str | None = None, force: bool = False) -> PublishReport:
    """Build ``dist/bundle/`` and ``dist/<project>-<version>.tar.gz`` behind the completion gate."""
    config = project.config
    policy = config.unreviewed_policy if policy is None else policy
    if policy not in bundle.POLICIES:
        raise InputError(f"unknown policy {policy!r}: use {', '.join(bundle.POLICIES)}")
    articles = _EachArticle(project)
    counts = {(a.slug, loc): _publish_counts(project, a, loc) for a in articles for loc in project.locales_for(a)}
    report = PublishReport(policy=policy)
    errors = _check_errors(project, articles, policy == "mt")
    for locale in sorted({loc for _, loc in counts}):
        totals = [c for (_, loc), c in counts.items() if loc == locale]
        segments = sum(c["segments"] for c in totals)
        share = 100 * sum(c["reviewed"] for c in totals) / max(segments, 1)
        reasons = []
        if share < config.min_reviewed:
            reasons.append(f"below the {config.min_reviewed:g}% required")
        elif policy == "omit" and share < 100:
            reasons.append("unreviewed entries, and the policy for them is 'omit'")
        if errors.get(locale):
            noun = "check error" if errors[locale] == 1 else "check errors"
            reasons.append(f"{errors[locale]} {noun} in what would be published (translate-flow check {locale})")
        report.locales[locale] = {"reviewed_percent": round(share, 1), "included": force or not reasons}
        if reasons:
            report.locales[locale]["reason"] = "; ".join(reasons) + ("; published anyway (--force)" if force else "")
    folder = config.dist_dir / "bundle"
    bundle.replace_folder(folder, lambda fresh: _fill_bundle(project, fresh, articles, counts, report))
    archive = config.dist_dir / f"{config.project}-{config.version}.tar.gz"
    bundle.write_archive(folder, archive, f"{config.project}-{config.version}")
    report.outputs = [project.shown(folder), project.shown(archive)]
    return report


class _EachArticle:
    """The project's articles, read again for each pass over them: never all in memory at once."""

    def __init__(self, project: Project):
        self.project = project

    def __iter__(self) -> Iterator[Article]:
        return self.project.each_article()


def _check_errors(project: Project, articles: Iterable[Article], use_fuzzy: bool) -> dict[str, int]:
    """Per locale, the QA errors in entries the bundle would show: reviewed ones, and fuzzy ones under 'mt'."""
    glossary = project.glossary()
    errors: dict[str, int] = {}
    for article in articles:
        for locale in project.locales_for(article):
            path = project.catalog_path(locale, article.slug)
            po = catalogs.read_catalog(path, project.shown(path)).po
            shown = {EntryState.TRANSLATED, EntryState.FUZZY} if use_fuzzy else {EntryState.TRANSLATED}
            lines = {e.linenum for e in po if not e.obsolete and catalogs.entry_state(e) in shown}
            findings = checks.check_catalog(po, project.shown(path), article.language, locale, glossary)
            found = sum(1 for f in findings if f.severity == "error" and f.line in lines)
            errors[locale] = errors.get(locale, 0) + found
    return errors


def _publish_counts(project: Project, article: Article, locale: str) -> dict:
    path = project.catalog_path(locale, article.slug)
    po = catalogs.read_catalog(path, project.shown(path)).po
    keys = {segment.key for segment in article.segments}
    machine = [e for e in po if not e.obsolete and (e.msgctxt, e.msgid) in keys and catalogs.is_machine_suggestion(e)]
    engines = sorted({catalogs.provenance_of(e).engine for e in machine})
    return {
        "segments": len(article.segments),
        "reviewed": catalogs.stats(po, [segment.key for segment in article.segments]).translated,
        "machine": len(machine),
        "engines": engines,
    }


def _fill_bundle(
    project: Project, folder: Path, articles: Iterable[Article], counts: dict, report: PublishReport
) -> None:
    config = project.config
    use_fuzzy = report.policy == "mt"
    pages = site.Site(config.project, config.base_url)
    entries: list[feeds.Entry] = []
    listings: dict[str, list[site.Listing]] = {}
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
            report.articles.append(_manifest_row(article, locale, counts, localized, folder, files))
            entry = _entry(localized, links)
            entries.append(entry)
            listings.setdefault(locale, []).append(_listing(localized, entry))
    _write_site(folder, pages, project.config.source_language, entries, listings)
    manifest = {
        "generator": f"translate-flow {__version__}",
        "project": config.project,
        "version": config.version,
        "source_revision": bundle.source_revision(project.root),
        "policy": report.policy,
        "min_reviewed_percent": config.min_reviewed,
        "locales": report.locales,
        "articles": report.articles,
        "files": bundle.file_hashes(folder),
    }
    bundle.write_json(folder / "manifest.json", manifest)


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


def _write_site(folder: Path, pages: site.Site, language: str, entries: list[feeds.Entry], listings: dict) -> None:
    """The pages around the articles: front pages, stylesheet, and with a base URL the sitemap and feeds."""
    locales = sorted(listings)
    (folder / "index.html").write_text(site.root_index(pages, language, locales), encoding="utf-8")
    (folder / site.STYLESHEET).write_text(site.stylesheet(), encoding="utf-8")
    for locale in locales:
        front = site.locale_index(pages, locale, listings[locale], locales)
        (folder / locale / "index.html").write_text(front, encoding="utf-8")
        if pages.base_url:
            mine = [e for e in entries if e.locale == locale]
            feed = feeds.atom_feed(pages.base_url, pages.project, locale, mine)
            (folder / locale / "feed.xml").write_text(feed, encoding="utf-8")
    if pages.base_url:
        fronts = ["", *(f"{locale}/index.html" for locale in locales)]
        (folder / "sitemap.xml").write_text(feeds.sitemap(pages.base_url, fronts, entries), encoding="utf-8")


def _manifest_row(article, locale, counts, localized, folder: Path, files: list[str]) -> dict:
    total = len(article.segments)
    fallback = sum(1 for p in localized.parts if not isinstance(p, str) and p.fallback)
    numbers = counts.get((article.slug, locale), {"reviewed": total, "machine": 0, "engines": []})
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
