"""The malformed-input corpus (tests/malformed/), run through the real command line.

Every case must exit with code 2 and print exactly one line, ``translate-flow:
<file>[:<line>]: <message>``, with no traceback; and it must leave every file
where it was: inside the project, beside it and in the model folder (hashed
before and after; only the cache folder ``.translate-flow/`` may change).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate_flow.cli import app

from .conftest import ARGOS_HOME, REPO
from .malformed import Case, archives, arguments, articles, config, glossary, tmx

KINDS = {
    "article": articles.CASES,
    "config": config.CASES,
    "glossary": glossary.CASES,
    "tmx": tmx.CASES,
    "archive": archives.CASES,
    "argument": arguments.CASES,
}
CASES = [pytest.param(case, id=f"{kind}: {case.id}") for kind, cases in KINDS.items() for case in cases]
MAY_CHANGE = ".translate-flow"


def test_the_corpus_is_large_and_its_names_unique():
    assert len(CASES) >= 90
    assert len({param.id for param in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """The sample project after one ``run``: sources, catalogs and outputs."""
    root = tmp_path_factory.mktemp("baseline") / "project"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "translate-flow.toml", root)
    shutil.copy(REPO / "glossary.csv", root)
    result = CliRunner().invoke(app, ["run", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def snapshot(*folders: Path) -> dict[str, tuple]:
    """Every entry under the folders: its kind, mode and content (or link target)."""
    entries = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            if MAY_CHANGE in path.parts:
                continue
            info = path.lstat()
            if path.is_symlink():
                content = os.readlink(path)
            elif path.is_file():
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                content = None
            entries[str(path)] = (info.st_mode, content)
    return entries


def prepare(case: Case, baseline: Path, sandbox: Path) -> tuple[Path, Path]:
    root, outside = sandbox / "project", sandbox / "outside"
    shutil.copytree(baseline, root, symlinks=True)
    outside.mkdir()
    (outside / "canary.md").write_text("Not part of the project.\n", encoding="utf-8")
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    if case.setup:
        case.setup(root)
    return root, outside


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_one_line_and_exit_2_and_changes_nothing(case: Case, baseline: Path, tmp_path: Path):
    root, outside = prepare(case, baseline, tmp_path)
    args = [arg.format(root=root, outside=outside) for arg in case.args]
    if "--project" not in args and args[0] not in ("segment", "models"):
        args += ["--project", str(root)]
    models = ARGOS_HOME / "packages"
    models.mkdir(parents=True, exist_ok=True)
    before = snapshot(tmp_path, models)

    result = CliRunner().invoke(app, args, catch_exceptions=False, env={"COLUMNS": "120"})

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0].replace(f"{root}/", "").replace(str(outside), "{outside}")
    if case.where is not None:
        assert line.startswith(f"translate-flow: {case.where}:"), line
    assert case.message in line, line
    assert snapshot(tmp_path, models) == before
