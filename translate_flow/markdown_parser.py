"""A CommonMark parser (markdown-it-py) whose inline tokens know the source text they came from.

Its inline rules are wrapped so that each markup token (emphasis, links, code, breaks,
HTML) records its span of the source; :mod:`markdown` cuts the text between them into
sentences. Blocks nested deeper than the parser follows are refused, not dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

ATOMIC = {"code_inline", "image", "html_inline", "hardbreak", "autolink"}


class UnmappableBlock(Exception):
    """A block whose inline content cannot be found in its source lines."""

    message = "cannot map this Markdown block back to its source lines"

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line  # 0-based, in the body


class TooDeep(UnmappableBlock):
    """Blocks nested deeper than the parser follows: it would drop their content without a word."""

    message = "nested too deep: Markdown follows 20 levels of block quotes, lists and list items; flatten this"


def _track(name: str, rule: Callable) -> Callable:
    """Wrap an inline rule so the tokens it pushes know their source span."""

    def tracked(state, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        label_end = -1
        if name == "link" and not silent and state.src[start] == "[":
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
        matched = rule(state, silent)
        if matched and not silent:
            _annotate(name, state, start, count, label_end)
        return matched

    return tracked


def _annotate(name: str, state, start: int, count: int, label_end: int) -> None:
    pushed = state.tokens[count:]
    end = state.pos
    if name == "emphasis":
        # One text token per delimiter character, the last ones pushed.
        delimiters = pushed[len(pushed) - (end - start) :]
        for offset, token in enumerate(delimiters):
            token.meta["delimiter"] = start + offset
    elif name == "link":
        opener = next(t for t in pushed if t.type == "link_open")
        opener.meta["span"] = (start, start + 1)
        pushed[-1].meta["span"] = (label_end, end)
        if state.src[label_end:end] in ("]", "][]"):
            # A shortcut or collapsed reference: its text is its label, so a translated text needs the label.
            pushed[-1].meta["label"] = state.src[start + 1 : label_end]
    elif name == "autolink":
        opener = next(t for t in pushed if t.type == "link_open")
        opener.meta["span"] = (start, end)
        opener.meta["atomic"] = True
        for token in pushed[pushed.index(opener) + 1 :]:
            token.meta["skip"] = True
    elif name == "newline":
        if pushed and pushed[-1].type == "hardbreak":
            begin = start
            while begin > 0 and state.src[begin - 1] == " ":
                begin -= 1
            pushed[-1].meta["span"] = (begin, end)
    elif pushed and pushed[-1].type in ATOMIC:
        pushed[-1].meta["span"] = (start, end)


@functools.cache
def parser():
    """A CommonMark parser whose inline tokens carry source spans."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _track(rule.name, rule.fn))
    md.block.tokenize = _refusing_depth(md.block.tokenize)
    return md


def _refusing_depth(tokenize: Callable) -> Callable:
    """markdown-it skips whatever lies past ``maxNesting`` levels of quotes and lists; refuse it instead."""

    def guarded(state, start_line: int, end_line: int, *args) -> None:
        line = state.skipEmptyLines(start_line)
        if state.level >= state.md.options.maxNesting and line < end_line and state.sCount[line] >= state.blkIndent:
            raise TooDeep(line)
        tokenize(state, start_line, end_line, *args)

    return guarded
