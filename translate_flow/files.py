"""Atomic, change-only file writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def fingerprint(path: Path) -> str | None:
    """The sha256 of a file's bytes, or ``None`` when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write through a temporary file and a rename: readers never see half a file.

    ``durable`` syncs the data before the rename, so that a power cut leaves the old
    file or the new one. Files that are rebuilt from others (the site in ``dist/``,
    caches) can skip it: a crash may leave them damaged, but they are made again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str, durable: bool = True) -> bool:
    """Write ``text`` unless the file already holds it; says whether it wrote."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, durable)
    return True
