"""Publishing: the localized bundle behind the completion gate, its manifest and its archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, bundle, catalogs
from .errors import InputError
from .model import Article, Problem
from .pipeline import Project, alternates
from .rendering import render_html


@dataclass
class PublishReport:
    """What publish did: locale decisions, per-article rows of the manifest, problems."""

    policy: str
    locales: dict[str, dict] = field(default_factory=dict)
    articles: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


def publish(project: Project, policy: str | None = None, force: bool = False) -> PublishReport:
    """Build ``dist/bundle/`` and ``dist/<project>-<version>.tar.gz`` behind the completion gate."""
    config = project.config
    policy = config.unreviewed_policy if policy is None else policy
    if policy not in bundle.POLICIES:
        raise InputError(f"unknown policy {policy!r}: use {', '.join(bundle.POLICIES)}")
    articles = project.articles()
    counts = {(a.slug, loc): _publish_counts(project, a, loc) for a in articles for loc in project.locales_for(a)}
    report = PublishReport(policy=policy)
    for locale in sorted({loc for _, loc in counts}):
        totals = [c for (_, loc), c in counts.items() if loc == locale]
        segments = sum(len(a.segments) for a in articles if (a.slug, locale) in counts)
        share = 100 * sum(c["reviewed"] for c in totals) / max(segments, 1)
        reason = None
        if share < config.min_reviewed:
            reason = f"below the {config.min_reviewed:g}% required"
        elif policy == "omit" and share < 100:
            reason = "unreviewed entries, and the policy for them is 'omit'"
        report.locales[locale] = {"reviewed_percent": round(share, 1), "included": force or reason is None}
        if reason:
            report.locales[locale]["reason"] = reason + ("; published anyway (--force)" if force else "")
    folder = config.dist_dir / "bundle"
    bundle.replace_folder(folder, lambda fresh: _fill_bundle(project, fresh, articles, counts, report))
    archive = config.dist_dir / f"{config.project}-{config.version}.tar.gz"
    bundle.write_archive(folder, archive, f"{config.project}-{config.version}")
    report.outputs = [project.shown(folder), project.shown(archive)]
    return report


def _publish_counts(project: Project, article: Article, locale: str) -> dict:
    path = project.catalog_path(locale, article.slug)
    po = catalogs.read_catalog(path, project.shown(path)).po
    keys = {segment.key for segment in article.segments}
    machine = [e for e in po if not e.obsolete and (e.msgctxt, e.msgid) in keys and catalogs.is_machine_suggestion(e)]
    engines = sorted({" ".join(catalogs.provenance_of(e).split(" beam=")[0].split()[1:]) for e in machine})
    return {
        "reviewed": catalogs.stats(po, [segment.key for segment in article.segments]).translated,
        "machine": len(machine),
        "engines": engines,
    }


def _fill_bundle(project: Project, folder: Path, articles: list[Article], counts: dict, report: PublishReport) -> None:
    config = project.config
    use_fuzzy = report.policy == "mt"
    index = []
    for article in articles:
        locales = [article.language] + [loc for loc in project.locales_for(article) if report.locales[loc]["included"]]
        links = alternates(article, locales)
        index.append((article.slug, article.title, locales))
        for locale in locales:
            localized = project.localize(article, locale, use_fuzzy)
            report.problems += localized.problems
            out = folder / locale
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{article.slug}.md").write_text(localized.markdown(), encoding="utf-8")
            (out / f"{article.slug}.html").write_text(render_html(localized, links), encoding="utf-8")
            files = [f"{locale}/{article.slug}.md", f"{locale}/{article.slug}.html"]
            if locale != article.language:
                mo = f"{locale}/LC_MESSAGES/{article.slug}.mo"
                bundle.compile_mo(project.catalog_path(locale, article.slug), folder / mo, locale, use_fuzzy)
                files.append(mo)
            report.articles.append(_manifest_row(article, locale, counts, localized, folder, files))
    (folder / "index.html").write_text(bundle.index_page(config.project, index), encoding="utf-8")
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
