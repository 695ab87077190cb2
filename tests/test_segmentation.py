"""SRX sentence segmentation: gold cases per language, and what every split keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate_flow.segmentation import default_segmenter

GOLD = Path(__file__).parent / "gold"


def gold_cases(language: str) -> list[list[str]]:
    lines = (GOLD / f"segmentation.{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(" | ") for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("language", ["en", "ro"])
def test_each_language_has_at_least_30_gold_cases(language):
    assert len(gold_cases(language)) >= 30


@pytest.mark.parametrize(
    ("language", "expected"),
    [(lang, case) for lang in ("en", "ro") for case in gold_cases(lang)],
    ids=lambda value: value if isinstance(value, str) else value[0][:40],
)
def test_gold_segmentation(language, expected):
    assert default_segmenter().split(" ".join(expected), language) == expected


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
