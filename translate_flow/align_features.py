"""What the aligner weighs: each sentence's length, numbers, names, stems and trigrams, and a bead's features.

The features are named in ``data/alignment.json``, whose weights
``benchmarks/align_calibration.py`` fits; see ``align.py``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .model import PLACEHOLDER, Segment

FRONT = ("title", "summary")
NAME = re.compile(r"\b[^\W\d_][\w']*")  # "NATO-Verbündeten" gives "NATO"
WORD = re.compile(r"[^\W\d_]{4,}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Small numbers are often written as words in one edition and as digits in the other ("two" ~ "2" ~ "doi").
NUMBER_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve",
    "ro": "doi/doua trei patru cinci sase sapte opt - zece unsprezece doisprezece/douasprezece",
    "de": "zwei drei vier funf sechs sieben acht neun zehn elf zwolf",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze",
}  # "nouă" (nine, but also "new") is left out
NUMBER_OF = {
    language: {form: str(value) for value, forms in enumerate(words.split(), start=2) for form in forms.split("/")}
    for language, words in NUMBER_WORDS.items()
}


def block_of(segment: Segment) -> str:
    """The block a sentence belongs to: "title", "summary", "paragraph 3", "heading 1"…"""
    return segment.location.split(",")[0]


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def prefixes(text: str, letters: int) -> set[str]:
    """Words of four letters or more by their first ``letters`` letters, accents folded."""
    return {_fold(w)[:letters] for w in WORD.findall(text)}


def _stems(text: str) -> set[str]:
    """Words by their first four letters: cognates across languages."""
    return prefixes(text, 4)


def _trigrams(text: str) -> set[str]:
    """Letter trigrams of the words of four letters or more: looser cognates ("annual" ~ "anuală")."""
    return {word[k : k + 3] for word in map(_fold, WORD.findall(text)) for k in range(len(word) - 2)}


@dataclass(frozen=True)
class Sentence:
    length: int
    numbers: frozenset[str]
    names: frozenset[str]
    stems: frozenset[str]
    trigrams: frozenset[str]
    block: str
    starts_block: bool


def _number_value(token: str) -> str:
    """Digits as a value in either convention: a separator before exactly three digits groups thousands,
    any other is the decimal mark ("6,000" ~ "6.000", "6.5" ~ "6,50")."""
    whole, _, decimals = re.sub(r"[.,](?=\d{3}(?!\d))", "", token).replace(",", ".").partition(".")
    decimals = decimals.replace(".", "").rstrip("0")
    return f"{int(whole)}.{decimals}" if decimals else str(int(whole))


def _numbers(text: str, language: str) -> frozenset[str]:
    words = NUMBER_OF.get(language.split("_")[0], {})
    spelled = {words[w] for w in map(_fold, re.findall(r"[^\W\d_]+", text)) if w in words}
    return frozenset({_number_value(n) for n in NUMBER.findall(text)} | spelled)


def glosses(text: str, lexicon: dict[str, str]) -> set[str]:
    """The other language's stems the lexicon gives for the words of ``text`` (each by its first five letters)."""
    return {lexicon[key] for key in prefixes(text, 5) if key in lexicon}


def sentences(
    segments: list[Segment], language: str, translations: list[str] | None, lexicon: dict[str, str] | None = None
) -> list[Sentence]:
    """``translations``: the segments' machine translations; ``lexicon``: word stems in the other language, by word.
    Either adds to a sentence's stems, so that a word matches its translation as it matches a cognate."""
    result = []
    for index, segment in enumerate(segments):
        text = PLACEHOLDER.sub("", segment.text)
        stems = _stems(text) | (_stems(translations[index]) if translations else set())
        stems |= glosses(text, lexicon) if lexicon else set()
        trigrams = _trigrams(text) | (_trigrams(translations[index]) if translations else set())
        block = block_of(segment)
        result.append(
            Sentence(
                length=len(text),
                numbers=_numbers(text, language),
                names=frozenset(_fold(w)[:5] for w in NAME.findall(text) if w[0].isupper() and len(w) > 1),
                stems=frozenset(stems),
                trigrams=frozenset(trigrams),
                block=block,
                starts_block=index == 0 or block != block_of(segments[index - 1]),
            )
        )
    return result


def features(
    left: list[Sentence],
    right: list[Sentence],
    position: float,
    ratio: float,
    names: set,
    context: tuple = (),
    edges: tuple[Sentence, Sentence] | None = None,
) -> list[float]:
    """What the model weighs for linking ``left`` with ``right`` (data/alignment.json names them).

    ``context`` is the second pass's: whether the bead fills the gap between two
    first-pass links, how much of the two bodies the first pass linked, and that
    share again for a title or summary (two editions of one article have both).
    ``edges``: the sentences whose paragraph starts are compared, when not the
    bead's first ones (a swap moves a paragraph's first sentence with it).
    """
    first_left, first_right = edges or (left[0], right[0])
    length_left, length_right = sum(s.length for s in left), sum(s.length for s in right)
    mean = (length_left + length_right / ratio) / 2
    delta = (ratio * length_left - length_right) / math.sqrt(max(mean, 1) * 6.8)
    length_cost = min(-math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)), 10.0)
    numbers = [frozenset().union(*(s.numbers for s in side)) for side in (left, right)]
    found = [frozenset().union(*(s.names for s in side)) & names for side in (left, right)]
    stems = [frozenset().union(*(s.stems for s in side)) for side in (left, right)]
    trigrams = [frozenset().union(*(s.trigrams for s in side)) for side in (left, right)]
    blocks = [{s.block for s in side} for side in (left, right)]
    stem_dice, trigram_dice = _dice(*stems), _dice(*trigrams)
    # Nothing in common at all: in a gap between links, such a pair is more often an added and a dropped sentence.
    unsupported = not (numbers[0] & numbers[1] or found[0] & found[1] or stem_dice or trigram_dice >= 0.1)
    return [
        1.0,
        length_cost,
        min(len(numbers[0] & numbers[1]), 3),
        min(len(numbers[0] ^ numbers[1]), 3),
        min(len(found[0] & found[1]), 3),
        _unmatched(*found),
        stem_dice,
        trigram_dice,
        float(len(left) + len(right) > 2),
        float(len(blocks[0]) > 1 or len(blocks[1]) > 1),
        float(first_left.starts_block != first_right.starts_block),
        position,
        float(left[0].block in FRONT),
        float(unsupported),
        *context,
    ]


def _unmatched(a: frozenset, b: frozenset) -> int:
    """How many more names one side has alone than both share: a rewrite drops some names of a
    sentence it renders, a different sentence has names of its own."""
    return min(max(len(a ^ b) - len(a & b), 0), 3)


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / max(len(a) + len(b), 1)
