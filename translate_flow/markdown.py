"""Markdown blocks to sentence pieces, keeping every source byte.

markdown-it-py parses the CommonMark, with each markup token (emphasis, links,
code, breaks, HTML) knowing the span of source text it came from
(:mod:`markdown_parser`). Everything between markup spans is text. A block's inline
content is then cut into sentences with SRX, and each sentence becomes a
:class:`Segment` whose msgid shows markup as numbered placeholders:
``<1>…</1>`` for paired markup, ``<2/>`` for code, images, HTML and hard breaks.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .markdown_parser import UnmappableBlock, parser
from .model import Piece, Segment
from .segmentation import default_segmenter

PAIRED_OPEN = {"em_open", "strong_open", "link_open"}
PAIRED_CLOSE = {"em_close", "strong_close", "link_close"}
OBJECT_CHAR = "\ufffc"  # how atomic markup shows to the SRX rules
NEWLINE_SPACE = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True)
class Atom:
    """A run of text, or one markup token, of a block's inline content."""

    start: int
    end: int
    kind: str  # "text", "open", "close" or "atomic"
    plain: str  # what the SRX rules see
    tokens: tuple = ()  # a markup atom's tokens (an autolink has three), to rebuild HTML from


def _markup_span(token) -> tuple[int, int] | None:
    if "delimiter" in token.meta and token.type != "text":
        position = token.meta["delimiter"]
        if token.type == "strong_open":
            return position - 1, position + 1
        if token.type == "strong_close":
            return position, position + 2
        return position, position + 1
    return token.meta.get("span")


def atoms(content: str, children: list) -> list[Atom]:
    """The inline content as runs of text and markup tokens, in order."""
    result: list[Atom] = []
    position = 0
    for index, token in enumerate(children):
        span = None if token.meta.get("skip") else _markup_span(token)
        if span is None:
            continue
        tokens = [token]
        if token.type in PAIRED_OPEN and not token.meta.get("atomic"):
            kind, plain = "open", ""
        elif token.type in PAIRED_CLOSE:
            kind, plain = "close", ""
        else:
            kind, plain = "atomic", " " if token.type == "hardbreak" else OBJECT_CHAR
            tokens += itertools.takewhile(lambda t: t.meta.get("skip"), children[index + 1 :])
        if position < span[0]:
            result.append(Atom(position, span[0], "text", content[position : span[0]]))
        result.append(Atom(span[0], span[1], kind, plain, tuple(tokens)))
        position = span[1]
    if position < len(content):
        result.append(Atom(position, len(content), "text", content[position:]))
    return result


def split_atoms(block: list[Atom], positions: list[int]) -> list[Atom]:
    """The atoms with text runs also cut at these content offsets (sorted)."""
    result: list[Atom] = []
    cuts = iter(positions)
    cut = next(cuts, None)
    for atom in block:
        while cut is not None and cut <= atom.start:
            cut = next(cuts, None)
        start = atom.start
        while atom.kind == "text" and cut is not None and cut < atom.end:
            result.append(Atom(start, cut, "text", atom.plain[start - atom.start : cut - atom.start]))
            start, cut = cut, next(cuts, None)
        result.append(atom if start == atom.start else Atom(start, atom.end, "text", atom.plain[start - atom.start :]))
    return result


def _partners(block: list[Atom]) -> dict[int, int]:
    """Open-tag index → close-tag index; unmatched tags are absent."""
    stack, pairs = [], {}
    for index, atom in enumerate(block):
        if atom.kind == "open":
            stack.append(index)
        elif atom.kind == "close" and stack:
            pairs[stack.pop()] = index
    return pairs


