"""What the command line shows: tables that fit, JSON, progress bars and a command's report.

A person at a terminal gets a table as wide as the terminal and a progress bar;
a pipe gets tab-separated lines and no bar, so scripts read what people see.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO, TypeVar

import typer

if TYPE_CHECKING:
    from .align import Bead
    from .model import Article, Problems

T = TypeVar("T")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], out: TextIO | None = None) -> None:
    """A table that fits the terminal, or plain TSV (a header line, then one line per row) when piped."""
    out = out or sys.stdout
    if not out.isatty():
        for row in [headers, *rows]:
            out.write("\t".join(_cell(value) for value in row) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers)
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    Console(file=out, width=shutil.get_terminal_size().columns).print(table)


def print_json(rows: object, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


def _cell(value: object) -> str:
    """A value on one line: tabs and newlines would break a TSV row."""
    return " ".join(str(value).split())


def progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    """A progress bar on stderr, only where a person watches it."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, total=total, console=Console(stderr=True), transient=True)


def translation_summary(report) -> None:
    counts = report.counts
    if not any(counts[key] for key in ("machine", "cache", "memory", "skipped")) and not report.missing:
        return
    parts = [
        f"{counts['machine']} by the model",
        f"{counts['cache']} from the cache",
        f"{counts['memory']} from memory",
    ]
    typer.echo(
        f"translated {counts['machine'] + counts['cache'] + counts['memory']} segments: {', '.join(parts)}; "
        f"{counts['skipped']} skipped (no model for their language pair)",
        err=True,
    )
    for pair in report.missing:
        source, target = pair.split("→")
        typer.echo(
            f"no model for {pair}: its entries wait for human translators. Install one with "
            f"'translate-flow models install {source} {target}' (or a downloaded .argosmodel file)",
            err=True,
        )


def finish(report, verb: str, show_outputs: bool = False, strict: bool = False) -> None:
    for path in report.written:
        typer.echo(f"{verb} {path}")
    translation_summary(report)
    typer.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged", err=True)
    if show_outputs:
        # The report's paths are posix strings: a Path for each cost a sixth of a no-change build.
        paths = report.written + report.unchanged
        folders = sorted({p.rpartition("/")[0] or "." for p in paths if p.startswith("dist")})
        typer.echo("Outputs: " + ", ".join(f"{f}/" for f in folders))
    print_problems(report.problems)
    if report.problems or (strict and report.missing):
        raise typer.Exit(1)


def print_alignment(source: Article, target: Article, beads: Sequence[Bead], as_json: bool) -> None:
    """Each bead's sentences side by side with its score, or the same as JSON."""
    if as_json:
        rows = [
            {
                "source": [source.segments[i].text for i in bead.source],
                "target": [target.segments[j].text for j in bead.target],
                "score": bead.score,
            }
            for bead in beads
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for bead in beads:
        left = " ".join(source.segments[i].text for i in bead.source) or "∅"
        right = " ".join(target.segments[j].text for j in bead.target) or "∅"
        typer.echo(f"{bead.score:.2f}  {len(bead.source)}:{len(bead.target)}  {left}\n            {right}")


def print_problems(problems: Problems) -> None:
    """The first problems in the order of their files and lines, and how many more there are."""
    shown = problems.shown()
    for problem in shown:
        typer.echo(f"problem: {problem}", err=True)
    if problems.total > len(shown):
        typer.echo(f"... and {problems.total - len(shown)} more ({problems.total} problems in all)", err=True)
