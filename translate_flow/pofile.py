"""The PO format: a line-numbered reader that keeps each entry's bytes (the writer is :mod:`powriter`).

Reading refuses what ``msgfmt --check`` refuses (unterminated strings, invalid
escapes, a charset other than UTF-8, broken Plural-Forms, duplicates), each as
``path:line: message``. Every entry remembers the exact lines it was read from;
the writer gives them back unchanged unless the entry's content changed, and
writes changed or new entries as ``msgcat`` would (GNU line breaking from
``unicode-segmentation-rs``). The header is edited field by field, in place.
Merge policy and what entries mean live in :mod:`translate_flow.catalogs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from .errors import InputError
from .pocheck import check
from .powriter import PAGE_WIDTH, escape

DATE_FORMAT = "%Y-%m-%d %H:%M+0000"
FUZZY = "fuzzy"

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*$')
_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"'?])|([0-7]{1,3})|x([0-9a-fA-F]+)|(.?))", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


@dataclass(eq=False)
class Entry:
    """One PO entry. Field names follow polib's, so callers read entries the same way."""

    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    tcomment: str = ""  # "# " lines: the translator's
    comment: str = ""  # "#." lines: the extractor's
    occurrences: list[str] = field(default_factory=list)  # "#:" references, "file:line"
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    obsolete: bool = False
    linenum: int = 0  # the line of "msgid" in the file read; 0 for a new entry
    raw: str | None = field(default=None, repr=False)  # the exact lines it was read from
    gap: str = field(default="\n", repr=False)  # the blank lines before the entry
    _read_as: tuple | None = field(default=None, repr=False)

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        # GNU gettext writes "fuzzy" before any other flag
        self.flags = ([FUZZY] if value else []) + [flag for flag in self.flags if flag != FUZZY]

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def content(self) -> tuple:
        """What the entry says, as one comparable value: any change to it means the entry is written anew."""
        return tuple([_frozen(value) for value in _content_fields(self)])

    def unchanged(self) -> bool:
        """Read from a file and not changed since: its bytes are given back as they were."""
        return self.raw is not None and self._read_as == self.content()


def _frozen(value: object) -> object:
    kind = type(value)  # not isinstance: this runs for every field of every entry read or written
    if kind is list:
        return tuple(value)
    if kind is dict:
        return tuple(sorted(value.items()))
    return value


_NOT_CONTENT = {"linenum", "raw", "gap", "_read_as"}
_content_fields = attrgetter(*(f.name for f in fields(Entry) if f.name not in _NOT_CONTENT))


@dataclass
class PoFile:
    """A PO or POT file: its header entry (if any), its entries, and what follows the last one."""

    entries: list[Entry] = field(default_factory=list)
    header: Entry | None = None
    tail: str = ""

    def __iter__(self):
        return iter(self.entries)

    def append(self, entry: Entry) -> None:
        self.entries.append(entry)

    def field(self, name: str) -> str | None:
        """A header field's value, or None when the header has no such field."""
        return _header_fields(self.header.msgstr).get(name.lower()) if self.header else None

    def set_field(self, name: str, value: str) -> None:
        """Set a header field where it stands; a new one goes at the end."""
        if self.header is None:
            self.header = Entry(flags=[])
        header, lines, changed = self.header, self.header.msgstr.split("\n"), None
        for index, line in enumerate(lines):
            key, colon, _ = line.partition(":")
            if colon and key.strip().lower() == name.lower():
                changed, lines[index] = (line, f"{key}: {value}"), f"{key}: {value}"
                break
        else:
            if lines and lines[-1] == "":
                lines.pop()
            lines += [f"{name}: {value}", ""]
        kept_bytes = header.unchanged()
        header.msgstr = "\n".join(lines)
        if kept_bytes and changed:
            _replace_raw_line(header, *changed)


