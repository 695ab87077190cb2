"""Argos Translate packages: list, install (checked), download and remove.

argostranslate finds packages (``argostranslate.package``) and knows where they
live (``argostranslate.settings.package_data_dir``, which honours
``ARGOS_PACKAGES_DIR``). Installing and removing are done here: argostranslate's
``install_from_path`` extracts archives unchecked, and both it and
``uninstall`` import ``argostranslate.translate``, which needs stanza.
"""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError

TOKENIZERS = ("sentencepiece.model", "bpe.model")
DOWNLOAD_TIMEOUT_S = 60


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
    """Installed translation packages, found by argostranslate, sorted by pair."""
    package, _settings = _argos()
    found = []
    for item in package.get_installed_packages():
        if getattr(item, "type", "translate") != "translate" or not item.from_code or not item.to_code:
            continue
        path = Path(item.package_path)
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
        top = tops.pop()
        names = {m.filename.rstrip("/") for m in members}
        if f"{top}/metadata.json" not in names:
            raise InputError(f"no {top}/metadata.json", path)
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"metadata.json is not valid JSON: {error}", path) from None
    for key in ("from_code", "to_code"):
        if not isinstance(metadata, dict) or not isinstance(metadata.get(key), str) or not metadata[key]:
            raise InputError(f"metadata.json lacks {key!r}", path)
    if not any(name.startswith(f"{top}/model/") for name in names):
        raise InputError(f"no {top}/model/ directory", path)
    if not any(f"{top}/{tokenizer}" in names for tokenizer in TOKENIZERS):
        raise InputError(f"no tokenizer model ({' or '.join(TOKENIZERS)})", path)
    return top, metadata


def install_archive(path: Path) -> tuple[PackageInfo, PackageInfo | None]:
    """Check, then extract a package; returns it and the package it replaced, if any."""
    top, metadata = check_archive(path)
    target_dir = packages_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    previous = find(metadata["from_code"], metadata["to_code"])
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".installing-") as scratch:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(scratch)
        if previous is not None:
            shutil.rmtree(previous.path)
        destination = target_dir / top
        if destination.exists():
            shutil.rmtree(destination)
        Path(scratch, top).rename(destination)
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
    offline; this asks once and says why it failed.
    """
    package, settings = _argos()
    index_url = index_url or settings.remote_package_index
    try:
        with urllib.request.urlopen(index_url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            index = response.read()
        Path(settings.local_package_index).write_bytes(index)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise UnavailableError(
            f"cannot reach the Argos package index ({reason}); offline, install from a file: "
            f"translate-flow models install FILE.argosmodel",
            index_url,
        ) from None
    try:
        available = package.get_available_packages()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UnavailableError("the package index is not valid JSON", index_url) from None
    match = next((p for p in available if (p.from_code, p.to_code) == (source, target)), None)
    if match is None:
        pairs = ", ".join(sorted(f"{p.from_code}→{p.to_code}" for p in available)[:20])
        raise InputError(f"the index has no package for {source}→{target} (it has: {pairs})", index_url)
    destination = Path(settings.downloads_dir) / f"translate-{source}_{target}.argosmodel"
    for link in match.links:
        try:
            with urllib.request.urlopen(link, timeout=DOWNLOAD_TIMEOUT_S) as response:
                destination.write_bytes(response.read())
            return destination
        except (urllib.error.URLError, OSError):
            continue
    raise UnavailableError(f"could not download {source}→{target} from {len(match.links)} link(s)", index_url)
