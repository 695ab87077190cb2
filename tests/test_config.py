"""translate-flow.toml: validation and locale normalization."""

from __future__ import annotations

import dataclasses

import pytest

from translate_flow.config import load_config, normalize_locale
from translate_flow.errors import InputError

from .conftest import REPO


@pytest.mark.parametrize(
    ("code", "expected"),
    [("pt_BR", "pt_BR"), ("pt-BR", "pt_BR"), ("zh_Hant", "zh_Hant"), ("zh-Hant", "zh_Hant"), ("ro", "ro")],
)
def test_locale_codes_are_normalized(code, expected):
    assert normalize_locale(code) == expected


@pytest.mark.parametrize("code", ["xx", "en/../..", "", "r", "de_XX_YY_ZZ"])
def test_bad_locale_codes_are_refused(code):
    with pytest.raises(InputError):
        normalize_locale(code)


def test_repository_config():
    config = load_config(REPO)
    assert config.source_language == "en"
    assert config.targets == {"en": ("ro", "de", "fr"), "ro": ("en", "de", "fr")}
    assert config.sources_dir == REPO / "sources"
    assert config.fuzzy_threshold == 80


def write_config(tmp_path, text: str):
    (tmp_path / "translate-flow.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_targets_are_normalized_and_deduplicated(tmp_path):
    config = load_config(write_config(tmp_path, '[targets]\nen = ["pt-BR", "pt_BR", "zh-Hant"]\n'))
    assert config.targets == {"en": ("pt_BR", "zh_Hant")}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[targets]\nen = ["ro"]\n[paths\n', 3, "invalid TOML"),
        ('[targets]\nen = ["ro", "klingon"]\n', 2, "invalid locale code 'klingon'"),
        ("[targets]\nen = []\n", 2, "non-empty list"),
        ('[project]\nsource_language = "ro"\n[targets]\nen = ["ro"]\n', None, "no list for the source language"),
        ('[targets]\nen = ["ro"]\n[catalogs]\nfuzzy_threshold = 150\n', 4, "fuzzy_threshold"),
        ('[targets]\nen = ["ro"]\n[extra]\nx = 1\n', 3, "unknown section"),
        ('[project]\nname = "../x"\n[targets]\nen = ["ro"]\n', 2, "project.name"),
    ],
)
def test_bad_settings_name_the_line(tmp_path, text, line, message):
    with pytest.raises(InputError) as caught:
        load_config(write_config(tmp_path, text))
    assert message in caught.value.message
    if line:
        assert caught.value.line == line


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '[project]\nnmae = "x"\n[targets]\nen = ["ro"]\n',
            "translate-flow.toml:2: project.nmae: unknown setting in [project]; did you mean 'name'?",
        ),
        (
            '[targets]\nen = ["ro"]\n[mt]\nbeam = 2\n',
            "translate-flow.toml:4: mt.beam: unknown setting in [mt]; did you mean 'beam_size'?",
        ),
        ('[targets]\nen = ["ro"]\n[qa]\ncolour = 1\n', "translate-flow.toml:4: qa.colour: unknown setting in [qa]"),
        (
            '[targets]\nen = ["ro"]\n[path]\n',
            "translate-flow.toml:3: path: unknown section [path]; did you mean [paths]?",
        ),
        ('[targets]\nen = ["ro"]\n[extras]\n', "translate-flow.toml:3: extras: unknown section [extras]"),
        (
            'version = "1"\n[targets]\nen = ["ro"]\n',
            "translate-flow.toml:1: version: unknown setting outside any section; it belongs in [project]",
        ),
        ('colour = 1\n[targets]\nen = ["ro"]\n', "translate-flow.toml:1: colour: unknown setting outside any section"),
        ('paths = 1\n[targets]\nen = ["ro"]\n', "translate-flow.toml:1: paths: [paths] must be a table"),
        (
            '[targets]\nen = ["ro"]\n[project]\nname = "ok"\n[paths]\nsources = ""\n',
            "translate-flow.toml:6: paths.sources: must be a non-empty string, not ''",
        ),
        (
            '[project]\nversion = "a/b"\n[targets]\nen = ["ro"]\n[qa]\nversion = 1\n',
            "translate-flow.toml:6: qa.version: unknown setting in [qa]",
        ),
        (
            '[targets]\nen = ["ro"]\n[project]\nversion = "../x"\n',
            "translate-flow.toml:4: project.version '../x' must be one path component: "
            "letters, digits, '.', '_' and '-'",
        ),
        (
            '[targets]\nen = ["ro"]\n[project]\nversion = 2\n',
            "translate-flow.toml:4: project.version must be a string, not int",
        ),
        (
            '[targets]\nen = ["ro"]\n[catalogs]\nfuzzy_threshold = true\n',
            "translate-flow.toml:4: catalogs.fuzzy_threshold: must be a number in (0, 100], not True",
        ),
        (
            '[targets]\nen = ["ro"]\n[catalogs]\nfuzzy_threshold = 0\n',
            "translate-flow.toml:4: catalogs.fuzzy_threshold: must be a number in (0, 100], not 0",
        ),
        (
            '[targets]\nen = ["ro"]\n[publish]\nmin_reviewed = -1\n',
            "translate-flow.toml:4: publish.min_reviewed: must be a number in [0, 100], not -1",
        ),
        (
            '[targets]\nen = ["ro"]\n[mt]\nintra_threads = -1\n',
            "translate-flow.toml:4: mt.intra_threads: must be a number of at least 0, not -1",
        ),
        (
            '[project]\nsource_language = "ro"\n[targets]\nen = ["ro"]\n',
            "translate-flow.toml:3: targets: [targets] has no list for the source language 'ro'",
        ),
        (
            '[project]\nsource_language = "english"\n[targets]\nen = ["ro"]\n',
            "translate-flow.toml:2: project.source_language: invalid locale code 'english'",
        ),
        (
            '[targets]\nen = ["ro"]\n[mt]\nbeam_size = 0\n',
            "translate-flow.toml:4: mt.beam_size: must be a number of at least 1, not 0",
        ),
        (
            '[targets]\nen = ["ro"]\n[publish]\nunreviewed = "all"\n',
            "translate-flow.toml:4: publish.unreviewed: must be 'source', 'mt' or 'omit', not 'all'",
        ),
        (
            '[targets]\nen = ["ro"]\n[publish]\nbase_url = "news.example.org"\n',
            "translate-flow.toml:4: publish.base_url: must be an http(s) URL, not 'news.example.org'",
        ),
        (
            '[targets]\nen = ["ro"]\n[publish]\nfeed_entries = 0\n',
            "translate-flow.toml:4: publish.feed_entries: must be a whole number of at least 1, not 0",
        ),
        (
            '[targets]\nen = ["ro"]\n[publish]\nfeed_entries = 2.5\n',
            "translate-flow.toml:4: publish.feed_entries: must be a whole number of at least 1, not 2.5",
        ),
        (
            '[targets]\nen = ["ro"]\n[build]\nraw_html = "strip"\n',
            "translate-flow.toml:4: build.raw_html: must be 'sanitize', 'keep' or 'escape', not 'strip'",
        ),
        (
            '[targets]\nen = ["ro"]\n[memory]\nfuzzy_min = 0\n',
            "translate-flow.toml:4: memory.fuzzy_min: must be a number in (0, 100], not 0",
        ),
        (
            '[targets]\nen = ["ro"]\n[mt]\ndevice = "gpu"\n',
            "translate-flow.toml:4: mt.device: must be one of auto, cpu, cuda, not 'gpu'",
        ),
        (
            '[targets]\nen = ["ro"]\n[mt]\nray_address = 7\n',
            "translate-flow.toml:4: mt.ray_address: must be a string, not 7",
        ),
        (
            '[targets]\nen = ["ro"]\n[qa]\ntranslator = "  "\n',
            "translate-flow.toml:4: qa.translator: must be a name, e.g. 'Ana Pop <ana@example.org>'",
        ),
        (
            '[targets]\nen = ["ro"]\n[qa]\ntranslator = 1\n',
            "translate-flow.toml:4: qa.translator: must be a name, e.g. 'Ana Pop <ana@example.org>'",
        ),
    ],
)
def test_every_error_names_the_file_line_and_key(tmp_path, text, error):
    with pytest.raises(InputError) as caught:
        load_config(write_config(tmp_path, text))
    assert str(caught.value).replace(f"{tmp_path}/", "") == error


