"""The translate step: fill pending catalog entries from translation memory, else the models, catalog by catalog."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import catalogs, checks, packages
from .engines import ArgosEngine, MTCache, MTResult, Route, find_route, provenance
from .errors import InputError
from .history import History
from .memory import TranslationMemory
from .model import PLACEHOLDER, MTOptions, Problem, Progress, Report
from .provenance import Provenance
from .terminology import protect, terms_for

# A catalog is written once all its waiting entries are translated, and after every SAVE_EVERY results whatever is
# ready (a count, not a time: the bytes written must not depend on the machine's speed). The sentences are sorted
# by length across catalogs: writing each chunk of 64 results rewrote nearly every catalog once per chunk (at 500
# sentences/s on a GPU, most of translate's time). The MT cache keeps each batch as soon as it is done.
SAVE_EVERY = 2_000
WINDOW = 10_000  # pending entries sorted by length and sent together: a global sort would hold them all


@dataclass(frozen=True)
class _Pending:
    """An entry that waits for a translation."""

    path: Path
    shown: str
    key: tuple[str | None, str]


def _is_pending(retranslate: bool) -> Callable:
    def pending(entry) -> bool:
        if catalogs.is_merged(entry):  # a reviewer's or an edition's decision, not a gap
            return False
        return not entry.msgstr or (retranslate and entry.fuzzy and bool(entry.previous_msgid))

    return pending


def _memory_may_fill(entry) -> bool:  # a reviewed translation beats the model's; --retranslate asks the model
    if catalogs.is_merged(entry):  # a reviewer's or an edition's decision, not a gap
        return False
    return not entry.msgstr or catalogs.is_machine_suggestion(entry)


def candidates(path: Path, shown: str, retranslate: bool) -> list[list]:
    """What translate needs of a catalog: ``[msgctxt, msgid, pending, memory may fill]`` of each entry it may fill.

    A function of the catalog's bytes alone, so a run can keep it by their hash and read no unchanged catalog.
    """
    pending = _is_pending(retranslate)
    return [
        [entry.msgctxt, entry.msgid, pending(entry), _memory_may_fill(entry)]
        for entry in catalogs.read_catalog(path, shown).po
        if not entry.obsolete and (pending(entry) or _memory_may_fill(entry))
    ]


def translate_pending(
    targets: Iterable[tuple[str, str, Path, str]],
    memory: TranslationMemory,
    options: MTOptions,
    cache_path: Path,
    retranslate: bool,
    progress: Progress,
    history: History,
    glossary: Sequence[checks.GlossaryTerm] = (),
    candidates_of: Callable[[Path, str], list[list]] | None = None,
) -> Report:
    """Memory first, then the models, route by route, saving every chunk.

    The entries memory cannot fill wait in a window of about ``WINDOW``; when it is
    full, it goes to the models (sorted by length within it) and is saved before the
    next catalogs are read. A project with fewer pending entries is one window: its
    sentences are all sorted together.

    ``candidates_of(path, shown)``: :func:`candidates` of a catalog, perhaps as kept from an earlier run.
    """
    report = Report()
    pending = _is_pending(retranslate)
    candidates_of = candidates_of or (lambda path, shown: candidates(path, shown, retranslate))

    available = packages.installed()
    route_of: dict[tuple[str, str], Route | None] = {}
    window = _Window(options, cache_path, pending, report, progress, history, glossary)
    skipped = 0
    try:
        for language, locale, path, shown in targets:
            entries, remembered = candidates_of(path, shown), {}
            asked = [msgid for _, msgid, _, may_fill in entries if may_fill]
            known_miss = bool(asked) and memory.missed_before(locale, asked)
            for msgctxt, msgid, is_pending, may_fill in entries:
                suggestion = memory.suggest(locale, msgid) if may_fill and not known_miss else None
                if suggestion:
                    remembered[(msgctxt, msgid)] = suggestion
                elif is_pending:
                    pair = (language, locale)
                    if pair not in route_of:
                        route_of[pair] = find_route(language, locale, available)
                        if route_of[pair] is None:
                            report.missing.append(f"{language}→{locale}")
                    if route_of[pair] is None:
                        skipped += 1  # counted, not held: without a model, an archive has millions of them
                    else:
                        window.add(pair, route_of[pair], _Pending(path, shown, (msgctxt, msgid)))
            if remembered:
                filled = len(catalogs.fill(path, shown, remembered, _memory_may_fill, history))
                report.counts["memory"] += filled
                report.record(shown, bool(filled))
            elif asked and not known_miss:
                memory.note_missed(locale, asked)
            if window.held >= WINDOW:  # a catalog's entries are never split between two windows
                window.translate()
        window.translate()
    finally:
        window.close()
    if skipped:
        report.counts["skipped"] += skipped
    return report


class _Window:
    """Pending entries by route, up to a window's worth, and the engine that translates them."""

    def __init__(self, options: MTOptions, cache_path: Path, pending, report, progress, history, glossary):
        self.options, self.cache_path, self.pending, self.report = options, cache_path, pending, report
        self.progress, self.history, self.glossary = progress, history, glossary
        self.by_pair: dict[tuple[str, str], tuple[Route, list[_Pending]]] = {}  # (language, locale) → …
        self.held = 0
        self.engine: ArgosEngine | None = None

    def add(self, pair: tuple[str, str], route: Route, item: _Pending) -> None:
        self.by_pair.setdefault(pair, (route, []))[1].append(item)
        self.held += 1

    def translate(self) -> None:
        """Send what is held to the models, route by route, saving every chunk; then hold nothing."""
        if not self.by_pair:
            return
        self.engine = self.engine or _engine(self.options, MTCache(self.cache_path))
        for (_, locale), (route, items) in self.by_pair.items():
            self._translate_route(route, terms_for(self.glossary, locale), items)
        self.by_pair, self.held = {}, 0

    def _translate_route(self, route: Route, terms, items: list[_Pending]) -> None:
        by_text: dict[str, list[_Pending]] = {}
        for item in items:
            by_text.setdefault(item.key[1], []).append(item)
        protected = {text: protect(text, terms) for text in by_text}
        sources_of: dict[str, list[str]] = {}  # what the model sees → the msgids it stands for
        for text, sent in protected.items():
            sources_of.setdefault(sent.text, []).append(text)
        ready = _Ready(route, self.options, items, self.pending, self.report, self.history)
        stream = self.engine.translate_stream(route, sorted(sources_of))
        try:
            for sent, result in self.progress(stream, f"translate {route.path}", len(sources_of)):
                for text in sources_of[sent]:
                    restored, met = protected[text].restore(result.text)
                    ready.add(text, by_text[text], replace(result, text=restored), met)
        except BaseException:  # Ctrl-C too: what is translated is written, and the interruption goes on
            ready.save_all(interrupted=True)
            raise
        ready.save_all()

    def close(self) -> None:
        if self.engine:
            self.report.counts["sent to the model"] += self.engine.sent
            self.engine.close()


