"""Whether a localized Markdown body keeps the structure of its source.

A translation can change what its Markdown means even with every placeholder in
place: ``*word*`` stops being emphasis when a translated letter ends up next
to a delimiter from the inside. The localized body is parsed again and its
markup compared with the source's; a translation that changes it is named
(file:line) and shown in the source language instead.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .model import Article, Problem

if TYPE_CHECKING:
    from .rendering import RenderedSegment

# Tokens whose content is markup, not text: it must come through unchanged.
LITERAL = {"code_inline", "code_block", "fence", "html_inline", "html_block"}
MESSAGE = "the translation changes the Markdown markup around its placeholders; the source is shown instead"


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def signature(tokens: list) -> list:
    """The markup of a token stream: tags, nesting, URLs, code and HTML; text left out.

    Signatures are only compared with ``==``, so lists and the attributes' dict (equal in any order) do.
    """
    result: list = []
    for token in tokens:
        if token.type in ("text", "softbreak"):
            continue
        if token.type == "inline":
            result.append(signature(token.children or []))
            continue
        content = token.content if token.type in LITERAL else ""
        result.append((token.type, token.tag, token.nesting, token.attrs, token.info, content))
    return result


def changes(article: Article, parts: list) -> list[tuple[int, Problem]]:
    """(index in ``parts``, problem) for each translated segment that changes the body's markup."""
    translated = [
        index
        for index in range(article.body_index, len(parts))
        if not isinstance(parts[index], str) and parts[index].text is not None and parts[index].markdown
    ]
    if not translated:
        return []
    md, env = _parser(), {}
    source = md.parse("".join(p if isinstance(p, str) else p.source for p in article.pieces[article.body_index :]), env)
    localized = md.parse("".join(p if isinstance(p, str) else p.markdown for p in parts[article.body_index :]))
    if signature(source) == signature(localized):
        return []
    # The whole body changed; find the entries that change it by themselves, else blame them all.
    alone = [index for index in translated if _changes_alone(parts[index], env)]
    return [(index, _problem(parts[index])) for index in alone or translated]


def _changes_alone(part: RenderedSegment, env: dict) -> bool:
    md = _parser()
    return signature(md.parseInline(part.segment.source, env)) != signature(md.parseInline(part.markdown, env))


def _problem(part: RenderedSegment) -> Problem:
    translation = part.translation
    return Problem(translation.path, translation.line, MESSAGE)
