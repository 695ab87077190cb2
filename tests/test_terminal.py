"""What a person at a terminal gets: keystrokes, an edit line prefilled, tables that fit; and what a pipe gets."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import polib

from translate_flow.output import print_table

from .conftest import SAMPLE, po_path
from .test_catalogs import translate

TITLE = "NATO must stay united"
SUMMARY = "NATO must stay united – is the message conveyed by NATO secretary general Mark Rutte"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_table_fits_the_terminal_and_a_pipe_gets_tsv(monkeypatch):
    rows = [(f"locales/ro/{SAMPLE}.po:{n}", "warning", "length", "word " * 40) for n in range(3)]
    monkeypatch.setenv("COLUMNS", "80")
    screen = Terminal()
    print_table(("where", "severity", "check", "message"), rows, screen)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    assert max(len(line) for line in plain.splitlines()) == 80
    assert "┃  where" in plain or "┃ where" in plain
    piped = io.StringIO()
    print_table(("where", "severity", "check", "message"), [("a:1", "error", "x", "two\tcells\nand lines")], piped)
    assert piped.getvalue() == "where\tseverity\tcheck\tmessage\na:1\terror\tx\ttwo cells and lines\n"


def test_check_without_findings_says_so_in_one_line(cli):
    cli.project("update", "-l", "ro")
    result = cli.project("check", "ro")
    assert (result.exit_code, result.stdout) == (0, "No findings.\n")


def test_an_empty_answer_asks_again_quietly(cli):
    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {TITLE: "NATO trebuie să rămână unită"}, fuzzy=True)
    result = cli.project("review", "ro", input="\n\na\nq\n")
    assert "unknown answer" not in result.stdout
    assert "1 accepted" in result.stderr


def expect(master: int, text: str, seen: bytearray, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([master], [], [], max(0.0, end - time.monotonic()))
        assert ready, f"waited for {text!r}, got {seen.decode(errors='replace')[-400:]!r}"
        seen += os.read(master, 4096)
    del seen[: seen.index(text.encode()) + len(text)]


def test_review_at_a_terminal_takes_keystrokes_and_edits_the_suggestion(cli):
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text().replace("[qa]\n", '[qa]\ntranslator = "Ana Pop <ana@example.org>"\n'))
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    summary = next(e.msgid for e in polib.pofile(str(path)) if e.msgid.startswith(SUMMARY))
    translate(path, {TITLE: "NATO trebuie să rămână unită", summary: "Mesajul lui Rutte"}, fuzzy=True)
    master, slave = pty.openpty()
    command = [sys.executable, "-c", "from translate_flow.cli import app; app()", "review", "ro"]
    env = os.environ | {"TERM": "dumb", "INPUTRC": "/dev/null"}
    process = subprocess.Popen(command, cwd=cli.root, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    seen = bytearray()
    try:
        expect(master, "[q]uit? ", seen)
        os.write(master, b"a")  # no Enter
        expect(master, "[q]uit? ", seen)
        os.write(master, b"e")
        expect(master, "translation> ", seen)
        expect(master, "Mesajul lui Rutte", seen)  # the line starts from the suggestion
        os.write(master, b", secretarul general al NATO\r")
        expect(master, "[q]uit? ", seen)
        os.write(master, b"q")
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()
        os.close(master)
    po = polib.pofile(str(path))
    assert (po.find(TITLE).msgstr, po.find(TITLE).flags) == ("NATO trebuie să rămână unită", [])
    summary = po.find(summary)
    assert (summary.msgstr, summary.flags) == ("Mesajul lui Rutte, secretarul general al NATO", [])
    assert summary.tcomment == "edited: Ana Pop <ana@example.org>"
    assert po.metadata["Last-Translator"] == "Ana Pop <ana@example.org>"
    assert po.metadata["PO-Revision-Date"] == "2024-11-05 12:00+0000"


def test_last_translator_comes_from_git_without_a_setting(cli, monkeypatch, tmp_path: Path):
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Ion Popescu\n\temail = ion@example.org\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {TITLE: "NATO trebuie să rămână unită"}, fuzzy=True)
    assert cli.project("review", "ro", input="a\nq\n").exit_code == 0
    assert polib.pofile(str(po_path(cli.root, "ro"))).metadata["Last-Translator"] == "Ion Popescu <ion@example.org>"
