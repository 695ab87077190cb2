"""translate_flow.srx against choppa's SrxTextIterator: the same cuts, on random texts and on every corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from translate_flow.segmentation import default_segmenter

TESTS = Path(__file__).parent
ROOT = TESTS.parent
LANGUAGES = ["en", "ro", "de", "fr", "zh", "ja"]


def choppa_cuts(text: str, language: str) -> list[int]:
    """The oracle: where choppa's own iterator (the code this module replaced) ends each piece."""
    from choppa.iterators import SrxTextIterator

    cuts, position = [], 0
    for piece in SrxTextIterator(default_segmenter().document, language, text):
        position += len(piece)
        cuts.append(position)
    return cuts


def cuts(text: str, language: str) -> list[int]:
    return default_segmenter().rules(language).cuts(text)


# What SRX rules look at: sentence ends, quotes, brackets, abbreviations, initials, numbered
# items, no-break spaces, paragraph separators, Trados tags, line ends, times, glued credits.
TOKENS = list(".!?…»”“„«'\"()[],:;-–•@/。！？」「’说と")
TOKENS += ["Mr.", "Dr.", "Prof.", "dr.", "nr.", "art.", "U.S.", "e.g.", "etc.", "No.", "a.k.a.", "www.", "Jan."]
TOKENS += ["1.", "2.", "a.", "A.", "A", "B", "c", "Ab", "The", "it", "OK", "Inc.", "ABC", "AGERPRES", "EU"]
TOKENS += ["NATO", "Ionescu", "word", "12", "2024", "00:01:02,003", "{0>", "<0}", "\u00a0", "\u2029", "\n", "\r\n"]
TOKENS += [" ", " ", " ", "  ", "\t"]
texts = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(texts, st.sampled_from(LANGUAGES))
@example("", "en")
@example("   ", "en")
@example("\u2029Start.", "en")
@example("Tags {0>here<0} and <0}there. Next one.", "en")
@example("Mr. Smith came. He left! Why? Because… „Da.” Nu.", "ro")
@example("was rejected.AGERPRES (RO)", "ro")
@example("合作。”吕特说。下一个。", "zh")
@example("協力する。」と述べた。次。", "ja")
def test_the_same_cuts_as_choppa(text, language):
    assert cuts(text, language) == choppa_cuts(text, language)


