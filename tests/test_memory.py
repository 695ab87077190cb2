"""Fuzzy translation memory: match quality, the index against a full scan, the cache, and the workflow."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow.memory import Suggestion, fitted, match_percent
from translate_flow.provenance import Provenance
from translate_flow.tm_index import Hit, TmIndex, Unit

from .conftest import SAMPLE, po_path
from .test_catalogs import translate

# A reviewed memory of newsroom sentences, and new sentences with the entry each should find.
MEMORY = [
    "NATO must stay united, Mark Rutte said on Monday.",
    "NATO must spend more on defence, the allies agreed.",
    "In 2023 defence spending across the alliance rose by 11 percent.",
    "The summit in Washington will be held on 9 July.",
    "Allies must raise defence spending, the secretary general said.",
    "He was in Berlin for talks with German chancellor Olaf Scholz.",
    "The European Commission proposed new rules for energy markets.",
    "Ukraine's president thanked the allies for their support.",
    "The talks ended without an agreement late on Friday night.",
    "Prices for gas and electricity fell for the third month in a row.",
    "The minister said the government would not raise taxes this year.",
    "Voters in Romania go to the polls on Sunday to elect a new president.",
]
NEAR = {  # one or two words changed, added or dropped
    "NATO must stay united, Mark Rutte said on Tuesday.": 0,
    "NATO must stay united, Mark Rutte told reporters on Monday.": 0,
    "He was in Berlin for talks with chancellor Olaf Scholz.": 5,
    "The European Commission proposed new rules for electricity markets.": 6,
    "Ukraine's president thanked the allies for their continued support.": 7,
    "The talks ended without an agreement late on Saturday night.": 8,
}
REORDERED = {
    "The secretary general said allies must raise defence spending.": 4,
    "On Monday Mark Rutte said NATO must stay united.": 0,
    "The government would not raise taxes this year, the minister said.": 10,
}
NUMBERS = {
    "In 2024 defence spending across the alliance rose by 12 percent.": 2,
    "The summit in Washington will be held on 10 July.": 3,
}
UNRELATED = [  # words shared with the memory, another sentence
    "NATO must decide on Monday, the allies said.",
    "The allies agreed on new rules for the summit.",
    "The president said the talks in Berlin ended without taxes.",
    "Defence ministers met in Washington on Friday night.",
    "Gas prices rose in Romania for the third year.",
    "The minister thanked voters for their support on Sunday.",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> TmIndex:
    folder = tmp_path_factory.mktemp("tm")
    source = folder / "memory.po"
    source.write_text("reviewed")
    built = TmIndex(folder / "ro.sqlite3")
    built.sync([(source, "locales/ro/memory.po")], lambda path, shown: [(s, f"[ro] {s}") for s in MEMORY])
    yield built
    built.close()


@pytest.mark.parametrize("query", [*NEAR, *REORDERED, *NUMBERS])
def test_the_best_match_is_the_right_sentence(index, query):
    expected = {**NEAR, **REORDERED, **NUMBERS}[query]
    hit = index.best(query, 75)
    assert hit is not None, query
    assert hit.unit.source == MEMORY[expected]
    assert 75 <= hit.score < 100
    assert index.scan(query, 75) == hit


@pytest.mark.parametrize("query", UNRELATED)
def test_no_unrelated_sentence_reaches_the_threshold(index, query):
    assert index.best(query, 75) is None
    assert index.scan(query, 75) is None
    assert index.scan(query, 1) is not None  # they do share words


def test_an_exact_match_is_100_and_nothing_else_is(index):
    assert index.best(MEMORY[3], 75).score == 100
    assert index.best(MEMORY[3].upper(), 75).score == 99  # same words, other case


VOCABULARY = ["nato", "allies", "must", "stay", "spend", "united", "rutte", "said", "the", "in", "a", "of"]
WORDS = st.sampled_from([*VOCABULARY, "2023", "2024", "<1>", "</1>", "<2/>"])
SENTENCES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60)
@given(memory=st.lists(SENTENCES, min_size=1, max_size=40), queries=st.lists(SENTENCES, max_size=8))
def test_the_index_finds_what_a_full_scan_finds(tmp_path_factory, memory, queries):
    folder = tmp_path_factory.mktemp("property")
    (folder / "m.po").write_text("x")
    tm = TmIndex(folder / "i.sqlite3")
    tm.sync([(folder / "m.po", "m.po")], lambda path, shown: [(s, s) for s in memory])
    try:
        for query in [*queries, *memory[:3]]:
            for minimum in (50, 75, 90):
                assert tm.best(query, minimum) == tm.scan(query, minimum)
    finally:
        tm.close()


def test_the_index_is_rebuilt_only_when_reviewed_units_change(tmp_path):
    files = [(tmp_path / "a.po", "a.po"), (tmp_path / "b.po", "b.po")]
    content = {"a.po": [("One sentence here.", "Una.")], "b.po": [("Another one there.", "Alta.")]}
    reads: list[str] = []

    def read(path: Path, shown: str):
        reads.append(shown)
        return content[shown]

    for path, _ in files:
        path.write_text("v1")
    tm = TmIndex(tmp_path / "cache.sqlite3")
    tm.sync(files, read)
    assert (tm.rebuilt, reads, len(tm)) == (True, ["a.po", "b.po"], 2)
    reads.clear()
    TmIndex(tmp_path / "cache.sqlite3").sync(files, read)  # unchanged: nothing is read
    assert reads == []
    files[1][0].write_text("v2: a fuzzy entry added, nothing reviewed")
    tm.sync(files, read)
    assert (tm.rebuilt, reads) == (False, ["b.po"])
    content["b.po"] = [("Another one there.", "Alta.")] * 0 + [("A new reviewed sentence.", "Nouă.")]
    files[1][0].write_text("v3")
    reads.clear()
    tm.sync(files, read)
    assert (tm.rebuilt, reads) == (True, ["b.po"])
    assert tm.best("A new reviewed sentence.", 75).unit.target == "Nouă."
    assert tm.best("Another one there.", 75) is None
    files[0][0].unlink()  # a file that went away takes its units with it
    tm.sync(files, read)
    assert tm.best("One sentence here.", 75) is None
    tm.close()


def test_a_fuzzy_match_is_fitted_to_the_new_sentence():
    unit = Unit(
        "In 2023 spending rose by 12 percent, <1>Rutte</1> said.",
        "În 2023 cheltuielile au crescut cu 12 la sută, a spus <1>Rutte</1>.",
        "locales/ro/a.po",
    )
    same_shape = fitted(Hit(unit, 81.8), "In 2024 spending rose by 15 percent, <1>Rutte</1> said.")
    assert same_shape == Suggestion(
        "În 2024 cheltuielile au crescut cu 15 la sută, a spus <1>Rutte</1>.",
        Provenance("tm", "81% locales/ro/a.po numbers=2023→2024,12→15"),
        previous=unit.source,
    )
    moved = fitted(Hit(unit, 80), "<1/> In 2023 spending rose by 12 percent, <2>Rutte</2> said on 5 May.")
    assert moved.text == "În 2023 cheltuielile au crescut cu 12 la sută, a spus <2>Rutte</2>."
    assert moved.provenance.format() == "tm: 80% locales/ro/a.po numbers=?→5 tags=check"  # <1/> has no place yet
    written_otherwise = Unit("It cost 40,000 euros.", "A costat 40.000 de euro.", "x.po")
    note = fitted(Hit(written_otherwise, 80), "It cost 50,000 euros.")
    assert note.text == written_otherwise.target  # not written as in the source: not guessed at
    assert note.provenance.format().endswith("numbers=40,000→50,000")


def test_match_percent_reads_provenance():
    assert [match_percent(line) for line in ("tm: 86% a.po", "tm: a.po", "mt: argos en→ro", None)] == [
        86,
        100,
        None,
        None,
    ]


# --- the workflow ------------------------------------------------------------------------

BERLIN = "He was in Berlin for talks with German chancellor Olaf Scholz."
REPEAT = "He was in Bucharest for talks with German chancellor Olaf Scholz."


def write_article(root: Path, slug: str, body: str) -> None:
    (root / "sources" / "en" / f"{slug}.md").write_text(
        f"---\ntitle: Short\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: en\n---\n\n{body}\n",
        encoding="utf-8",
    )


def entry(root: Path, slug: str, msgid: str) -> polib.POEntry:
    return polib.pofile(str(po_path(root, "ro", slug))).find(msgid)


def test_translate_suggests_a_fuzzy_match_for_review(cli):
    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {BERLIN: "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."})
    write_article(cli.root, "repeat", f"{REPEAT} Nothing like anything before.")
    result = cli.project("translate", "repeat", "-l", "ro")
    assert result.exit_code == 0, result.output
    assert "1 from memory" in result.stderr
    found = entry(cli.root, "repeat", REPEAT)
    assert found.msgstr == "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."
    assert found.flags == ["fuzzy"]
    assert found.tcomment == f"tm: 90% locales/ro/{SAMPLE}.po"
    assert found.previous_msgid == BERLIN
    assert entry(cli.root, "repeat", "Nothing like anything before.").msgstr == ""  # no model, nothing close
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path(cli.root, "ro", "repeat"))], check=True)

    shown = cli.project("queue", "ro", "repeat")
    assert f"  from:       tm: 90% locales/ro/{SAMPLE}.po" in shown.stdout
    assert "  90% match:  he was in [-Berlin-] {+Bucharest+} for talks" in shown.stdout.replace("He was", "he was")
    rows = json.loads(cli.project("queue", "ro", "repeat", "--json").stdout)
    assert [row["match"] for row in rows if row["source"] == REPEAT] == [90]
    assert all(row["match"] is None for row in rows if row["source"] != REPEAT)


def test_a_memory_that_found_nothing_is_not_asked_again_until_it_changes(cli, monkeypatch):
    """A cron tick with no model for a pair: its untranslated entries are looked up once per memory, not per run."""
    from translate_flow.tm_index import TmIndex

    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {BERLIN: "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."})
    write_article(cli.root, "repeat", f"{REPEAT} Nothing like anything before.")
    asked: list[str] = []
    real = TmIndex.best
    monkeypatch.setattr(TmIndex, "best", lambda self, text, minimum: asked.append(text) or real(self, text, minimum))
    cli.project("translate", "repeat", "-l", "ro")  # the memory fills REPEAT; the other sentences stay empty
    assert "Nothing like anything before." in asked
    cli.project("translate", "repeat", "-l", "ro")  # the sentences still waiting, looked up once more
    asked.clear()
    assert "0 from memory" in cli.project("translate", "repeat", "-l", "ro").stderr
    assert asked == []  # the same sentences, the same memory: nothing to look up
    translate(po_path(cli.root, "ro"), {BERLIN: "A fost la Berlin, la discuții cu Olaf Scholz."})  # a new memory
    cli.project("translate", "repeat", "-l", "ro")
    assert "Nothing like anything before." in asked


def test_below_fuzzy_min_nothing_is_suggested(cli):
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text().replace("fuzzy_min = 75", "fuzzy_min = 95"))
    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {BERLIN: "A fost la Berlin."})
    write_article(cli.root, "repeat", REPEAT)
    assert "0 from memory" in cli.project("translate", "repeat", "-l", "ro").stderr
    assert entry(cli.root, "repeat", REPEAT).msgstr == ""


def test_a_reviewed_match_replaces_machine_output_and_is_exported_once_reviewed(cli, tmp_path):
    cli.project("update", "-l", "ro")
    write_article(cli.root, "repeat", REPEAT)
    cli.project("update", "repeat", "-l", "ro")
    path = po_path(cli.root, "ro", "repeat")
    po = polib.pofile(str(path))
    suggested = po.find(REPEAT)
    suggested.msgstr, suggested.flags = "garbled", ["fuzzy"]
    suggested.tcomment = "mt: argos en→ro translate-en_ro 1.0 beam=4 score=-1.00"
    po.save()
    translate(po_path(cli.root, "ro"), {BERLIN: "A fost la Berlin."})
    cli.project("translate", "repeat", "-l", "ro")
    assert entry(cli.root, "repeat", REPEAT).msgstr == "A fost la Berlin."  # memory beat the model

    exported = tmp_path / "out.tmx"
    cli.project("tm", "export", "--tmx", str(exported))
    assert REPEAT not in exported.read_text()  # a suggestion, not yet reviewed
    translate(path, {REPEAT: "A fost la București."})
    cli.project("tm", "export", "--tmx", str(exported))
    assert REPEAT in exported.read_text()


def test_memory_tmx_gives_fuzzy_matches_too(cli, tmp_path):
    source = tmp_path / "in.tmx"
    source.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body>'
        f'<tu><tuv xml:lang="en"><seg>{BERLIN}</seg></tuv><tuv xml:lang="ro"><seg>Din memorie.</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    assert cli.project("tm", "import", "--tmx", str(source)).exit_code == 0
    write_article(cli.root, "repeat", REPEAT)
    cli.project("translate", "repeat", "-l", "ro")
    found = entry(cli.root, "repeat", REPEAT)
    assert (found.msgstr, found.tcomment) == ("Din memorie.", "tm: 90% locales/memory.tmx")
    assert (cli.root / ".translate-flow" / "tm" / "ro.sqlite3").is_file()


def test_fuzzy_min_is_checked(cli):
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text().replace("fuzzy_min = 75", "fuzzy_min = 0"))
    result = cli.project("status")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("memory.fuzzy_min: must be a number in (0, 100], not 0")


def test_a_damaged_cache_is_rebuilt(tmp_path):
    (tmp_path / "a.po").write_text("x")
    cache = tmp_path / "ro.sqlite3"
    cache.write_bytes(b"not a database at all" * 100)
    tm = TmIndex(cache)
    tm.sync([(tmp_path / "a.po", "a.po")], lambda path, shown: [("One sentence here.", "Una.")])
    assert tm.best("One sentence here.", 75).unit.target == "Una."
    tm.close()


def test_a_score_just_at_the_threshold_counts(tmp_path):
    (tmp_path / "a.po").write_text("x")
    tm = TmIndex(tmp_path / "ro.sqlite3")
    tm.sync([(tmp_path / "a.po", "a.po")], lambda path, shown: [("one two three four", "1 2 3 4")])
    hit = tm.best("one two three five", 75)  # 3 of 4 words: 75%
    assert hit is not None and hit.score == 75 == tm.scan("one two three five", 75).score
    assert tm.best("one two three five", 75.01) is None
    tm.close()
