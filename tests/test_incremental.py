"""Re-runs cost what changed: parses and writes are counted, caches are damaged on purpose."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate_flow import filetimes, pipeline, salt, state
from translate_flow.pipeline import Project, Report

from .conftest import po_path

STORY = """---
title: Story {n}
author: Desk
published: 2024-11-05T13:50:00+02:00
language: en
---

The council met on Monday in story {n}. It approved the budget for the next year.

## Reactions

Farmers said the *new rules* were too strict. The minister promised talks in story {n}.
"""


@pytest.fixture
def newsroom(project_dir: Path) -> Path:
    """The sample project and three short stories."""
    for n in range(3):
        (project_dir / "sources" / "en" / f"story-{n}.md").write_text(STORY.format(n=n))
    return project_dir


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """The articles parsed, by path, as they are parsed."""
    seen: list[Path] = []
    real = pipeline.read_article

    def counting(path: Path, *args, **kwargs):
        seen.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_article", counting)
    return seen


def clock_moved_on(monkeypatch) -> None:
    """As a later cron tick finds the files: all of them older than the racy window."""
    monkeypatch.setattr(filetimes, "RACY_NS", 0)
    monkeypatch.setattr(filetimes, "FINE_RACY_NS", 0)


def full_pass(root: Path) -> Report:
    """extract, update, build and status, by a fresh project as a new process would."""
    project = Project(root)
    report = project.extract()
    report.extend(project.update())
    report.extend(project.build())
    project.status()
    return report


def outputs(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in [*root.glob("locales/**/*.po*"), *root.glob("dist/**/*.*")]}


def test_a_rerun_with_nothing_changed_parses_nothing_and_writes_nothing(newsroom: Path, parses: list[Path]):
    full_pass(newsroom)
    assert len(parses) == 4
    before = outputs(newsroom)
    parses.clear()
    report = full_pass(newsroom)
    assert parses == []
    assert report.written == []
    assert outputs(newsroom) == before


def test_after_one_edited_sentence_only_that_article_is_parsed_again(newsroom: Path, parses: list[Path]):
    full_pass(newsroom)
    story = newsroom / "sources" / "en" / "story-1.md"
    story.write_text(story.read_text().replace("too strict", "far too strict"))
    parses.clear()
    report = full_pass(newsroom)
    assert parses == [story]
    assert sorted(report.written) == sorted(
        ["locales/templates/story-1.pot"]
        + [f"locales/{loc}/story-1.po" for loc in ("ro", "de", "fr")]
        + [f"dist/{loc}/story-1{suffix}" for loc in ("en", "ro", "de", "fr") for suffix in (".md", ".html")]
    )


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garble":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1 :])
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["truncate", "garble", "empty"])
def test_a_damaged_cache_is_rebuilt_never_trusted(newsroom: Path, parses: list[Path], how: str):
    full_pass(newsroom)
    before = outputs(newsroom)
    cache = newsroom / ".translate-flow"
    damage(cache / state.STATE_FILE, how)  # the records and the parsed articles
    parses.clear()
    report = full_pass(newsroom)
    # A garbled byte spoils one record of the state (its CRC fails), or a page sqlite then refuses.
    assert len(parses) == 4 if how != "garble" else len(parses) <= 4
    assert report.written == []
    assert outputs(newsroom) == before
    parses.clear()
    full_pass(newsroom)
    assert parses == []


def test_parses_are_rows_of_the_state_not_a_file_per_article(newsroom: Path, parses: list[Path]):
    """Creating a file costs the kernel more than parsing a short article's front matter; and an old folder goes."""
    old = newsroom / ".translate-flow" / "parsed" / "ab"
    old.mkdir(parents=True)
    (old / "ab12.json").write_text("{}")
    full_pass(newsroom)
    assert not (newsroom / ".translate-flow" / "parsed").exists()
    with sqlite3.connect(newsroom / ".translate-flow" / state.STATE_FILE) as db:
        assert db.execute("SELECT count(*) FROM parsed").fetchone() == (4,)
    parses.clear()
    (newsroom / "sources" / "en" / "story-0.md").touch()  # a new stat: its record is checked, its parse reused
    full_pass(newsroom)
    assert parses == []