def corpus_paragraphs() -> list[str]:
    """Every paragraph of the sample sources, the editions and the CommonMark spec's examples."""
    documents = [path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("sources/*/*.md"))]
    documents += [path.read_text(encoding="utf-8") for path in sorted(TESTS.glob("editions/*/*.md"))]
    spec = json.loads((TESTS / "corpus" / "commonmark-spec-0.31.2.json").read_text(encoding="utf-8"))
    documents += [case["markdown"] for case in spec]
    return [paragraph for document in documents for paragraph in document.split("\n\n") if paragraph.strip()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_cuts_as_choppa_on_every_corpus_paragraph(language):
    paragraphs = corpus_paragraphs()
    assert len(paragraphs) > 700
    differing = [text for text in paragraphs if cuts(text, language) != choppa_cuts(text, language)]
    assert differing == []


def test_splitting_builds_no_choppa_matcher(monkeypatch):
    """The rules are compiled once per language; choppa's per-text matchers are never built."""
    import choppa.rule_matcher

    def refuse(*args, **kwargs):
        raise AssertionError("a choppa RuleMatcher was built")

    default_segmenter().spans("Warm up. The rules.", "en")
    monkeypatch.setattr(choppa.rule_matcher.RuleMatcher, "__init__", refuse)
    assert default_segmenter().split("Dr. Pop left. He came back!", "en") == ["Dr. Pop left.", "He came back!"]
    assert default_segmenter().rules("en") is default_segmenter().rules("en")


def test_importing_segmentation_loads_no_rules():
    """Commands that never split a sentence don't pay for parsing and compiling the SRX rules."""
    heavy = ("choppa", "regex", "translate_flow.srx", "translate_flow.srx_patterns")
    probe = (
        "import sys, translate_flow.segmentation, translate_flow.markdown, translate_flow.sources; "
        f"print(sorted(m for m in {heavy} if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


# Random rule sets: empty, optional, overlapping, backtracking and fixed-width before-patterns, lookarounds,
# backreferences, and rules that tie on a break with an exception listed between them.
BEFORE = ["", "a", "a*", "a+", "aa?", "a|ab", "b", "[ab]", r"\.", r"\.+", r"\s", r"[.!]\s*", "(?<=a)b", r"\b", "x?"]
BEFORE += [r"\p{Ll}[.!]", r"[^.]\p{L}{2}\.", r"\s\p{Lu}", r"\w!\s", r"\p{L}a"]  # fixed widths, searched from within
BEFORE += [r"(a|b)\.", r"[(:]a", r"(?:x)(a)+"]  # groups, made plain; parentheses in a set stay
AFTER = ["", "a", "b", r"\s", r"\p{Lu}", "a+", "[^a]", "(?!a)", r"\b", "A?x", "(b|:)"]
BREAK_ONLY = [r"(a)\1", r"(?P<p>[ab])(?P=p)"]  # group references, which no joined pattern may renumber


@st.composite
def rule_sets(draw):
    from choppa.structures import Rule

    rules = []
    for _ in range(draw(st.integers(1, 6))):
        is_break = draw(st.booleans())
        before = draw(st.sampled_from(BEFORE + BREAK_ONLY if is_break else BEFORE))
        rules.append(Rule(is_break, before, draw(st.sampled_from(AFTER))))
    return rules


def rule(is_break: bool, before: str, after: str):
    from choppa.structures import Rule

    return Rule(is_break, before, after)


@settings(max_examples=1500, deadline=None)
@given(rule_sets(), st.lists(st.sampled_from(list("aaab. Ax(\n")), max_size=20).map("".join))
@example([], "a. b")
@example([rule(True, "aa?", "(?!a)")], "aaa")  # Java never tries the match at 1: the one at 0 spans it
@example([rule(False, "a", "a"), rule(True, "a", "")], "aa")  # after a veto, search on from the match's end
@example([rule(False, "xa*", ""), rule(True, "a", "")], "x" + "a" * 120)  # lookbehinds look back 100 repeats
@example([rule(True, "", ""), rule(False, "", ""), rule(True, "", "")], "aa")  # equal rules share exceptions
@example(  # no x: the x rules are skipped, and of the others, tying at 1, the first wins
    [rule(True, "x", "x"), rule(True, "x", "a"), rule(True, "a", ""), rule(False, "a", "b"), rule(True, "[a]", "")],
    "ab",
)
@example([rule(True, "b", ""), rule(False, "", ""), rule(True, "a", "")], "abb")  # each rule its own exceptions
@example([rule(True, "[(:]a", "")], "?ab")  # the parenthesis in a set is no group
@example([rule(True, r"\p{L}a", "")], "aaaa")  # searched from within, a match still starts where the search does
@example([rule(True, r"[^.]\p{L}{2}\.", "")], " a. b")  # {2}: two letters
def test_any_rules_cut_as_choppa_cuts(rules, text):
    from choppa import SrxDocument
    from choppa.iterators import SrxTextIterator
    from choppa.structures import LanguageRule

    from translate_flow.srx import LanguageRules

    document = SrxDocument()
    # Two maps, so the cascade joins rules across languagerules as it does for the real rules.
    half = len(rules) // 2
    document.add_language_map("x.*", LanguageRule("first", rules[:half]))
    document.add_language_map(".*", LanguageRule("second", rules[half:]))
    expected, position = [], 0
    for piece in SrxTextIterator(document, "xx", text):
        position += len(piece)
        expected.append(position)
    assert LanguageRules(document, "xx").cuts(text) == expected
