"""The characters XML 1.0 cannot carry, which a title or summary can hold all the same.

U+000B is what Word copies for a manual line break (Shift+Enter); an Atom feed that holds it is
not well-formed and news readers drop it. Input is refused where it is read, naming the line;
writers of XML and HTML also replace any that got through, so an output is always well-formed.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

# Every C0 control but tab, newline and carriage return; the non-characters U+FFFE and U+FFFF; lone surrogates.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def refuse_not_xml(text: str, what: str, path: str | Path, line: int | None) -> None:
    """An :class:`InputError` at ``path:line`` when ``text`` holds a character XML cannot carry."""
    found = NOT_XML.search(text)
    if found:
        code = f"U+{ord(found.group()):04X}"
        hint = " (a manual line break pasted from Word?)" if found.group() == "\x0b" else ""
        raise InputError(f"{what} holds the control character {code}{hint}, which XML cannot carry", path, line)


def xml_safe(text: str) -> str:
    """``text`` with each character XML cannot carry replaced by a space."""
    return NOT_XML.sub(" ", text)
