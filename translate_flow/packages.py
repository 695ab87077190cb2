"""Argos Translate packages: list, install (checked), download and remove.

argostranslate finds packages (``argostranslate.package``) and knows where they
live (``argostranslate.settings.package_data_dir``, which honours
``ARGOS_PACKAGES_DIR``). Installing and removing are done here: argostranslate's
``install_from_path`` extracts archives unchecked, and both it and
``uninstall`` import ``argostranslate.translate``, which needs stanza.
"""

from __future__ import annotations

import http.client
import io
import json
import shutil
import stat
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import files
from .errors import InputError
from .files import write_atomic
from .names import check_name

TOKENIZERS = ("sentencepiece.model", "bpe.model")
DOWNLOAD_TIMEOUT_S = 60
# Bounds on what an archive may unpack to. Argos packages are up to a few hundred MB, in
# tens of files, and model weights hardly compress; a zip bomb expands hundreds of times.
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_FILES = 1000
MAX_RATIO = 50  # unpacked / packed, checked once the archive unpacks to more than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 16 * 1024**2
INSTALLING = ".installing-"  # the scratch folder of an install in progress, or killed


class UnavailableError(InputError):
    """Something outside this machine (the package index) cannot be reached."""


@dataclass(frozen=True)
class PackageInfo:
    """An installed Argos package."""

    name: str  # its folder, e.g. "translate-en_ro-1_9"
    source: str
    target: str
    version: str
    path: Path
    size: int  # bytes on disk

    @property
    def pair(self) -> str:
        return f"{self.source}→{self.target}"


def _argos():
    """argostranslate's package module; imported late because its settings read the environment."""
    import argostranslate.package
    import argostranslate.settings

    return argostranslate.package, argostranslate.settings


def packages_dir() -> Path:
    return Path(_argos()[1].package_data_dir)


def installed() -> list[PackageInfo]:
    """Installed translation packages, read by argostranslate, sorted by pair.

    Hidden folders are skipped: an install in progress works in one
    (``.installing-<pid>-<tag>``), and one a killed install left is removed here.
    """
    package, settings = _argos()
    found = []
    for directory in map(Path, settings.package_dirs):
        if not directory.is_dir():
            continue
        files.remove_leftovers(directory, f"{INSTALLING}*")
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or not (path / "metadata.json").is_file():
                continue
            item = package.Package(path)
            if getattr(item, "type", "translate") != "translate" or not item.from_code or not item.to_code:
                continue
            size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
            found.append(PackageInfo(path.name, item.from_code, item.to_code, item.package_version, path, size))
    return sorted(found, key=lambda p: (p.source, p.target, p.name))


def find(source: str, target: str) -> PackageInfo | None:
    """The installed package for a pair, if any."""
    return next((p for p in installed() if (p.source, p.target) == (source, target)), None)


def check_archive(path: Path) -> tuple[str, dict]:
    """Refuse an archive that is not a well-formed, safe Argos package.

    Returns its top-level folder name and its metadata.
    """
    if not path.is_file():
        raise InputError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise InputError("not an .argosmodel archive (not a zip file)", path)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        check_bounds(members, path)
        tops = set()
        for member in members:
            name = member.filename
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or "\\" in name:
                raise InputError(f"absolute path in archive: {name!r}", path)
            if ".." in parts:
                raise InputError(f"'..' in archive path: {name!r}", path)
            if stat.S_ISLNK(member.external_attr >> 16):
                raise InputError(f"link in archive: {name!r}", path)
            if len(parts) == 1 and not member.is_dir():
                raise InputError(f"file outside the package folder: {name!r}", path)
            tops.add(parts[0])
        if len(tops) != 1:
            raise InputError(f"expected one top-level folder, found {len(tops)}: {', '.join(sorted(tops))}", path)
        top = check_name(tops.pop(), "package folder", path)
        names = {m.filename.rstrip("/") for m in members}
        if f"{top}/metadata.json" not in names:
            raise InputError(f"no {top}/metadata.json", path)
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"metadata.json is not valid JSON: {error}", path) from None
        except (zipfile.BadZipFile, zlib.error) as error:
            raise InputError(f"corrupt archive: {error}", path) from None
    for key in ("from_code", "to_code"):
        if not isinstance(metadata, dict) or not isinstance(metadata.get(key), str) or not metadata[key]:
            raise InputError(f"metadata.json lacks {key!r}", path)
        check_name(metadata[key], f"metadata.json {key}", path)
    if not any(name.startswith(f"{top}/model/") for name in names):
        raise InputError(f"no {top}/model/ directory", path)
    if not any(f"{top}/{tokenizer}" in names for tokenizer in TOKENIZERS):
        raise InputError(f"no tokenizer model ({' or '.join(TOKENIZERS)})", path)
    return top, metadata


