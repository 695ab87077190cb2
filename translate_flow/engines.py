"""Machine translation with Argos packages, run directly on CTranslate2.

argostranslate finds the package and provides its tokenizer; the model runs
here, so that all pending sentences of all articles and locales are batched
together: sorted by length, about eight to a batch, batches run in parallel on
``inter_threads``. ``argostranslate.translate`` is never imported: it needs
stanza or MiniSBD, which download models at first use.

Placeholders (``<1>…</1>``) are sent to the model as they are. If the output
does not carry exactly the source's placeholders, the sentence is translated
again piece by piece between the tags and the tags are put back in source
order; the entry is reported, never silently corrupted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import PLACEHOLDER, PLACEHOLDER_SPLIT, MTOptions
from .packages import PackageInfo
from .provenance import Provenance
from .rendering import tags_problem

ENGINE = "argos"
LENGTH_PENALTY = 0.2  # as argostranslate uses


@dataclass(frozen=True)
class Route:
    """The packages that take a language to another: one, or two through a pivot."""

    legs: tuple[PackageInfo, ...]

    @property
    def path(self) -> str:
        return "→".join([self.legs[0].source, *(leg.target for leg in self.legs)])

    @property
    def packages(self) -> str:
        return " + ".join(f"translate-{leg.source}_{leg.target} {leg.version}" for leg in self.legs)


def language_code(locale: str) -> str:
    """Argos packages name languages by ISO 639 code: ``pt_BR`` → ``pt``."""
    return locale.split("_")[0]


def find_route(source: str, target: str, available: Sequence[PackageInfo]) -> Route | None:
    """A direct package, else a pivot through one other language (English first)."""
    source, target = language_code(source), language_code(target)
    by_pair = {(p.source, p.target): p for p in available}
    if (source, target) in by_pair:
        return Route((by_pair[source, target],))
    pivots = sorted({p.target for p in available if p.source == source}, key=lambda code: (code != "en", code))
    for pivot in pivots:
        if (pivot, target) in by_pair:
            return Route((by_pair[source, pivot], by_pair[pivot, target]))
    return None


@dataclass(frozen=True)
class MTResult:
    text: str
    score: float
    tags_reinserted: bool = False
    cached: bool = False  # no model ran for it


class MTCache:
    """Translations already made, in SQLite: keyed by engine, package, options, pair and text."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, target TEXT NOT NULL, score REAL)")

    @staticmethod
    def key(package: PackageInfo, options: MTOptions, text: str) -> str:
        parts = [ENGINE, package.name, package.version, options.key, package.source, package.target, text]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def get(self, keys: list[str]) -> dict[str, tuple[str, float]]:
        found = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self._db.execute(
                f"SELECT key, target, score FROM mt WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update({key: (target, score) for key, target, score in rows})
        return found

    def put(self, rows: list[tuple[str, str, float]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()


class _Model:
    """One package loaded: its CTranslate2 translator and argostranslate's tokenizer."""

    def __init__(self, package: PackageInfo, options: MTOptions):
        import argostranslate.package
        import ctranslate2
        from argostranslate.tokenizer import SentencePieceTokenizer

        argos = argostranslate.package.Package(package.path)
        self.tokenizer = argos.tokenizer
        self.target_prefix = argos.target_prefix
        # argostranslate's SentencePiece decode turns every "_" into a space; decode with the processor.
        self._pieces = self.tokenizer.lazy_processor() if isinstance(self.tokenizer, SentencePieceTokenizer) else None
        inter, intra = options.threads()
        self.translator = ctranslate2.Translator(
            str(package.path / "model"), device="cpu", inter_threads=inter, intra_threads=intra
        )

    def decode(self, tokens: list[str]) -> str:
        text = self._pieces.decode_pieces(tokens) if self._pieces else self.tokenizer.decode(tokens)
        if self.target_prefix and text.startswith(self.target_prefix):
            text = text[len(self.target_prefix) :]
        return text.strip()


class ArgosEngine:
    """Translates sentences along a route, batched, through the cache."""

    def __init__(self, options: MTOptions, cache: MTCache | None = None):
        self.options = options
        self.cache = cache
        self._models: dict[Path, _Model] = {}
        self.sent = 0  # sentences that reached a model

    def _model(self, package: PackageInfo) -> _Model:
        if package.path not in self._models:
            self._models[package.path] = _Model(package, self.options)
        return self._models[package.path]

    def stream_texts(self, package: PackageInfo, texts: list[str]) -> Iterator[tuple[str, str, float, bool]]:
        """One leg: (text, translation, score, from the cache) per distinct text, as each is ready."""
        unique = list(dict.fromkeys(texts))
        keys = {text: MTCache.key(package, self.options, text) for text in unique}
        known = self.cache.get(list(keys.values())) if self.cache else {}
        for text in unique:
            if keys[text] in known:
                yield text, *known[keys[text]], True
        for batch in self._run_model(package, [t for t in unique if keys[t] not in known]):
            if self.cache:
                self.cache.put([(keys[text], target, score) for text, target, score in batch])
            for text, target, score in batch:
                yield text, target, score, False

    def _run_model(self, package: PackageInfo, texts: list[str]) -> Iterator[list[tuple[str, str, float]]]:
        """Submit every batch at once, so the threads never wait; yield them in order as they finish."""
        if not texts:
            return
        model = self._model(package)
        # Longest first: the batches still running at the end are the short ones.
        tokenized = sorted(((model.tokenizer.encode(t), t) for t in texts), key=lambda item: -len(item[0]))
        submitted = []
        for batch in _batches(tokenized, self.options):
            prefix = [[model.target_prefix]] * len(batch) if model.target_prefix else None
            futures = model.translator.translate_batch(
                [tokens for tokens, _ in batch],
                target_prefix=prefix,
                beam_size=self.options.beam_size,
                max_decoding_length=self.options.decoding_bound(max(len(tokens) for tokens, _ in batch)),
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                return_scores=True,
                asynchronous=True,
            )
            submitted.append((batch, futures))
        for batch, futures in submitted:
            done = []
            for (_tokens, text), future in zip(batch, futures, strict=True):
                result = future.result()
                done.append((text, model.decode(result.hypotheses[0]), _mean_log_prob(result, LENGTH_PENALTY)))
            self.sent += len(batch)
            yield done

    def translate_stream(self, route: Route, texts: list[str]) -> Iterator[tuple[str, MTResult]]:
        """(text, result) per distinct text as it is ready; tags the model lost are put back at the end."""
        broken = []
        for text, result in self._along(route, texts):
            if tags_problem(PLACEHOLDER.findall(text), result.text):
                broken.append(text)
            else:
                yield text, result
        if broken:
            yield from self._around_tags(route, broken)

    def translate(self, route: Route, texts: list[str]) -> list[MTResult]:
        """Results in the order of ``texts``."""
        done = dict(self.translate_stream(route, texts))
        return [done[text] for text in texts]

    def _along(self, route: Route, texts: list[str]) -> Iterator[tuple[str, MTResult]]:
        current = {text: MTResult(text, 0.0, cached=True) for text in texts}
        *first, last = route.legs
        for leg in first:  # a pivot: the first leg completes before the second starts
            done = {text: rest for text, *rest in self.stream_texts(leg, [r.text for r in current.values()])}
            current = {s: _extend(r, *done[r.text]) for s, r in current.items()}
        sources_of: dict[str, list[str]] = {}
        for source, result in current.items():
            sources_of.setdefault(result.text, []).append(source)
        for text, target, score, cached in self.stream_texts(last, list(sources_of)):
            for source in sources_of[text]:
                yield source, _extend(current[source], target, score, cached)

    def _around_tags(self, route: Route, texts: list[str]) -> Iterator[tuple[str, MTResult]]:
        """Translate the text between tags, keep the tags in source order."""
        pieces = {text: PLACEHOLDER_SPLIT.split(text) for text in texts}
        words = sorted(
            {p.strip() for parts in pieces.values() for p in parts if p.strip() and not PLACEHOLDER.fullmatch(p)}
        )
        translated = dict(self._along(route, words))
        for text, parts in pieces.items():
            out, used = [], []
            for part in parts:
                if PLACEHOLDER.fullmatch(part) or not part.strip():
                    out.append(part)
                else:
                    used.append(translated[part.strip()])
                    out.append(_keep_spacing(part, used[-1].text))
            score = sum(r.score for r in used) / max(len(used), 1)
            cached = all(r.cached for r in used)
            yield text, MTResult("".join(out), score, tags_reinserted=True, cached=cached)

    def close(self) -> None:
        self._models.clear()
        if self.cache:
            self.cache.close()


def _extend(before: MTResult, text: str, score: float, cached: bool) -> MTResult:
    """One more leg of a route."""
    return MTResult(text, before.score + score, cached=before.cached and cached)


def _mean_log_prob(result, length_penalty: float) -> float:
    """Log-probability per token: CTranslate2 divides the sum by length ** penalty."""
    length = len(result.hypotheses[0]) + 1  # the end-of-sentence token counts
    return float(result.scores[0]) * length**length_penalty / length


def _keep_spacing(original: str, translated: str) -> str:
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    return f"{lead}{translated}{trail}"


def _batches(tokenized: list, options: MTOptions) -> Iterator[list]:
    """Consecutive runs of length-sorted sentences sharing a decoding bound, ``batch_size`` at most."""
    batch: list = []
    for item in tokenized:
        if batch and (
            len(batch) == options.batch_size
            or options.decoding_bound(len(item[0])) != options.decoding_bound(len(batch[0][0]))
        ):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def provenance(route: Route, options: MTOptions, result: MTResult) -> Provenance:
    """The translator comment that records where a suggestion came from."""
    detail = f"{ENGINE} {route.path} {route.packages} beam={options.beam_size} score={result.score:.2f}"
    return Provenance("mt", detail + (" tags=reinserted" if result.tags_reinserted else ""))
