"""An article body as HTML, built from the source's tokens with the translations' text in text tokens.

Nothing a translator types can become markup. A msgstr is cut at its
placeholders: each placeholder brings back the tokens the source had there
(emphasis, a link and its href, code), and every other character goes into a
text token, which the renderer writes as text. Raw HTML is only ever the
source's, and ``[build] raw_html`` says what becomes of it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .markdown import Atom, InlineBlock, atoms, inline_blocks, msgid, parser, split_atoms
from .model import PLACEHOLDER_SPLIT, Article

if TYPE_CHECKING:
    from .rendering import RenderedSegment

LINE_BREAKS = re.compile(r"\s*\n\s*")

# What raw HTML in a source may keep: markup for text, tables and figures, and links
# and images with http(s), mailto or relative URLs. No script, style, form, frame or event.
TAG_NAMES = """a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure
h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup
table tbody td tfoot th thead time tr u ul var"""
ALLOWED_TAGS = set(TAG_NAMES.split())
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title", "class"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "span": {"data-mt", "data-fallback"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def tidy_spaces(text: str, names: Iterable[str]) -> str:
    """Move spaces just inside paired placeholders outside them: ``<1> a </1>`` → `` <1>a</1> ``.

    CommonMark does not read ``* a *`` as emphasis, so this keeps the markup of a
    translation that put its spaces there, without changing what a reader sees.
    """
    paired = "|".join(name[2:-1] for name in names if name.startswith("</"))
    if not paired:
        return text
    inside = re.compile(rf"(<(?:{paired})>)([ \t]+)|([ \t]+)(</(?:{paired})>)")
    while True:
        tidied = inside.sub(lambda m: m[2] + m[1] if m[1] else m[4] + m[3], text)
        if tidied == text:
            return text
        text = tidied


@functools.cache
def _text_parser():
    """Markdown that knows only text, backslash escapes, entities and line breaks."""
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["escape", "entity", "newline"])


# What the text parser acts on (escapes, entities, line breaks; it reads "\r" and NUL as the parser
# normalizes them): text without any of these is one text token, made here without parsing.
_PARSED_IN_TEXT = re.compile(r"[\\&\n\r\0]")


def text_tokens(text: str) -> list:
    """The text tokens of Markdown text: ``\\*`` is ``*`` and ``&amp;`` is ``&``, and nothing is markup."""
    if not text:
        return []
    if not _PARSED_IN_TEXT.search(text):
        from markdown_it.token import Token

        return [Token("text", "", 0, content=text)]
    return _text_parser().parseInline(text)[0].children


def plain_text(text: str) -> str:
    """What a reader sees of a msgstr's text between placeholders."""
    return "".join(token.content or " " for token in text_tokens(text))


def translated_tokens(segment_atoms: list[Atom], text: str) -> list:
    """Inline tokens of a translation: the source's markup at each placeholder, text everywhere else."""
    markup = dict(msgid(segment_atoms)[1])
    result: list = []
    for part in PLACEHOLDER_SPLIT.split(tidy_spaces(LINE_BREAKS.sub(" ", text), markup).strip()):
        if part in markup:
            result += markup[part].tokens
        else:
            result += text_tokens(part)
    return result


def _source_tokens(content: str, block_atoms: list[Atom]) -> list:
    """Inline tokens of a stretch of the source: its markup tokens, and its text read as text."""
    result: list = []
    run_start = None
    for atom in block_atoms:
        if atom.kind == "text":
            run_start = atom.start if run_start is None else run_start
            continue
        if run_start is not None:
            result += text_tokens(content[run_start : atom.start])
            run_start = None
        result += atom.tokens
    if run_start is not None:
        result += text_tokens(content[run_start : block_atoms[-1].end])
    return result


def _wrapper(attribute: str) -> tuple[Any, Any]:
    from markdown_it.token import Token

    ours = {"wrapper": True}  # not the source's raw HTML: escaping leaves it alone
    return (
        Token("html_inline", "", 0, content=f"<span {attribute}>", meta=ours),
        Token("html_inline", "", 0, content="</span>", meta=ours),
    )