def machine_translations(
    texts: list[str], language: str, locale: str, options: MTOptions, cache_path: Path
) -> list[str] | None:
    """The local model's translations of ``texts`` (cached like any other), or None without a model for the pair."""
    route = find_route(language, locale, packages.installed())
    if route is None:
        return None
    engine = ArgosEngine(options, MTCache(cache_path))
    try:
        return [result.text for result in engine.translate(route, texts)]
    finally:
        engine.close()


def _engine(options: MTOptions, cache: MTCache) -> ArgosEngine:
    """The local engine, or the Ray one when a cluster is named (Ray is imported only then)."""
    if options.ray_address:
        from .ray_engine import RayEngine

        return RayEngine(options, cache)
    return ArgosEngine(options, cache)


class _Ready:
    """Suggestions waiting to be written, by catalog (see ``SAVE_EVERY``)."""

    def __init__(self, route: Route, options: MTOptions, items: list[_Pending], pending, report, history):
        self.route, self.options, self.pending, self.report, self.history = route, options, pending, report, history
        self.waiting = Counter((item.path, item.shown) for item in items)
        self.by_catalog: dict[tuple[Path, str], tuple[dict, set]] = {}  # suggestions, keys whose tags were lost
        self.since_saved = 0

    def add(self, text: str, items: list[_Pending], result: MTResult, met: bool) -> None:
        """The model's translation of ``text`` (glossary terms ``met`` or not) for the entries waiting for it."""
        found = provenance(self.route, self.options, result)
        line = found if met else Provenance(found.kind, f"{found.detail} glossary=unmet")
        # Glossary placeholders are ours: only markup the model lost is worth a reviewer's warning.
        lost_tags = result.tags_reinserted and PLACEHOLDER.search(text)
        for item in items:
            catalog = (item.path, item.shown)
            suggestions, reinserted = self.by_catalog.setdefault(catalog, ({}, set()))
            suggestions[item.key] = catalogs.Suggestion(result.text, line)
            if lost_tags:
                reinserted.add(item.key)
            self.report.counts["cache" if result.cached else "machine"] += 1
            self.waiting[catalog] -= 1
            if not self.waiting[catalog]:
                self._save(catalog)
        self.since_saved += 1
        if self.since_saved >= SAVE_EVERY:
            self.save_all()

    def save_all(self, interrupted: bool = False) -> None:
        """Write what is ready. When ``interrupted``, a catalog that cannot be written (a translator broke it)
        is reported and the others are still written: its sentences wait in the MT cache for the next run."""
        for catalog in list(self.by_catalog):
            try:
                self._save(catalog)
            except InputError as error:
                if not interrupted:
                    raise
                self.report.problems.append(Problem(catalog[1], None, f"suggestions not written: {error.message}"))
        self.since_saved = 0

    def _save(self, catalog: tuple[Path, str]) -> None:
        (path, shown), (suggestions, reinserted) = catalog, self.by_catalog.pop(catalog)
        lines = catalogs.fill(path, shown, suggestions, self.pending, self.history)  # the entries' lines once written
        self.report.record(shown, bool(lines))
        for key in sorted((key for key in reinserted if key in lines), key=lines.__getitem__):
            self.report.problems.append(
                Problem(shown, lines[key], "the model lost placeholders; translated around the tags instead")
            )