def test_boundary_values_are_accepted(tmp_path):
    config = load_config(
        write_config(
            tmp_path,
            '[targets]\nen = ["ro"]\n[catalogs]\nfuzzy_threshold = 100\n'
            "[publish]\nmin_reviewed = 0\n[mt]\nbeam_size = 1\ninter_threads = 0\n",
        )
    )
    assert (config.fuzzy_threshold, config.min_reviewed, config.mt.beam_size) == (100.0, 0.0, 1)
    assert config.version == "0" and config.project == tmp_path.name


def test_a_folder_setting_found_wrong_later_names_its_line(tmp_path):
    config = load_config(write_config(tmp_path, '[targets]\nen = ["ro"]\n\n[paths]\nsources = "/etc"\n'))
    error = config.setting_error("paths.sources", "holds no language folders")
    assert (error.line, error.message) == (5, "paths.sources: holds no language folders")
    assert config.setting_error("paths.dist", "x").line == 4  # not set: its section
    assert config.setting_error("qa.glossary", "x").line is None


def test_defaults_and_every_policy(tmp_path, monkeypatch):
    write_config(tmp_path, '[targets]\nen = ["ro"]\n')
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.root == tmp_path and config.path == tmp_path / "translate-flow.toml"
    assert (config.fuzzy_threshold, config.min_reviewed, config.unreviewed_policy) == (80, 80, "source")
    assert (config.fuzzy_min, config.raw_html, config.translator, config.base_url) == (75, "sanitize", None, None)
    assert config.feed_entries == 50
    assert isinstance(config.fuzzy_threshold, float) and isinstance(config.min_reviewed, float)
    assert config.sources_dir == tmp_path / "sources" and config.glossary == tmp_path / "glossary.csv"
    for policy in ("source", "mt", "omit"):
        write_config(tmp_path, f'[targets]\nen = ["ro"]\n[publish]\nunreviewed = "{policy}"\n')
        assert load_config(".").unreviewed_policy == policy