def _children(
    block: InlineBlock, children: list, placed: list[tuple[int, int, RenderedSegment]], fallback: str
) -> list:
    """A block's inline tokens with each placed segment's translation in it."""
    shown = [part for _, _, part in placed if part.markdown]
    if shown and all(part.fallback for part in shown):
        # One span for the whole block: in a right-to-left page, one span per sentence would
        # put a paragraph of left-to-right fallback sentences in right-to-left order.
        opening, closing = _wrapper(fallback)
        unmarked = [(start, end, replace(part, fallback=False)) for start, end, part in placed]
        return [opening, *_children(block, children, unmarked, fallback), closing]
    if all(part.markdown and part.text is None and not (part.fallback or part.unreviewed) for _, _, part in placed):
        # Every sentence shows the source's own text, unmarked: the block is the source's, not cut per sentence.
        return _source_tokens(block.content, atoms(block.content, children))
    cuts = [cut for start, end, _ in placed for cut in (block.content_offset(start), block.content_offset(end - 1) + 1)]
    block_atoms = split_atoms(atoms(block.content, children), sorted(set(cuts)))
    starts = [atom.start for atom in block_atoms]
    result: list = []
    position = 0
    for start, end, part in placed:
        first = bisect.bisect_left(starts, block.content_offset(start))
        last = bisect.bisect_left(starts, block.content_offset(end - 1) + 1)
        before = block_atoms[position:first]
        if not part.markdown:  # merged into the sentence before: it goes, and the space that led to it
            _drop_trailing_space(before)
        result += _source_tokens(block.content, before)
        position = last
        if not part.markdown:
            continue
        if part.text is None:
            inner = _source_tokens(block.content, block_atoms[first:last])
        else:
            inner = translated_tokens(block_atoms[first:last], part.text)
        if part.fallback:
            opening, closing = _wrapper(fallback)
            inner = [opening, *inner, closing]
        elif part.unreviewed:
            opening, closing = _wrapper("data-mt")
            inner = [opening, *inner, closing]
        result += inner
    return result + _source_tokens(block.content, block_atoms[position:])


def _drop_trailing_space(block_atoms: list[Atom]) -> None:
    while block_atoms and block_atoms[-1].kind == "text":
        last = block_atoms.pop()
        kept = last.plain.rstrip()
        if kept:
            block_atoms.append(Atom(last.start, last.start + len(kept), "text", kept))
            return


def _placed(article: Article, parts: list) -> tuple[str, list[tuple[int, int, RenderedSegment]]]:
    """The source body and the body span of each of its segments, with how it is rendered."""
    chunks, placed, offset = [], [], 0
    for piece, part in zip(article.pieces[article.body_index :], parts[article.body_index :], strict=True):
        source = piece if isinstance(piece, str) else piece.source
        if not isinstance(piece, str):
            placed.append((offset, offset + len(source), part))
        chunks.append(source)
        offset += len(source)
    return "".join(chunks), placed


@functools.lru_cache(maxsize=4)
def _parsed_body(body: str) -> tuple[list, dict]:
    """A source body's tokens, parsed once for all the editions of an article (they are built one after another)."""
    env: dict = {}
    return parser().parse(body, env), env


def body_html(article: Article, parts: list, fallback: str, raw_html: str = "sanitize") -> str:
    """The body's HTML: the source's structure, each segment's text as ``parts`` render it.

    ``fallback`` are the attributes of the span around text shown in the source language.
    """
    body, placed = _placed(article, parts)
    md = parser()
    parsed, env = _parsed_body(body)
    # Each edition gets its own inline tokens (their children are replaced below); the rest is only read.
    tokens = [token.copy() if token.type == "inline" else token for token in parsed]
    index = 0
    for block, inline in inline_blocks(body, tokens):
        end = block.source_offset(len(block.content))
        mine = []
        while index < len(placed) and placed[index][0] < end:
            mine.append(placed[index])
            index += 1
        inline.children = _children(block, inline.children, mine, fallback)
    raw = any(token.type == "html_block" for token in tokens) or any(
        child.type == "html_inline" and not child.meta.get("wrapper")
        for token in tokens
        for child in token.children or ()
    )
    if raw_html == "escape":
        tokens = list(_escaped(tokens))
    html = md.renderer.render(tokens, md.options, env)
    return sanitize(html) if raw and raw_html == "sanitize" else html


def sanitize(html: str) -> str:
    """HTML cut down to the allow-list."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _escaped(tokens: list) -> Iterator:
    """The tokens with the source's raw HTML turned into text."""
    from markdown_it.token import Token

    for token in tokens:
        if token.type == "html_block":
            text = Token("text", "", 0, content=token.content.rstrip("\n"))
            yield Token("paragraph_open", "p", 1, block=True)
            yield Token("inline", "", 0, children=[text])  # the renderer reads only an inline token's children
            yield Token("paragraph_close", "p", -1, block=True)
            continue
        if token.children:
            token.children = [
                Token("text", "", 0, content=child.content)
                if child.type == "html_inline" and not child.meta.get("wrapper")
                else child
                for child in token.children
            ]
        yield token
