"""Shared fixtures: a throwaway copy of the sample project, and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from translate_flow.cli import app
from translate_flow.pipeline import Project

# argostranslate reads its settings when first imported: give the whole test run
# its own package folder, before anything imports it, so no user's packages leak in.
ARGOS_HOME = Path(tempfile.mkdtemp(prefix="translate-flow-argos-"))
atexit.register(shutil.rmtree, ARGOS_HOME, ignore_errors=True)
os.environ.update(
    ARGOS_PACKAGES_DIR=str(ARGOS_HOME / "packages"),
    XDG_DATA_HOME=str(ARGOS_HOME / "data"),
    XDG_CACHE_HOME=str(ARGOS_HOME / "cache"),
    XDG_CONFIG_HOME=str(ARGOS_HOME / "config"),
)

# Property tests: 300 examples, the same every run (make test and CI agree; a landing is not decided by a draw);
# HYPOTHESIS_PROFILE=thorough for a long hunt with new examples each time (20,000 a test).
settings.register_profile(
    "default", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=20_000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "nato-must-stay-united"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Reproducible header dates: 2024-11-05 12:00 UTC."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730808000")


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """The repository's sources and settings, without catalogs or outputs."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "translate-flow.toml", root)
    shutil.copy(REPO / "glossary.csv", root)
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(project_dir)


class Cli:
    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, [*args], input=input, catch_exceptions=False, env={"COLUMNS": "120"})

    def project(self, *args: str, input: str | None = None):
        return self(*args, "--project", str(self.root), input=input)


@pytest.fixture
def cli(project_dir: Path) -> Cli:
    return Cli(project_dir)


def msgid_line(path: Path, msgid: str) -> int:
    """The line of an entry's msgid keyword, found with polib and the file's text."""
    import polib

    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(e for e in polib.pofile(str(path)) if e.msgid == msgid).linenum
    return next(n for n in range(start, len(lines) + 1) if lines[n - 1].startswith("msgid "))


def load_benchmark(name: str):
    """A script of benchmarks/ as a module, for a short run of it in the tests."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def po_path(root: Path, locale: str, slug: str = SAMPLE) -> Path:
    return root / "locales" / locale / f"{slug}.po"


def pytest_terminal_summary(terminalreporter) -> None:
    """Say where the browser tests left their screenshots."""
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])]
    folder = REPO / "test-artifacts" / "screenshots"
    if folder.is_dir() and any(r.nodeid.startswith("tests/test_browser.py") for r in reports):
        terminalreporter.write_line(f"browser screenshots (360 and 1280 px): {folder}")
