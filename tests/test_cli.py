"""Every command from the command line: output, exit codes, help, and bad input."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.model import Problem, Report

from .conftest import SAMPLE, po_path
from .test_catalogs import edit_source, translate

COMMANDS = [
    "extract", "update", "translate", "build", "run", "status", "segment", "queue", "review", "check", "publish",
    "align", "tm export", "tm import", "models list", "models install", "models remove",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli, command):
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example: translate-flow" in result.output


def test_extract(cli):
    result = cli.project("extract")
    assert result.exit_code == 0
    assert result.stdout == f"wrote locales/templates/{SAMPLE}.pot\n"
    assert (cli.root / f"locales/templates/{SAMPLE}.pot").is_file()
    assert cli.project("extract").stdout == ""


def test_update(cli):
    result = cli.project("update", "--locale", "ro")
    assert result.exit_code == 0
    assert result.stdout == f"updated locales/ro/{SAMPLE}.po\n"
    assert not po_path(cli.root, "de").exists()


def test_build_prints_where_outputs_are(cli):
    cli.project("update")
    result = cli.project("build", SAMPLE, "-l", "fr")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"built dist/fr/{SAMPLE}.md",
        f"built dist/fr/{SAMPLE}.html",
        "built dist/style.css",
        "Outputs: dist/, dist/fr/",
    ]


def test_run(cli):
    result = cli.project("run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "Outputs: dist/, dist/de/, dist/en/, dist/fr/, dist/ro/"
    assert "13 written, 0 unchanged" in result.stderr
    assert "34 skipped (no model for their language pair)" in result.stderr
    summary = result.stderr.split("Where each language stands:\n")[1].splitlines()
    assert summary == [
        "de: 0 of 17 entries reviewed; 0 waiting for review; 17 untranslated",
        "    pages in de show 17 of them in English until they are translated and reviewed",
        "    next: translate-flow models install en de, or translate locales/de/*.po in a PO editor",
        "fr: 0 of 17 entries reviewed; 0 waiting for review; 17 untranslated",
        "    pages in fr show 17 of them in English until they are translated and reviewed",
        "    next: translate-flow models install en fr, or translate locales/fr/*.po in a PO editor",
        "ro: 0 of 17 entries reviewed; 17 waiting for review (17 from the human edition); 0 untranslated",
        "    pages in ro show 17 of them in English until they are translated and reviewed",
        "    next: translate-flow review ro",
    ]


def test_status_table_and_json(cli):
    cli.project("update")
    translate(po_path(cli.root, "ro"), {"NATO must stay united": "NATO trebuie să rămână unită"})
    translate(
        po_path(cli.root, "ro"), {"He was in Berlin for talks with German chancellor Olaf Scholz.": "X"}, fuzzy=True
    )
    table = cli.project("status")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split("\t")[:3] == ["article", "locale", "translated"]
    assert "nato-must-stay-united\tro\t1\t1\t15\t" in table.stdout
    rows = json.loads(cli.project("status", "--json").stdout)
    assert [(r["article"], r["locale"]) for r in rows] == [(SAMPLE, "ro"), (SAMPLE, "de"), (SAMPLE, "fr")]
    assert rows[0] | {"words": None} == {
        "article": SAMPLE,
        "locale": "ro",
        "translated": 1,
        "fuzzy": 1,
        "untranslated": 15,
        "total": 17,
        "words": None,
    }
    assert rows[0]["words"]["translated"] == 4


def test_segment_markdown_and_plain_text(cli, tmp_path):
    result = cli("segment", "--lang", "en", str(cli.root / "sources/en" / f"{SAMPLE}.md"))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 15
    text = tmp_path / "notes.txt"
    text.write_text("Prof. dr. Pop a venit. Apoi a plecat.\nA doua linie.\n", encoding="utf-8")
    result = cli("segment", "--lang", "ro", str(text))
    assert result.stdout.splitlines() == ["Prof. dr. Pop a venit.", "Apoi a plecat.", "A doua linie."]


def test_problems_give_exit_code_1(cli):
    edit_source(cli.root, "He was in Berlin", "He was in *Berlin*")
    cli.project("run")
    translate(po_path(cli.root, "de"), {"He was in <1>Berlin</1> for talks with German chancellor Olaf Scholz.": "Er."})
    result = cli.project("build")
    assert result.exit_code == 1
    assert f"problem: locales/de/{SAMPLE}.po:" in result.stderr
    assert "placeholder <1>, </1> missing" in result.stderr


def test_many_problems_are_counted_and_the_first_shown(cli, monkeypatch):
    """A report holds a bounded number of problem lines (an archive can have millions); the count stays whole."""
    from translate_flow import model

    edit_source(cli.root, "He was in Berlin", "He was in *Berlin*")
    edit_source(cli.root, "office on 1st October", "office on *1st October*")
    cli.project("run")
    berlin = "He was in <1>Berlin</1> for talks with German chancellor Olaf Scholz."
    october = (
        "Since taking office on <1>1st October</1>, Mark Rutte has been saying"
        " he is not worried about the outcome of the American elections."
    )
    translate(po_path(cli.root, "de"), {berlin: "Er.", october: "Seit Oktober."})
    everything = cli.project("build")
    shown = [line for line in everything.stderr.splitlines() if line.startswith("problem: ")]
    assert len(shown) == 2, everything.stderr
    monkeypatch.setattr(model, "PROBLEMS_KEPT", 1)
    result = cli.project("build")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("problem: ")] == shown[:1]  # the first of those, in order
    assert "... and 1 more (2 problems in all)" in lines
    published = cli.project("publish", "--force")  # publish's report is bounded alike
    assert published.exit_code == 1
    assert [line for line in published.stderr.splitlines() if line.startswith("problem: ")] == shown[:1]
    assert "... and 1 more (2 problems in all)" in published.stderr.splitlines()


PROBLEM = st.builds(Problem, st.sampled_from(["a.po", "b.po", "c.po"]), st.none() | st.integers(1, 9), st.just("m"))


@settings(max_examples=200)
@given(found=st.lists(st.lists(PROBLEM, max_size=12), max_size=8), kept=st.integers(1, 4))
def test_a_report_holds_a_bounded_beginning_of_its_problems(found, kept):
    """Reports merged as commands merge them hold fewer than twice the bound, show the beginning, count them all."""
    from translate_flow import model

    everything = [problem for part in found for problem in part]
    with mock.patch.object(model, "PROBLEMS_KEPT", kept):
        report = Report()
        for part in found:
            piece = Report()
            for problem in part:
                piece.problems.append(problem)
            report.extend(pickle.loads(pickle.dumps(piece)))  # as a worker process's report comes back
            assert len(report.problems) < 2 * kept
        assert report.problems.total == len(everything)
        assert report.problems.shown() == sorted(everything, key=Problem.order)[:kept]


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


BAD_INPUT = {
    "malformed front matter": (
        lambda root: write(root / "sources/en/x.md", "---\ntitle: [oops\n---\n"),
        "sources/en/x.md:3: malformed front matter",
    ),
    "invalid utf-8": (
        lambda root: write(root / "sources/en/x.md", b"---\ntitle: \xc3\x28\n---\n"),
        "sources/en/x.md:2: invalid UTF-8",
    ),
    "unknown locale in config": (
        lambda root: write(
            root / "translate-flow.toml",
            (root / "translate-flow.toml").read_text().replace('"de", "fr"]\nro', '"de", "xx"]\nro'),
        ),
        "translate-flow.toml:14: targets.en: unknown locale code 'xx'",
    ),
    "unknown language folder": (
        lambda root: write(root / "sources/qq/x.md", "x"),
        "translate-flow.toml:18: paths.sources: sources/qq is not a language folder (unknown locale code 'qq')",
    ),
    "missing sources": (
        lambda root: shutil.rmtree(root / "sources"),
        "translate-flow.toml:18: paths.sources: sources folder sources not found",
    ),
    "corrupt po": (
        lambda root: write(po_path(root, "ro"), 'msgid "a"\nmsgstr "b\n'),
        f"locales/ro/{SAMPLE}.po:2: unterminated string",
    ),
    "slug escaping dist": (
        lambda root: write(
            root / "sources/en/x.md",
            "---\ntitle: T\nslug: ../../x\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n---\n",
        ),
        "sources/en/x.md:3: unsafe article slug '../../x'",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_one_line_and_exit_2(cli, case):
    damage, expected = BAD_INPUT[case]
    damage(cli.root)
    result = cli.project("run")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("translate-flow: ")
    assert expected in lines[0].replace(str(cli.root) + "/", "")
    assert "Traceback" not in result.output


def test_an_article_argument_that_escapes_is_refused(cli):
    result = cli.project("build", "../../etc/passwd")
    assert result.exit_code == 2
    assert "unsafe article slug" in result.stderr


def test_unknown_article_and_locale(cli):
    assert "no article 'nope'" in cli.project("build", "nope").stderr
    result = cli.project("update", "--locale", "it")
    assert result.exit_code == 2
    assert "locale 'it' is not a target" in result.stderr


def test_usage_errors_exit_2(cli):
    assert cli("build", "--no-such-option").exit_code == 2
    assert cli("segment").exit_code == 2


def test_no_config_is_a_clear_error(tmp_path, cli):
    result = cli("run", "--project", str(tmp_path))
    assert result.exit_code == 2
    assert "no translate-flow.toml here" in result.stderr


def test_console_script_help_loads_no_heavy_modules():
    """The installed entry point answers --help without importing ctranslate2 or the parsers.

    No wall-clock bound: timed assertions flake on a shared machine; start-up cost is the heavy imports.
    """
    script = Path(sys.executable).parent / "translate-flow"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=os.environ | {"NO_COLOR": "1"})
    assert result.returncode == 0
    assert "extract" in result.stdout
    heavy = ("ctranslate2", "markdown_it", "choppa", "babel", "yaml", "rapidfuzz", "nh3")
    probe = f"import sys, translate_flow.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_sigterm_stops_like_ctrl_c():
    import signal

    from translate_flow.cli import _stop_on_sigterm

    previous = signal.getsignal(signal.SIGTERM)
    try:
        _stop_on_sigterm()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_progress_bar_shows_only_on_a_terminal(monkeypatch, capsys):
    from translate_flow.output import progress

    assert list(progress(iter([1, 2]), "work", 2)) == [1, 2]
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert list(progress(iter([1, 2, 3]), "translate en→ro", 3)) == [1, 2, 3]
    assert "translate en→ro" in capsys.readouterr().err
