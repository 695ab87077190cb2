"""Malformed ``translate-flow.toml``: syntax, unknown sections and keys, types, names that reach paths."""

from __future__ import annotations

from pathlib import Path

from . import CONFIG, Case, edited_config


def bad(id: str, old: str, new: str, message: str, args: tuple[str, ...] = ("extract",)) -> Case:
    files, line = edited_config(old, new)
    return Case(id, args, f"translate-flow.toml:{line}", message, files)


def whole(id: str, text: str | bytes, line: int | None, message: str) -> Case:
    where = f"translate-flow.toml:{line}" if line else "translate-flow.toml"
    return Case(id, ("extract",), where, message, {"translate-flow.toml": text})


def config_is_a_folder(root: Path) -> None:
    (root / "translate-flow.toml").unlink()
    (root / "translate-flow.toml").mkdir()


NAME = 'name = "newsroom"'
VERSION = 'version = "2024.11"'
SOURCE = 'source_language = "en"'
TARGETS_EN = 'en = ["ro", "de", "fr"]'
SOURCES = 'sources = "sources"'
THRESHOLD = "fuzzy_threshold = 80"
BEAM = "beam_size = 4 "
REVIEWED = "min_reviewed = 80 "
POLICY = 'unreviewed = "source"'
GLOSSARY = 'glossary = "glossary.csv"'
COMPONENT = "must be one path component"
WITHOUT_QA = CONFIG.split("[qa]")[0]

