"""Errors that the command line reports as one line and exit code 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: a file, a setting or an argument that cannot be used.

    ``str()`` gives ``path:line: message`` so a user can jump to the spot.
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ConcurrentEditError(InputError):
    """A file changed on disk while this run was working on it."""


def line_of_offset(data: bytes | str, offset: int) -> int:
    """The 1-based line number of a byte or character offset."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1


def decode_utf8(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (BOM tolerated), naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = line_of_offset(data, error.start)
        raise InputError(f"invalid UTF-8 (byte 0x{data[error.start]:02x})", path, line) from None