class _CreatesMarker:
    """Unpickling this calls open(marker, "w"): if the marker exists, a planted pickle ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_never_runs_and_the_article_is_parsed_again(newsroom: Path, parses: list[Path], tmp_path):
    """Someone who can write the project's files plants a pickle as each parsed record, checksum right."""
    import pickle

    full_pass(newsroom)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_CreatesMarker(marker))
    with sqlite3.connect(newsroom / ".translate-flow" / state.STATE_FILE) as db:
        planted = state.ARTICLE_FORMAT + b" " + state.sha256(payload).encode() + b"\n" + payload
        assert db.execute("UPDATE parsed SET body = ?", (planted,)).rowcount == 4
        db.execute("DELETE FROM records WHERE key != ?", (state.SALT_KEY,))  # so that each article is read again
    parses.clear()
    full_pass(newsroom)
    assert not marker.exists()
    assert len(parses) == 4
    parses.clear()
    full_pass(newsroom)
    assert parses == []


def test_a_record_round_trips_every_article(newsroom: Path):
    from translate_flow.article_record import article_from_dict, article_to_dict
    from translate_flow.sources import read_article

    paths = sorted([*newsroom.glob("sources/en/*.md"), *(Path(__file__).parent / "editions").glob("*/*.md")])
    assert len(paths) > 4
    for path in paths:
        article = read_article(path, path.parent.name, None, path.read_bytes())
        assert article_from_dict(json.loads(json.dumps(article_to_dict(article)))) == article


@pytest.mark.parametrize("record", [[], {"slug": 1}, {"pieces": [{"markup": [["<1>"]]}]}])
def test_a_record_of_the_wrong_shape_is_a_value_error(record):
    from translate_flow.article_record import article_from_dict

    with pytest.raises(ValueError):
        article_from_dict(record)


def test_a_forged_record_is_not_used_once_the_checksum_fails(newsroom: Path):
    full_pass(newsroom)
    source = newsroom / "sources" / "en" / "story-0.md"
    key = ("extract", "sources/en/story-0.md", state.sha256(source.read_bytes()))

    def recorded():
        return state.State.open(newsroom / ".translate-flow", (newsroom / "translate-flow.toml").read_bytes()).result(
            *key
        )

    assert recorded() is not None
    with sqlite3.connect(newsroom / ".translate-flow" / state.STATE_FILE) as db:
        assert db.execute("UPDATE records SET body = replace(body, 'story-0.pot', 'story-9.pot')").rowcount > 0
    assert recorded() is None


def test_new_code_or_settings_start_afresh(newsroom: Path, parses: list[Path], monkeypatch):
    full_pass(newsroom)
    parses.clear()
    monkeypatch.setattr(state, "code_salt", lambda versions=None: "translate-flow 99.0")
    full_pass(newsroom)
    assert len(parses) == 4
    parses.clear()
    config = newsroom / "translate-flow.toml"
    config.write_text(config.read_text().replace("fuzzy_threshold = 80", "fuzzy_threshold = 85"))
    full_pass(newsroom)
    assert len(parses) == 4


@pytest.mark.parametrize("name", ["nh3", "babel", "unicode-segmentation-rs", "rapidfuzz", "regex", "mdurl"])
def test_upgrading_any_dependency_changes_the_code_salt(name: str, monkeypatch):
    """Each of these changes what a run writes (sanitizing, dates, PO line breaks, fuzzy matches, parsing)."""
    assert name in salt.dependencies()
    salt.code_salt.cache_clear()
    before = salt.code_salt()
    real = salt._version
    monkeypatch.setattr(salt, "_version", lambda dist: "99.0" if dist == name else real(dist))
    salt.code_salt.cache_clear()
    try:
        assert salt.code_salt() != before
    finally:
        monkeypatch.undo()
        salt.code_salt.cache_clear()


def test_the_code_salt_covers_the_package_and_its_rules():
    assert len(salt.code_salt()) == 64
    assert (Path(state.__file__).parent / "data" / "segment.srx").is_file()


def test_a_translators_save_and_a_deleted_output_are_noticed(newsroom: Path):
    full_pass(newsroom)
    full_pass(newsroom)
    path = po_path(newsroom, "ro", "story-2")
    po = polib.pofile(str(path))
    po.find("It approved the budget for the next year.").msgstr = "A aprobat bugetul pe anul viitor."
    po.save()
    (newsroom / "dist" / "de" / "story-0.html").unlink()
    project = Project(newsroom)
    report = project.build()
    assert sorted(report.written) == ["dist/de/story-0.html", "dist/ro/story-2.html", "dist/ro/story-2.md"]
    assert "A aprobat bugetul" in (newsroom / "dist" / "ro" / "story-2.md").read_text()
    rows = {(slug, loc): stats for slug, loc, stats in Project(newsroom).status()}
    assert rows[("story-2", "ro")].translated == 1
    assert rows[("story-1", "ro")].translated == 0