CASES = [
    whole("not TOML", "this is not toml\n", 1, "invalid TOML"),
    whole("unclosed section header", CONFIG.replace("[paths]", "[paths"), 17, "invalid TOML"),
    whole("key twice", CONFIG.replace(NAME, f"{NAME}\n{NAME}"), 5, "invalid TOML"),
    whole("invalid UTF-8", CONFIG.encode().replace(b"newsroom", b"news\xffroom"), 4, "invalid UTF-8"),
    whole("NUL byte", CONFIG.replace("newsroom", "news\0room"), 4, "invalid TOML"),
    whole("empty", "", None, "targets: [targets] has no list for the source language 'en'"),
    Case("a folder", ("extract",), "translate-flow.toml", "no translate-flow.toml here", setup=config_is_a_folder),
    bad("unknown section", "[qa]", "[quality]", "unknown section [quality]"),
    bad("misspelt section", "[publish]", "[pubish]", "did you mean [publish]?"),
    bad(
        "misspelt project key",
        NAME,
        'nmae = "newsroom"',
        "project.nmae: unknown setting in [project]; did you mean 'name'?",
    ),
    bad("misspelt paths key", SOURCES, 'source = "sources"', "did you mean 'sources'?"),
    bad("misspelt catalogs key", THRESHOLD, "fuzzy_treshold = 80", "did you mean 'fuzzy_threshold'?"),
    bad("misspelt mt key", BEAM, "beamsize = 4 ", "did you mean 'beam_size'?"),
    bad("misspelt publish key", REVIEWED, "min_review = 80 ", "did you mean 'min_reviewed'?"),
    bad("misspelt qa key", GLOSSARY, 'glosary = "glossary.csv"', "did you mean 'glossary'?"),
    bad("unrelated key", GLOSSARY, "colour = 1", "qa.colour: unknown setting in [qa]"),
    whole("setting outside a section", 'name = "x"\n' + CONFIG, 1, "it belongs in [project]"),
    whole("section not a table", "qa = 1\n" + WITHOUT_QA, 1, "qa: [qa] must be a table"),
    whole("inline table with a typo", 'qa = {glosary = "g.csv"}\n' + WITHOUT_QA, 1, "qa.glosary: unknown setting"),
    bad(
        "version climbs out",
        VERSION,
        'version = "x/../../../../outside"',
        f"project.version 'x/../../../../outside' {COMPONENT}",
        ("publish",),
    ),
    bad("version with a slash", VERSION, 'version = "2024/11"', COMPONENT),
    bad("version empty", VERSION, 'version = ""', COMPONENT),
    bad("version hidden", VERSION, 'version = ".."', COMPONENT),
    bad("version a number", VERSION, "version = 2024.11", "project.version must be a string, not float"),
    bad("version too long", VERSION, f'version = "{"1" * 100}"', "at most 80"),
    bad("name climbs out", NAME, 'name = "../x"', f"project.name '../x' {COMPONENT}"),
    bad("name with a space", NAME, 'name = "news room"', COMPONENT),
    bad("name a list", NAME, 'name = ["a"]', "project.name must be a string, not list"),
    bad("source language invalid", SOURCE, 'source_language = "english"', "project.source_language: invalid locale"),
    bad("source language unknown", SOURCE, 'source_language = "xx"', "unknown locale code 'xx'"),
    bad("source language a number", SOURCE, "source_language = 1", "invalid locale code 1"),
    bad("targets empty", TARGETS_EN, "en = []", "targets.en: must be a non-empty list"),
    bad("targets a string", TARGETS_EN, 'en = "ro"', "targets.en: must be a non-empty list"),
    bad("target climbs out", TARGETS_EN, 'en = ["ro", "../x"]', "invalid locale code '../x'"),
    bad("target unknown", TARGETS_EN, 'en = ["ro", "klingon"]', "invalid locale code 'klingon'"),
    bad("target a number", TARGETS_EN, 'en = ["ro", 7]', "invalid locale code 7"),
    bad("target language unknown", 'ro = ["en", "de", "fr"]', 'qq = ["en"]', "targets.qq: unknown locale code 'qq'"),
    whole(
        "no targets for the source", CONFIG.replace(TARGETS_EN, 'de = ["ro"]'), 11, "no list for the source language"
    ),
    bad("sources is /etc", SOURCES, 'sources = "/etc"', "paths.sources: /etc/"),
    bad("sources is a file", SOURCES, 'sources = "glossary.csv"', "paths.sources: sources folder"),
    bad("sources missing", SOURCES, 'sources = "nowhere"', "paths.sources: sources folder"),
    bad("sources empty", SOURCES, 'sources = ""', "paths.sources: must be a non-empty string"),
    bad("sources a number", SOURCES, "sources = 1", "paths.sources: must be a non-empty string"),
    bad("fuzzy threshold zero", THRESHOLD, "fuzzy_threshold = 0", "catalogs.fuzzy_threshold: must be a number"),
    bad("fuzzy threshold 150", THRESHOLD, "fuzzy_threshold = 150", "must be a number in (0, 100]"),
    bad("fuzzy threshold true", THRESHOLD, "fuzzy_threshold = true", "must be a number in (0, 100], not True"),
    bad("fuzzy threshold a string", THRESHOLD, 'fuzzy_threshold = "80"', "not '80'"),
    bad("beam size zero", BEAM, "beam_size = 0 ", "mt.beam_size: must be a number of at least 1"),
    bad("beam size a fraction", BEAM, "beam_size = 2.5 ", "mt.beam_size"),
    bad(
        "threads negative",
        "inter_threads = 0",
        "inter_threads = -1",
        "mt.inter_threads: must be a number of at least 0",
    ),
    bad("min reviewed 101", REVIEWED, "min_reviewed = 101 ", "publish.min_reviewed: must be a number in [0, 100]"),
    bad("min reviewed false", REVIEWED, "min_reviewed = false ", "publish.min_reviewed"),
    bad("unknown policy", POLICY, 'unreviewed = "all"', "publish.unreviewed: must be 'source', 'mt' or 'omit'"),
    bad("base URL not http", 'base_url = "https://news.example.org/"', 'base_url = "ftp://x/"', "publish.base_url"),
    bad("fuzzy minimum 0", "fuzzy_min = 75", "fuzzy_min = 0", "memory.fuzzy_min: must be a number in (0, 100]"),
    bad("misspelt memory key", "fuzzy_min = 75", "fuzy_min = 75", "did you mean 'fuzzy_min'?"),
    bad("raw HTML policy unknown", 'raw_html = "sanitize"', 'raw_html = "strip"', "build.raw_html: must be 'sanitize'"),
    bad("misspelt build key", 'raw_html = "sanitize"', 'rawhtml = "sanitize"', "did you mean 'raw_html'?"),
    bad("glossary empty", GLOSSARY, 'glossary = ""', "qa.glossary: must be a non-empty string"),
]