def check_bounds(members: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse an archive that would unpack to too much: too many files, too many bytes, or a zip bomb.

    zipfile stops at each member's declared size, so the declared sizes bound the real ones.
    """
    if len(members) > MAX_FILES:
        raise InputError(f"too many files in the archive: {len(members)} (at most {MAX_FILES})", path)
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"the archive unpacks to {unpacked:,} bytes (at most {MAX_UNPACKED_BYTES:,})", path)
    packed = sum(member.compress_size for member in members)
    if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise InputError(f"the archive unpacks {ratio:.0f} times its size (at most {MAX_RATIO}): a zip bomb?", path)


def install_archive(path: Path) -> tuple[PackageInfo, PackageInfo | None]:
    """Check, then extract a package; returns it and the package it replaced, if any."""
    top, metadata = check_archive(path)
    target_dir = packages_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    previous = find(metadata["from_code"], metadata["to_code"])
    scratch = target_dir / f"{INSTALLING}{files.process_tag()}"
    scratch.mkdir()
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(scratch)
        destination = target_dir / top
        try:
            files.exchange(scratch / top, destination)  # the old copy goes into the scratch folder
        except FileNotFoundError:
            (scratch / top).rename(destination)
        except OSError as error:
            if error.errno not in files.UNSUPPORTED:
                raise
            shutil.rmtree(destination)
            (scratch / top).rename(destination)
        if previous is not None and previous.path != destination:
            shutil.rmtree(previous.path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    installed_now = find(metadata["from_code"], metadata["to_code"])
    assert installed_now is not None, "argostranslate does not see the package just installed"
    return installed_now, previous


def remove(source: str, target: str) -> PackageInfo:
    """Remove the installed package for a pair."""
    package = find(source, target)
    if package is None:
        raise InputError(f"no package installed for {source}→{target}")
    shutil.rmtree(package.path)
    return package


def download(source: str, target: str, index_url: str | None = None) -> Path:
    """Fetch the package for a pair from the Argos package index, once, with a timeout.

    argostranslate's own ``get_available_packages`` retries without end when
    offline; this asks once and says why it failed. The index is read by
    argostranslate's own code; a package is kept only whole: every byte the
    server announced, every zip member's CRC right.
    """
    for code in (source, target):
        check_name(code, "language code")  # it becomes part of the downloaded file's name
    package, settings = _argos()
    index_url = index_url or settings.remote_package_index
    try:
        index = _fetch(index_url)
        json.loads(index)  # never replace argostranslate's copy of the index with a broken one
    except DownloadError as error:
        raise UnavailableError(
            f"cannot reach the Argos package index ({error}); offline, install from a file: "
            f"translate-flow models install FILE.argosmodel",
            index_url,
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UnavailableError("the package index is not valid JSON", index_url) from None
    write_atomic(Path(settings.local_package_index), index)
    available = package.get_available_packages()
    match = next((p for p in available if (p.from_code, p.to_code) == (source, target)), None)
    if match is None:
        pairs = ", ".join(sorted(f"{p.from_code}→{p.to_code}" for p in available)[:20])
        raise InputError(f"the index has no package for {source}→{target} (it has: {pairs})", index_url)
    destination = Path(settings.downloads_dir) / f"translate-{source}_{target}.argosmodel"
    failures = []
    for link in match.links:
        try:
            data = _fetch(link)
            _check_whole(data)
        except DownloadError as error:
            failures.append(f"{link}: {error}")
            continue
        write_atomic(destination, data)
        return destination
    reasons = "; ".join(failures) or "the index lists no link"
    raise UnavailableError(f"could not download {source}→{target}: {reasons}", index_url)


class DownloadError(Exception):
    """Why one URL gave no complete answer."""


def _fetch(url: str) -> bytes:
    """The whole body at ``url``, or a DownloadError that says what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            return response.read()
    except http.client.IncompleteRead as error:
        expected = len(error.partial) + (error.expected or 0)
        raise DownloadError(f"the connection closed after {len(error.partial)} of {expected} bytes") from None
    except TimeoutError:
        raise DownloadError(f"no answer within {DOWNLOAD_TIMEOUT_S} s") from None
    except urllib.error.HTTPError as error:
        raise DownloadError(f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise DownloadError(f"no answer within {DOWNLOAD_TIMEOUT_S} s") from None
        raise DownloadError(str(reason)) from None
    except (http.client.HTTPException, OSError, ValueError) as error:
        raise DownloadError(str(error) or type(error).__name__) from None


def _check_whole(data: bytes) -> None:
    """Refuse a truncated or corrupted archive: the zip directory must read and every member's CRC match."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise DownloadError(f"the archive is damaged ({error})") from None
    if bad is not None:
        raise DownloadError(f"the archive is damaged (wrong checksum of {bad})")
