"""The PO format's writer: entries as GNU gettext's ``msgcat`` writes them, files as they were read.

Lines are broken by ``unicode-segmentation-rs`` (a port of gettext's line breaking),
corrected where it breaks next to a quotation mark and GNU gettext does not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pofile import Entry, PoFile

PAGE_WIDTH = 79  # GNU gettext's default page width, for every keyword and prefix
_WRITE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_WRITE_ESCAPES |= {"\b": "\\b", "\f": "\\f", "\v": "\\v", "\a": "\\a"}
_ESCAPE_TABLE = str.maketrans(_WRITE_ESCAPES)


def escape(text: str) -> str:
    return text.translate(_ESCAPE_TABLE)


def quote(keyword: str, value: str, prefix: str = "") -> tuple[str, ...]:
    """``keyword "value"`` as GNU gettext writes it: one line if it fits, else ``""`` and wrapped lines."""
    # A msgid is written in its POT and in the PO of each locale: sentence-sized strings are remembered.
    return _quoted(keyword, value, prefix) if len(value) <= REMEMBERED else _quote(keyword, value, prefix)


REMEMBERED = 2000  # characters: the cache holds at most 8,192 strings of this size


def _quote(keyword: str, value: str, prefix: str) -> tuple[str, ...]:
    from unicode_segmentation_rs import text_width

    escaped = escape(value)
    head = f"{prefix}{keyword} "
    inner = value[:-1] if value.endswith("\n") else value  # only a newline before the end splits lines
    fits = text_width(head) + text_width(escaped) + 2 <= PAGE_WIDTH
    if "\n" not in inner and fits:
        return (f'{head}"{escaped}"',)
    width = PAGE_WIDTH - text_width(prefix) - 2
    return (f'{head}""', *(f'{prefix}"{part}"' for part in _wrap(escaped, width)))


_quoted = lru_cache(maxsize=8192)(_quote)


# gettext_wrap 1.0.0 breaks next to a non-ASCII quotation mark when the column falls there
# (after „ or «, before ” or »); GNU gettext never does (UAX #14 classes OP, QU, CL).
_LINE_END_OPENERS = re.compile(r"[„‚«‹“‘¿¡]+$")
_LINE_START_CLOSERS = re.compile(r"[”’»›“‘]")
# UAX #14 rule LB15: no break between a quotation mark and an opening one, even across spaces (» „).
_QUOTE_THEN_SPACES = re.compile(r"[”’»›“‘«‹] +$")
_LINE_START_OPENERS = re.compile(r"[„‚¿¡(\[{]")


def _wrap(escaped: str, width: int) -> list[str]:
    """gettext_wrap's lines, with breaks next to quotation marks moved back as GNU gettext has them."""
    from unicode_segmentation_rs import gettext_wrap

    lines = gettext_wrap(escaped, width)
    index = 0
    while index < len(lines) - 1:
        line = lines[index]
        cut = _break_before(line, lines[index + 1])
        if 0 < cut < len(line):  # the line only shrinks, so this ends
            lines = [*lines[:index], line[:cut], *gettext_wrap(line[cut:] + "".join(lines[index + 1 :]), width)]
        else:
            index += 1
    return lines


def _break_before(line: str, following: str) -> int:
    """Where GNU gettext would end ``line`` instead, or ``len(line)`` where it agrees."""
    if line.endswith("\\n"):  # an escaped newline: a break GNU keeps
        return len(line)
    opener = _LINE_END_OPENERS.search(line)
    if opener:
        return opener.start()
    if (
        (_LINE_START_CLOSERS.match(following) and not line.endswith(" "))
        or (_LINE_START_OPENERS.match(following) and _QUOTE_THEN_SPACES.search(line))
        or following.startswith("\\n")  # GNU keeps a newline with the word before it
    ):
        return line.rstrip(" ").rfind(" ") + 1
    return len(line)


def _comment_lines(marker: str, text: str) -> list[str]:
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def _references(occurrences: list[str]) -> list[str]:
    lines: list[str] = []
    for reference in occurrences:
        if lines and len(lines[-1]) + 1 + len(reference) <= PAGE_WIDTH:
            lines[-1] += f" {reference}"
        else:
            lines.append(f"#: {reference}")
    return lines


def format_entry(entry: Entry) -> str:
    """An entry's lines as msgcat writes them."""
    lines = _comment_lines("#", entry.tcomment) if entry.tcomment else []
    lines += _comment_lines("#.", entry.comment) if entry.comment else []
    lines += _references(entry.occurrences)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    before = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        lines += quote("msgctxt", entry.previous_msgctxt, before)
    if entry.previous_msgid is not None:
        lines += quote("msgid", entry.previous_msgid, before)
    if entry.msgctxt is not None:
        lines += quote("msgctxt", entry.msgctxt, prefix)
    lines += quote("msgid", entry.msgid, prefix)
    if entry.msgid_plural is not None:
        lines += quote("msgid_plural", entry.msgid_plural, prefix)
        for index, text in sorted(entry.msgstr_plural.items()):
            lines += quote(f"msgstr[{index}]", text, prefix)
    else:
        lines += quote("msgstr", entry.msgstr, prefix)
    return "\n".join(lines) + "\n"


def render(po: PoFile) -> str:
    """The file's text: entries read and unchanged give back their bytes, the rest is written as msgcat does."""
    parts = []
    for entry in ([po.header] if po.header else []) + po.entries:
        text = entry.raw if entry.unchanged() else format_entry(entry)
        parts.append((entry.gap if parts or entry.raw is not None else "") + text)
    text = "".join(parts) + po.tail
    return text if text.endswith("\n") or not text else text + "\n"
