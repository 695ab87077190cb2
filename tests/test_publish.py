"""publish: the localized bundle, its manifest, the completion gate and the archive."""

from __future__ import annotations

import gettext
import hashlib
import json
import subprocess
import tarfile
from pathlib import Path

import polib
import pytest

from translate_flow.pipeline import Project
from translate_flow.publish import publish

from .conftest import SAMPLE, po_path
from .test_build import parse_html
from .test_catalogs import translate

BERLIN = "He was in Berlin for talks with German chancellor Olaf Scholz."
TITLE = "NATO must stay united"


# The stand-in reviewers write each locale's word for "billion", so that check finds no error.
BILLION = {"ro": "de miliarde", "de": "Milliarden", "fr": "milliards"}


@pytest.fixture(autouse=True)
def no_glossary(project_dir: Path) -> None:
    """These tests are about the bundle: the stand-in translations below keep no glossary."""
    (project_dir / "glossary.csv").write_text("source,locale,target\n", encoding="utf-8")


def review_all(root: Path, locale: str, skip: int = 0) -> list[str]:
    """A reviewer translates every entry but the last ``skip``; returns the msgids left out."""
    path = po_path(root, locale)
    entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
    done = entries[: len(entries) - skip]
    translate(path, {e.msgid: f"[{locale}] {e.msgid.replace('billion', BILLION[locale])}" for e in done})
    return [e.msgid for e in entries[len(done) :]]


def manifest(root: Path) -> dict:
    return json.loads((root / "dist" / "bundle" / "manifest.json").read_text(encoding="utf-8"))


def test_the_gate_leaves_out_locales_below_the_minimum(cli):
    cli.project("update")
    review_all(cli.root, "ro")
    review_all(cli.root, "de", skip=4)  # 13 of 17: 76.5%, below 80%
    result = cli.project("publish")
    assert result.exit_code == 1, result.output
    assert "left out: de, fr (see above; --force publishes them anyway)" in result.stderr
    assert "ro: published, 100.0% reviewed\n" in result.stdout
    assert "de: left out, 76.5% reviewed: below the 80% required" in result.stdout
    assert "fr: left out, 0.0% reviewed" in result.stdout
    assert "Outputs: dist/bundle, dist/newsroom-2024.11.tar.gz" in result.stdout
    bundle = cli.root / "dist" / "bundle"
    assert sorted(p.name for p in bundle.iterdir()) == [
        "en",
        "index.html",
        "manifest.json",
        "ro",
        "sitemap.xml",
        "style.css",
    ]
    data = manifest(cli.root)
    assert data["locales"]["de"] == {
        "included": False,
        "reason": "below the 80% required",
        "reviewed_percent": 76.5,
    }
    assert data["locales"]["ro"] == {"included": True, "reviewed_percent": 100.0}


def test_force_publishes_everything_and_says_so(cli):
    cli.project("update")
    result = cli.project("publish", "--force")
    assert result.exit_code == 0
    assert "fr: published, 0.0% reviewed: below the 80% required; published anyway (--force)" in result.stdout
    assert (cli.root / "dist" / "bundle" / "fr" / f"{SAMPLE}.html").is_file()


def test_bundle_contents_are_valid_and_linked(cli):
    cli.project("update")
    review_all(cli.root, "ro")
    cli.project("publish")
    bundle = cli.root / "dist" / "bundle"
    for page in bundle.rglob("*.html"):
        parse_html(page.read_text(encoding="utf-8"))
    article = parse_html((bundle / "ro" / f"{SAMPLE}.html").read_text(encoding="utf-8"))
    assert {link.get("hreflang") for link in article.iter("link") if link.get("hreflang")} == {"en", "ro", "x-default"}
    switcher = {a.get("hreflang"): (a.get("href"), a.text) for a in article.findall(".//nav[@class='languages']//a")}
    assert switcher == {"en": (f"../en/{SAMPLE}.html", "English"), "ro": (f"../ro/{SAMPLE}.html", "română")}
    index = (bundle / "index.html").read_text(encoding="utf-8")
    assert '<a href="ro/index.html" hreflang="ro" lang="ro" dir="ltr">română</a>' in index
    assert '<a href="en/index.html" hreflang="en" lang="en" dir="ltr">English</a>' in index
    front = parse_html((bundle / "ro" / "index.html").read_text(encoding="utf-8"))
    listed = front.find(".//ul[@class='articles']/li")
    assert listed.find("h2/a").get("href") == f"{SAMPLE}.html"
    assert listed.find("h2/a").text == f"[ro] {TITLE}"
    assert listed.find("p/time").text == "5 noiembrie 2024"
    assert f"\\[ro\\] {BERLIN}" in (bundle / "ro" / f"{SAMPLE}.md").read_text(encoding="utf-8")  # brackets are literal
    with (bundle / "ro" / "LC_MESSAGES" / f"{SAMPLE}.mo").open("rb") as stream:
        assert gettext.GNUTranslations(stream).gettext(BERLIN) == f"[ro] {BERLIN}"


