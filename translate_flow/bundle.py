"""Publishing: a localized bundle with a manifest, and a reproducible archive of it."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import files
from .errors import InputError

POLICIES = ("source", "mt", "omit")


def compile_mo(po_path: Path, mo_path: Path, locale: str, use_fuzzy: bool, shown: str) -> None:
    """A binary catalog for gettext at run time: read as every command reads a PO, written by Babel.

    Babel's MO writer is much faster than polib's. Untranslated entries, and so
    merged sentences (an empty msgstr), are left out; fuzzy ones unless ``use_fuzzy``.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from .catalogs import read_catalog

    po = read_catalog(po_path, shown).po
    catalog = Catalog(locale=locale)
    if po.header is not None:
        fields = [line.partition(":") for line in po.header.msgstr.split("\n") if ":" in line]
        catalog.mime_headers = [(name.strip(), value.strip()) for name, _, value in fields]
    for entry in po:
        if not entry.obsolete and entry.msgstr:
            catalog.add(entry.msgid, entry.msgstr, flags=entry.flags, context=entry.msgctxt)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as stream:
        write_mo(stream, catalog, use_fuzzy=use_fuzzy)


def preview_server(folder: Path, port: int):
    """An HTTP server for ``folder`` on 127.0.0.1 only: a preview, not a production server."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    if not (folder / "index.html").is_file():
        raise InputError("nothing to serve: run 'translate-flow publish' first", folder)

    try:
        return ThreadingHTTPServer(("127.0.0.1", port), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    except OSError as error:
        raise InputError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}") from None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def walk(folder: Path, as_text: bool = False) -> Iterator[tuple[Path, bool]]:
    """(path, is a folder) of everything under ``folder``, holding one folder's listing at a time.

    In ``sorted(folder.rglob("*"))`` order, or with ``as_text`` the files in the order
    of their paths as strings (``sort_keys``' order): a folder sorts as its name and a "/".
    """

    def key(entry: os.DirEntry) -> str:
        return entry.name + "/" if as_text and entry.is_dir() else entry.name

    with os.scandir(folder) as listing:
        entries = sorted(listing, key=key)
    for entry in entries:
        path = folder / entry.name
        is_folder = entry.is_dir()
        yield path, is_folder
        if is_folder:
            yield from walk(path, as_text)


def write_manifest(path: Path, fields: dict, rows: Iterable[dict], folder: Path) -> None:
    """The manifest as ``json.dumps(indent=2, sort_keys=True)`` would write it, without holding it.

    ``rows`` become "articles" and the sha256 of every file under ``folder`` (but
    this one) "files", each written as it comes; ``fields`` hold the other keys.
    """
    streamed = ("articles", "files")
    if streamed != tuple(sorted([*streamed, *fields])[:2]):
        raise ValueError(f"{', '.join(streamed)} must sort before every other key")
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{\n  "articles": ')
        _write_items(stream, "[]", (_json(row, "    ") for row in rows))
        stream.write(',\n  "files": ')
        hashed = (p for p, is_folder in walk(folder, as_text=True) if not is_folder and p != path)
        _write_items(
            stream, "{}", (f"    {_json(p.relative_to(folder).as_posix())}: {_json(sha256(p))}" for p in hashed)
        )
        stream.write("," + _json(fields).removeprefix("{") + "\n" if fields else "\n}\n")


def _json(data: object, indent: str = "") -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    return "\n".join(indent + line for line in text.split("\n"))


def _write_items(stream, empty: str, items: Iterable[str]) -> None:
    """A JSON list or object one level down, from its items already indented: ``empty`` when there are none."""
    count = 0
    for item in items:
        stream.write((",\n" if count else empty[0] + "\n") + item)
        count += 1
    stream.write(f"\n  {empty[1]}" if count else empty)


def source_revision(root: Path) -> str | None:
    """The git commit the sources come from, "+dirty" when they have uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "."], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def replace_folder(folder: Path, fill) -> None:
    """Build a folder beside the old one, then swap the two in one step.

    ``renameat2(RENAME_EXCHANGE)`` makes ``folder`` the complete new bundle at
    the instant it stops being the complete old one; the old one is deleted
    afterwards under the scratch name. A killed run leaves only a
    ``.<name>-<pid>-<tag>`` folder, which the next run removes. Where the
    exchange is not available, the old folder is moved aside and the new one
    renamed in: for that instant there is no ``folder``.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    files.remove_leftovers(folder.parent, f".{folder.name}-*")
    scratch = folder.parent / f".{folder.name}-{files.process_tag()}"
    scratch.mkdir()  # the umask's mode, like any folder the user makes (mkdtemp's is 0700)
    try:
        fill(scratch)
        try:
            files.exchange(scratch, folder)  # scratch now holds the old bundle
        except FileNotFoundError:
            scratch.rename(folder)  # the first bundle
        except OSError as error:
            if error.errno not in files.UNSUPPORTED:
                raise
            aside = folder.parent / f".{folder.name}-{files.process_tag()}"
            folder.rename(aside)
            scratch.rename(folder)
            shutil.rmtree(aside)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_archive(folder: Path, archive: Path, top: str) -> None:
    """A tar.gz that is byte-identical for identical content: sorted, fixed times and owners.

    Streamed file by file through gzip into a temporary file, synced and renamed
    over the old archive (whose mode it keeps): readers see one or the other.
    """
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    files.remove_leftovers(archive.parent)  # what killed runs left: ".<name>.<pid>-<tag>.tmp"
    temporary = archive.parent / files.temporary_name(archive.name)
    try:
        with temporary.open("xb") as stream:
            with (
                gzip.GzipFile(filename="", fileobj=stream, mode="wb", mtime=mtime) as packed,
                tarfile.open(fileobj=packed, mode="w", format=tarfile.USTAR_FORMAT) as tar,
            ):
                for path, is_folder in walk(folder):
                    _add_member(tar, path, f"{top}/{path.relative_to(folder).as_posix()}", is_folder, mtime)
            os.fchmod(stream.fileno(), files.mode_for(archive))
            os.fsync(stream.fileno())
        os.replace(temporary, archive)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _add_member(tar: tarfile.TarFile, path: Path, name: str, is_folder: bool, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
    if is_folder:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
        return
    with path.open("rb") as data:
        info.size, info.mode = os.fstat(data.fileno()).st_size, 0o644
        tar.addfile(info, data)
