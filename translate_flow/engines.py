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
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import MTOptions
from .packages import PackageInfo
from .rendering import PLACEHOLDER, tags_problem

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

    def translate_texts(self, package: PackageInfo, texts: list[str]) -> list[tuple[str, float, bool]]:
        """One leg: each text translated by one package; the flag says it came from the cache."""
        keys = [MTCache.key(package, self.options, text) for text in texts]
        known = self.cache.get(keys) if self.cache else {}
        cached = set(known)
        missing = sorted({t for t, k in zip(texts, keys, strict=True) if k not in known}, key=len)
        if missing:
            fresh = self._run_model(package, missing)
            rows = [(MTCache.key(package, self.options, t), *fresh[t]) for t in missing]
            if self.cache:
                self.cache.put(rows)
            known.update({key: (target, score) for key, target, score in rows})
        return [(*known[key], key in cached) for key in keys]

    def _run_model(self, package: PackageInfo, texts: list[str]) -> dict[str, tuple[str, float]]:
        model = self._model(package)
        tokenized = sorted(((model.tokenizer.encode(t), t) for t in texts), key=lambda item: len(item[0]))
        pending = []
        for batch in _batches(tokenized, self.options):
            prefix = [[model.target_prefix]] * len(batch) if model.target_prefix else None
            pending.append(
                (
                    batch,
                    model.translator.translate_batch(
                        [tokens for tokens, _ in batch],
                        target_prefix=prefix,
                        beam_size=self.options.beam_size,
                        max_decoding_length=self.options.decoding_bound(len(batch[-1][0])),
                        length_penalty=LENGTH_PENALTY,
                        replace_unknowns=True,
                        return_scores=True,
                        asynchronous=True,
                    ),
                )
            )
        results = {}
        for batch, futures in pending:
            for (_tokens, text), future in zip(batch, futures, strict=True):
                result = future.result()
                results[text] = (model.decode(result.hypotheses[0]), _mean_log_prob(result, LENGTH_PENALTY))
        self.sent += len(texts)
        return results

    def translate(self, route: Route, texts: list[str]) -> list[MTResult]:
        """Whole sentences with placeholders; tags the model loses are put back."""
        results = self._along(route, texts)
        broken = [
            i
            for i, (text, result) in enumerate(zip(texts, results, strict=True))
            if tags_problem(PLACEHOLDER.findall(text), result.text)
        ]
        if broken:
            repaired = self._around_tags(route, [texts[i] for i in broken])
            for index, result in zip(broken, repaired, strict=True):
                results[index] = result
        return results

    def _along(self, route: Route, texts: list[str]) -> list[MTResult]:
        current = [MTResult(text, 0.0, cached=True) for text in texts]
        for leg in route.legs:
            translated = self.translate_texts(leg, [result.text for result in current])
            current = [
                MTResult(text, before.score + score, cached=before.cached and cached)
                for (text, score, cached), before in zip(translated, current, strict=True)
            ]
        return current

    def _around_tags(self, route: Route, texts: list[str]) -> list[MTResult]:
        """Translate the text between tags, keep the tags in source order."""
        pieces = [PLACEHOLDER_SPLIT.split(text) for text in texts]
        words = sorted({p.strip() for parts in pieces for p in parts if p.strip() and not PLACEHOLDER.fullmatch(p)})
        translated = dict(zip(words, self._along(route, words), strict=True))
        results = []
        for parts in pieces:
            out, used = [], []
            for part in parts:
                if PLACEHOLDER.fullmatch(part) or not part.strip():
                    out.append(part)
                else:
                    used.append(translated[part.strip()])
                    out.append(_keep_spacing(part, used[-1].text))
            score = sum(r.score for r in used) / max(len(used), 1)
            cached = all(r.cached for r in used)
            results.append(MTResult("".join(out), score, tags_reinserted=True, cached=cached))
        return results

    def close(self) -> None:
        self._models.clear()
        if self.cache:
            self.cache.close()


PLACEHOLDER_SPLIT = re.compile(f"({PLACEHOLDER.pattern})")


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


def provenance(route: Route, options: MTOptions, result: MTResult) -> str:
    """The translator comment that records where a suggestion came from."""
    line = f"mt: {ENGINE} {route.path} {route.packages} beam={options.beam_size} score={result.score:.2f}"
    return line + (" tags=reinserted" if result.tags_reinserted else "")
