"""Machine translation with real (tiny, untrained) Argos packages run by CTranslate2."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from translate_flow import catalogs, packages, pipeline, translation
from translate_flow.engines import ArgosEngine, find_route
from translate_flow.model import MTOptions, Report
from translate_flow.pipeline import Project
from translate_flow.synthetic import build_package

from .conftest import REPO, SAMPLE, msgid_line, po_path
from .test_align import edition as aligned_edition
from .test_align import pair as aligned_pair
from .test_catalogs import edit_source, translate

PAIRS = [("en", "ro"), ("en", "de"), ("ro", "en")]
MT_LINE = re.compile(r"^mt: argos (\S+) (translate-\S+ \S+(?: \+ translate-\S+ \S+)?) beam=4 score=-?\d+\.\d\d")


def training_text() -> str:
    """What the tiny tokenizers learn from: the sample editions, written out by the test."""
    text = "".join((REPO / "sources" / lang / f"{SAMPLE}.md").read_text(encoding="utf-8") for lang in ("en", "ro"))
    return text + "Ein kurzer deutscher Satz. Noch ein Satz über die NATO.\n" * 5


@pytest.fixture(scope="session")
def archives(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("archives")
    text = training_text()
    return {
        (s, t): build_package(s, t, text, folder / f"translate-{s}_{t}.argosmodel", seed=index)
        for index, (s, t) in enumerate(PAIRS)
    }


@pytest.fixture(scope="module")
def models(archives):
    """Installs the packages with the real command; removes them after this module."""
    from typer.testing import CliRunner

    from translate_flow.cli import app

    for archive in archives.values():
        result = CliRunner().invoke(app, ["models", "install", str(archive)])
        assert result.exit_code == 0, result.output
    yield archives
    for source, target in PAIRS:
        if packages.find(source, target):
            packages.remove(source, target)


@pytest.fixture
def counting(monkeypatch):
    """Every sentence the models are asked to translate, per package pair."""
    sent: list[tuple[str, str]] = []
    real = ArgosEngine._run_model

    def run_model(self, package, texts):
        sent.extend((package.pair, text) for text in texts)
        yield from real(self, package, texts)

    monkeypatch.setattr(ArgosEngine, "_run_model", run_model)
    return sent


def entries(root: Path, locale: str, slug: str = SAMPLE) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(po_path(root, locale, slug))) if not e.obsolete]


# --- models ------------------------------------------------------------------------------


def test_installed_packages_are_found_by_argostranslate(models, cli):
    import argostranslate.package
    import argostranslate.settings

    found = {(p.from_code, p.to_code) for p in argostranslate.package.get_installed_packages()}
    assert found == set(PAIRS)
    assert Path(argostranslate.settings.package_data_dir) == Path(os.environ["ARGOS_PACKAGES_DIR"])
    listing = cli("models", "list")
    assert listing.exit_code == 0
    assert [line.split("\t")[:2] for line in listing.stdout.splitlines()] == [
        ["en→de", "1.0"],
        ["en→ro", "1.0"],
        ["ro→en", "1.0"],
    ]
    rows = json.loads(cli("models", "list", "--json").stdout)
    assert rows[0]["path"].startswith(os.environ["ARGOS_PACKAGES_DIR"])
    assert rows[0]["size"] > 10_000


def rebuild(archive: Path, target: Path, change) -> Path:
    """A copy of a good archive with ``change(name, data)`` applied to every member."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info)):
                out.writestr(name, data)
    return target


def with_symlink(archive: Path, target: Path) -> Path:
    rebuild(archive, target, lambda name, data: [(name, data)])
    with zipfile.ZipFile(target, "a") as out:
        info = zipfile.ZipInfo("translate-en_ro-1_0/model/link")
        info.external_attr = 0o120777 << 16
        out.writestr(info, "/etc/passwd")
    return target


def adding(name: str, data: bytes = b"x"):
    """A change that adds a member next to the README."""
    return lambda n, d: [(n, d), (name, data)] if n.endswith("README.md") else [(n, d)]


def dropping(test):
    return lambda n, d: [] if test(n) else [(n, d)]


def without_to_code(n, d):
    return [(n, json.dumps({"from_code": "en"}).encode() if n.endswith("metadata.json") else d)]