def test_only_files_hashed_after_a_quiet_second_are_known_by_their_stat(tmp_path: Path):
    folder = tmp_path / ".translate-flow"
    records = state.State(folder, "salt")
    fresh, old = tmp_path / "fresh.txt", tmp_path / "old.txt"
    for path in (fresh, old):
        path.write_text("same size")
    past = time.time_ns() - 10 * filetimes.RACY_NS
    os.utime(old, ns=(past, past))
    for path in (fresh, old):
        records.digest(path)
    records.save()
    later = state.State(folder, "salt")  # the next run
    assert later.entry(fresh) is None  # racy: not kept, so it is hashed again
    later.entry(old)[4] = "forged"
    assert later.digest(old) == "forged"  # quiet: its stat stands for its bytes
    assert later.digest(fresh) == state.sha256(b"same size")
    later.entry(fresh)[4] = "forged"
    assert later.digest(fresh) == "forged"  # the process that hashed it trusts its hash: another read is as racy


@pytest.mark.parametrize("size", [0, 1, (1 << 20) - 1, 3 * (1 << 20) + 1])
def test_a_file_is_hashed_whole_whatever_its_size(tmp_path: Path, size: int):
    path = tmp_path / "file"
    data = os.urandom(size)
    path.write_bytes(data)
    assert state.State(tmp_path / ".translate-flow", "salt").digest(path) == state.sha256(data)


@pytest.mark.parametrize(("mtime_fraction", "racy"), [(0, True), (123_456_789, False)])
def test_a_file_system_with_sub_second_times_is_quiet_sooner(tmp_path: Path, mtime_fraction: int, racy: bool):
    """Hashed half a second after its write: racy where times are whole seconds (FAT, ext3), quiet where not."""
    path = tmp_path / "file.txt"
    path.write_text("text")
    written = (time.time_ns() // 1_000_000_000 - 5) * 1_000_000_000 + mtime_fraction
    os.utime(path, ns=(written, written))
    records = state.State(tmp_path / ".translate-flow", "salt")
    stat = path.stat()
    entry = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, "digest", written + 500_000_000]
    assert state._racy(entry) is racy
    records.digest(path)
    assert (records.entry(path)[5] - written > filetimes.RACY_NS) and not state._racy(records.entry(path))


def test_the_records_held_after_reading_are_bounded_by_their_size(tmp_path: Path, monkeypatch):
    """A record can list a catalog's entries: 50,000 of those held would not fit in 2 GB."""
    folder, big = tmp_path / ".translate-flow", ["an entry the catalog may fill"] * 300
    saved = state.State(folder, "salt")
    for number in range(20):
        saved.remember(big, "big", number)
    saved.save()
    monkeypatch.setattr(state, "RECENT_CHARS", 30_000)
    records = state.State(folder, "salt")
    for number in range(20):
        assert records.result("big", number) == big
        assert len(records._recent) <= 4  # each about 9,600 characters of JSON


