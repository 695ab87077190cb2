"""The malformed-input corpus: each case is bad input that must end in one line and exit code 2.

A case names the files it writes into a copy of the sample project (after a
first ``run``), the command it runs, and where the error must point. Add a case
by adding a ``Case`` to the list of its kind; ``tests/test_malformed.py`` runs
them all through the real command line.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..conftest import REPO


@dataclass(frozen=True)
class Case:
    """One piece of bad input.

    ``args`` may hold ``{root}`` (the project) and ``{outside}`` (a folder beside it).
    ``where`` is how the error line must start after ``translate-flow: ``, with the
    project root left out: ``sources/en/bad.md:3``; ``None`` for an argument that
    names no file, whose value ``message`` then quotes.
    """

    id: str
    args: tuple[str, ...]
    where: str | None
    message: str
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None


FRONT = "title: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n"
ARTICLE = f"---\n{FRONT}---\n\nBody.\n"
CONFIG = (REPO / "translate-flow.toml").read_text(encoding="utf-8")


def line_of(text: str | bytes, fragment: str | bytes) -> int:
    """The line where ``fragment`` starts in ``text``."""
    return text[: text.index(fragment)].count("\n" if isinstance(text, str) else b"\n") + 1


def edited_config(old: str, new: str) -> tuple[dict[str, str], int]:
    """The sample configuration with ``old`` replaced by ``new``, and the line ``new`` starts on."""
    assert old in CONFIG, old
    text = CONFIG.replace(old, new, 1)
    return {"translate-flow.toml": text}, line_of(text, new)


def zip_bytes(
    members: Mapping[str, bytes | None], links: Mapping[str, str] | None = None, compression: int = zipfile.ZIP_STORED
) -> bytes:
    """A zip archive: ``None`` makes a folder entry, ``links`` symbolic links."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", compression) as archive:
        for name, data in members.items():
            if data is None:
                archive.writestr(zipfile.ZipInfo(name.rstrip("/") + "/"), b"")
            else:
                archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return raw.getvalue()


def package(top: str = "translate-en_ro-1_0", metadata: bytes | None = None, drop: tuple[str, ...] = ()) -> dict:
    """The members of a well-formed Argos package, less ``drop``."""
    members: dict[str, bytes | None] = {
        f"{top}/metadata.json": metadata if metadata is not None else b'{"from_code": "en", "to_code": "ro"}',
        f"{top}/model/": None,
        f"{top}/model/model.bin": b"\0" * 16,
        f"{top}/sentencepiece.model": b"\0" * 16,
    }
    return {name: data for name, data in members.items() if not any(name.startswith(f"{top}/{d}") for d in drop)}
