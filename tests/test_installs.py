"""Installs: archives are bounded, and a killed install heals by itself."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from translate_flow import packages

from .test_files import dead_pid
from .test_mt import archives, rebuild  # noqa: F401 (a fixture)

MiB = 1024**2


def with_zeros(archive: Path, target: Path, size: int) -> Path:
    """The archive plus a member of ``size`` zero bytes, deflated: it packs a thousand times smaller."""
    rebuild(archive, target, lambda name, data: [(name, data)])
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("translate-en_ro-1_0/zeros.bin", bytes(size))
    return target


def listing() -> list[str]:
    folder = packages.packages_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def refused(cli, archive: Path, expected: str) -> None:
    before = listing()
    result = cli("models", "install", str(archive))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one line, no traceback
    assert f"{archive}: " in result.stderr  # names the file
    assert listing() == before


def test_a_zip_bomb_is_refused_before_unpacking(archives, cli, tmp_path):  # noqa: F811
    refused(cli, with_zeros(archives[("en", "ro")], tmp_path / "bomb.argosmodel", 64 * MiB), "zip bomb")


def test_an_archive_that_unpacks_too_large_is_refused(archives, cli, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(packages, "MAX_UNPACKED_BYTES", 1000)
    refused(cli, archives[("en", "ro")], "unpacks to")


def test_an_archive_with_too_many_files_is_refused(archives, cli, monkeypatch):  # noqa: F811
    monkeypatch.setattr(packages, "MAX_FILES", 3)
    refused(cli, archives[("en", "ro")], "too many files")


def test_bounds_leave_real_packages_alone(archives, tmp_path):  # noqa: F811
    """Compressible but honest: a member packing 4 times smaller is fine, and so is a small bomb-like file."""
    with_zeros(archives[("en", "ro")], tmp_path / "small.argosmodel", MiB)
    assert packages.check_archive(tmp_path / "small.argosmodel")[0] == "translate-en_ro-1_0"
    for archive in archives.values():
        packages.check_archive(archive)


def plant_killed_install(pid: int) -> Path:
    """What SIGKILL during ``models install`` leaves: a scratch folder, half extracted."""
    scratch = packages.packages_dir() / f"{packages.INSTALLING}{pid}-0badc0de"
    (scratch / "translate-en_ro-1_0" / "model").mkdir(parents=True)
    (scratch / "translate-en_ro-1_0" / "model" / "model.bin").write_bytes(b"half")
    return scratch


def test_a_killed_install_is_cleaned_up_and_crashes_nothing(cli):
    packages.packages_dir().mkdir(parents=True, exist_ok=True)
    killed = plant_killed_install(dead_pid())
    running = plant_killed_install(os.getpid())  # an install still at work: left alone
    try:
        result = cli("models", "list")
        assert result.exit_code == 0, result.output
        assert not killed.exists() and running.exists()
    finally:
        shutil.rmtree(running)


@pytest.mark.parametrize("command", ["translate", "run"])
def test_translate_and_run_ignore_an_install_in_progress(cli, command):
    packages.packages_dir().mkdir(parents=True, exist_ok=True)
    scratch = plant_killed_install(os.getpid())
    try:
        result = cli.project(command)
        assert result.exit_code == 0, result.output
    finally:
        shutil.rmtree(scratch)
