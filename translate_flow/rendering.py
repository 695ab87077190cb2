"""Merging translations into localized Markdown and HTML."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .model import MERGED, PLACEHOLDER, PLACEHOLDER_SPLIT, Article, Field, Problem, Segment, SegmentKind, Translation

LINE_BREAKS = re.compile(r"\s*\n\s*")
# A '<' that would open raw HTML or an autolink in CommonMark.
HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
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


def restore_markup(segment: Segment, text: str) -> str:
    """Inline Markdown from a msgstr: placeholders back to source markup, text made safe."""
    markup = dict(segment.markup)
    text = LINE_BREAKS.sub(" ", text).strip()
    # Matched on the whole text: "**" before a placeholder is not a line of stars.
    block_start = BLOCK_START.match(text)
    parts = []
    for index, part in enumerate(PLACEHOLDER_SPLIT.split(text)):
        if part in markup:
            parts.append(markup[part])
        elif part:
            part = HTML_START.sub(r"\\<", part)
            if index == 0 and block_start:
                part = _escape_block_start(part, block_start.group(0))
            parts.append(part)
    return "".join(parts)


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


def unreviewed_notice(locale: str) -> tuple[str, str]:
    """The notice and the language it is in (English where none is known)."""
    language = locale.split("_")[0]
    return (UNREVIEWED_NOTICE[language], locale) if language in UNREVIEWED_NOTICE else (UNREVIEWED_NOTICE["en"], "en")


@dataclass(frozen=True)
class RenderedSegment:
    segment: Segment
    markdown: str
    fallback: bool  # shown in the source language
    unreviewed: bool = False  # a fuzzy suggestion, published as it is


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
            parts.insert(self.article.body_index, f"*{unreviewed_notice(self.locale)[0]}*\n\n")
        return "".join(parts)

    def _translation_block(self) -> str:
        lines = ["translation:", f"  locale: {self.locale}", f"  source_language: {self.article.language}"]
        lines += [f"  {key}: {value}" for key, value in self.shares().items()]
        return "\n".join(lines) + "\n"

    def html_body_markdown(self) -> str:
        """The body, with source-language fallbacks wrapped in ``<span lang dir>`` so right-to-left pages
        keep their punctuation in place, and both kinds of unreviewed passage marked for the stylesheet."""
        from babel import Locale

        lang = bcp47(self.article.language)
        direction = Locale.parse(self.article.language).text_direction
        out = []
        for part in self.parts[self.article.body_index :]:
            if isinstance(part, str):
                out.append(part)
            elif not part.markdown:
                continue
            elif part.fallback:
                out.append(f'<span lang="{lang}" dir="{direction}" data-fallback>{part.markdown}</span>')
            elif part.unreviewed:
                out.append(f"<span data-mt>{part.markdown}</span>")
            else:
                out.append(part.markdown)
        return "".join(out)

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
                parts.append(RenderedSegment(piece, empty, fallback=False, unreviewed=translation.fuzzy))
                continue
            problem = translation and placeholder_problem(piece, translation.text)
            if problem:
                problems.append(Problem(translation.path, translation.line, problem))
                translation = None
            if translation is None:
                parts.append(RenderedSegment(piece, piece.source, fallback=locale != article.language))
            else:
                markdown = segment_markdown(piece, translation.text)
                parts.append(RenderedSegment(piece, markdown, fallback=False, unreviewed=translation.fuzzy))
    if language_at is not None and all(p.fallback for p in parts if isinstance(p, RenderedSegment)):
        parts[language_at] = article.pieces[language_at].source  # nothing translated: the text is the source's
    return Localized(article, locale, parts, problems)


def format_published(moment: datetime, locale: str) -> str:
    """Long date and short time in the article's own offset, e.g. "5 noiembrie 2024, 13:50"."""
    from babel.dates import format_date, format_time, get_datetime_format

    date = format_date(moment.date(), "long", locale=locale)
    time = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
    pattern = get_datetime_format("long", locale=locale).replace("'", "")
    return pattern.replace("{1}", date).replace("{0}", time)


@functools.cache
def _html_renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def render_body(localized: Localized) -> str:
    """The article body as HTML, its fallback and machine passages marked."""
    return _html_renderer().render(localized.html_body_markdown())
