"""Merging translations into localized Markdown and HTML."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from . import structure
from .html_body import LINE_BREAKS, body_html, plain_text, tidy_spaces
from .model import MERGED, PLACEHOLDER, PLACEHOLDER_SPLIT, Article, Field, Problem, Segment, SegmentKind, Translation

# Characters that could start inline markup, an entity or an escape: a translator's are escaped.
INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<&!]")
# Whitespace a translator wrote as an entity (&#10;) stays one: a line break could end the
# paragraph, a tab at a line start could open a code block.
WHITESPACE_ENTITIES = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
# Text that would start a block at a line start: a heading, quote, list item, fence,
# or a line of = - * _ (setext underline, thematic break). Nothing else is escaped,
# since a needless backslash can change how emphasis delimiters pair.
BLOCK_START = re.compile(
    r"^(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|`{3,}|~{3,}|(?:[=\-*_][ \t]*)+$)"
)


def bcp47(locale: str) -> str:
    """``pt_BR`` → ``pt-BR``, as HTML's lang and hreflang want it."""
    return locale.replace("_", "-")


def placeholder_problem(segment: Segment, text: str) -> str | None:
    """Why a translation's placeholders don't fit its source, or ``None``."""
    return tags_problem([name for name, _ in segment.markup], text)


def tags_problem(names: list[str], text: str) -> str | None:
    """Why ``text`` does not hold each placeholder of ``names`` once, properly nested."""
    # Placeholder-like text that the source lacks ("<7>") is literal text.
    found = Counter(name for name in PLACEHOLDER.findall(text) if name in names)
    missing = [name for name in names if not found[name]]
    extra = [name for name in names if found[name] > 1]
    if missing:
        return f"placeholder {', '.join(missing)} missing in the translation"
    if extra:
        return f"placeholder {', '.join(extra)} repeated in the translation"
    stack: list[str] = []
    for name in PLACEHOLDER.findall(text):
        if name not in names or name.endswith("/>"):
            continue
        if name.startswith("</"):
            if not stack or stack.pop() != name[2:-1]:
                return f"placeholder {name} closes out of order"
        else:
            stack.append(name[1:-1])
    return None


def segment_markdown(segment: Segment, text: str) -> str:
    """The source form of a translation; an unchanged segment keeps its exact source."""
    if text == segment.text:
        return segment.source
    if segment.kind is SegmentKind.YAML:
        return json.dumps(LINE_BREAKS.sub(" ", text), ensure_ascii=False)
    return restore_markup(segment, text)


def restore_markup(segment: Segment, text: str, asterisks: bool = False) -> str:
    """Inline Markdown from a msgstr: placeholders back to source markup, the rest literal text.

    The text is read as Markdown text (``\\*`` and ``&amp;`` mean ``*`` and ``&``)
    and written back with every character that could open markup escaped, so
    nothing a translator types becomes markup or raw HTML. With ``asterisks``,
    ``_`` and ``__`` emphasis is written ``*`` and ``**``, which CommonMark also
    reads inside a word: languages written without spaces put it there.
    """
    markup = dict(segment.markup)
    if asterisks:
        markup = {name: "*" * len(source) if source in ("_", "__") else source for name, source in markup.items()}
    pieces = PLACEHOLDER_SPLIT.split(tidy_spaces(LINE_BREAKS.sub(" ", text), markup).strip())
    escaped = _restored(pieces, markup, join_runs=False)
    joined = _restored(pieces, markup, join_runs=True)
    if joined == escaped or not _emphasis(joined) == _emphasis(segment.source) != _emphasis(escaped):
        return escaped
    # Joined, a literal * can also move across the emphasis (0**\*0** cannot open: 0***0** reads 0*<strong>0):
    # taken only if each run of text stays between the same delimiters. Else the structure check falls back.
    return joined if _texts_between_emphasis(joined) == _texts_between_placeholders(pieces, markup) else escaped


def _restored(pieces: list[str], markup: dict[str, str], join_runs: bool) -> str:
    parts = []
    for index, part in enumerate(pieces):
        if part in markup:
            parts.append(markup[part])
        elif part:
            part = INLINE_SPECIAL.sub(r"\\\g<0>", plain_text(part)).translate(WHITESPACE_ENTITIES)
            if join_runs:
                before = markup.get(pieces[index - 1], "") if index else ""
                after = markup.get(pieces[index + 1], "") if index + 1 < len(pieces) else ""
                part = _join_delimiter_runs(part, before, after)
            block_start = BLOCK_START.match(part) if index == 0 else None
            if block_start:
                part = _escape_block_start(part, block_start.group(0))
            parts.append(part)
    return "".join(parts)


