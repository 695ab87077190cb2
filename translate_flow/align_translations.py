"""What the aligner compares besides the two editions: the original's machine translation, from what is installed.

``[align] translator``: ``"argos"``, an installed Argos model's; ``"apertium"``,
Apertium's rule-based modes' (Debian packages; directly or through a pivot:
en→es→ro); ``"auto"`` (the default), Argos where a model for the pair is
installed, else Apertium where it has a route; ``"none"``, lengths, numbers,
names and cognates alone. Either is cached in the MT cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from . import apertium
from .config import Config
from .errors import InputError
from .model import Article


def translations(source: Article, target: Article, config: Config, cache_path: Path) -> list[str] | None:
    """The translations of ``source``'s segments into ``target``'s language that ``[align] translator`` chooses."""
    choice = config.align_translator
    if choice == "none":
        return None
    if choice in ("auto", "argos"):
        from .translation import machine_translations

        texts = [segment.text for segment in source.segments]
        found = machine_translations(texts, source.language, target.language, config.mt, cache_path)
        if found is not None or choice == "argos":
            return found
    route = _apertium_route(source.language, target.language)
    if route:
        return _cached(source, route, cache_path)
    if choice == "apertium":
        pair = f"{source.language}→{target.language}"
        raise config.setting_error("align.translator", f"'apertium', but no Apertium mode translates {pair} here")
    return None


def identity(source_language: str, target_language: str, config: Config) -> list:
    """What decides :func:`translations` besides the articles, in a few ``stat``s: the choice, the Argos
    packages installed and the files of the Apertium route. An alignment is kept under it (see aligning)."""
    from . import packages

    choice = config.align_translator
    argos = [[p.name, p.version, p.size] for p in packages.installed()] if choice in ("auto", "argos") else []
    route = _apertium_route(source_language, target_language) if choice in ("auto", "apertium") else None
    return [choice, argos, _version(route) if route else None]


def _apertium_route(source_language: str, target_language: str) -> list[apertium.Mode] | None:
    """The Apertium modes installed here that take one language to the other, if any."""
    if not apertium.installed():
        return None
    return apertium.route(source_language, target_language, apertium.modes())


def _cached(article: Article, route: list[apertium.Mode], cache_path: Path) -> list[str]:
    """``article``'s sentences through ``route``, each translated once: later runs find them in the cache."""
    from .engines import MTCache

    texts = [segment.text for segment in article.segments]
    version = _version(route)
    keys = [hashlib.sha256(json.dumps([version, text], ensure_ascii=False).encode()).hexdigest() for text in texts]
    cache = MTCache(cache_path)
    try:
        found = {key: target for key, (target, _) in cache.get(keys).items()}
        missing = sorted({text for text, key in zip(texts, keys, strict=True) if key not in found})
        if missing:
            try:
                done = dict(zip(missing, apertium.translate(missing, route), strict=True))
            except apertium.ApertiumError as error:
                raise InputError(str(error), article.path) from None
            rows = [(key, done[text], 0.0) for text, key in zip(texts, keys, strict=True) if key not in found]
            cache.put(rows)
            found |= {key: target for key, target, _ in rows}
    finally:
        cache.close()
    return [found[key] for key in keys]


def _version(route: list[apertium.Mode]) -> list:
    """What makes a route's output: its pipelines and the size and time of each data file they read,
    so that an upgraded package translates again."""
    files = sorted({name for mode in route for name in re.findall(r"'([^']+)'", mode.pipeline)})
    stamps = [(name, os.stat(name).st_size, os.stat(name).st_mtime_ns) for name in files if os.path.exists(name)]
    return ["apertium", [mode.pipeline for mode in route], stamps]