def sentence_ranges(block: list[Atom], language: str) -> tuple[list[Atom], list[tuple[int, int]]]:
    """The atoms with text runs cut where sentences start and end, and each sentence's atom range.

    Tags stay with their sentence; pairs never split.
    """
    pairs = _partners(block)
    low, high = 0, len(block)
    # Markup around the whole content (an italic paragraph) stays outside the sentences,
    # unless it is a shortcut reference link, whose closing "]" must learn its label.
    while low < high and pairs.get(low) == high - 1 and not block[high - 1].tokens[0].meta.get("label"):
        low, high = low + 1, high - 1
    spans = default_segmenter().spans("".join(atom.plain for atom in block[low:high]), language)
    index = _PlainIndex(block, low, high)
    cuts = []
    for start, end in spans:
        first, last = index.atom(start), index.atom(end - 1)
        if block[first].kind == "text":
            cuts.append(block[first].start + start - index.start(first))
        if block[last].kind == "text":
            cuts.append(block[last].start + end - index.start(last))
    cut = split_atoms(block, sorted(set(cuts)))
    high += len(cut) - len(block)  # the markup outside [low, high) is never cut
    index = _PlainIndex(cut, low, high)
    ranges: list[tuple[int, int]] = []
    for start, end in spans:
        first, last = index.atom(start), index.atom(end - 1) + 1
        floor = ranges[-1][1] if ranges else low
        while first > floor and cut[first - 1].kind == "open":
            first -= 1
        while last < high and cut[last].kind == "close":
            last += 1
        ranges.append((first, last))
    return cut, _merge_unbalanced(cut, ranges)


class _PlainIndex:
    """Which atom of ``block[low:high]`` holds a character of their plain text."""

    def __init__(self, block: list[Atom], low: int, high: int):
        self.low = low
        self.starts = list(itertools.accumulate((len(atom.plain) for atom in block[low:high]), initial=0))

    def atom(self, char: int) -> int:
        # The last atom starting at or before the character: one without plain text starts where the next does.
        return self.low + bisect.bisect_right(self.starts, char) - 1

    def start(self, index: int) -> int:
        """Where an atom's plain text starts."""
        return self.starts[index - self.low]


