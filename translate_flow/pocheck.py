"""What msgfmt --check refuses in a PO file that reads well: a charset other than UTF-8, broken
Plural-Forms, plural entries that don't match them, duplicates, and msgid/msgstr that do not both
begin and end with a newline; and, beyond msgfmt, a msgstr holding a character XML cannot carry."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import InputError
from .xmlchars import refuse_not_xml

if TYPE_CHECKING:  # pofile calls this module: no import cycle at run time
    from .pofile import PoFile


def check(po: PoFile, shown: str, text: str) -> None:
    """Refuse what msgfmt --check refuses beyond the syntax, naming the line."""
    nplurals = _check_header(po, shown, text) if po.header else None
    # The header is the entry of msgid "": a second one is a duplicate, as msgfmt says.
    seen: dict[tuple, int] = {(po.header.msgctxt, po.header.msgid, False): po.header.linenum} if po.header else {}
    for entry in po:
        if entry.msgid_plural is not None and not entry.obsolete:
            if nplurals is None:
                raise InputError("a plural entry, but the header has no Plural-Forms", shown, entry.linenum)
            translated = any(entry.msgstr_plural.values())
            if translated and len(entry.msgstr_plural) != nplurals:
                raise InputError(
                    f"{len(entry.msgstr_plural)} plural forms, Plural-Forms says {nplurals}", shown, entry.linenum
                )
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen:
            raise InputError(
                f"duplicate entry for msgid {entry.msgid[:40]!r} (first at line {seen[key]})", shown, entry.linenum
            )
        seen[key] = entry.linenum
        _refuse_unpublishable(entry, shown)
        if entry.msgstr and not entry.obsolete and entry.msgid:
            for end, test in (("begin", str.startswith), ("end", str.endswith)):
                if test(entry.msgid, "\n") != test(entry.msgstr, "\n"):
                    raise InputError(f"msgid and msgstr do not both {end} with '\\n'", shown, entry.linenum)


def _check_header(po: PoFile, shown: str, text: str) -> int | None:
    """The header's nplurals, if it has Plural-Forms, once its charset and Plural-Forms are ones msgfmt takes."""
    line = po.header.linenum
    content_type = po.field("Content-Type")
    if content_type is not None:
        charset = re.search(r"charset=\s*([^\s;]+)", content_type)
        name = charset.group(1).lower() if charset else ""
        if name not in ("utf-8", "utf8", "charset") and not (name in ("ascii", "us-ascii") and text.isascii()):
            found = name or "none"
            raise InputError(f"charset {found!r} in Content-Type, but the file is read as UTF-8", shown, line)
    plural_forms = po.field("Plural-Forms")
    return None if plural_forms is None else check_plural_forms(plural_forms, shown, line)


def _refuse_unpublishable(entry, shown: str) -> None:
    """A translation becomes a page and a feed entry: a control character there would make the feed invalid XML."""
    if not entry.obsolete:
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            refuse_not_xml(text, "msgstr", shown, entry.linenum)


def check_plural_forms(header: str, shown: str, line: int) -> int:
    """The nplurals of a Plural-Forms header that msgfmt would accept."""
    nplurals, problem = _plural_forms_verdict(header)
    if problem:
        raise InputError(problem, shown, line)
    return nplurals


@lru_cache(maxsize=64)
def _plural_forms_verdict(header: str) -> tuple[int, str]:
    """(nplurals, "") or (0, what is wrong); remembered: a project has a few headers and they cost 1,000 evaluations."""
    import gettext

    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*", header)
    if not match or not 1 <= int(match.group(1)) <= 32:
        return 0, f"invalid Plural-Forms {header[:60]!r}: want 'nplurals=N; plural=EXPRESSION;'"
    nplurals = int(match.group(1))
    try:
        plural = gettext.c2py(match.group(2))
        largest = max(plural(n) for n in range(1000))
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError):
        return 0, f"invalid plural expression {match.group(2)[:60]!r} in Plural-Forms"
    if largest >= nplurals:
        return 0, f"the plural expression gives {largest}, but nplurals={nplurals}"
    return nplurals, ""
