"""Reading and validating ``translate-flow.toml``.

Strict: an unknown section or key is an error that suggests the nearest known
spelling, and every error names the file, the line and the key.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from .errors import InputError, decode_utf8
from .model import MT_CHOICES, MTOptions
from .names import check_name

CONFIG_NAME = "translate-flow.toml"

# The known keys of each section; [targets] takes any language code as its keys.
SETTINGS: dict[str, tuple[str, ...] | None] = {
    "project": ("name", "version", "source_language"),
    "targets": None,
    "paths": ("sources", "locales", "dist"),
    "catalogs": ("fuzzy_threshold",),
    "mt": tuple(vars(MTOptions())),
    "publish": ("min_reviewed", "unreviewed", "base_url", "feed_entries"),
    "qa": ("glossary", "translator"),
    "memory": ("fuzzy_min",),
    "build": ("raw_html",),
    "align": ("translator",),
}
POLICIES = ("source", "mt", "omit")
RAW_HTML = ("sanitize", "keep", "escape")
ALIGN_TRANSLATORS = ("auto", "argos", "apertium", "none")


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
    lines: dict[str, int] = field(default_factory=dict)  # "paths.sources" -> its line, for errors found later
    fuzzy_min: float = 75  # percent similarity for a fuzzy match from translation memory
    raw_html: str = "sanitize"  # raw HTML in sources: "sanitize", "keep" or "escape"
    feed_entries: int = 50  # the newest editions each locale's Atom feed lists
    translator: str | None = None  # "Name <email>" for Last-Translator; else git's user.name and user.email
    align_translator: str = "auto"  # what translates editions for the aligner: "auto", "argos", "apertium", "none"

    def targets_for(self, language: str) -> tuple[str, ...]:
        return self.targets.get(language, ())

    @property
    def all_locales(self) -> list[str]:
        """Every locale a catalog can exist for, sorted."""
        return sorted({loc for locs in self.targets.values() for loc in locs})

    def setting_error(self, key: str, message: str) -> InputError:
        """An error about a setting whose value only proved wrong later (a folder's content)."""
        return InputError(f"{key}: {message}", self.path, _line(self.lines, key))


def normalize_locale(code: str, path: Path | str | None = None, line: int | None = None) -> str:
    """``pt-BR``, ``pt_BR`` and ``zh-Hant`` → Babel's canonical ``pt_BR`` / ``zh_Hant``."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", code):
        raise InputError(f"invalid locale code {code!r}", path, line)
    try:
        return str(Locale.parse(code.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        raise InputError(f"unknown locale code {code!r}", path, line) from None


HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
KEY = re.compile(r"""\s*([A-Za-z0-9_.'"-]+?)\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """The first line of each ``[section]`` and ``section.key`` (plain TOML layouts; enough for messages)."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if header := HEADER.match(line):
            section = header.group(1).replace('"', "").replace("'", "")
            lines.setdefault(section, number)
        elif key := KEY.match(line):
            name = key.group(1).replace('"', "").replace("'", "")
            lines.setdefault(f"{section}.{name}" if section else name, number)
    return lines


def _line(lines: dict[str, int], key: str) -> int | None:
    """The line of a dotted key, else of its section (a key left out, inline tables), else none."""
    return lines.get(key) or lines.get(key.split(".")[0])


def _nearest(word: str, known: Iterable[str], template: str) -> str:
    match = difflib.get_close_matches(word, known)
    return f"; did you mean {template.format(match[0])}?" if match else ""


class _Settings:
    """The parsed file and where each key is, so every error names its line and key."""

    def __init__(self, path: Path, text: str):
        self.path = path
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"line (\d+)", str(error))
            raise InputError(f"invalid TOML: {error}", path, int(match.group(1)) if match else None) from None
        self.lines = _key_lines(text)

    def line(self, key: str) -> int | None:
        return _line(self.lines, key)

    def fail(self, key: str, message: str) -> NoReturn:
        raise InputError(f"{key}: {message}", self.path, self.line(key))

    def check_layout(self) -> None:
        """Refuse unknown sections and unknown keys in known sections."""
        for name, value in self.data.items():
            if name not in SETTINGS:
                if not isinstance(value, dict):
                    homes = [s for s, keys in SETTINGS.items() if keys and name in keys]
                    hint = f"; it belongs in [{homes[0]}]" if homes else ""
                    self.fail(name, f"unknown setting outside any section{hint}")
                self.fail(name, f"unknown section [{name}]" + _nearest(name, SETTINGS, "[{}]"))
            if not isinstance(value, dict):
                self.fail(name, f"[{name}] must be a table")
            known = SETTINGS[name]
            for key in value if known is not None else ():
                if key not in known:
                    self.fail(f"{name}.{key}", f"unknown setting in [{name}]" + _nearest(key, known, "{!r}"))

    def get(self, key: str, default: object) -> object:
        section, name = key.split(".")
        return self.data.get(section, {}).get(name, default)

    def number(self, key: str, default: float, low: float, high: float, low_open: bool = False) -> float:
        value = self.get(key, default)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or (value <= low if low_open else value < low) or value > high:  # type: ignore[operator]
            bounds = f"({low:g}, {high:g}]" if low_open else f"[{low:g}, {high:g}]"
            self.fail(key, f"must be a number in {bounds}, not {value!r}")
        return float(value)

    def text(self, key: str, default: str) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or not value:
            self.fail(key, f"must be a non-empty string, not {value!r}")
        return value

    def name(self, key: str, default: str) -> str:
        """A setting that becomes part of file names (project name, version)."""
        return check_name(self.get(key, default), key, self.path, self.line(key))

    def locale(self, key: str, code: object) -> str:
        try:
            return normalize_locale(code)  # type: ignore[arg-type]
        except InputError as error:
            self.fail(key, error.message)


def _targets(settings: _Settings, source_language: str) -> dict[str, tuple[str, ...]]:
    targets: dict[str, tuple[str, ...]] = {}
    for language, codes in settings.data.get("targets", {}).items():
        key = f"targets.{language}"
        if not isinstance(codes, list) or not codes:
            settings.fail(key, "must be a non-empty list of locales")
        normalized = tuple(dict.fromkeys(settings.locale(key, code) for code in codes))
        targets[settings.locale(key, language)] = normalized
    if source_language not in targets:
        settings.fail("targets", f"[targets] has no list for the source language {source_language!r}")
    return targets


def _mt_options(settings: _Settings) -> MTOptions:
    options = {}
    for name, default in vars(MTOptions()).items():
        key = f"mt.{name}"
        value = settings.get(key, default)
        if isinstance(default, str):
            choices = MT_CHOICES.get(name)
            if not isinstance(value, str) or (choices and value not in choices):
                expected = f"one of {', '.join(choices)}" if choices else "a string"
                settings.fail(key, f"must be {expected}, not {value!r}")
        else:
            low = 0 if name.endswith(("threads", "workers")) else 1
            if isinstance(value, bool) or not isinstance(value, type(default) | int) or value < low:
                settings.fail(key, f"must be a number of at least {low}, not {value!r}")
        options[name] = value
    return MTOptions(**options)


def load_config(root: Path | str = ".") -> Config:
    """Load and check ``translate-flow.toml`` from ``root``."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise InputError(f"no {CONFIG_NAME} here; run from the project root or pass --project", path)
    settings = _Settings(path, decode_utf8(path.read_bytes(), path))
    settings.check_layout()

    def folder(key: str, default: str) -> Path:
        return (root / settings.text(key, default)).resolve()

    source_language = settings.locale("project.source_language", settings.get("project.source_language", "en"))
    policy = settings.get("publish.unreviewed", "source")
    if policy not in POLICIES:
        settings.fail("publish.unreviewed", f"must be 'source', 'mt' or 'omit', not {policy!r}")
    base_url = settings.get("publish.base_url", None)
    if base_url is not None and (
        not isinstance(base_url, str) or not re.fullmatch(r"https?://[^\s/]+(/\S*)?", base_url)
    ):
        settings.fail("publish.base_url", f"must be an http(s) URL, not {base_url!r}")
    feed_entries = settings.get("publish.feed_entries", 50)
    if isinstance(feed_entries, bool) or not isinstance(feed_entries, int) or feed_entries < 1:
        settings.fail("publish.feed_entries", f"must be a whole number of at least 1, not {feed_entries!r}")
    raw_html = settings.get("build.raw_html", "sanitize")
    if raw_html not in RAW_HTML:
        settings.fail("build.raw_html", f"must be 'sanitize', 'keep' or 'escape', not {raw_html!r}")
    align_translator = settings.get("align.translator", "auto")
    if align_translator not in ALIGN_TRANSLATORS:
        settings.fail("align.translator", f"must be 'auto', 'argos', 'apertium' or 'none', not {align_translator!r}")
    translator = settings.get("qa.translator", None)
    if translator is not None and (not isinstance(translator, str) or not translator.strip()):
        settings.fail("qa.translator", "must be a name, e.g. 'Ana Pop <ana@example.org>'")
    return Config(
        root=root,
        project=settings.name("project.name", root.name),
        version=settings.name("project.version", "0"),
        source_language=source_language,
        targets=_targets(settings, source_language),
        sources_dir=folder("paths.sources", "sources"),
        locales_dir=folder("paths.locales", "locales"),
        dist_dir=folder("paths.dist", "dist"),
        fuzzy_threshold=settings.number("catalogs.fuzzy_threshold", 80, 0, 100, low_open=True),
        path=path,
        mt=_mt_options(settings),
        min_reviewed=settings.number("publish.min_reviewed", 80, 0, 100),
        unreviewed_policy=policy,  # type: ignore[arg-type]
        base_url=base_url if base_url is None or base_url.endswith("/") else base_url + "/",
        glossary=folder("qa.glossary", "glossary.csv"),
        lines=settings.lines,
        fuzzy_min=settings.number("memory.fuzzy_min", 75, 0, 100, low_open=True),
        raw_html=raw_html,  # type: ignore[arg-type]
        feed_entries=feed_entries,
        translator=translator.strip() if translator else None,  # type: ignore[union-attr]
        align_translator=align_translator,  # type: ignore[arg-type]
    )