def _join_delimiter_runs(part: str, before: str, after: str) -> str:
    """Unescape a ``*`` or ``_`` that touches a placeholder made of the same character.

    In ``**NATO* *Dr.**`` one ``*`` of the last run closes and one is literal.
    CommonMark pairs emphasis by run length, so escaping the literal splits the
    run and changes which delimiters pair. ``restore_markup`` takes this form
    only when it gives the source's emphasis and the escaped form does not.
    """
    for char in "*_":
        escaped = re.escape("\\" + char)
        if before and set(before) == {char}:
            part = re.sub(f"^(?:{escaped})+", _unescape, part)
        if after and set(after) == {char}:
            part = re.sub(f"(?:{escaped})+$", _unescape, part)
    return part


def _emphasis(inline_markdown: str) -> list[str]:
    """The emphasis tokens CommonMark reads in a line of inline Markdown, in order."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(inline_markdown)[0].children or []
    return [token.type for token in tokens if token.type.startswith(("em_", "strong_"))]


def _texts_between_emphasis(inline_markdown: str) -> list[str]:
    """The text CommonMark reads between consecutive emphasis tokens of a line of inline Markdown."""
    from markdown_it import MarkdownIt

    texts, run = [], []
    for token in MarkdownIt("commonmark").parseInline(inline_markdown)[0].children or []:
        if token.type.startswith(("em_", "strong_")):
            texts.append("".join(run))
            run = []
        elif token.type == "text":
            run.append(token.content)
    return [*texts, "".join(run)]


def _texts_between_placeholders(pieces: list[str], markup: dict[str, str]) -> list[str]:
    """The text a msgstr puts between consecutive emphasis placeholders (``*``, ``_`` runs)."""
    texts, run = [], []
    for part in pieces:
        if part in markup:
            if markup[part] and set(markup[part]) <= {"*", "_"}:
                texts.append("".join(run))
                run = []
        elif part:
            run.append(plain_text(part))
    return [*texts, "".join(run)]


def _unescape(run: re.Match) -> str:
    return run.group().replace("\\", "")


def _escape_block_start(text: str, start: str) -> str:
    if start[-1].isdigit():  # "2024. …" would start an ordered list
        return text[: len(start)] + "\\" + text[len(start) :]
    return "\\" + text


# "This translation has not been reviewed yet", for pages that publish machine output.
UNREVIEWED_NOTICE = {
    "en": "This translation has not been reviewed yet.",
    "ro": "Această traducere nu a fost încă revizuită.",
    "de": "Diese Übersetzung wurde noch nicht geprüft.",
    "fr": "Cette traduction n’a pas encore été relue.",
}


def unreviewed_notice(locale: str) -> str:
    """The notice in the locale's language, or in English where none is known."""
    return UNREVIEWED_NOTICE.get(locale.split("_")[0], UNREVIEWED_NOTICE["en"])


@dataclass(frozen=True)
class RenderedSegment:
    segment: Segment
    markdown: str
    fallback: bool  # shown in the source language
    unreviewed: bool = False  # a fuzzy suggestion, published as it is
    text: str | None = None  # the msgstr shown; None where the source's own text is
    translation: Translation | None = None  # where it was read, for problems

    @property
    def merged(self) -> bool:
        """Its words are in the translation of the sentence before."""
        return self.translation is not None and self.translation.text == MERGED


@dataclass
class Localized:
    """An article merged with one locale's translations."""

    article: Article
    locale: str
    parts: list[str | RenderedSegment]
    problems: list[Problem] = field(default_factory=list)

    @property
    def unreviewed(self) -> bool:
        return any(isinstance(p, RenderedSegment) and p.unreviewed for p in self.parts)

    def shares(self) -> dict[str, float]:
        """Percent of the segments shown reviewed, unreviewed (machine, memory, edition) and in the source."""
        shown = [p for p in self.parts if isinstance(p, RenderedSegment)]
        fallback = sum(p.fallback for p in shown)
        unreviewed = sum(p.unreviewed for p in shown)
        counts = {"reviewed": len(shown) - fallback - unreviewed, "unreviewed": unreviewed, "fallback": fallback}
        return {f"{key}_percent": round(100 * n / max(len(shown), 1), 1) for key, n in counts.items()}

    def markdown(self) -> str:
        """The localized file; a translation says its state in the front matter and, if unreviewed, in a notice."""
        parts = [p if isinstance(p, str) else p.markdown for p in self.parts]
        if self.locale != self.article.language:
            end = self.article.body_index - 1  # the text that closes the front matter
            closing = parts[end].rstrip("\n").rfind("\n") + 1
            parts[end] = parts[end][:closing] + self._translation_block() + parts[end][closing:]
        if self.unreviewed:
            parts.insert(self.article.body_index, f"*{unreviewed_notice(self.locale)}*\n\n")
        return "".join(parts)

    def _translation_block(self) -> str:
        lines = ["translation:", f"  locale: {self.locale}", f"  source_language: {self.article.language}"]
        lines += [f"  {key}: {value}" for key, value in self.shares().items()]
        return "\n".join(lines) + "\n"

    def body_html(self, raw_html: str = "sanitize") -> str:
        """The body as HTML: source-language fallbacks in ``<span lang dir data-fallback>`` so right-to-left
        pages keep their punctuation in place, machine output in ``<span data-mt>`` for the stylesheet."""
        from babel import Locale

        direction = Locale.parse(self.article.language).text_direction
        fallback = f'lang="{bcp47(self.article.language)}" dir="{direction}" data-fallback'
        return body_html(self.article, self.parts, fallback, raw_html)

    def field_text(self, location: str) -> tuple[str, bool] | None:
        """The plain text of the title or summary and whether it fell back; None when there is none."""
        for part in self.parts:
            if isinstance(part, RenderedSegment) and part.segment.location == location:
                if part.fallback or part.markdown == part.segment.source:
                    return part.segment.text, part.fallback
                text = json.loads(part.markdown)
                return (text, False) if text else None
        return None


