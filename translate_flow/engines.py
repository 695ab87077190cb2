"""Machine translation with Argos packages, run directly on CTranslate2.

argostranslate finds the package and provides its tokenizer; the model runs
here, so that the pending sentences of all articles and locales (a window of them
at a time, see translation.py) are batched together: sorted by length, about
eight to a batch, batches run in parallel on ``inter_threads``.
``argostranslate.translate`` is never imported: it needs stanza or MiniSBD,
which download models at first use.

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
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError
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


class Tokenizer:
    """A package's tokenizer, as argostranslate reads it, and its target prefix."""

    def __init__(self, path: Path):
        import argostranslate.package
        from argostranslate.tokenizer import SentencePieceTokenizer

        argos = argostranslate.package.Package(path)
        self._tokenizer = argos.tokenizer
        self.target_prefix = argos.target_prefix
        # argostranslate's SentencePiece decode turns every "_" into a space; decode with the processor.
        self._pieces = self._tokenizer.lazy_processor() if isinstance(self._tokenizer, SentencePieceTokenizer) else None

    def encode(self, text: str) -> list[str]:
        return self._tokenizer.encode(text)

    def decode(self, tokens: list[str]) -> str:
        text = self._pieces.decode_pieces(tokens) if self._pieces else self._tokenizer.decode(tokens)
        if self.target_prefix and text.startswith(self.target_prefix):
            text = text[len(self.target_prefix) :]
        return text.strip()

    def length_sorted(self, texts: list[str]) -> list[tuple[list[str], str]]:
        """(tokens, text), longest first: the batches still running at the end are the short ones."""
        return sorted(((self.encode(t), t) for t in texts), key=lambda item: -len(item[0]))


class Model:
    """One package loaded: its CTranslate2 translator and its tokenizer. Ray workers hold one each."""

    def __init__(self, path: Path, options: MTOptions):
        import ctranslate2

        self.tokenizer = Tokenizer(path)
        self.options = options
        inter, intra = options.threads()
        if options.device == "cuda":
            inter = options.inter_threads or 1  # on a GPU, inter_threads copies the model: one unless asked
        try:
            self.translator = ctranslate2.Translator(
                str(path / "model"),
                device=options.device,
                compute_type=options.compute_type,
                inter_threads=inter,
                intra_threads=intra,
            )
        except (RuntimeError, ValueError) as error:  # no GPU, or a compute type the device lacks
            raise InputError(
                f"cannot run the model on {options.device} with compute_type {options.compute_type}: {error}",
                path,
            ) from None

    def submit(self, batch: list[list[str]]) -> list:
        """Start one batch of tokenized sentences; CTranslate2 runs it on its own threads."""
        prefix = [[self.tokenizer.target_prefix]] * len(batch) if self.tokenizer.target_prefix else None
        return self.translator.translate_batch(
            batch,
            target_prefix=prefix,
            beam_size=self.options.beam_size,
            max_decoding_length=self.options.decoding_bound(max(len(tokens) for tokens in batch)),
            length_penalty=LENGTH_PENALTY,
            replace_unknowns=True,
            return_scores=True,
            asynchronous=True,
        )

    def results(self, futures: list) -> list[tuple[str, float]]:
        """(translation, score) per sentence of a submitted batch, waiting for it."""
        done = []
        for future in futures:
            result = future.result()
            done.append((self.tokenizer.decode(result.hypotheses[0]), _mean_log_prob(result, LENGTH_PENALTY)))
        return done


def resolve_device(options: MTOptions) -> MTOptions:
    """``device="auto"`` made concrete: "cuda" when CTranslate2 sees a GPU here."""
    if options.device != "auto":
        return options
    import ctranslate2

    return replace(options, device="cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu")


class ArgosEngine:
    """Translates sentences along a route, batched, through the cache."""

    def __init__(self, options: MTOptions, cache: MTCache | None = None):
        self.options = resolve_device(options)
        self.cache = cache
        self._models: dict[Path, Model] = {}
        self.sent = 0  # sentences that reached a model

    def _model(self, package: PackageInfo) -> Model:
        if package.path not in self._models:
            self._models[package.path] = Model(package.path, self.options)
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
        batches = list(_batches(model.tokenizer.length_sorted(texts), self.options))
        submitted = [(batch, model.submit([tokens for tokens, _ in batch])) for batch in batches]
        for batch, futures in submitted:
            done = model.results(futures)
            self.sent += len(batch)
            yield [(text, *result) for (_tokens, text), result in zip(batch, done, strict=True)]

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
