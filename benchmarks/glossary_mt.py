"""Glossary-aware machine translation: MT suggestions without glossary findings, before and after.

    .venv/bin/python benchmarks/glossary_mt.py [--locales ro de]

The sample project is translated twice into the same locales, in two fresh copies, with the
same synthetic Argos packages (``translate_flow/synthetic.py``: trained tokenizers, random
weights; their output is gibberish, so only what translate-flow protects survives):

- before: glossary terms go to the model as plain words (protection switched off);
- after: ``translate`` as shipped: do-not-translate and single-form terms as placeholders.

For each run: the share of MT suggestions with no ``glossary`` finding in ``check``, over all
of them and over those whose source holds a glossary term, and how many are ``glossary=unmet``.
A real model would translate most words well; this measures what the protection guarantees.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
os.environ.update(
    ARGOS_PACKAGES_DIR=str(HOME / "packages"),
    XDG_DATA_HOME=str(HOME / "data"),
    XDG_CACHE_HOME=str(HOME / "cache"),
    XDG_CONFIG_HOME=str(HOME / "config"),
    SOURCE_DATE_EPOCH="1730808000",
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate_flow import catalogs, checks, packages, pipeline, translation  # noqa: E402
from translate_flow.synthetic import build_package  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "nato-must-stay-united"


def copy_project(name: str) -> Path:
    root = HOME / name
    shutil.copytree(REPO / "sources", root / "sources")
    for file in ("translate-flow.toml", "glossary.csv"):
        shutil.copy(REPO / file, root)
    return root


def measure(root: Path, locales: list[str]) -> dict[str, int]:
    project = pipeline.Project(root)
    glossary = project.glossary()
    counts = {"suggestions": 0, "clean": 0, "with terms": 0, "with terms clean": 0, "unmet": 0}
    for locale in locales:
        path = project.catalog_path(locale, SAMPLE)
        for entry in catalogs.read_catalog(path).po:
            if not catalogs.is_machine_suggestion(entry):
                continue
            found = [c for c, _, _ in checks.check_entry(entry, "en", locale, glossary) if c == "glossary"]
            has_terms = any(t.source in entry.msgid for t in glossary if t.locale in ("*", locale))
            counts["suggestions"] += 1
            counts["clean"] += not found
            counts["with terms"] += has_terms
            counts["with terms clean"] += has_terms and not found
            counts["unmet"] += "glossary=unmet" in entry.tcomment  # polib may wrap the line
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locales", nargs="+", default=["ro", "de"])
    args = parser.parse_args()
    text = "".join((REPO / "sources" / lang / f"{SAMPLE}.md").read_text(encoding="utf-8") for lang in ("en", "ro"))
    for seed, locale in enumerate(args.locales):
        packages.install_archive(build_package("en", locale, text, HOME / f"en_{locale}.argosmodel", seed=seed))

    before = copy_project("before")
    protect = translation.protect
    translation.protect = lambda sentence, terms: protect(sentence, [])  # glossary protection off
    try:
        pipeline.Project(before).translate(locales=args.locales)
    finally:
        translation.protect = protect
    after = copy_project("after")
    pipeline.Project(after).translate(locales=args.locales)

    print(f"sample article, locales {', '.join(args.locales)}, synthetic models\n")
    print("| run | MT suggestions | no glossary finding | of those with a term | glossary=unmet |")
    print("|---|---|---|---|---|")
    for name, root in (("before (terms sent as words)", before), ("after (terms protected)", after)):
        c = measure(root, args.locales)
        share = 100 * c["clean"] / max(c["suggestions"], 1)
        terms = 100 * c["with terms clean"] / max(c["with terms"], 1)
        print(
            f"| {name} | {c['suggestions']} | {c['clean']} ({share:.0f}%) | "
            f"{c['with terms clean']}/{c['with terms']} ({terms:.0f}%) | {c['unmet']} |"
        )
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