def _merge_unbalanced(block: list[Atom], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each range that opens a pair with those after it until the pair closes."""
    depth = list(itertools.accumulate(((a.kind == "open") - (a.kind == "close") for a in block), initial=0))
    merged: list[list[int]] = []  # first, last, lowest depth inside
    for first, last in ranges:
        lowest = min(depth[first : last + 1])
        previous = merged[-1] if merged else None
        if previous and not (depth[previous[1]] == depth[previous[0]] and previous[2] >= depth[previous[0]]):
            previous[1], previous[2] = last, min(previous[2], lowest)
        else:
            merged.append([first, last, lowest])
    return [(first, last) for first, last, _ in merged]


def msgid(block: list[Atom]) -> tuple[str, list[tuple[str, Atom]]]:
    """The msgid of a sentence and its placeholders with their markup atoms."""
    parts, markup = [], []
    stack, number = [], 0
    for atom in block:
        if atom.kind == "text":
            parts.append(atom.plain)
            continue
        if atom.kind == "close":
            name = f"</{stack.pop()}>"
        else:
            number += 1
            if atom.kind == "open":
                stack.append(number)
            name = f"<{number}>" if atom.kind == "open" else f"<{number}/>"
        parts.append(name)
        markup.append((name, atom))
    return NEWLINE_SPACE.sub(" ", "".join(parts)), markup


@dataclass(frozen=True)
class InlineBlock:
    """One block's inline content, and where each of its lines sits in the source."""

    content: str
    kind: str
    offsets: tuple[tuple[int, int], ...]  # per content line: (content start, source start)

    def content_offset(self, offset: int) -> int:
        """The content offset of a body offset on one of the content's lines."""
        line = bisect.bisect_right(self.offsets, offset, key=lambda pair: pair[1]) - 1
        content_start, source_start = self.offsets[max(line, 0)]
        return content_start + offset - source_start

    def source_offset(self, position: int) -> int:
        """The body offset of a content offset."""
        # A binary search: a paragraph of 100,000 lines has as many sentences to place.
        line = bisect.bisect_right(self.offsets, position, key=lambda offset: offset[0]) - 1
        if line < 0:
            raise ValueError(position)
        content_start, source_start = self.offsets[line]
        return source_start + position - content_start


def _line_offsets(content: str, line_starts: list[int], body: str, first: int) -> tuple[tuple[int, int], ...]:
    """Find each content line in its source line."""
    result = []
    content_start = 0
    for number, text in enumerate(content.split("\n")):
        start = line_starts[first + number]
        end = body.find("\n", start)
        source = body[start : end if end >= 0 else len(body)].rstrip("\r")
        found = _column(source, text)
        if found is None:
            raise UnmappableBlock(first + number)
        column, skipped = found
        result.append((content_start + skipped, start + column))
        content_start += len(text) + 1
    return tuple(result)


def _column(source: str, text: str) -> tuple[int, int] | None:
    """Where a content line starts in its source line, and how many of its first characters are not there.

    Content lines are suffixes of their source lines, except that the last is
    trimmed, an ATX heading drops its closing ``#`` marks, and a tab in the
    indentation may have become spaces (those never hold translatable text).
    """
    if source.endswith(text):
        return len(source) - len(text), 0
    trimmed = source.rstrip(" \t")
    if trimmed.endswith(text):
        return len(trimmed) - len(text), 0
    marker = re.match(r" {0,3}#{1,6}[ \t]+", source)
    if marker and source.startswith(text, marker.end()):
        return marker.end(), 0
    unindented = text.lstrip(" \t")
    for line in (source, trimmed):
        if unindented and line.endswith(unindented):
            return len(line) - len(unindented), len(text) - len(unindented)
    return None


def _block_name(stack: list[str], token_type: str) -> str:
    if token_type == "heading_open":
        return "heading"
    if "blockquote_open" in stack:
        return "quote"
    if "list_item_open" in stack:
        return "list item"
    return "paragraph"


def inline_blocks(body: str, tokens: list | None = None) -> Iterator[tuple[InlineBlock, Any]]:
    """The inline content of every heading and paragraph, with its inline token, in document order.

    ``tokens`` are the body's tokens from :func:`parser`, when the caller has them already.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
    stack: list[str] = []
    for token in parser().parse(body) if tokens is None else tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline" and token.content:
            offsets = _line_offsets(token.content, line_starts, body, token.map[0])
            yield InlineBlock(token.content, _block_name(stack, stack[-1]), offsets), token


def _markup_source(body: str, block: InlineBlock, atom: Atom) -> str:
    """The source text of a markup atom; a shortcut reference's ``]`` gains its label, which its text was."""
    label = atom.tokens[0].meta.get("label")
    if label is not None:
        return f"][{NEWLINE_SPACE.sub(' ', label)}]"  # a label matches whatever its whitespace
    return body[block.source_offset(atom.start) : block.source_offset(atom.end)]


def body_pieces(body: str, language: str, body_offset: int, line_of: Callable[[int], int]) -> list[Piece]:
    """Cut a Markdown body into raw text and sentence segments.

    Joining the pieces' source text gives ``body`` back exactly.
    """
    pieces: list[Piece] = []
    position = 0
    counters: dict[str, int] = {}
    for block, inline in inline_blocks(body):
        block_atoms, ranges = sentence_ranges(atoms(block.content, inline.children), language)
        ranges = [
            (first, last)
            for first, last in ranges
            if any(ch.isalpha() for atom in block_atoms[first:last] for ch in atom.plain)
        ]
        if not ranges:
            continue
        counters[block.kind] = counters.get(block.kind, 0) + 1
        for number, (first, last) in enumerate(ranges, start=1):
            start = block.source_offset(block_atoms[first].start)
            end = block.source_offset(block_atoms[last - 1].end)
            text, markup = msgid(block_atoms[first:last])
            location = f"{block.kind} {counters[block.kind]}"
            if block.kind != "heading" or len(ranges) > 1:
                location += f", sentence {number}"
            pieces.append(body[position:start])
            pieces.append(
                Segment(
                    text=text,
                    source=body[start:end],
                    location=location,
                    line=line_of(body_offset + start),
                    markup=tuple((name, _markup_source(body, block, atom)) for name, atom in markup),
                )
            )
            position = end
    pieces.append(body[position:])
    return pieces