def test_folders_are_resolved_against_the_project(tmp_path):
    config = load_config(write_config(tmp_path, '[targets]\nen = ["ro", "de"]\n[paths]\nsources = "a/../articles"\n'))
    assert config.sources_dir == tmp_path / "articles"
    assert config.targets_for("en") == ("ro", "de") and config.targets_for("xx") == ()
    assert config.all_locales == ["de", "ro"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.version = "1"  # type: ignore[misc]


def test_quoted_keys_and_sections_still_name_their_line(tmp_path):
    text = '[targets]\nen = ["ro"]\n\n["project"]\n"nmae" = "x"\n'
    with pytest.raises(InputError) as caught:
        load_config(write_config(tmp_path, text))
    assert (caught.value.line, caught.value.message) == (
        5,
        "project.nmae: unknown setting in [project]; did you mean 'name'?",
    )
    text = "[targets]\nen = ['ro']\n\n['publish']\n'min_reviewed' = 101\n"
    with pytest.raises(InputError) as caught:
        load_config(write_config(tmp_path, text))
    assert caught.value.line == 5


def test_a_folder_without_settings_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        load_config(tmp_path)
    assert caught.value.message.startswith("no translate-flow.toml here")
    assert caught.value.path == str(tmp_path / "translate-flow.toml")


def test_every_raw_html_policy_and_a_base_url(tmp_path):
    for policy in ("sanitize", "keep", "escape"):
        text = f'[targets]\nen = ["ro"]\n[build]\nraw_html = "{policy}"\n[publish]\nbase_url = "https://x.org"\n'
        config = load_config(write_config(tmp_path, text))
        assert (config.raw_html, config.base_url) == (policy, "https://x.org/")


def test_a_translator_is_kept_without_surrounding_spaces(tmp_path):
    text = '[targets]\nen = ["ro"]\n[qa]\ntranslator = " Ana Pop <ana@example.org> "\n'
    assert load_config(write_config(tmp_path, text)).translator == "Ana Pop <ana@example.org>"
