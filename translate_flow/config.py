"""Reading and validating ``translate-flow.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, decode_utf8
from .model import MT_CHOICES, MTOptions

CONFIG_NAME = "translate-flow.toml"


@dataclass(frozen=True)
class Config:
    """Project settings; paths are absolute."""

    root: Path
    project: str
    version: str
    source_language: str
    targets: dict[str, tuple[str, ...]]  # article language -> target locales
    sources_dir: Path
    locales_dir: Path
    dist_dir: Path
    fuzzy_threshold: float
    path: Path
    mt: MTOptions
    min_reviewed: float  # percent of a locale's segments reviewed before it is published
    unreviewed_policy: str  # "source", "mt" or "omit"
    base_url: str | None  # where the bundle is served, ending in "/": for canonical URLs, sitemap and feeds
    glossary: Path
    fuzzy_min: float = 75  # percent similarity for a fuzzy match from translation memory
    raw_html: str = "sanitize"  # raw HTML in sources: "sanitize", "keep" or "escape"
    translator: str | None = None  # "Name <email>" for Last-Translator; else git's user.name and user.email

    def targets_for(self, language: str) -> tuple[str, ...]:
        return self.targets.get(language, ())

    @property
    def all_locales(self) -> list[str]:
        """Every locale a catalog can exist for, sorted."""
        return sorted({loc for locs in self.targets.values() for loc in locs})


def normalize_locale(code: str, path: Path | None = None, line: int | None = None) -> str:
    """``pt-BR``, ``pt_BR`` and ``zh-Hant`` → Babel's canonical ``pt_BR`` / ``zh_Hant``."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", code):
        raise InputError(f"invalid locale code {code!r}", path, line)
    try:
        return str(Locale.parse(code.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        raise InputError(f"unknown locale code {code!r}", path, line) from None


def _line_of_key(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*(?:{re.escape(key)}\s*=|\[{re.escape(key)}\])", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(root: Path | str = ".") -> Config:
    """Load and check ``translate-flow.toml`` from ``root``."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise InputError(f"no {CONFIG_NAME} here; run from the project root or pass --project", path)
    text = decode_utf8(path.read_bytes(), path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError(f"invalid TOML: {error}", path, int(match.group(1)) if match else None) from None

    def section(name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise InputError(f"[{name}] must be a table", path, _line_of_key(text, name))
        return value

    project, targets_table, paths, catalogs, mt, publish, qa, memory, build = (
        section("project"),
        section("targets"),
        section("paths"),
        section("catalogs"),
        section("mt"),
        section("publish"),
        section("qa"),
        section("memory"),
        section("build"),
    )
    unknown = set(data) - {"project", "targets", "paths", "catalogs", "mt", "publish", "qa", "memory", "build"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(f"unknown section or key {key!r}", path, _line_of_key(text, key))

    def locale(code: object, key: str) -> str:
        return normalize_locale(code, path, _line_of_key(text, key))  # type: ignore[arg-type]

    source_language = locale(project.get("source_language", "en"), "source_language")
    targets: dict[str, tuple[str, ...]] = {}
    for language, codes in targets_table.items():
        if not isinstance(codes, list) or not codes:
            raise InputError(
                f"targets.{language} must be a non-empty list of locales", path, _line_of_key(text, language)
            )
        normalized = tuple(dict.fromkeys(locale(code, language) for code in codes))
        targets[locale(language, language)] = normalized
    if source_language not in targets:
        raise InputError(
            f"[targets] has no list for the source language {source_language!r}", path, _line_of_key(text, "targets")
        )

    threshold = catalogs.get("fuzzy_threshold", 80)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 100:
        raise InputError("fuzzy_threshold must be a number in (0, 100]", path, _line_of_key(text, "fuzzy_threshold"))

    fuzzy_min = memory.get("fuzzy_min", 75)
    if isinstance(fuzzy_min, bool) or not isinstance(fuzzy_min, int | float) or not 0 < fuzzy_min <= 100:
        raise InputError("fuzzy_min must be a number in (0, 100]", path, _line_of_key(text, "fuzzy_min"))

    def directory(key: str, default: str) -> Path:
        value = paths.get(key, default)
        if not isinstance(value, str) or not value:
            raise InputError(f"paths.{key} must be a non-empty string", path, _line_of_key(text, key))
        return (root / value).resolve()

    mt_options = {}
    for key, default in vars(MTOptions()).items():
        value = mt.get(key, default)
        if isinstance(default, str):
            choices = MT_CHOICES.get(key)
            if not isinstance(value, str) or (choices and value not in choices):
                expected = f"one of {', '.join(choices)}" if choices else "a string"
                raise InputError(f"mt.{key} must be {expected}", path, _line_of_key(text, key))
        else:
            low = 0 if key.endswith(("threads", "workers")) else 1
            if isinstance(value, bool) or not isinstance(value, type(default) | int) or value < low:
                raise InputError(f"mt.{key} must be a number of at least {low}", path, _line_of_key(text, key))
        mt_options[key] = value
    unknown_mt = set(mt) - set(mt_options)
    if unknown_mt:
        key = sorted(unknown_mt)[0]
        raise InputError(f"unknown setting mt.{key}", path, _line_of_key(text, key))

    min_reviewed = publish.get("min_reviewed", 80)
    if isinstance(min_reviewed, bool) or not isinstance(min_reviewed, int | float) or not 0 <= min_reviewed <= 100:
        raise InputError("min_reviewed must be a percentage, 0 to 100", path, _line_of_key(text, "min_reviewed"))
    policy = publish.get("unreviewed", "source")
    if policy not in ("source", "mt", "omit"):
        raise InputError("unreviewed must be 'source', 'mt' or 'omit'", path, _line_of_key(text, "unreviewed"))
    base_url = publish.get("base_url")
    if base_url is not None and (
        not isinstance(base_url, str) or not re.fullmatch(r"https?://[^\s/]+(/\S*)?", base_url)
    ):
        raise InputError("base_url must be an http(s) URL", path, _line_of_key(text, "base_url"))
    raw_html = build.get("raw_html", "sanitize")
    if raw_html not in ("sanitize", "keep", "escape"):
        raise InputError("raw_html must be 'sanitize', 'keep' or 'escape'", path, _line_of_key(text, "raw_html"))
    glossary = qa.get("glossary", "glossary.csv")
    if not isinstance(glossary, str) or not glossary:
        raise InputError("qa.glossary must be a file name", path, _line_of_key(text, "glossary"))
    translator = qa.get("translator")
    if translator is not None and (not isinstance(translator, str) or not translator.strip()):
        raise InputError(
            "qa.translator must be a name, e.g. 'Ana Pop <ana@example.org>'", path, _line_of_key(text, "translator")
        )

    name = project.get("name", root.name)
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise InputError("project.name must be letters, digits, '.', '_' or '-'", path, _line_of_key(text, "name"))
    return Config(
        root=root,
        project=name,
        version=str(project.get("version", "0")),
        source_language=source_language,
        targets=targets,
        sources_dir=directory("sources", "sources"),
        locales_dir=directory("locales", "locales"),
        dist_dir=directory("dist", "dist"),
        fuzzy_threshold=float(threshold),
        path=path,
        mt=MTOptions(**mt_options),
        min_reviewed=float(min_reviewed),
        unreviewed_policy=policy,
        base_url=base_url if base_url is None or base_url.endswith("/") else base_url + "/",
        glossary=(root / glossary).resolve(),
        fuzzy_min=float(fuzzy_min),
        raw_html=raw_html,
        translator=translator.strip() if translator else None,
    )
