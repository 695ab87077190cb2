"""Publishing: a localized bundle with a manifest, and a reproducible archive of it."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


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


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


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
    """A tar.gz that is byte-identical for identical content: sorted, fixed times and owners."""
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in sorted(folder.rglob("*")):
            info = tarfile.TarInfo(f"{top}/{path.relative_to(folder).as_posix()}")
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=packed, mode="wb", mtime=mtime) as stream:
        stream.write(raw.getvalue())
    files.write_atomic(archive, packed.getvalue())
