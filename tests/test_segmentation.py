"""SRX sentence segmentation: gold cases per language, and what every split keeps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate_flow.segmentation import default_segmenter

GOLD = Path(__file__).parent / "gold"


LANGUAGES = ["en", "ro", "zh", "ja"]
GLUED = "|+"  # sentences written with nothing between them


def gold_cases(language: str) -> list[list[str]]:
    lines = (GOLD / f"segmentation.{language}.txt").read_text(encoding="utf-8").splitlines()
    return [re.split(r" \| |\|\+", line) for line in lines if line.strip() and not line.startswith("#")]


def gold_input(language: str, index: int) -> str:
    lines = (GOLD / f"segmentation.{language}.txt").read_text(encoding="utf-8").splitlines()
    cases = [line for line in lines if line.strip() and not line.startswith("#")]
    return cases[index].replace(" | ", " ").replace(GLUED, "")


@pytest.mark.parametrize("language", ["en", "ro"])
def test_each_language_has_at_least_30_gold_cases(language):
    assert len(gold_cases(language)) >= 30


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_ideographic_languages_have_gold_cases(language):
    assert len(gold_cases(language)) >= 5


@pytest.mark.parametrize(
    ("language", "index", "expected"),
    [(lang, index, case) for lang in LANGUAGES for index, case in enumerate(gold_cases(lang))],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_gold_segmentation(language, index, expected):
    """Every expected boundary is found and no other: 0 false splits."""
    assert default_segmenter().split(gold_input(language, index), language) == expected


def test_a_chinese_source_project_is_accepted(project_dir):
    from translate_flow.config import load_config

    config = project_dir / "translate-flow.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[targets]", '[targets]\nzh = ["en"]'), "utf-8")
    assert load_config(project_dir).targets_for("zh") == ("en",)


def test_project_rules_extend_languagetool():
    """Without translate-flow's rules, LanguageTool splits after 'Prof.' and 'Pres.'."""
    from choppa import DEFAULT_SRX_RULESET, SrxDocument
    from choppa.iterators import SrxTextIterator

    plain = SrxDocument(ruleset=DEFAULT_SRX_RULESET)
    text = "Prof. dr. Ionescu a vorbit."
    assert len([s for s in SrxTextIterator(plain, "ro", text) if s.strip()]) > 1
    assert default_segmenter().split(text, "ro") == [text]


sentences = st.text(st.sampled_from("abc XYZ.!?,„”“\n 0123"), max_size=80)


@given(sentences, st.sampled_from(["en", "ro", "de"]))
def test_spans_are_ordered_and_only_whitespace_lies_between(text, language):
    spans = default_segmenter().spans(text, language)
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[position:start].strip() == ""
        assert text[start:end] == text[start:end].strip()
        position = end
    assert text[position:].strip() == ""


def test_segmenting_does_not_load_the_schema_validator_choppa_imports():
    """choppa imports xmlschema for a validation translate-flow never asks for: loading it was 0.1 s a process."""
    probe = (
        "import sys\n"
        "from translate_flow.segmentation import default_segmenter\n"
        "assert default_segmenter().split('One. Two.', 'en') == ['One.', 'Two.']\n"
        "print(any(m.startswith('xmlschema.') for m in sys.modules))\n"
        "import xmlschema\n"
        "print(xmlschema.XMLSchema.__name__.startswith('XMLSchema'))\n"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["False", "True"]  # not loaded, and still there for whoever asks
