"""translate-flow.toml: validation and locale normalization."""

from __future__ import annotations

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
