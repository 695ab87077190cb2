"""Names that become parts of paths: each must be one safe path component."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

# Letters, digits, '.', '_' and '-', starting with a letter or digit: no separators, no
# hidden files, nothing a shell or an archive reads specially.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# A file name is at most 255 bytes, and a USTAR archive keeps at most 100 for the last
# component: "<slug>.html" and the ".<name>.<random>.tmp" of an atomic write must fit.
MAX_NAME = 80


def check_name(value: object, what: str, path: str | Path | None = None, line: int | None = None) -> str:
    """``value`` unchanged when it is a safe path component; else a one-line error about ``what``."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, not {type(value).__name__}", path, line)
    if not SAFE_NAME.fullmatch(value) or ".." in value:
        raise InputError(f"{what} {value!r} must be one path component: letters, digits, '.', '_' and '-'", path, line)
    if len(value) > MAX_NAME:
        raise InputError(f"{what} is {len(value)} characters long; at most {MAX_NAME} fit in a file name", path, line)
    return value
