"""Aligning a human edition with its original, and seeding the catalog with it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.align import align
from translate_flow.model import Article
from translate_flow.pipeline import Project
from translate_flow.sources import read_article

from .conftest import REPO, SAMPLE, po_path
from .test_catalogs import edit_source, translate

EDITIONS = Path(__file__).parent / "editions"
GOLD = {name: pairs for name, pairs in json.loads((EDITIONS / "gold.json").read_text()).items() if " " in name}
SAMPLE_PAIR = [f"sources/en/{SAMPLE}.md", f"sources/ro/{SAMPLE}.md"]


def edition(slug: str, language: str):
    base = REPO / "sources" if slug == SAMPLE else EDITIONS
    return read_article(base / language / f"{slug}.md", language)


@pytest.mark.parametrize("name", GOLD)
def test_precision_and_recall_against_the_gold_alignment(name):
    slug, source, target = name.split()
    beads = align(edition(slug, source), edition(slug, target)).beads
    found = {(bead.source, bead.target) for bead in beads}
    gold = {(tuple(s), tuple(t)) for s, t in GOLD[name]}
    precision, recall = len(found & gold) / len(found), len(found & gold) / len(gold)
    assert precision >= 0.95, sorted(found - gold)
    assert recall >= 0.95, sorted(gold - found)


def test_the_gold_covers_every_kind_of_bead():
    shapes = {(len(s), len(t)) for pairs in GOLD.values() for s, t in pairs}
    assert shapes == {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)}


def pair(cli) -> list[str]:
    return [str(cli.root / path) for path in SAMPLE_PAIR]


def test_json_has_every_sentence_once_in_document_order(cli):
    result = cli.project("align", *pair(cli), "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    english = [s.text for s in edition(SAMPLE, "en").segments]
    romanian = [s.text for s in edition(SAMPLE, "ro").segments]
    assert [s for row in rows for s in row["source"]] == english
    assert [t for row in rows for t in row["target"]] == romanian
    assert all(set(row) == {"source", "target", "score"} and 0 <= row["score"] <= 1 for row in rows)
    assert (len(rows[2]["source"]), len(rows[2]["target"])) == (2, 1)  # the merge


def test_readable_output(cli):
    result = cli.project("align", *pair(cli))
    assert "2:1  NATO will work with the winner" in result.stdout
    assert "1:2  “Whoever wins those elections" in result.stdout


def test_write_seeds_the_catalog_for_review(cli):
    result = cli.project("align", *pair(cli), "--write")
    assert result.exit_code == 0, result.output
    assert "17 entries seeded" in result.stderr
    path = po_path(cli.root, "ro")
    po = polib.pofile(str(path))
    first = po.find("NATO will work with the winner of the US elections, whoever that person may be and will do "
                    "its best to stay united, NATO secretary general Mark Rutte promised on Monday.")  # fmt: skip
    assert first.msgstr.startswith("NATO va colabora cu câștigătorul alegerilor")
    assert first.flags == ["fuzzy"]
    assert re.fullmatch(rf"aligned: sources/ro/{SAMPLE}\.md:9 score=\d\.\d\d", first.tcomment)
    merged = po.find("He was in Berlin for talks with German chancellor Olaf Scholz.")
    assert (merged.msgstr, merged.flags) == ("", [])
    assert merged.tcomment == (f"merged: with the entry above; msgstr stays empty (aligned: sources/ro/{SAMPLE}.md:9)")
    split = next(e for e in po if e.msgid.startswith("“Whoever wins"))
    assert split.msgstr.endswith("a declarat Rutte. Fostul prim-ministru al Țărilor de Jos i-a succedat lui Jens "
                                 "Stoltenberg la conducerea NATO.")  # fmt: skip
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def test_reviewed_translations_are_never_replaced_machine_ones_are(cli):
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    translate(path, {"NATO must stay united": "Titlul revizuit"})
    po = polib.pofile(str(path))
    machine = next(e for e in po if e.msgid.startswith("He said he knows"))
    machine.msgstr, machine.flags, machine.tcomment = "gibberish", ["fuzzy"], "mt: argos en→ro x 1.0 beam=4 score=-1.00"
    po.save()
    cli.project("align", *pair(cli), "--write")
    po = polib.pofile(str(path))
    assert po.find("NATO must stay united").msgstr == "Titlul revizuit"
    replaced = next(e for e in po if e.msgid.startswith("He said he knows"))
    assert replaced.msgstr.startswith("El a spus că îi cunoaște bine")
    assert replaced.tcomment.startswith("aligned: ")


def accept_everything(path: Path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()


def words_of(markdown: str) -> tuple[dict, str]:
    """Front-matter values and the body with all whitespace removed."""
    import yaml

    _, front, body = markdown.split("---\n", 2)
    fields = yaml.safe_load(front)
    fields.pop("translation", None)  # what a build adds: how much is reviewed
    return fields, re.sub(r"\s+", "", body)


@pytest.mark.parametrize(
    ("slug", "locale"), [(SAMPLE, "ro"), ("eu-defence-budget", "ro"), ("allies-boost-air-defence", "de")]
)
def test_accepted_alignment_builds_the_edition(project_dir, slug, locale):
    for language in ("en", locale):
        target = project_dir / "sources" / language / f"{slug}.md"
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copy(EDITIONS / language / f"{slug}.md", target)
    project = Project(project_dir)
    project.run([slug], [locale])
    accept_everything(po_path(project_dir, locale, slug))
    project.build([slug], [locale])
    built = (project_dir / "dist" / locale / f"{slug}.md").read_text(encoding="utf-8")
    original = (project_dir / "sources" / locale / f"{slug}.md").read_text(encoding="utf-8")
    assert words_of(built) == words_of(original)


def test_left_out_and_added_sentences_in_the_catalog(project_dir):
    for language in ("en", "ro"):
        shutil.copy(EDITIONS / language / "eu-defence-budget.md", project_dir / "sources" / language)
    project = Project(project_dir)
    project.run(["eu-defence-budget"], ["ro"])
    po = polib.pofile(str(po_path(project_dir, "ro", "eu-defence-budget")))
    dropped = po.find("Diplomats described the mood as tense but constructive.")
    assert (dropped.msgstr, dropped.tcomment) == (
        "",
        "merged: with the entry above; msgstr stays empty (aligned: left out of sources/ro/eu-defence-budget.md)",
    )
    hungary = po.find("Hungary abstained from the vote.")
    assert hungary.msgstr == (
        "Ungaria s-a abținut de la vot. Anul trecut, statele membre cheltuiseră împreună peste 300 de miliarde "
        "pentru apărare."
    )


def test_run_uses_editions_by_itself_and_only_once(cli):
    result = cli.project("run", "-l", "ro")
    assert result.exit_code == 0
    po = polib.pofile(str(po_path(cli.root, "ro")))
    for entry in po:
        aligned = entry.tcomment.startswith("aligned: ") and "fuzzy" in entry.flags
        assert aligned or (entry.tcomment.startswith("merged: ") and entry.msgstr == ""), entry
    before = po_path(cli.root, "ro").read_bytes()
    cli.project("run", "-l", "ro")
    assert po_path(cli.root, "ro").read_bytes() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([f"sources/en/{SAMPLE}.md", "sources/ro/missing.md"], "source not found"),
        ([f"sources/en/{SAMPLE}.md", "notes/x.md"], "notes/x.md:1: missing front matter"),
    ],
)
def test_bad_editions_are_refused(cli, arguments, message):
    (cli.root / "notes").mkdir()
    (cli.root / "notes" / "x.md").write_text("x", encoding="utf-8")
    result = cli.project("align", *[str(cli.root / a) for a in arguments])
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_changed_merged_sentence_stays_merged_and_its_group_fuzzy(cli):
    cli.project("align", *pair(cli), "--write")
    accept_everything(po_path(cli.root, "ro"))
    edit_source(cli.root, "He was in Berlin", "He was in Bucharest")
    cli.project("update", "-l", "ro")
    po = polib.pofile(str(po_path(cli.root, "ro")))
    changed = po.find("He was in Bucharest for talks with German chancellor Olaf Scholz.")
    assert changed.msgstr == "" and changed.tcomment.startswith("merged: ")
    assert changed.previous_msgid == "He was in Berlin for talks with German chancellor Olaf Scholz."
    head = po[po.index(changed) - 1]
    assert head.msgstr.startswith("NATO va colabora") and "fuzzy" in head.flags
    assert po.obsolete_entries() == []
    status = json.loads(cli.project("status", "-l", "ro", "--json").stdout)[0]
    assert status["fuzzy"] == 2


sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(
        st.sampled_from(["nato", "Rutte", "said", "40", "the", "war", "„quoted”", "2024", "Berlin"]),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([".", "!", "?"]),
)
paragraphs = st.lists(st.lists(sentence, min_size=1, max_size=4), min_size=1, max_size=4)


def article_of(tmp_path: Path, language: str, body: list[list[str]]):
    path = tmp_path / language / "a.md"
    path.parent.mkdir(exist_ok=True)
    text = "\n\n".join(" ".join(p) for p in body)
    path.write_text(
        f"---\ntitle: T\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: {language}\n---\n\n{text}\n",
        encoding="utf-8",
    )
    return read_article(path, language)


@settings(max_examples=100)
@given(source=paragraphs, target=paragraphs)
def test_every_sentence_is_in_exactly_one_bead_in_order_but_for_single_sentences_moved(
    tmp_path_factory, source, target
):
    folder = tmp_path_factory.mktemp("editions")
    left, right = article_of(folder, "en", source), article_of(folder, "ro", target)
    beads = align(left, right).beads
    assert [i for bead in beads for i in bead.source] == list(range(len(left.segments)))
    assert sorted(j for bead in beads for j in bead.target) == list(range(len(right.segments)))
    # Only 1:1 links leave the edition's order (swapped neighbours, moved sentences): the other beads keep it.
    ordered = [j for bead in beads if (len(bead.source), len(bead.target)) != (1, 1) for j in bead.target]
    assert ordered == sorted(ordered)
    assert {(len(b.source), len(b.target)) for b in beads} <= {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)}
    assert all(0 <= bead.score <= 1 for bead in beads)


def test_beads_follow_the_document_when_the_summary_comes_before_the_title(tmp_path):
    articles = []
    for language in ("en", "ro"):
        text = (REPO / "sources" / language / f"{SAMPLE}.md").read_text(encoding="utf-8")
        swapped = re.sub(r"(?m)^(title:.*\n)(summary:.*\n)", r"\2\1", text)
        assert swapped != text
        (tmp_path / f"{language}.md").write_text(swapped, encoding="utf-8")
        articles.append(read_article(tmp_path / f"{language}.md", language))
    beads = align(*articles).beads
    assert [articles[0].segments[b.source[0]].location for b in beads[:2]] == ["summary", "title"]
    assert [i for bead in beads for i in bead.source] == list(range(len(articles[0].segments)))
    assert [j for bead in beads for j in bead.target] == list(range(len(articles[1].segments)))


def test_two_sentences_swapped_within_a_paragraph_are_linked_crosswise(tmp_path):
    original, romanian = edition(SAMPLE, "en"), edition(SAMPLE, "ro")
    i, k = (
        next(n for n, s in enumerate(e.segments) if s.location == "paragraph 2, sentence 1")
        for e in (original, romanian)
    )
    assert {((i,), (k,)), ((i + 1,), (k + 1,))} <= {(b.source, b.target) for b in align(original, romanian).beads}
    first, second = romanian.segments[k].text, romanian.segments[k + 1].text
    text = romanian.path.read_text(encoding="utf-8")
    (tmp_path / "ro.md").write_text(text.replace(f"{first} {second}", f"{second} {first}"), encoding="utf-8")
    swapped = read_article(tmp_path / "ro.md", "ro")
    assert {((i,), (k + 1,)), ((i + 1,), (k,))} <= {(b.source, b.target) for b in align(original, swapped).beads}


def _edited_edition(tmp_path: Path, edit) -> Article:
    text = (REPO / "sources" / "ro" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    (tmp_path / "ro.md").write_text(edit(text), encoding="utf-8")
    return read_article(tmp_path / "ro.md", "ro")


def _sentence_to_paragraph_end(text: str) -> str:
    paragraph = next(p for p in text.split("\n\n") if p.startswith("De la preluarea mandatului, Rutte"))
    first, rest = paragraph.split(". ", 1)
    return text.replace(paragraph, f"{rest} {first}.")


def _last_paragraph_first(text: str) -> str:
    front, body = text.split("---\n\n")
    *paragraphs, last = body.strip().split("\n\n")
    return front + "---\n\n" + "\n\n".join([last, *paragraphs]) + "\n"


@pytest.mark.parametrize("edit", [_sentence_to_paragraph_end, _last_paragraph_first])
def test_sentences_and_paragraphs_the_edition_moved_are_linked_out_of_order(tmp_path, edit):
    original, romanian = edition(SAMPLE, "en"), edition(SAMPLE, "ro")
    moved = _edited_edition(tmp_path, edit)
    assert [s.text for s in moved.segments] != [s.text for s in romanian.segments]
    gold = {(i, romanian.segments[j].text) for s, t in GOLD[f"{SAMPLE} en ro"] for i in s for j in t}
    found = {
        (i, moved.segments[j].text) for bead in align(original, moved).beads for i in bead.source for j in bead.target
    }
    assert found == gold


def test_a_rewritten_title_is_linked_when_the_bodies_are_one_article_and_only_then(tmp_path):
    """The title shares no word with the original's; what vouches for it is the rest of the article."""
    title = "Apel la solidaritate înaintea votului american"
    retitled = _edited_edition(tmp_path, lambda text: re.sub(r"(?m)^title:.*$", f"title: {title}", text))
    title_bead = {(b.source, b.target): b.score for b in align(edition(SAMPLE, "en"), retitled).beads}.get(((0,), (0,)))
    assert title_bead is not None and title_bead >= 0.5
    other = tmp_path / "other.md"
    text = (EDITIONS / "ro" / "eu-defence-budget.md").read_text(encoding="utf-8")
    other.write_text(re.sub(r"(?m)^title:.*$", f"title: {title}", text), encoding="utf-8")
    assert ((0,), (0,)) not in {
        (b.source, b.target) for b in align(edition(SAMPLE, "en"), read_article(other, "ro")).beads
    }