def test_records_waiting_to_be_saved_are_bounded_by_their_size(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(state, "PENDING_CHARS", 30_000)
    records = state.State(tmp_path / ".translate-flow", "salt")
    for number in range(20):
        records.remember(["an entry the catalog may fill"] * 300, "big", number)
        assert len(records._pending) <= 4  # each about 9,600 characters of JSON


def queries(records: state.State) -> list[str]:
    """The SQL a State runs from now on."""
    statements: list[str] = []
    records._connection().set_trace_callback(statements.append)
    return statements


@pytest.mark.parametrize("stored_chars", [10**9, 2_000])
def test_records_are_read_in_one_scan_as_far_as_the_bound_goes(tmp_path: Path, monkeypatch, stored_chars: int):
    monkeypatch.setattr(state, "STORED_CHARS", stored_chars)
    folder = tmp_path / ".translate-flow"
    saved = state.State(folder, "salt")
    for number in range(100):
        saved.remember(f"value {number}", "key", number)
    saved.save()
    records = state.State(folder, "salt")
    ran = queries(records)
    assert [records.result("key", n) for n in range(100)] == [f"value {n}" for n in range(100)]
    assert records.result("key", "absent") is None
    lookups = [sql for sql in ran if "WHERE key" in sql]
    if stored_chars > 10**6:
        assert lookups == []  # one scan read them all: a key it did not see has no record
    else:
        assert 0 < len(lookups) < 100  # those past the bound, and the absent one, one at a time


def test_records_saved_join_the_scanned_ones_only_while_the_bound_allows(tmp_path: Path, monkeypatch):
    """A first pass saves a record per file: holding every one would not fit 100,000 articles in memory."""
    monkeypatch.setattr(state, "STORED_CHARS", 2_000)
    records = state.State(tmp_path / ".translate-flow", "salt")
    assert records.result("absent") is None  # the scan: an empty state, all of it held
    for number in range(200):
        records.remember(f"value {number}", "key", number)
    records.save()
    assert sum(len(key) + len(body) for key, body in records._stored.items()) <= 2_000
    monkeypatch.setattr(state, "RECENT_RECORDS", 0)  # every lookup drops what was read lately
    assert [records.result("key", number) for number in range(200)] == [f"value {n}" for n in range(200)]


def test_a_record_saved_after_the_scan_is_found_once_the_recent_ones_are_dropped(tmp_path: Path, monkeypatch):
    records = state.State(tmp_path / ".translate-flow", "salt")
    assert records.result("late") is None  # the scan happens here
    records.remember("kept", "late")
    records.save()
    monkeypatch.setattr(state, "RECENT_RECORDS", 0)  # every lookup drops what was read lately
    assert records.result("another") is None
    assert records.result("late") == "kept"


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.booleans())))
def test_a_report_counts_a_file_written_once_as_written(records: list[tuple[str, bool]]):
    report = Report()
    for path, changed in records:
        report.record(path, changed)
    written = {path for path, changed in records if changed}
    assert set(report.written) == written
    assert set(report.unchanged) == {path for path, _ in records} - written
    assert len(report.written) + len(report.unchanged) == len({path for path, _ in records})


def test_without_templates_on_disk_a_later_update_changes_no_byte(newsroom: Path, monkeypatch):
    Project(newsroom).update()  # before any extract: no POT on disk
    before = outputs(newsroom)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730808600")  # ten minutes later
    (newsroom / ".translate-flow" / state.STATE_FILE).unlink()  # no shortcut: the merge itself must find no change
    report = Project(newsroom).update()
    assert report.written == []
    assert outputs(newsroom) == before


def test_holding_one_article_at_a_time_parses_each_once_and_builds_the_same(
    newsroom: Path, tmp_path: Path, parses: list[Path], monkeypatch
):
    again = tmp_path / "again"
    shutil.copytree(newsroom, again)
    Project(newsroom).run()
    monkeypatch.setattr(pipeline, "HELD_ARTICLES", 1)
    parses.clear()
    Project(again).run()
    assert sorted(parses) == sorted(again.glob("sources/*/*.md"))
    relative = lambda root: {p.relative_to(root): b for p, b in outputs(root).items()}  # noqa: E731
    assert relative(again) == relative(newsroom)


def test_reading_every_article_again_keeps_most_of_them_in_memory(newsroom: Path, monkeypatch):
    """extract reads each article after sources() did: a cycle, which a least-recently-used cache always misses."""
    monkeypatch.setattr(pipeline, "HELD_ARTICLES", 3)
    loads: list[str] = []
    real = state.State.parsed
    monkeypatch.setattr(
        state.State, "parsed", lambda self, name, digest: loads.append(name) or real(self, name, digest)
    )
    Project(newsroom).extract()
    assert len(loads) == 4 + 1  # each looked for once, then one read back by the later pass (the LRU: 4 + 4)


def test_a_run_with_nothing_changed_reads_only_the_articles_with_an_edition(newsroom: Path, monkeypatch):
    """run aligns human editions with their originals: the stories without one are not read back."""
    Project(newsroom).run()
    loads: list[str] = []
    real = state.State.parsed
    monkeypatch.setattr(
        state.State, "parsed", lambda self, name, digest: loads.append(name) or real(self, name, digest)
    )
    Project(newsroom).run()
    assert sorted(Path(name.partition("\0")[2]).name for name in loads) == ["nato-must-stay-united.md"] * 2


