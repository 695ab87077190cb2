"""The ``translate-flow`` command line: a thin skin over :mod:`translate_flow.pipeline`.

Exit codes: 0 ok; 1 the work ran but found problems; 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import __version__, cli_review
from .cli_common import ArticlesArgument, ProjectOption, open_project, reports_errors
from .cli_groups import models, tm
from .errors import InputError
from .output import finish, print_alignment, print_json, print_table

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

LocaleOption = Annotated[
    list[str] | None, typer.Option("--locale", "-l", help="Only this target locale; repeatable.", show_default=False)
]
FuzzyOption = Annotated[
    bool, typer.Option("--include-fuzzy", help="Publish fuzzy (unreviewed) translations instead of the source text.")
]


def _stop_on_sigterm() -> None:
    """SIGTERM (a cron timeout, CI cancelling) stops like Ctrl-C: saved batches stay saved."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@app.command(epilog="Example: translate-flow extract nato-must-stay-united")
@reports_errors
def extract(articles: ArticlesArgument = None, project: ProjectOption = None) -> None:
    """Write one template per article: locales/templates/<slug>.pot.

    One entry per sentence, plus the title and summary, in document order.
    A file is rewritten only when its entries change.
    """
    finish(open_project(project).extract(articles or []), "wrote")


@app.command(epilog="Example: translate-flow update --locale ro")
@reports_errors
def update(articles: ArticlesArgument = None, locale: LocaleOption = None, project: ProjectOption = None) -> None:
    """Create or update locales/<locale>/<slug>.po from the sources.

    Translations are kept, as msgmerge keeps them. A changed sentence inherits
    the closest old translation, marked fuzzy with the old source as "#| msgid".
    Translated sentences that left the source, and that no changed sentence
    inherited, become obsolete "#~" entries; nothing is deleted. Entries that
    do not change keep the bytes your PO editor wrote.
    """
    finish(open_project(project).update(articles or [], locale or []), "updated")


@app.command(epilog="Example: translate-flow build --locale ro --include-fuzzy")
@reports_errors
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
    finish(open_project(project).build(articles or [], locale or [], include_fuzzy), "built", show_outputs=True)


StrictOption = Annotated[bool, typer.Option("--strict", help="Exit with 1 when a language pair has no model.")]
RayOption = Annotated[
    str | None,
    typer.Option(
        "--ray",
        metavar="ADDRESS",
        help="Translate on a Ray cluster: 'local' starts one here, else an address for ray.init "
        "(default from [mt] ray_address; needs translate-flow[ray]).",
        show_default=False,
    ),
]


def _mt_options(config_options, **overrides):
    """[mt] settings with the command line's given options on top."""
    from dataclasses import replace

    return replace(config_options, **{k: v for k, v in overrides.items() if v is not None})