BAD_ARCHIVES = {
    "zip slip": (adding("translate-en_ro-1_0/../../evil.txt"), "'..' in archive path"),
    "absolute path": (adding("/tmp/evil.txt"), "absolute path"),
    "file at top level": (adding("loose.txt"), "outside the package folder"),
    "missing metadata": (dropping(lambda n: n.endswith("metadata.json")), "no translate-en_ro-1_0/metadata.json"),
    "two top-level folders": (
        lambda n, d: [(n, d), (n.replace("translate-en_ro-1_0", "other"), d)],
        "one top-level folder",
    ),
    "no model": (dropping(lambda n: "/model/" in n), "no translate-en_ro-1_0/model/"),
    "no tokenizer": (dropping(lambda n: n.endswith("sentencepiece.model")), "no tokenizer"),
    "metadata without to_code": (without_to_code, "lacks 'to_code'"),
}


@pytest.mark.parametrize("case", [*BAD_ARCHIVES, "symlink", "not a zip"])
def test_bad_archives_install_nothing(archives, cli, tmp_path, case):
    good = archives[("en", "ro")]
    bad = tmp_path / "bad.argosmodel"
    if case == "symlink":
        with_symlink(good, bad)
        expected = "link in archive"
    elif case == "not a zip":
        bad.write_bytes(b"not a zip at all")
        expected = "not a zip file"
    else:
        change, expected = BAD_ARCHIVES[case]
        rebuild(good, bad, change)
    before = sorted(p.name for p in packages.packages_dir().iterdir()) if packages.packages_dir().exists() else []
    result = cli("models", "install", str(bad))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in packages.packages_dir().iterdir()) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_remove_and_reinstall(models, cli):
    result = cli("models", "remove", "ro", "en")
    assert result.exit_code == 0
    assert packages.find("ro", "en") is None
    assert cli("models", "remove", "ro", "en").exit_code == 2
    assert cli("models", "install", str(models[("ro", "en")])).exit_code == 0
    assert packages.find("ro", "en") is not None