def test_manifest_counts_shares_engines_and_hashes(cli):
    cli.project("update")
    review_all(cli.root, "ro", skip=3)
    path = po_path(cli.root, "ro")
    po = polib.pofile(str(path))
    for entry in [e for e in po if not e.obsolete][-3:-1]:
        entry.msgstr, entry.flags = "mașină", ["fuzzy"]
        entry.tcomment = "mt: argos en→ro translate-en_ro 1.9 beam=4 score=-0.42"
    po.save()
    cli.project("publish", "--force")
    data = manifest(cli.root)
    assert data["generator"] == "translate-flow 0.1.0"
    assert data["policy"] == "source"
    assert data["source_revision"] is None  # not a git checkout
    row = next(r for r in data["articles"] if r["locale"] == "ro")
    assert row["segments"] == 17
    assert row["words"] == 439
    assert row["reviewed_percent"] == 82.4
    assert row["machine_unreviewed_percent"] == 11.8
    assert row["fallback_percent"] == 17.6
    assert row["engines"] == ["argos en→ro translate-en_ro 1.9"]
    bundle = cli.root / "dist" / "bundle"
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(data["files"]) == files
    for name, digest in data["files"].items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest
    assert row["files"][f"ro/{SAMPLE}.html"] == data["files"][f"ro/{SAMPLE}.html"]


def test_source_revision_comes_from_git(project_dir):
    subprocess.run(["git", "init", "-q", str(project_dir)], check=True)
    subprocess.run(["git", "-C", str(project_dir), "add", "."], check=True)
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "-C", str(project_dir), *identity, "commit", "-qm", "sources"], check=True)
    head = subprocess.run(["git", "-C", str(project_dir), "rev-parse", "HEAD"], capture_output=True, text=True)
    project = Project(project_dir)
    project.update()
    publish(project)
    assert manifest(project_dir)["source_revision"] == head.stdout.strip() + "+dirty"  # locales/ is new


def test_same_inputs_give_a_byte_identical_archive(cli):
    cli.project("update")
    review_all(cli.root, "ro")
    cli.project("publish")
    archive = cli.root / "dist" / "newsroom-2024.11.tar.gz"
    first = archive.read_bytes()
    cli.project("publish")
    assert archive.read_bytes() == first
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert names[0].startswith("newsroom-2024.11/")
    assert {m.mtime for m in members} == {1730808000}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}


def test_policy_mt_publishes_machine_output_visibly_marked(cli):
    cli.project("update")
    path = po_path(cli.root, "ro")
    missing = review_all(cli.root, "ro", skip=2)
    translate(path, {missing[0]: "Traducere automată."}, fuzzy=True)
    cli.project("publish", "--policy", "mt")
    page = (cli.root / "dist" / "bundle" / "ro" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    parse_html(page)
    assert "<span data-mt>Traducere automată.</span>" in page
    notice = "Unele părți ale acestei pagini sunt traduceri automate pe care nu le-a revizuit încă nimeni"
    assert f'<p role="note" class="notice mt_notice">{notice}' in page
    assert f'<span lang="en" dir="ltr" data-fallback>{missing[1]}</span>' in page  # untranslated: still the source
    assert 'class="notice fallback_notice"' in page
    markdown = (cli.root / "dist" / "bundle" / "ro" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    assert "\n---\n*Această traducere nu a fost încă revizuită.*\n\n" in markdown


def test_policy_source_falls_back_with_lang(cli):
    cli.project("update")
    missing = review_all(cli.root, "ro", skip=1)
    translate(po_path(cli.root, "ro"), {missing[0]: "Traducere automată."}, fuzzy=True)
    cli.project("publish")
    page = (cli.root / "dist" / "bundle" / "ro" / f"{SAMPLE}.html").read_text(encoding="utf-8")
    assert f'<span lang="en" dir="ltr" data-fallback>{missing[0]}</span>' in page
    assert "data-mt" not in page
    assert "mt_notice" not in page
    assert 'class="notice fallback_notice"' in page


def test_policy_omit_leaves_out_locales_with_unreviewed_entries(cli):
    cli.project("update")
    review_all(cli.root, "ro", skip=1)
    review_all(cli.root, "de")
    result = cli.project("publish", "--policy", "omit")
    assert result.exit_code == 1
    assert "ro: left out, 94.1% reviewed: unreviewed entries, and the policy for them is 'omit'" in result.stdout
    assert "de: published, 100.0% reviewed" in result.stdout


@pytest.mark.parametrize("policy", ["bogus", ""])
def test_unknown_policy_is_bad_input(cli, policy):
    result = cli.project("publish", "--policy", policy)
    assert result.exit_code == 2
    assert "unknown policy" in result.stderr
