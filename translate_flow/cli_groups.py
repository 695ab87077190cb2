"""The command groups: ``translate-flow tm`` (TMX exchange) and ``translate-flow models`` (Argos packages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import ProjectOption, open_project, reports_errors

tm = typer.Typer(help="Translation memory exchange with CAT tools (TMX 1.4b).", no_args_is_help=True)
TmxOption = Annotated[Path, typer.Option("--tmx", help="The TMX file.", show_default=False)]


@tm.command("export", epilog="Example: translate-flow tm export --tmx newsroom.tmx")
@reports_errors
def tm_export(tmx: TmxOption, project: ProjectOption = None) -> None:
    """Write every reviewed and aligned pair as TMX 1.4b, for OmegaT, Trados and others.

    Placeholders become TMX inline codes: <1>…</1> as bpt/ept, <2/> as ph.
    """
    count = open_project(project).tm_export(tmx)
    typer.echo(f"exported {count} translation units to {tmx}")


@tm.command("import", epilog="Example: translate-flow tm import --tmx from-omegat.tmx")
@reports_errors
def tm_import(tmx: TmxOption, project: ProjectOption = None) -> None:
    """Add a TMX file's pairs to the translation memory (locales/memory.tmx).

    translate reuses an exact or fuzzy match from it, marked fuzzy with "# tm: locales/memory.tmx".
    """
    flow = open_project(project)
    count = flow.tm_import(tmx)
    typer.echo(f"imported {count} new translation units into {flow.shown(flow.memory_path)}")


models = typer.Typer(
    help="Argos Translate packages: list, install and remove.", no_args_is_help=True, rich_markup_mode=None
)


@models.command("list", epilog="Example: translate-flow models list")
@reports_errors
def models_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The installed packages: pair, version, size and path (ARGOS_PACKAGES_DIR)."""
    from .packages import installed, packages_dir

    found = installed()
    if as_json:
        rows = [{"pair": p.pair, "version": p.version, "size": p.size, "path": str(p.path)} for p in found]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        typer.echo(f"no packages in {packages_dir()}; install one with 'translate-flow models install'", err=True)
    for package in found:
        typer.echo(f"{package.pair}\t{package.version}\t{package.size / 1e6:.1f} MB\t{package.path}")


@models.command(
    "install",
    epilog="Example: translate-flow models install translate-en_ro-1_9.argosmodel (or: … install en ro)",
)
@reports_errors
def models_install(
    source: Annotated[str, typer.Argument(help="An .argosmodel file, or the language to translate from.")],
    target: Annotated[str | None, typer.Argument(help="The language to translate to (downloads).")] = None,
    index_url: Annotated[
        str | None, typer.Option(help="Package index (default: argostranslate's).", show_default=False)
    ] = None,
) -> None:
    """Install a package from a file (offline), or download one for a pair.

    A file is checked before anything is extracted: one top-level folder,
    metadata.json with from_code and to_code, a model/ directory and a
    tokenizer, and no absolute paths, '..' or links.
    """
    from . import packages

    archive = Path(source) if target is None else packages.download(source, target, index_url)
    package, previous = packages.install_archive(archive)
    if previous is not None:
        typer.echo(f"replaced {previous.pair} {previous.version}", err=True)
    typer.echo(f"installed {package.pair} {package.version} in {package.path}")


@models.command("remove", epilog="Example: translate-flow models remove en ro")
@reports_errors
def models_remove(
    source: Annotated[str, typer.Argument(help="Language translated from.")],
    target: Annotated[str, typer.Argument(help="Language translated to.")],
) -> None:
    """Remove the installed package for a language pair."""
    from .packages import remove

    package = remove(source, target)
    typer.echo(f"removed {package.pair} {package.version} from {package.path}")