@app.command(epilog="Example: translate-flow translate --locale ro --beam-size 2")
@reports_errors
def translate(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    retranslate: Annotated[
        bool, typer.Option("--retranslate", help="Also redo fuzzy entries whose source changed (#| msgid).")
    ] = False,
    strict: StrictOption = False,
    beam_size: Annotated[int | None, typer.Option(min=1, help="Beam size (default from [mt], 4).")] = None,
    inter_threads: Annotated[int | None, typer.Option(min=0, help="Batches in parallel; 0: from the cores.")] = None,
    intra_threads: Annotated[int | None, typer.Option(min=0, help="Threads per batch; 0: from the cores.")] = None,
    device: Annotated[
        str | None, typer.Option(help="auto, cpu or cuda (default from [mt], auto).", show_default=False)
    ] = None,
    compute_type: Annotated[
        str | None, typer.Option(help="CTranslate2 compute type, e.g. int8, float16 (default from [mt]).")
    ] = None,
    ray: RayOption = None,
    ray_workers: Annotated[
        int | None, typer.Option(min=0, help="Ray workers; 0: as many as the cluster has room for.")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Fill untranslated entries with machine translation, marked fuzzy for review.

    Catalogs are updated first. The closest reviewed translation in any catalog
    (translation memory), exact or at least [memory] fuzzy_min similar, is used
    instead of the model; glossary terms are protected from the model. Each entry
    records its origin as a translator comment ("# mt: argos en→ro …" or
    "# tm: 86% locales/ro/other.po"). Reviewed entries are never touched. Work is
    saved batch by batch: Ctrl-C keeps what is done and the next run resumes.
    Pairs without a model are listed and left for human translators. With
    --ray the batches run on a Ray cluster's workers, with the same results.
    """
    from .model import MT_CHOICES

    for name, value in (("device", device), ("compute_type", compute_type)):
        if value is not None and value not in MT_CHOICES[name]:
            raise InputError(f"--{name.replace('_', '-')} must be one of {', '.join(MT_CHOICES[name])}")
    _stop_on_sigterm()
    flow = open_project(project)
    options = _mt_options(
        flow.config.mt,
        beam_size=beam_size,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
        device=device,
        compute_type=compute_type,
        ray_address=ray,
        ray_workers=ray_workers,
    )
    finish(flow.translate(articles or [], locale or [], retranslate, options), "updated", strict=strict)


@app.command(epilog="Example: translate-flow run")
@reports_errors
def run(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    include_fuzzy: FuzzyOption = False,
    strict: StrictOption = False,
    ray: RayOption = None,
    project: ProjectOption = None,
) -> None:
    """The whole workflow: extract → update → align human editions → translate → build."""
    from .summary import describe, summarize

    _stop_on_sigterm()
    flow = open_project(project)
    report = flow.run(articles or [], locale or [], include_fuzzy, _mt_options(flow.config.mt, ray_address=ray))
    try:
        finish(report, "wrote", show_outputs=True, strict=strict)
    finally:
        typer.echo("\nWhere each language stands:", err=True)
        for summary in summarize(flow, articles or [], locale or []):
            typer.echo("\n".join(describe(summary, report.missing)), err=True)


# The review desk's commands (cli_review.py), in their place in --help.
app.command(epilog="Example: translate-flow queue ro --json")(cli_review.queue)
app.command(epilog="Example: translate-flow review ro   (or: printf 'a\\ns\\nq\\n' | translate-flow review ro)")(
    cli_review.review
)
app.command(epilog="Example: translate-flow check ro --json")(cli_review.check)
app.command(epilog="Example: translate-flow publish --policy mt")(cli_review.publish)
app.command(epilog="Example: translate-flow serve --port 8000")(cli_review.serve)


@app.command(
    epilog="Example: translate-flow align sources/en/nato-must-stay-united.md sources/ro/nato-must-stay-united.md"
)
@reports_errors
def align(
    source_edition: Annotated[Path, typer.Argument(help="The original: sources/<language>/<slug>.md.")],
    target_edition: Annotated[Path, typer.Argument(help="A human edition of it in another language.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the alignment as JSON.")] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Seed locales/<target>/<slug>.po with it, fuzzy, for review.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --write: seed even from a file that looks like another article.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Align two editions of an article sentence by sentence.

    Handles 1:1, 1:2, 2:1, 1:0 and 0:1 pairs: real editions merge, split, add
    and drop sentences. With --write the edition's sentences become fuzzy
    suggestions ("# aligned: FILE:LINE score=…"); reviewed translations are
    never replaced. An empty msgstr with "# merged: with the entry above" means
    the sentence was translated together with the entry above (or left out of
    the edition); reviewing that entry reviews both. translate-flow run does
    this by itself for every edition under sources/.

    A score is the probability that the pair is right. Each edition's language
    is its front matter's. Two files that look like different articles get a
    warning, and --write refuses them unless --force.
    """
    flow = open_project(project)
    source, target = flow.read_edition(source_edition), flow.read_edition(target_edition)
    alignment = flow.align(source, target)
    beads = alignment.beads
    if alignment.different_articles:
        from .aligning import different_articles

        if write and not force:
            raise InputError(f"{different_articles(alignment)}; --force seeds from it anyway", target_edition)
        typer.echo(f"warning: {target_edition}: {different_articles(alignment)}", err=True)
    if as_json or not write:
        print_alignment(source, target, beads, as_json)
    if write:
        report = flow.write_alignment(source, target, beads)
        typer.echo(f"{report.counts['aligned']} entries seeded from {target_edition}", err=True)
        finish(report, "updated")


app.add_typer(tm, name="tm")
app.add_typer(models, name="models")


@app.command(epilog="Example: translate-flow status --json")
@reports_errors
def status(
    articles: ArticlesArgument = None,
    locale: LocaleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    project: ProjectOption = None,
) -> None:
    """How far each article is translated, per locale: entries and words."""
    rows = open_project(project).status(articles or [], locale or [])
    if as_json:
        # vars, not dataclasses.asdict: its deep copy took longer than the lookups at 10,000 articles.
        print_json([{"article": slug, "locale": loc, **vars(stats), "total": stats.total} for slug, loc, stats in rows])
        return
    headers = ("article", "locale", "translated", "fuzzy", "untranslated", "words done", "words total")
    print_table(
        headers,
        [
            (slug, loc, s.translated, s.fuzzy, s.untranslated, s.words["translated"], sum(s.words.values()))
            for slug, loc, s in rows
        ],
    )


@app.command(epilog="Example: translate-flow segment --lang ro notes.txt")
@reports_errors
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
    from .sources import segment_file

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