def test_an_edition_anywhere_takes_its_language_from_its_front_matter(cli):
    downloads = cli.root / "Downloads"
    downloads.mkdir()
    shutil.copy(cli.root / SAMPLE_PAIR[1], downloads / f"{SAMPLE}.md")
    result = cli.project("align", pair(cli)[0], str(downloads / f"{SAMPLE}.md"), "--write")
    assert result.exit_code == 0, result.output
    assert po_path(cli.root, "ro").is_file()


def test_an_edition_summary_the_original_lacks_is_not_added_to_the_title(cli):
    original = cli.root / SAMPLE_PAIR[0]
    text = original.read_text(encoding="utf-8")
    original.write_text(re.sub(r"(?m)^summary:.*\n", "", text), encoding="utf-8")
    result = cli.project("align", *pair(cli), "--write")
    assert result.exit_code == 0, result.output
    title = polib.pofile(str(po_path(cli.root, "ro"))).find("NATO must stay united")
    edition_title = edition(SAMPLE, "ro").segments[0].text
    assert title.msgstr == edition_title


def test_different_articles_warn_and_write_needs_force(cli):
    other = cli.root / "sources" / "ro" / "other.md"
    shutil.copy(EDITIONS / "ro" / "eu-defence-budget.md", other)
    arguments = [pair(cli)[0], str(other)]
    shown = cli.project("align", *arguments)
    assert shown.exit_code == 0 and "looks like a different article" in shown.stderr
    refused = cli.project("align", *arguments, "--write")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert not po_path(cli.root, "ro").exists()
    assert cli.project("align", *arguments, "--write", "--force").exit_code == 0
    assert po_path(cli.root, "ro").is_file()


