"""Where each locale stands after a run, and what to type next: the end of ``translate-flow run``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogs
from .model import EntryState
from .pipeline import Project
from .settling import agreed
from .sources import ArticleFile

# Where a suggestion waiting for review came from, by the start of its provenance comment.
ORIGINS = {"aligned": "the human edition", "merged": "the human edition", "mt": "machine translation"}
ORIGINS["tm"] = "translation memory"


@dataclass
class LocaleSummary:
    """Entry counts of one target locale over the articles run."""

    locale: str
    source_languages: list[str]
    entries: int = 0
    reviewed: int = 0
    untranslated: int = 0
    waiting: Counter = field(default_factory=Counter)  # origin → entries waiting for review

    @property
    def shown_in_source(self) -> int:
        """Entries readers see in the source language: untranslated, and suggestions until reviewed."""
        return self.untranslated + sum(self.waiting.values())


def summarize(project: Project, slugs: Iterable[str] = (), locales: Iterable[str] = ()) -> list[LocaleSummary]:
    """Per target locale: reviewed, waiting for review (by origin) and untranslated entries."""
    summaries: dict[str, LocaleSummary] = {}
    for source in project.sources(slugs):
        for locale, counts in _article_counts(project, source, project.locales_for(source, locales)).items():
            summary = summaries.setdefault(locale, LocaleSummary(locale, []))
            if source.language not in summary.source_languages:
                summary.source_languages.append(source.language)
            summary.entries += counts["entries"]
            summary.reviewed += counts["reviewed"]
            summary.untranslated += counts["untranslated"]
            summary.waiting.update(counts["waiting"])
    project.state.save()
    return [summaries[locale] for locale in sorted(summaries)]


def _article_counts(project: Project, source: ArticleFile, locales: list[str]) -> dict[str, dict]:
    """An article's counts per locale, settled with the ``stat`` of its source and catalogs (see settling):
    a run with nothing changed checks an article with one lookup and a ``stat`` per file."""
    key = ("summarized", project.shown(source.path), locales)
    known = project.settled_record(key)
    if known is not None:
        return {locale: {**counts, "waiting": Counter(counts["waiting"])} for locale, counts in known["counts"].items()}
    slug, found, hashes = project.slug(source), {}, []
    for locale in locales:
        found[locale], checked = _counts(project, source, project.catalog_path(locale, slug))
        hashes.append(checked)
    checked = agreed(*hashes)
    if checked is not None:
        project.settle(key, checked, counts=found)
    return found


def _counts(project: Project, source: ArticleFile, path: Path) -> tuple[dict, dict[Path, str | None]]:
    """One catalog's share of its locale's summary, kept by the hashes of the article and the catalog (also given)."""
    hashes = {source.path: project.state.digest(source.path), path: project.state.digest(path)}
    key = ("summary", project.shown(path), *hashes.values())
    known = project.state.result(*key)
    if isinstance(known, dict):
        return known, hashes
    counts = {"entries": 0, "reviewed": 0, "untranslated": 0, "waiting": Counter()}
    po = catalogs.read_catalog(path, project.shown(path)).po
    by_key, states = {e.key: e for e in po if not e.obsolete}, catalogs.states(po)  # a merged entry: its group's
    for segment in project.article(source).segments:
        entry = by_key.get(segment.key)
        state = states[id(entry)] if entry else EntryState.UNTRANSLATED
        counts["entries"] += 1
        if state is EntryState.TRANSLATED:
            counts["reviewed"] += 1
        elif state is EntryState.UNTRANSLATED:
            counts["untranslated"] += 1
        else:
            counts["waiting"][_origin(entry)] += 1
    project.state.remember(counts, *key)
    return counts, hashes


def _origin(entry) -> str:
    found = catalogs.provenance_of(entry)
    return ORIGINS.get(found.kind, "an earlier source text") if found else "an earlier source text"


def describe(summary: LocaleSummary, missing_models: list[str]) -> list[str]:
    """Two or three lines a newcomer can act on."""
    from babel import Locale

    sources = " or ".join(Locale.parse(language).get_display_name("en") for language in summary.source_languages)
    waiting = sum(summary.waiting.values())
    origins = ", ".join(f"{count} from {origin}" for origin, count in sorted(summary.waiting.items()))
    lines = [
        f"{summary.locale}: {summary.reviewed} of {summary.entries} entries reviewed; "
        f"{waiting} waiting for review{f' ({origins})' if origins else ''}; "
        f"{summary.untranslated} untranslated",
    ]
    if summary.shown_in_source:
        lines.append(
            f"    pages in {summary.locale} show {summary.shown_in_source} of them in {sources} "
            "until they are translated and reviewed"
        )
    without_model = [pair for pair in missing_models if pair.endswith(f"→{summary.locale}")]
    if waiting:
        lines.append(f"    next: translate-flow review {summary.locale}")
    elif summary.untranslated and without_model:
        source = without_model[0].split("→")[0]
        lines.append(
            f"    next: translate-flow models install {source} {summary.locale}, "
            f"or translate locales/{summary.locale}/*.po in a PO editor"
        )
    elif summary.untranslated:
        lines.append(f"    next: translate locales/{summary.locale}/*.po in a PO editor, or translate-flow translate")
    else:
        lines.append("    next: translate-flow publish")
    return lines
