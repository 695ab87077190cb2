"""The review desk's commands: the queue, reviewing in the terminal, checks, publishing and its preview.

Registered on the app by :mod:`cli`, which keeps the order of ``--help``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from .cli_common import ArticlesArgument, ProjectOption, open_project, reports_errors
from .output import print_json, print_problems, print_table

TargetLocale = Annotated[str, typer.Argument(help="The target locale, e.g. ro.", show_default=False)]


@reports_errors
def queue(
    locale: TargetLocale,
    articles: ArticlesArgument = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    project: ProjectOption = None,
) -> None:
    """List the entries that wait for review (fuzzy or untranslated).

    Each shows its source sentence with the sentences before and after, the
    current text, where it came from (machine, memory, alignment) and, where
    the source changed, the previous source.
    """
    from .review import describe

    items = open_project(project).queue(locale, articles or [])
    if as_json:
        typer.echo(json.dumps([item.as_dict() for item in items], indent=2, ensure_ascii=False))
        return
    for item in items:
        typer.echo("\n".join(describe(item, [])) + "\n")
    typer.echo(f"{len(items)} entries wait for review", err=True)


@reports_errors
def review(locale: TargetLocale, articles: ArticlesArgument = None, project: ProjectOption = None) -> None:
    """Review the queue in the terminal, entry by entry.

    Shows the source with the sentences before and after, the suggestion, QA
    warnings, and a word diff where the source changed. Keys (one keystroke, no
    Enter): a accept (clears fuzzy), e edit inline starting from the suggestion,
    E edit in $EDITOR, s skip, q quit. Every decision is saved at once,
    atomically, with Last-Translator from [qa] translator or git's user.name and
    user.email. From a pipe, answers are read line by line.
    """
    from .review import item_findings, review_session
    from .terminal import edit_line, read_key

    flow = open_project(project)
    glossary = flow.glossary()
    items = flow.queue(locale, articles or [])
    qa = lambda item: item_findings(item, glossary)  # noqa: E731
    counts = review_session(items, qa, read_key, typer.echo, flow.accept, edit=edit_line)
    typer.echo(f"\n{counts['accepted']} accepted, {counts['edited']} edited, {counts['skipped']} skipped", err=True)


@reports_errors
def check(
    locales: Annotated[
        list[str] | None, typer.Argument(help="Target locales; default: all.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    project: ProjectOption = None,
) -> None:
    """Quality checks over the catalogs; exit code 1 when an error is found.

    Checks: placeholders (same set, nested), numbers (read through each
    locale's formats: 3.5 ≙ 3,5, 40,000 ≙ 40.000, "21 billion" ≙ "21 de
    miliarde"), glossary (glossary.csv: required and do-not-translate terms),
    end punctuation and the locale's quotation marks („…” ro, „…“ de, «…» fr),
    copies of the source, spacing and length outliers.
    """
    findings = open_project(project).check(locales or [])
    if as_json:
        print_json([asdict(f) for f in findings])
    elif not findings:
        typer.echo("No findings.")
    else:
        rows = [(f"{f.path}:{f.line}", f.severity, f.check, f.message) for f in findings]
        print_table(("where", "severity", "check", "message"), rows)
    errors = sum(1 for f in findings if f.severity == "error")
    typer.echo(f"{errors} errors, {len(findings) - errors} warnings", err=True)
    if errors:
        raise typer.Exit(1)


@reports_errors
def publish(
    policy: Annotated[
        str | None, typer.Option(help="Unreviewed entries: source, mt or omit (default from [publish]).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Publish locales that the completion gate or check errors keep out.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Produce the site in dist/bundle/ and a reproducible dist/<project>-<version>.tar.gz.

    The bundle holds each article's HTML page and Markdown per locale, compiled
    .mo catalogs, a front page per locale and a root language chooser, a
    stylesheet, sitemap.xml and an Atom feed per locale (with [publish]
    base_url), and manifest.json (reviewed / machine / fallback shares, engines,
    sha256 of every file, generator and source revision). A locale below
    [publish] min_reviewed, or with check errors in what it would show, is left
    out with the reason (exit code 1) unless --force.
    """
    from .publish import publish as publish_site

    report = publish_site(open_project(project), policy, force)
    for locale, decision in report.locales.items():
        state = "published" if decision["included"] else "left out"
        reason = f": {decision['reason']}" if "reason" in decision else ""
        typer.echo(f"{locale}: {state}, {decision['reviewed_percent']}% reviewed{reason}")
    print_problems(report.problems)
    typer.echo("Outputs: " + ", ".join(report.outputs))
    if report.left_out:
        typer.echo(f"left out: {', '.join(report.left_out)} (see above; --force publishes them anyway)", err=True)
    if report.problems or report.left_out:
        raise typer.Exit(1)


@reports_errors
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any free one).")] = 8000,
    project: ProjectOption = None,
) -> None:
    """Preview the published site (dist/bundle/) at http://127.0.0.1:PORT/ until Ctrl-C.

    Only this machine can reach it. Run translate-flow publish first.
    """
    from .bundle import preview_server

    flow = open_project(project)
    server = preview_server(flow.config.dist_dir / "bundle", port)
    typer.echo(f"serving {flow.shown(flow.config.dist_dir / 'bundle')}/ at http://127.0.0.1:{server.server_port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        server.server_close()