def test_the_memory_knows_unchanged_catalogs_by_their_stat(newsroom: Path, monkeypatch):
    """translate brings the translation memory up to date: reading every catalog for that cost each cron tick."""
    from translate_flow import tm_index

    Project(newsroom).run()
    read: list[Path] = []
    monkeypatch.setattr(tm_index, "_sha256", lambda path: read.append(path))
    Project(newsroom).translate()
    assert read == []


def test_run_looks_at_the_sources_folder_once(newsroom: Path, monkeypatch):
    listings: list[int] = []
    real = pipeline.find_articles
    monkeypatch.setattr(pipeline, "find_articles", lambda config: listings.append(1) or real(config))
    Project(newsroom).run()
    assert len(listings) == 1  # the originals, every copy of them (editions), one article's update: one look
    project = Project(newsroom)
    project.extract()
    project.build()
    assert len(listings) == 3  # outside run, each command looks again


def test_update_takes_the_dates_of_a_pot_extract_wrote_without_rendering_it(newsroom: Path, monkeypatch):
    """The POT still holds what extract wrote from the same bytes: only its dates can differ from a fresh one."""
    from translate_flow import templates

    Project(newsroom).extract()
    compared: list[Path] = []
    real = templates.keep_dates
    monkeypatch.setattr(templates, "keep_dates", lambda pot, path: compared.append(path) or real(pot, path))
    Project(newsroom).update()
    assert compared == []
    assert Project(newsroom).update().written == []  # and the catalogs carry the POT's date: nothing churns
    pot = next(newsroom.glob("locales/templates/*.pot"))
    pot.write_text(pot.read_text() + "\n")  # no longer as extract wrote it
    assert Project(newsroom).update().written == []
    assert compared == [pot]