def test_a_good_machine_translation_raises_the_scores_of_the_right_pairs():
    source, target = edition(SAMPLE, "en"), edition(SAMPLE, "ro")
    plain = {(b.source, b.target): b.score for b in align(source, target).beads}
    # A perfect "machine translation" of each English sentence: the edition's own words for it, by the gold alignment.
    words = {i: " ".join(target.segments[j].text for j in t) for s, t in GOLD[f"{SAMPLE} en ro"] for i in s}
    perfect = [words.get(i, "") for i in range(len(source.segments))]
    helped = {(b.source, b.target): b.score for b in align(source, target, perfect).beads}
    linked = [bead for bead in plain if all(bead)]
    assert all(helped[bead] >= plain[bead] for bead in linked)
    assert sum(helped[bead] for bead in linked) > sum(plain[bead] for bead in linked)


def test_run_leaves_an_edition_of_a_different_article_alone_and_says_so(project_dir):
    edition_path = project_dir / "sources" / "ro" / f"{SAMPLE}.md"
    edition_path.write_text((EDITIONS / "ro" / "eu-defence-budget.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = Project(project_dir).run(locales=["ro"])
    assert [(p.path, p.message.split(":")[0]) for p in report.problems] == [
        (f"sources/ro/{SAMPLE}.md", "looks like a different article")
    ]
    po = polib.pofile(str(po_path(project_dir, "ro")))
    assert not any(e.tcomment.startswith("aligned: ") for e in po)


@pytest.fixture
def alignments(monkeypatch) -> list[str]:
    """The editions aligned, by slug, as they are aligned."""
    from translate_flow.aligning import Aligning

    seen: list[str] = []
    real = Aligning.align
    monkeypatch.setattr(
        Aligning, "align", lambda self, original, edition: seen.append(edition.slug) or real(self, original, edition)
    )
    return seen


def test_run_aligns_an_edition_again_only_when_something_it_depends_on_changed(project_dir, alignments):
    Project(project_dir).run(locales=["ro"])
    assert alignments == [SAMPLE]
    again = Project(project_dir).run(locales=["ro"])
    assert alignments == [SAMPLE]  # the original, the edition, the catalog and the translator are as they were
    assert f"locales/ro/{SAMPLE}.po" in again.unchanged
    edition_path = project_dir / "sources" / "ro" / f"{SAMPLE}.md"
    edition_path.write_text(edition_path.read_text(encoding="utf-8").replace("NATO", "Alianța"), encoding="utf-8")
    Project(project_dir).run(locales=["ro"])
    assert alignments == [SAMPLE, SAMPLE]
    po = polib.pofile(str(po_path(project_dir, "ro")))
    po.find("NATO must stay united").msgstr = "O traducere a omului"
    po.save()
    Project(project_dir).run(locales=["ro"])
    assert alignments == [SAMPLE, SAMPLE, SAMPLE]  # a translator's save: their catalog is seeded again around them


def test_an_edition_of_a_different_article_is_reported_every_run_and_aligned_once(project_dir, alignments):
    edition_path = project_dir / "sources" / "ro" / f"{SAMPLE}.md"
    edition_path.write_text((EDITIONS / "ro" / "eu-defence-budget.md").read_text(encoding="utf-8"), encoding="utf-8")
    first, second = (Project(project_dir).run(locales=["ro"]) for _ in range(2))
    assert [p.message for p in second.problems] == [p.message for p in first.problems]
    assert "looks like a different article" in second.problems[0].message
    assert alignments == [SAMPLE]


def test_a_model_installed_since_aligns_the_edition_again(project_dir, alignments, monkeypatch):
    from translate_flow import packages

    Project(project_dir).run(locales=["ro"])
    model = packages.PackageInfo("translate-en_de-1_0", "en", "de", "1.0", project_dir, 1)
    monkeypatch.setattr(packages, "installed", lambda: [model])  # any model: "auto" may now choose another
    Project(project_dir).run(locales=["ro"])
    assert alignments == [SAMPLE, SAMPLE]
