"""The ``translate-flow`` command line: a thin skin over :mod:`translate_flow.pipeline`.

Exit codes: 0 ok; 1 the work ran but found problems; 2 bad input or usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from . import __version__
from .errors import InputError

T = TypeVar("T")

app = typer.Typer(
    name="translate-flow",
    help=(
        "Offline translation and publishing for a multilingual newsroom.\n\n"
        "Articles in sources/<language>/<slug>.md become sentence entries in gettext "
        "catalogs (locales/<locale>/<slug>.po), which translators review; build merges "
        "them into localized Markdown and HTML under dist/.\n\n"
        "Start with: translate-flow run"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

ProjectOption = Annotated[
    Path, typer.Option("--project", "-C", help="Project root, where translate-flow.toml is.", show_default=False)
]
ArticlesArgument = Annotated[
    list[str] | None, typer.Argument(help="Article slugs (file names without .md); default: all.", show_default=False)
]
LocaleOption = Annotated[
    list[str] | None, typer.Option("--locale", "-l", help="Only this target locale; repeatable.", show_default=False)
]
FuzzyOption = Annotated[
    bool, typer.Option("--include-fuzzy", help="Publish fuzzy (unreviewed) translations instead of the source text.")
]


def _progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    """A progress bar on stderr, only where a person watches it."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, total=total, console=Console(stderr=True), transient=True)


def _fail(message: str, code: int) -> None:
    typer.echo(f"translate-flow: {message}", err=True)
    raise typer.Exit(code)


def _reports_errors(command: Callable) -> Callable:
    """Bad input becomes one line on stderr and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            _fail(str(error), 2)
        except KeyboardInterrupt:
            _fail("interrupted; files already written are complete", 130)

    return wrapper


def _project(root: Path | None):
    from .pipeline import Project

    return Project(root or Path("."), progress=_progress)


def _finish(report, verb: str, show_outputs: bool = False) -> None:
    for path in report.written:
        typer.echo(f"{verb} {path}")
    typer.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged", err=True)
    if show_outputs:
        folders = sorted({str(Path(p).parent) for p in report.written + report.unchanged if p.startswith("dist")})
        typer.echo("Outputs: " + ", ".join(f"{f}/" for f in folders))
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    if report.problems:
        raise typer.Exit(1)


@app.command(epilog="Example: translate-flow extract nato-must-stay-united")
@_reports_errors
def extract(articles: ArticlesArgument = None, project: ProjectOption = None) -> None:
    """Write one template per article: locales/templates/<slug>.pot.

    One entry per sentence, plus the title and summary, in document order.
    A file is rewritten only when its entries change.
    """
    _finish(_project(project).extract(articles or []), "wrote")


@app.command(epilog="Example: translate-flow update --locale ro")
@_reports_errors
def update(articles: ArticlesArgument = None, locale: LocaleOption = None, project: ProjectOption = None) -> None:
    """Create or update locales/<locale>/<slug>.po from the sources.

    Translations are kept. A changed sentence inherits the closest old
    translation, marked fuzzy with the old source as "#| msgid". Sentences that
    left the source become obsolete "#~" entries; nothing is deleted.
    """
    _finish(_project(project).update(articles or [], locale or []), "updated")


@app.command(epilog="Example: translate-flow build --locale ro --include-fuzzy")
@_reports_errors
def build(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    include_fuzzy: FuzzyOption = False,
    project: ProjectOption = None,
) -> None:
    """Merge the catalogs into dist/<locale>/<slug>.md and .html.

    Reviewed translations are used; anything else falls back to the source
    sentence (marked with lang= in HTML). A translation that loses a
    placeholder is reported and falls back too (exit code 1).
    """
    _finish(_project(project).build(articles or [], locale or [], include_fuzzy), "built", show_outputs=True)


@app.command(epilog="Example: translate-flow run")
@_reports_errors
def run(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    include_fuzzy: FuzzyOption = False,
    project: ProjectOption = None,
) -> None:
    """The whole workflow: extract → update → build."""
    _finish(_project(project).run(articles or [], locale or [], include_fuzzy), "wrote", show_outputs=True)


@app.command(epilog="Example: translate-flow status --json")
@_reports_errors
def status(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    project: ProjectOption = None,
) -> None:
    """How far each article is translated, per locale: entries and words."""
    rows = _project(project).status(articles or [], locale or [])
    if as_json:
        payload = [{"article": slug, "locale": loc, **asdict(stats), "total": stats.total} for slug, loc, stats in rows]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("article", "locale", "translated", "fuzzy", "untranslated", "words done", "words total")
    for slug, loc, stats in rows:
        done = stats.words["translated"]
        table.add_row(
            slug,
            loc,
            str(stats.translated),
            str(stats.fuzzy),
            str(stats.untranslated),
            str(done),
            str(sum(stats.words.values())),
        )
    Console(width=120).print(table)


@app.command(epilog="Example: translate-flow segment --lang ro notes.txt")
@_reports_errors
def segment(
    file: Annotated[
        Path, typer.Argument(help="A Markdown article (.md) or a plain-text file, one paragraph per line.")
    ],
    lang: Annotated[str, typer.Option("--lang", help="Language of the text, e.g. en or ro.")],
) -> None:
    """Print one sentence per line, as the SRX rules split the file.

    For tuning translate_flow/data/segment.srx: Markdown markup shows as the
    <1>…</1> placeholders that translators see.
    """
    from .pipeline import segment_file

    for sentence in segment_file(file, lang):
        typer.echo(sentence)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"translate-flow {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Offline translation and publishing for a multilingual newsroom."""