def test_reinstall_replaces_the_previous_version(models, cli, tmp_path):
    newer = build_package("ro", "en", training_text(), tmp_path / "new.argosmodel", version="1.1")
    result = cli("models", "install", str(newer))
    assert result.exit_code == 0
    assert "replaced ro→en 1.0" in result.stderr
    assert [p.version for p in packages.installed() if p.pair == "ro→en"] == ["1.1"]
    assert cli("models", "install", str(models[("ro", "en")])).exit_code == 0


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_install_a_pair_from_a_package_index(models, cli, tmp_path):
    """The download path, against an index served on this machine's loopback."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "en_de.argosmodel").write_bytes(models[("en", "de")].read_bytes())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(served)))
    base = f"http://127.0.0.1:{server.server_port}"
    index = [{"from_code": "en", "to_code": "de", "package_version": "1.0", "links": [f"{base}/en_de.argosmodel"]}]
    (served / "index.json").write_text(json.dumps(index))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        packages.remove("en", "de")
        result = cli("models", "install", "en", "de", "--index-url", f"{base}/index.json")
        assert result.exit_code == 0, result.output
        assert packages.find("en", "de") is not None
        missing = cli("models", "install", "en", "ja", "--index-url", f"{base}/index.json")
        assert missing.exit_code == 2
        assert "no package for en→ja" in missing.stderr
    finally:
        server.shutdown()
        if packages.find("en", "de") is None:
            cli("models", "install", str(models[("en", "de")]))


def test_offline_download_says_so_at_once(cli):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("models", "install", "en", "it", "--index-url", f"http://127.0.0.1:{port}/index.json")
    assert result.exit_code == 2
    assert "cannot reach the Argos package index" in result.stderr
    assert "translate-flow models install FILE.argosmodel" in result.stderr


# --- the engine --------------------------------------------------------------------------


def test_batched_output_equals_sentence_by_sentence(models):
    route = find_route("en", "ro", packages.installed())
    engine = ArgosEngine(MTOptions(inter_threads=2, intra_threads=1))
    texts = [s.text for s in pipeline.read_article(REPO / "sources/en" / f"{SAMPLE}.md", "en").segments]
    batched = [r.text for r in engine.translate(route, texts)]
    one_by_one = [engine.translate(route, [text])[0].text for text in texts]
    assert batched == one_by_one
    assert len(set(batched)) == len(texts)
    assert engine.sent == 2 * len(texts)


def test_outputs_are_bounded_relative_to_the_source(models):
    route = find_route("en", "ro", packages.installed())
    options = MTOptions(max_length_ratio=1.1)
    engine = ArgosEngine(options)
    model = engine._model(route.legs[0])
    for text in ["NATO.", "He was in Berlin for talks with German chancellor Olaf Scholz."]:
        result = engine.translate(route, [text])[0]
        produced = model.tokenizer.encode(result.text)
        assert len(produced) <= options.decoding_bound(len(model.tokenizer.encode(text))) + 2


def test_routes_direct_and_pivot(models):
    available = packages.installed()
    assert find_route("en", "ro", available).path == "en→ro"
    pivot = find_route("ro", "de", available)
    assert pivot.path == "ro→en→de"
    assert pivot.packages == "translate-ro_en 1.0 + translate-en_de 1.0"
    assert find_route("ro", "fr", available) is None
    assert find_route("en", "pt_BR", available) is None


# --- translate into the review queue -----------------------------------------------------


def test_translate_fills_the_queue_with_provenance(models, cli, counting):
    cli.project("update")
    reviewed = "NATO trebuie să rămână unită"
    translate(po_path(cli.root, "ro"), {"NATO must stay united": reviewed})
    result = cli.project("translate")
    assert result.exit_code == 0, result.output
    ro = entries(cli.root, "ro")
    assert ro[0].msgstr == reviewed
    assert "fuzzy" not in ro[0].flags
    for entry in ro[1:] + entries(cli.root, "de"):
        assert entry.msgstr
        assert entry.flags == ["fuzzy"]
        assert MT_LINE.match(entry.tcomment), entry.tcomment
    assert "mt: argos en→ro translate-en_ro 1.0 beam=4 score=" in po_path(cli.root, "ro").read_text()
    assert all(e.msgstr == "" for e in entries(cli.root, "fr"))
    sent = [text for _, text in counting]
    assert not [text for text in sent if re.search("NATO|Olaf Scholz|Mark Rutte", text)]  # protected: placeholders
    assert "Olaf Scholz" in next(e.msgstr for e in ro if "Olaf Scholz" in e.msgid)  # and restored
    assert "33 by the model, 0 from the cache, 0 from memory; 17 skipped" in result.stderr
    assert "no model for en→fr" in result.stderr
    assert "translate-flow models install en fr" in result.stderr
    for locale in ("ro", "de"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path(cli.root, locale))], check=True)


def test_a_second_run_translates_nothing_and_one_edit_translates_one_sentence(models, cli, counting):
    assert cli.project("translate").exit_code == 0
    counting.clear()
    second = cli.project("translate")
    assert counting == []
    assert "0 by the model" in second.stderr
    edit_source(cli.root, "He was in Berlin", "He was in Bucharest")
    assert cli.project("translate").exit_code == 0
    changed = "He was in Bucharest for talks with German chancellor Olaf Scholz."
    seen = "He was in Bucharest for talks with German chancellor <1/>."  # the name is protected
    assert {pair for pair, _ in counting} == {"en→de", "en→ro"}
    assert all(text.strip() in seen for _, text in counting)  # the sentence, or its pieces around <1/>
    for locale in ("ro", "de"):
        entry = next(e for e in entries(cli.root, locale) if e.msgid == changed)
        assert entry.msgstr and entry.previous_msgid is None and MT_LINE.match(entry.tcomment)


def test_reviewed_and_changed_human_translations_are_left_alone(models, cli, counting):
    cli.project("update")
    berlin = "He was in Berlin for talks with German chancellor Olaf Scholz."
    translate(po_path(cli.root, "ro"), {berlin: "A fost la Berlin pentru discuții."})
    edit_source(cli.root, "He was in Berlin", "He was in Berlin on Monday")
    cli.project("translate", "-l", "ro")
    new = "He was in Berlin on Monday for talks with German chancellor Olaf Scholz."
    entry = next(e for e in entries(cli.root, "ro") if e.msgid == new)
    assert (entry.msgstr, entry.previous_msgid) == ("A fost la Berlin pentru discuții.", berlin)
    assert ("en→ro", new) not in counting
    cli.project("translate", "-l", "ro", "--retranslate")
    entry = next(e for e in entries(cli.root, "ro") if e.msgid == new)
    assert ("en→ro", new.replace("Olaf Scholz", "<1/>")) in counting
    assert entry.msgstr != "A fost la Berlin pentru discuții."
    assert entry.previous_msgid is None
    assert MT_LINE.match(entry.tcomment)
    assert [e.msgstr for e in polib.pofile(str(po_path(cli.root, "ro"))).obsolete_entries()] == [
        "A fost la Berlin pentru discuții."
    ]


def write_article(root: Path, language: str, slug: str, body: str) -> None:
    path = root / "sources" / language / f"{slug}.md"
    path.write_text(
        f"---\ntitle: Scurt\nauthor: A\npublished: 2024-11-05T13:50:00+02:00\nlanguage: {language}\n---\n\n{body}\n",
        encoding="utf-8",
    )


def test_pivot_route_is_used_and_recorded(models, cli, counting):
    write_article(cli.root, "ro", "stire", "NATO trebuie să rămână unită. Aliații sporesc investițiile.")
    assert cli.project("translate", "stire", "-l", "de").exit_code == 0
    de = entries(cli.root, "de", "stire")
    assert all(e.msgstr for e in de)
    assert all(e.tcomment.startswith("mt: argos ro→en→de translate-ro_en 1.0 + translate-en_de 1.0 ") for e in de)
    pairs = {pair for pair, _ in counting}
    assert pairs == {"ro→en", "en→de"}


def test_cache_makes_repeated_text_free_across_articles(models, cli, counting):
    cli.project("translate", "-l", "ro")
    counting.clear()
    write_article(cli.root, "en", "repeat", "He was in Berlin for talks with German chancellor Olaf Scholz. New words.")
    result = cli.project("translate", "repeat", "-l", "ro")
    assert sorted(counting) == [("en→ro", "New words."), ("en→ro", "Scurt")]
    assert "2 by the model, 1 from the cache" in result.stderr
    assert (cli.root / ".translate-flow" / "mt-cache.sqlite3").is_file()


def test_translation_memory_reuses_reviewed_translations(models, cli, counting):
    cli.project("update", "-l", "ro")
    berlin = "He was in Berlin for talks with German chancellor Olaf Scholz."
    translate(po_path(cli.root, "ro"), {berlin: "A fost la Berlin."})
    write_article(cli.root, "en", "repeat", berlin)
    result = cli.project("translate", "repeat", "-l", "ro")
    entry = next(e for e in entries(cli.root, "ro", "repeat") if e.msgid == berlin)
    assert entry.msgstr == "A fost la Berlin."
    assert entry.flags == ["fuzzy"]
    assert entry.tcomment == f"tm: locales/ro/{SAMPLE}.po"
    assert ("en→ro", berlin) not in counting
    assert "1 from memory" in result.stderr


def interrupt_after(monkeypatch, count: int) -> Callable[[], None]:
    """Ctrl-C as soon as ``count`` sentences are translated; returns what undoes it."""
    real_add = translation._Ready.add
    added = []

    def add_then_interrupt(self, *args, **kwargs):
        real_add(self, *args, **kwargs)
        added.append(1)
        if len(added) == count:
            raise KeyboardInterrupt

    monkeypatch.setattr(translation._Ready, "add", add_then_interrupt)
    return lambda: monkeypatch.setattr(translation._Ready, "add", real_add)


def test_interrupted_run_keeps_finished_batches_and_resumes(models, project_dir, counting, monkeypatch):
    undo = interrupt_after(monkeypatch, 10)
    project = Project(project_dir)
    with pytest.raises(KeyboardInterrupt):
        project.translate(locales=["ro"])
    saved_first = {e.msgid for e in entries(project_dir, "ro") if e.msgstr}
    assert len(saved_first) == 10
    undo()
    counting.clear()
    report = project.translate(locales=["ro"])
    assert all(e.msgstr for e in entries(project_dir, "ro"))
    assert not saved_first & {text for _, text in counting}  # finished work is not redone
    assert report.counts["machine"] + report.counts["cache"] == 7


def test_ctrl_c_writes_what_is_done_even_when_a_catalog_cannot_be_written(models, project_dir, monkeypatch):
    """A translator broke one catalog: the interruption still goes on, the others are written, that one is said."""
    from translate_flow.errors import InputError

    for n in range(3):
        body = " ".join(f"Brief {n} says {' and '.join(['more'] * k)}." for k in range(1, 30))
        write_article(project_dir, "en", f"brief-{n}", body)
    Project(project_dir).update()
    broken = po_path(project_dir, "ro", "brief-0")
    real = catalogs.fill

    def fill(path, *args):
        if path == broken:
            raise InputError("a msgstr without a msgid", broken, 3)
        return real(path, *args)

    monkeypatch.setattr(catalogs, "fill", fill)
    interrupt_after(monkeypatch, 30)
    reports: list = []
    monkeypatch.setattr(translation, "Report", lambda: reports.append(Report()) or reports[-1])
    with pytest.raises(KeyboardInterrupt):
        Project(project_dir).translate(locales=["ro"])
    assert any(e.msgstr for slug in ("brief-1", "brief-2") for e in entries(project_dir, "ro", slug))
    problems = [p for report in reports for p in report.problems]
    said = [(p.path, p.message.split(":")[0]) for p in problems]
    assert said == [("locales/ro/brief-0.po", "suggestions not written")]


def fills(monkeypatch) -> list[Path]:
    """The catalogs translate writes, one item per write."""
    written: list[Path] = []
    real = catalogs.fill
    monkeypatch.setattr(catalogs, "fill", lambda path, *args: written.append(path) or real(path, *args))
    return written


def test_each_catalog_is_written_once_however_its_sentences_sort(models, project_dir, monkeypatch):
    """Sorted by length across catalogs, one catalog's sentences come back among all the others' (over 100 here)."""
    for n in range(3):
        body = " ".join(f"Brief {n} says {' and '.join(['more'] * k)}." for k in range(1, 30))
        write_article(project_dir, "en", f"brief-{n}", body)
    written = fills(monkeypatch)
    Project(project_dir).translate(locales=["ro"])
    assert sorted(written) == sorted(set(written)) and len(written) == 4


def test_catalogs_saved_every_moment_end_with_the_same_bytes(models, project_dir, tmp_path, monkeypatch):
    for n in range(3):
        write_article(project_dir, "en", f"brief-{n}", f"Brief {n} is short. Brief {n} has a much longer sentence.")
    again = shutil.copytree(project_dir, tmp_path / "again")
    Project(project_dir).translate(locales=["ro"])
    monkeypatch.setattr(translation, "SAVE_EVERY", 1)  # whatever is ready, after every sentence
    written = fills(monkeypatch)
    Project(again).translate(locales=["ro"])
    assert len(written) > 4
    for path in sorted((project_dir / "locales" / "ro").glob("*.po")):
        assert (again / "locales" / "ro" / path.name).read_bytes() == path.read_bytes()


def test_a_tag_the_model_loses_is_reported_and_put_back(models, cli):
    edit_source(cli.root, "He was in Berlin", "He was in *Berlin*")
    result = cli.project("translate", "-l", "ro")
    assert result.exit_code == 1
    assert "the model lost placeholders; translated around the tags instead" in result.stderr
    entry = next(e for e in entries(cli.root, "ro") if "<1>Berlin</1>" in e.msgid)
    assert re.fullmatch(r"\S.* <1>.+</1> .*\S", entry.msgstr)
    assert entry.tcomment.endswith("tags=reinserted")
    line = msgid_line(po_path(cli.root, "ro"), entry.msgid)  # the PO entry's line once written, not the POT's
    problems = [text for text in result.stderr.splitlines() if text.startswith("problem: ")]
    assert problems == [
        f"problem: locales/ro/{SAMPLE}.po:{line}: the model lost placeholders; translated around the tags instead"
    ]


def test_strict_fails_on_missing_models(models, cli):
    assert cli.project("translate", "-l", "fr").exit_code == 0
    result = cli.project("translate", "-l", "fr", "--strict")
    assert result.exit_code == 1
    assert all(e.msgstr == "" for e in entries(cli.root, "fr"))


def test_run_translates_then_builds(models, cli):
    result = cli.project("run", "--include-fuzzy", "-l", "ro")
    assert result.exit_code == 0
    built = (cli.root / "dist" / "ro" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    source = (cli.root / "sources" / "en" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    ro = entries(cli.root, "ro")
    assert ro[2].msgstr in built
    assert ro[2].msgid not in built
    assert built != source


def test_translate_never_imports_argostranslate_translate(models, project_dir):
    """No stanza, no MiniSBD, no download: the pipeline stays clear of argostranslate.translate."""
    code = (
        "import sys; from translate_flow.pipeline import Project; "
        f"Project({str(project_dir)!r}).translate(locales=['ro']); "
        "print(sorted(m for m in sys.modules if m.startswith(('argostranslate.translate', 'argostranslate.sbd', "
        "'stanza', 'torch', 'spacy'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert any(e.msgstr for e in entries(project_dir, "ro"))


def test_glossary_terms_survive_a_model_that_garbles_everything(models, cli):
    """Do-not-translate terms come out intact; an inflected required term the model missed is flagged."""
    assert cli.project("translate", "-l", "ro", "-l", "de").exit_code == 0
    names = ["NATO", "Mark Rutte", "Olaf Scholz", "Kamala Harris", "Donald Trump", "Jens Stoltenberg"]
    suggestions = [(locale, e) for locale in ("ro", "de") for e in entries(cli.root, locale)]
    with_names = [(locale, e) for locale, e in suggestions if any(name in e.msgid for name in names)]
    assert len(with_names) >= 2 * 10
    for _, entry in with_names:
        for name in names:
            assert entry.msgstr.count(name) >= entry.msgid.count(name), (name, entry.msgstr)  # it may invent more
    unmet = [e.msgid for locale, e in suggestions if e.tcomment.endswith("glossary=unmet")]
    assert unmet and all("secretary general" in text or "European Union" in text for text in unmet)
    findings = json.loads(cli.project("check", "ro", "de", "--json").stdout)
    glossary = [f["message"] for f in findings if f["check"] == "glossary"]
    assert glossary and not [m for m in glossary if m.startswith("do not translate")]


# --- alignment -------------------------------------------------------------------------------


def test_an_installed_model_is_compared_with_the_edition_through_the_cache(models, counting, cli):
    first = cli.project("align", *aligned_pair(cli), "--json")
    assert first.exit_code == 0, first.output
    english = {s.text for s in aligned_edition(SAMPLE, "en").segments}
    assert {text for _, text in counting} == english  # the original's sentences, each translated once
    counting.clear()
    again = cli.project("align", *aligned_pair(cli), "--json")
    assert counting == []  # the second time, every translation comes from the cache
    assert again.stdout == first.stdout
    rows = json.loads(first.stdout)
    assert [t for row in rows for t in row["target"]] == [s.text for s in aligned_edition(SAMPLE, "ro").segments]


def test_a_small_window_writes_the_same_catalogs_as_one_sort_of_everything(models, tmp_path, monkeypatch):
    """Pending entries go to the models a window at a time, sorted within it: the catalogs do not show it."""
    flushes = []
    real_translate = translation._Window.translate

    def translate_window(self):
        flushes.append(self.held)
        real_translate(self)

    monkeypatch.setattr(translation._Window, "translate", translate_window)
    written = {}
    for window in (10_000, 5):
        monkeypatch.setattr(translation, "WINDOW", window)
        root = tmp_path / f"window-{window}"
        shutil.copytree(REPO / "sources", root / "sources")
        shutil.copy(REPO / "translate-flow.toml", root)
        shutil.copy(REPO / "glossary.csv", root)
        write_article(root, "en", "second", "NATO will work with the winner. The alliance stays united.")
        write_article(root, "ro", "stire", "NATO trebuie să rămână unită. Aliații sporesc investițiile.")
        flushes.clear()
        Project(root).translate()
        written[window] = {p.relative_to(root): p.read_bytes() for p in sorted((root / "locales").rglob("*.po"))}
        windows = [held for held in flushes if held]
        assert len(windows) == 1 if window == 10_000 else len(windows) > 2, windows
    assert written[5] == written[10_000]
    assert all(e.msgstr for e in entries(tmp_path / "window-5", "de", "stire"))