def test_a_no_change_rerun_imports_no_stage(newsroom: Path):
    """A cron tick with nothing to do loads no parser, catalog reader or renderer: their imports were its cost."""
    full_pass(newsroom)
    stages = ["markdown_it", "choppa", "yaml", "nh3", "rapidfuzz", "packaging", "importlib.metadata"]
    stages += [f"translate_flow.{name}" for name in ("catalogs", "pofile", "rendering", "site", "history")]
    probe = (
        "import sys; from translate_flow.pipeline import Project; p = Project(sys.argv[1]); "
        "p.extract(); p.update(); p.build(); p.status(); "
        f"print(sorted(m for m in {stages} if m in sys.modules))"
    )
    for _ in range(2):  # the first finds other folders on sys.path than pytest's: it reads the dependencies' versions
        found = subprocess.run([sys.executable, "-c", probe, str(newsroom)], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_a_command_with_nothing_to_do_imports_no_validation_library(newsroom: Path):
    """typer 0.29 checks every option through pydantic: importing it was a fifth of a cron tick's command."""
    full_pass(newsroom)
    probe = (
        "import sys\nfrom translate_flow.cli import app\nsys.argv = ['translate-flow', 'build']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    ran = subprocess.run([sys.executable, "-c", probe], cwd=newsroom, capture_output=True, text=True, check=True)
    assert ran.stdout.strip().splitlines()[-1] == "[]"


def test_after_a_build_status_reads_no_catalog(newsroom: Path, monkeypatch):
    from translate_flow import catalogs

    project = Project(newsroom)
    project.extract()
    project.update()
    project.build()
    reads: list[Path] = []
    real = catalogs.read_catalog
    monkeypatch.setattr(catalogs, "read_catalog", lambda path, *args: reads.append(path) or real(path, *args))
    rows = Project(newsroom).status()
    assert len(rows) == 12  # four articles, three locales
    assert reads == []
    (newsroom / ".translate-flow" / state.STATE_FILE).unlink()
    assert Project(newsroom).status() == rows
    assert len(reads) == 12


def test_build_reads_no_catalog_that_update_wrote_with_nothing_to_merge(newsroom: Path, monkeypatch):
    """A new article's catalogs hold no usable translation: its editions show the original, known without reading."""
    from translate_flow import catalogs

    project = Project(newsroom)
    project.extract()
    project.update()
    reads: list[Path] = []
    real = catalogs.read_catalog
    monkeypatch.setattr(catalogs, "read_catalog", lambda path, *args: reads.append(path) or real(path, *args))
    Project(newsroom).build()
    assert reads == []
    assert Project(newsroom).status()[0][2].untranslated > 0
    assert reads == []
    path = po_path(newsroom, "ro", "story-2")
    po = polib.pofile(str(path))
    po.find("It approved the budget for the next year.").msgstr = "A aprobat bugetul pe anul viitor."
    po.save()
    Project(newsroom).build()
    assert reads == [path]  # its bytes changed: read, and the translation is in the page
    assert "A aprobat bugetul" in (newsroom / "dist" / "ro" / "story-2.md").read_text()
    source = newsroom / "sources" / "en" / "story-2.md"
    source.write_text(source.read_text().replace("for the next year", "for next year"))
    project = Project(newsroom)
    project.extract()
    project.update()  # the reviewed translation is now a suggestion (fuzzy), the catalog's only one
    reads.clear()
    project.build()
    assert reads == []
    assert "A aprobat bugetul" not in (newsroom / "dist" / "ro" / "story-2.md").read_text()
    Project(newsroom).build(include_fuzzy=True)
    assert reads == [path]  # a preview with suggestions reads that one; the others hold none either
    assert "A aprobat bugetul" in (newsroom / "dist" / "ro" / "story-2.md").read_text()


@pytest.fixture
def settled(newsroom: Path, monkeypatch) -> Path:
    """A project built twice, the second time when every file was quiet (as a later cron tick finds them)."""
    clock_moved_on(monkeypatch)
    full_pass(newsroom)
    full_pass(newsroom)
    return newsroom


@pytest.mark.parametrize(("command", "files"), [("build", 4 * 2 * 4 + 1), ("update", 4 * 3)])
def test_a_settled_article_costs_a_lookup_and_a_stat_per_file(settled: Path, monkeypatch, command: str, files: int):
    hashed: list[Path] = []
    real = state.State.digest
    monkeypatch.setattr(state.State, "digest", lambda self, path: hashed.append(path) or real(self, path))
    report = getattr(Project(settled), command)()
    assert report.written == [] and len(report.unchanged) == files  # build: 4 editions of 4 articles, and the CSS
    sources = sorted(path.name for path in settled.glob("sources/en/*.md"))
    assert sorted(p.name for p in hashed) == sources  # each source once, for its slug


@pytest.mark.parametrize(("command", "files"), [("build", 4 * 2 * 4 + 1), ("update", 4 * 3)])
def test_the_files_a_pass_wrote_are_known_by_their_stat_at_once(newsroom: Path, monkeypatch, command, files):
    """Written with an mtime before the racy window: the run right after a pass hashes none of them again."""
    past = time.time_ns() - 10 * filetimes.RACY_NS  # sources and settings were written long ago
    for path in newsroom.rglob("*"):
        os.utime(path, ns=(past, past))
    full_pass(newsroom)
    hashed: list[Path] = []
    real = state.State.digest
    monkeypatch.setattr(state.State, "digest", lambda self, path: hashed.append(path) or real(self, path))
    report = getattr(Project(newsroom), command)()
    assert report.written == [] and len(report.unchanged) == files
    assert sorted(p.name for p in hashed) == sorted(p.name for p in newsroom.glob("sources/en/*.md"))


def test_a_write_in_the_same_clock_tick_as_ours_changes_the_stat(tmp_path: Path):
    """What makes the stat of a file just written trustworthy: any later write gets a later mtime than ours."""
    from translate_flow.files import write_atomic

    path = tmp_path / "ro.po"
    write_atomic(path, b"msgstr one")
    records = state.State(tmp_path / ".translate-flow", "salt")
    records.wrote(path, b"msgstr one")
    ours = path.stat()
    assert not state._racy(records.entry(path))
    with path.open("r+b") as stream:  # a translator's editor, in place, at once: same size
        stream.write(b"msgstr two")
    assert path.stat().st_mtime_ns > ours.st_mtime_ns
    assert records.digest(path) == state.sha256(b"msgstr two")


@pytest.mark.parametrize(
    "after", ["in place at once", "in place, an old mtime kept (cp -p)", "by rename, with our very mtime", "deleted"]
)
def test_a_file_someone_wrote_after_us_is_hashed_from_disk(tmp_path: Path, after: str):
    """Between our write and its record: only the very file we wrote (inode, mtime, size) takes our bytes' hash."""
    from translate_flow.files import write_atomic

    path, other = tmp_path / "ro.po", tmp_path / "other.po"
    write_atomic(path, b"msgstr one")
    ours = path.stat()
    if after == "deleted":
        path.unlink()
    elif after == "by rename, with our very mtime":  # another translate-flow, or rsync -a from a copy of ours
        other.write_bytes(b"msgstr two")
        os.utime(other, ns=(ours.st_atime_ns, ours.st_mtime_ns))
        os.replace(other, path)
    else:
        with path.open("r+b") as stream:
            stream.write(b"msgstr two")
        if after != "in place at once":
            os.utime(path, ns=(ours.st_atime_ns, ours.st_mtime_ns - 5 * filetimes.RACY_NS))
    records = state.State(tmp_path / ".translate-flow", "salt")
    expected = None if after == "deleted" else state.sha256(b"msgstr two")
    assert records.wrote(path, b"msgstr one") == expected


def test_a_catalog_an_editor_saves_over_our_merge_is_merged_again(newsroom: Path, monkeypatch):
    """A buffer read before the merge, saved after it: the entries it lacks come back at the next update."""
    from translate_flow.counting import Counting

    Project(newsroom).update()
    path = po_path(newsroom, "ro", "story-2")
    stale = path.read_bytes()
    source = newsroom / "sources" / "en" / "story-2.md"
    source.write_text(source.read_text().replace("next year.", "next year. A new sentence came."))
    real = Counting.record_written

    def editor_saves_its_buffer(self, article, written, po, data, digest):
        real(self, article, written, po, data, digest)
        if written == path:
            path.with_name("buffer").write_bytes(stale)
            os.replace(path.with_name("buffer"), path)

    monkeypatch.setattr(Counting, "record_written", editor_saves_its_buffer)
    Project(newsroom).update()
    assert b"A new sentence came." not in path.read_bytes()
    monkeypatch.setattr(Counting, "record_written", real)
    assert "locales/ro/story-2.po" in Project(newsroom).update().written
    assert b"A new sentence came." in path.read_bytes()


def test_hashes_two_checks_found_for_one_file_are_not_settled():
    from translate_flow.settling import agreed

    assert agreed({Path("a"): "1", Path("b"): "2"}, {Path("a"): "1"}) == {Path("a"): "1", Path("b"): "2"}
    assert agreed({Path("a"): "1"}, {Path("a"): "2"}) is None  # saved between two editions' checks


@pytest.mark.parametrize("change", ["translator saves", "output deleted", "output edited in place, same size"])
def test_a_change_to_any_file_of_a_settled_article_is_noticed(settled: Path, change: str):
    page = settled / "dist" / "ro" / "story-2.md"
    if change == "translator saves":
        path = po_path(settled, "ro", "story-2")
        po = polib.pofile(str(path))
        po.find("It approved the budget for the next year.").msgstr = "A aprobat bugetul pe anul viitor."
        po.save()
    elif change == "output deleted":
        page.unlink()
    else:
        before = page.stat()
        page.write_bytes(page.read_bytes().upper())
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # its ctime still moved
    assert Project(settled).update().written == []  # a merged catalog is a fixed point: the translator's stays
    report = Project(settled).build()
    assert "dist/ro/story-2.md" in report.written
    assert len(report.written) <= 2
    if change == "translator saves":
        assert "A aprobat bugetul" in page.read_text()
        assert "A aprobat bugetul" in po_path(settled, "ro", "story-2").read_text()


def test_a_file_saved_between_the_check_and_the_record_is_not_settled(settled: Path):
    """settle() takes the hashes the checks found: a save in between (and a stalled process) must not be settled."""
    project = Project(settled)
    path = po_path(settled, "ro", "story-2")
    project.settle(("probe",), {path: "0" * 64}, [], [])
    assert project.state.result("probe") is None
    project.settle(("probe",), {path: project.state.digest(path)}, [], [])
    assert project.state.result("probe") is not None


def test_an_article_settles_with_its_pages_outside_the_project(newsroom: Path, tmp_path: Path, monkeypatch):
    clock_moved_on(monkeypatch)
    config = newsroom / "translate-flow.toml"
    config.write_text(config.read_text().replace('dist = "dist"', f'dist = "{tmp_path / "www"}"'))
    full_pass(newsroom)
    full_pass(newsroom)
    hashed: list[Path] = []
    real = state.State.digest
    monkeypatch.setattr(state.State, "digest", lambda self, path: hashed.append(path) or real(self, path))
    assert Project(newsroom).build().written == []
    assert {p.name for p in hashed} <= {p.name for p in newsroom.glob("sources/en/*.md")}


def test_status_counts_a_catalog_saved_since_and_renews_the_articles_record(newsroom: Path, monkeypatch):
    from translate_flow import catalogs

    full_pass(newsroom)
    Project(newsroom).status()
    path = po_path(newsroom, "ro", "story-2")
    po = polib.pofile(str(path))
    po.find("It approved the budget for the next year.").msgstr = "A aprobat bugetul pe anul viitor."
    po.save()
    past = time.time_ns() - 10 * filetimes.RACY_NS  # quiet: known by its stat from now on
    os.utime(path, ns=(past, past))
    reads: list[Path] = []
    real = catalogs.read_catalog
    monkeypatch.setattr(catalogs, "read_catalog", lambda path, *args: reads.append(path) or real(path, *args))
    rows = {(slug, loc): stats for slug, loc, stats in Project(newsroom).status()}
    assert rows[("story-2", "ro")].translated == 1
    assert reads == [path]
    assert Project(newsroom).status() == Project(newsroom).status()
    assert reads == [path]  # the article's record was renewed: no catalog read again


def test_parsing_and_rendering_in_worker_processes_write_the_same_bytes(newsroom: Path, tmp_path: Path, monkeypatch):
    import concurrent.futures

    from translate_flow import parallel

    alone, shared = tmp_path / "alone", tmp_path / "shared"
    shutil.copytree(newsroom, alone)
    shutil.copytree(newsroom, shared)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    full_pass(alone)
    pools = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(parallel, "MIN_TASKS", 2)
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    report = full_pass(shared)
    assert len(pools) == 2  # extract's parsing, build's rendering
    relative = lambda root: {p.relative_to(root): b for p, b in outputs(root).items()}  # noqa: E731
    assert relative(shared) == relative(alone)
    assert len(report.written) == len(set(report.written)) > 0
    assert full_pass(shared).written == []  # what the workers learnt was kept


@pytest.mark.parametrize(
    ("cores", "machine", "load", "expected"),
    [
        (4, 4, 0.0, 4),
        (4, 4, 1.2, 3),
        (4, 4, 2.6, 1),
        (4, 4, 9.0, 1),
        (2, 2, 0.4, 2),
        (4, 64, 40.0, 2),
        (4, 64, 64.0, 1),
    ],
)
def test_without_a_number_of_processes_the_idle_cores_are_used(monkeypatch, cores, machine, load, expected):
    """make -l's rule, with a container's share of the machine's load: 4 of 64 cores at load 40 has 1.5 idle."""
    from translate_flow import parallel

    monkeypatch.delenv(parallel.JOBS_VARIABLE, raising=False)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(cores)))
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: machine)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    assert parallel.workers() == expected
    monkeypatch.setenv(parallel.JOBS_VARIABLE, "3")
    assert parallel.workers() == 3


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_number_of_processes_is_refused_in_one_line(newsroom: Path, monkeypatch, value: str):
    from translate_flow import parallel
    from translate_flow.errors import InputError

    monkeypatch.setenv(parallel.JOBS_VARIABLE, value)
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    with pytest.raises(InputError, match=parallel.JOBS_VARIABLE):
        Project(newsroom).extract()


@pytest.mark.parametrize("link", ["folder", "file"])
def test_a_catalog_path_that_a_link_leads_out_of_the_project_is_refused(newsroom: Path, tmp_path: Path, link: str):
    from translate_flow.errors import InputError

    outside = tmp_path / "outside"
    outside.mkdir()
    project = Project(newsroom)
    assert project.catalog_path("ro", "story-0") == (newsroom / "locales" / "ro" / "story-0.po").resolve()
    folder = newsroom / "locales" / "ro"
    folder.mkdir(parents=True, exist_ok=True)
    if link == "folder":
        shutil.rmtree(folder)
        folder.symlink_to(outside, target_is_directory=True)
    else:
        (folder / "story-0.po").symlink_to(outside / "story-0.po")
    with pytest.raises(InputError, match="path would leave locales/"):
        Project(newsroom).catalog_path("ro", "story-0")
