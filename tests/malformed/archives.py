"""Malformed model archives for ``models install``: zip-slip, links, missing parts, bad metadata, bombs."""

from __future__ import annotations

from pathlib import Path
from zipfile import ZIP_DEFLATED as DEFLATED

from . import Case, package, zip_bytes

TOP = "translate-en_ro-1_0"
ZEROS = b"\0" * 32 * 1024**2  # 32 MB that deflate to 32 kB


def bad(id: str, data: bytes, message: str) -> Case:
    return Case(id, ("models", "install", "{root}/bad.argosmodel"), "bad.argosmodel", message, {"bad.argosmodel": data})


def with_metadata(metadata: bytes) -> bytes:
    return zip_bytes(package(metadata=metadata))


def archive_is_a_folder(root: Path) -> None:
    (root / "bad.argosmodel").mkdir()


def corrupt_metadata() -> bytes:
    """A valid archive whose metadata.json bytes were damaged after packing (CRC mismatch)."""
    data = zip_bytes(package())
    start = data.index(b'{"from_code"')
    return data[:start] + b"X" + data[start + 1 :]


CASES = [
    bad("empty file", b"", "not a zip file"),
    bad("text file", b"model weights\n", "not a zip file"),
    bad("truncated", zip_bytes(package())[:100], "not a zip file"),
    bad("member climbs out", zip_bytes({**package(), f"{TOP}/../../evil.py": b"x"}), "'..' in archive path"),
    bad("absolute member", zip_bytes({**package(), "/tmp/evil.py": b"x"}), "absolute path in archive"),
    bad("drive letter member", zip_bytes({**package(), "C:/evil.py": b"x"}), "absolute path in archive"),
    bad("backslash member", zip_bytes({**package(), f"{TOP}\\..\\evil.py": b"x"}), "absolute path in archive"),
    bad("symbolic link", zip_bytes(package(), links={f"{TOP}/model/link": "/etc/passwd"}), "link in archive"),
    bad("file at the top", zip_bytes({**package(), "README": b"x"}), "file outside the package folder"),
    bad("two top folders", zip_bytes({**package(), "other/x": b"x"}), "expected one top-level folder, found 2"),
    bad("top folder hidden", zip_bytes(package(top=".hidden")), "package folder '.hidden' must be one path"),
    bad("no metadata", zip_bytes(package(drop=("metadata.json",))), f"no {TOP}/metadata.json"),
    bad("metadata not JSON", with_metadata(b"{from_code: en"), "metadata.json is not valid JSON"),
    bad("metadata not UTF-8", with_metadata(b'{"from_code": "\xff"}'), "metadata.json is not valid JSON"),
    bad("metadata a list", with_metadata(b'["en", "ro"]'), "metadata.json lacks 'from_code'"),
    bad("metadata lacks to_code", with_metadata(b'{"from_code": "en"}'), "metadata.json lacks 'to_code'"),
    bad("code a number", with_metadata(b'{"from_code": 1, "to_code": "ro"}'), "metadata.json lacks 'from_code'"),
    bad("code climbs out", with_metadata(b'{"from_code": "../en", "to_code": "ro"}'), "from_code '../en' must be"),
    bad("corrupt metadata", corrupt_metadata(), "corrupt archive"),
    bad("no model folder", zip_bytes(package(drop=("model",))), f"no {TOP}/model/ directory"),
    bad("no tokenizer", zip_bytes(package(drop=("sentencepiece.model",))), "no tokenizer model"),
    bad("zip bomb", zip_bytes({**package(), f"{TOP}/model/zeros.bin": ZEROS}, compression=DEFLATED), "zip bomb?"),
    bad("too many files", zip_bytes({**package(), **{f"{TOP}/model/{n}": b"" for n in range(1001)}}), "too many files"),
    Case("missing", ("models", "install", "{root}/bad.argosmodel"), "bad.argosmodel", "no such file"),
    Case(
        "a folder",
        ("models", "install", "{root}/bad.argosmodel"),
        "bad.argosmodel",
        "no such file",
        setup=archive_is_a_folder,
    ),
]
