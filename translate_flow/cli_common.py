"""What every command shares: the --project option, the project it opens, and one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer

from .errors import InputError
from .output import progress

ArticlesArgument = Annotated[
    list[str] | None, typer.Argument(help="Article slugs (file names without .md); default: all.", show_default=False)
]
ProjectOption = Annotated[
    Path, typer.Option("--project", "-C", help="Project root, where translate-flow.toml is.", show_default=False)
]


def fail(message: str, code: int) -> None:
    typer.echo(f"translate-flow: {message}", err=True)
    raise typer.Exit(code)


def reports_errors(command: Callable) -> Callable:
    """Bad input becomes one line on stderr and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as error:
            fail(str(error), 2)
        except KeyboardInterrupt:
            fail("interrupted; files already written are complete", 130)

    return wrapper


def open_project(root: Path | None):
    from .pipeline import Project

    return Project(root or Path("."), progress=progress)