@lru_cache(maxsize=256)  # a merge asks a header for a dozen fields
def _header_fields(msgstr: str) -> dict[str, str]:
    """The fields of a header by lowercase name; where a name repeats, the first counts. Only read, never changed."""
    found: dict[str, str] = {}
    for line in msgstr.split("\n"):
        key, colon, value = line.partition(":")
        if colon:
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _replace_raw_line(header: Entry, old: str, new: str) -> None:
    """Change one field in the header's bytes when it has a line of its own: the rest keeps its wrapping."""
    from unicode_segmentation_rs import gettext_wrap

    before = f'"{escape(old + chr(10))}"'
    after = "\n".join(f'"{part}"' for part in gettext_wrap(escape(new + "\n"), PAGE_WIDTH - 2))
    lines = header.raw.split("\n")
    if [line.strip() for line in lines].count(before) == 1:
        header.raw = "\n".join(after if line.strip() == before else line for line in lines)
        header._read_as = header.content()


def now() -> str:
    """The time stamp for headers; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime(DATE_FORMAT)


def header_text(fields: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields.items())


# Reading


def _unescape(body: str, shown: str, number: int) -> str:
    def replace(match: re.Match) -> str:
        simple, octal, hexadecimal, bad = match.groups()
        if simple:
            return _SIMPLE.get(simple, simple)
        if octal:
            return chr(int(octal, 8))
        if hexadecimal:
            return _code_point(hexadecimal, shown, number)
        raise InputError(f"invalid escape sequence '\\{bad}' (msgfmt rejects it)", shown, number)

    return _ESCAPE.sub(replace, body)


def _code_point(hexadecimal: str, shown: str, number: int) -> str:
    """The character a ``\\x`` escape names; digits are counted first, so no huge number is ever built."""
    digits = hexadecimal.lstrip("0") or "0"
    value = int(digits, 16) if len(digits) <= 6 else None
    if value is None or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise InputError(f"escape '\\x{hexadecimal[:12]}' names no Unicode character", shown, number)
    return chr(value)


def _string(rest: str, shown: str, number: int) -> str:
    if rest[-1:] == '"' and rest.count('"') == 2 and rest[0] == '"' and "\\" not in rest:
        return rest[1:-1]  # the common case, without a regular expression
    match = _STRING.match(rest)
    if not match:
        problem = "unterminated string" if rest.startswith('"') else f"expected a quoted string, not {rest[:30]!r}"
        raise InputError(problem, shown, number)
    return _unescape(match.group(1), shown, number)


class _Reader:
    """A state machine over the lines of one file."""

    def __init__(self, text: str, shown: str):
        self.shown = shown
        self.lines = text.split("\n")
        self.file = PoFile()
        self.entry: Entry | None = None
        self.start = 0  # first line of the current entry
        self.end = 0  # one past the last line that belongs to an entry
        self.target: tuple[str, int | None] | None = None  # the field a continuation line extends
        self.has_msgstr = False
        self.translator: list[str] = []  # "# " comment lines of the current entry
        self.extracted: list[str] = []  # "#." lines

    def fail(self, message: str, number: int):
        raise InputError(message, self.shown, number)

    def begin(self, index: int) -> Entry:
        if self.entry is None or self.has_msgstr:
            self.finish()
            self.entry, self.start, self.has_msgstr, self.target = Entry(), index, False, None
            self.translator, self.extracted = [], []
            self.entry.gap = "\n".join(self.lines[self.end : index]) + ("\n" if index > self.end else "")
        return self.entry

    def finish(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if not self.has_msgstr:
            self.fail("entry without msgstr" if entry.linenum else "comment without an entry", self.start + 1)
        if entry.msgid_plural is not None and not entry.msgstr_plural:
            self.fail("msgid_plural without msgstr[0]", entry.linenum)
        entry.tcomment, entry.comment = "\n".join(self.translator), "\n".join(self.extracted)
        entry.raw = "\n".join(self.lines[self.start : self.end]) + "\n"
        entry._read_as = entry.content()
        if entry.msgid == "" and entry.msgctxt is None and not entry.obsolete and self.file.header is None:
            self.file.header = entry
        else:
            self.file.entries.append(entry)
        self.entry = None

    def read(self) -> PoFile:
        for index, line in enumerate(self.lines):
            self.line(index, line)
        if self.entry is not None:
            self.finish()
        self.file.tail = "\n".join(self.lines[self.end :])
        return self.file

    def line(self, index: int, line: str) -> None:
        stripped = line.strip()  # a "\r" before the newline goes too
        if not stripped:  # msgfmt reads a string after a blank line as a continuation too
            return
        first = stripped[0]
        if first == '"':  # a continuation, the commonest line: straight to the field it extends
            if self.target is None or self.entry is None:
                self.fail("a string that belongs to no keyword", index + 1)
            self.extend(self.target, _string(stripped, self.shown, index + 1))
        elif first != "#":
            self.keyword(index, stripped, previous=False, obsolete=False)
        elif stripped.startswith("#~"):
            rest = stripped[2:].lstrip()
            if rest.startswith("|"):
                self.keyword(index, rest[1:].lstrip(), previous=True, obsolete=True)
            elif rest:
                self.keyword(index, rest, previous=False, obsolete=True)
        elif stripped.startswith("#|"):
            self.keyword(index, stripped[2:].lstrip(), previous=True, obsolete=False)
        else:
            self.comment(index, stripped)
        self.end = index + 1

    def comment(self, index: int, line: str) -> None:
        entry = self.begin(index)
        if entry.linenum:
            self.fail("a comment inside an entry", index + 1)
        kind = line[1:2]
        if kind == ",":
            entry.flags += [flag.strip() for flag in line[2:].split(",") if flag.strip()]
        elif kind == ":":
            entry.occurrences += line[2:].split()
        elif kind == ".":
            self.extracted.append(line[2:].removeprefix(" "))
        else:
            self.translator.append(line[1:].removeprefix(" "))
        self.target = None

    def keyword(self, index: int, text: str, previous: bool, obsolete: bool) -> None:
        number = index + 1
        if text.startswith('"'):
            if self.target is None or self.entry is None:
                self.fail("a string that belongs to no keyword", number)
            self.extend(self.target, _string(text, self.shown, number))
            return
        match = _KEYWORD.match(text)
        if not match:
            self.fail(f"cannot read {text[:40]!r}", number)
        name, plural_index, rest = match.groups()
        value = _string(rest, self.shown, number)
        if previous:
            entry = self.begin(index) if self.entry is None or self.has_msgstr else self.entry
            if name not in ("msgctxt", "msgid", "msgid_plural"):
                self.fail(f"'{name}' cannot be a previous (#|) value", number)
            self.target = (f"previous_{name}", None)
            self.extend(self.target, value, start=True)
            return
        if name in ("msgctxt", "msgid"):
            entry = self.begin(index)
            if entry.linenum or (name == "msgctxt" and entry.msgctxt is not None):
                self.fail(f"'{name}' where msgstr was expected", number)
            if name == "msgid":
                entry.linenum = number
        else:
            entry = self.entry
            if entry is None or not entry.linenum:
                self.fail(f"'{name}' without msgid", number)
            if name == "msgstr" and (self.has_msgstr or entry.msgid_plural is not None):
                self.fail("msgstr[N] expected after msgid_plural" if not self.has_msgstr else "a second msgstr", number)
            if plural_index is not None:
                if entry.msgid_plural is None:
                    self.fail("msgstr[N] without msgid_plural", number)
                if int(plural_index) != len(entry.msgstr_plural):
                    self.fail(f"msgstr[{plural_index}] out of order", number)
            if name.startswith("msgstr"):
                self.has_msgstr = True
        entry.obsolete = obsolete
        self.target = (
            name if plural_index is None else "msgstr_plural",
            None if plural_index is None else int(plural_index),
        )
        self.extend(self.target, value, start=True)

    def extend(self, target: tuple[str, int | None], value: str, start: bool = False) -> None:
        name, plural_index = target
        entry = self.entry
        if name == "previous_msgid_plural":
            return  # read, not kept: the workflow has no plurals
        if plural_index is not None:
            entry.msgstr_plural[plural_index] = ("" if start else entry.msgstr_plural.get(plural_index, "")) + value
        else:
            current = getattr(entry, name)
            setattr(entry, name, value if start or current is None else current + value)


def parse(text: str, shown: str | Path) -> PoFile:
    """Read a PO or POT file's text, or raise an InputError naming the file and line."""
    shown = str(shown)
    if "\x00" in text:
        raise InputError("NUL byte in a PO file", shown, text[: text.index("\x00")].count("\n") + 1)
    po = _Reader(text, shown).read()
    check(po, shown, text)
    return po