def _field_value(piece: Field, value: str) -> str:
    if piece.source[:1] in "'\"":
        return json.dumps(value)
    return value


def localize(article: Article, locale: str, lookup: Callable[[Segment], Translation | None]) -> Localized:
    """Merge an article with translations; a bad or missing one falls back to the source."""
    parts: list[str | RenderedSegment] = []
    problems: list[Problem] = []
    language_at = None
    for piece in article.pieces:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, Field):
            language_at = len(parts)
            parts.append(piece.source if locale == article.language else _field_value(piece, locale))
        else:
            translation = lookup(piece)
            if translation is not None and translation.text == MERGED:
                # Its words are in the sentence before: drop it and the space that led to it.
                if parts and isinstance(parts[-1], str) and re.fullmatch(r"[ \t]*\n?[ \t]*", parts[-1]):
                    parts[-1] = ""
                empty = '""' if piece.kind is SegmentKind.YAML else ""  # a front-matter value stays a string
                parts.append(RenderedSegment(piece, empty, False, translation.fuzzy, translation=translation))
                continue
            problem = translation and placeholder_problem(piece, translation.text)
            if problem:
                problems.append(Problem(translation.path, translation.line, problem))
                translation = None
            if translation is None:
                parts.append(RenderedSegment(piece, piece.source, fallback=locale != article.language))
            else:
                markdown = segment_markdown(piece, translation.text)
                shown = None if markdown == piece.source else translation.text
                parts.append(RenderedSegment(piece, markdown, False, translation.fuzzy, shown, translation))
    _keep_structure(article, parts, problems, fallback=locale != article.language)
    _unmerge_after_source(article, parts, fallback=locale != article.language)
    if language_at is not None and all(p.fallback for p in parts if isinstance(p, RenderedSegment)):
        parts[language_at] = article.pieces[language_at].source  # nothing translated: the text is the source's
    return Localized(article, locale, parts, problems)


def _keep_structure(article: Article, parts: list, problems: list[Problem], fallback: bool) -> None:
    """Rewrite, else show in the source language, each translation whose Markdown changes the markup."""
    retried: set[int] = set()
    while changes := structure.changes(article, parts):
        for index, problem in changes:
            part = parts[index]
            if index not in retried and "_" in part.markdown:
                retried.add(index)
                parts[index] = replace(part, markdown=restore_markup(part.segment, part.text, asterisks=True))
            else:
                parts[index] = RenderedSegment(part.segment, part.segment.source, fallback)
                problems.append(problem)


def _unmerge_after_source(article: Article, parts: list, fallback: bool) -> None:
    """A merged sentence's words are in the translation before it: where that sentence shows its source
    instead (untranslated, or a translation that broke the markup), the merged ones show theirs too."""
    head_in_source = False
    for index, part in enumerate(parts):
        if not isinstance(part, RenderedSegment):
            continue
        if not part.merged:
            head_in_source = part.text is None and part.translation is None
        elif head_in_source:
            parts[index] = RenderedSegment(part.segment, part.segment.source, fallback)
            if isinstance(article.pieces[index - 1], str):
                parts[index - 1] = article.pieces[index - 1]  # the space that led to it, dropped with it


def format_published(moment: datetime, locale: str) -> str:
    """Long date and short time in the article's own offset, e.g. "5 noiembrie 2024, 13:50"."""
    from babel.dates import format_date, format_time, get_datetime_format

    date = format_date(moment.date(), "long", locale=locale)
    time = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
    pattern = get_datetime_format("long", locale=locale).replace("'", "")
    return pattern.replace("{1}", date).replace("{0}", time)


def render_body(localized: Localized, raw_html: str = "sanitize") -> str:
    """The article body as HTML, its fallback and machine passages marked.

    ``raw_html`` says what becomes of raw HTML in the source: "sanitize", "keep" or "escape".
    """
    return localized.body_html(raw_html)
