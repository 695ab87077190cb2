"""Translation memory exchange: TMX 1.4b export, valid against its DTD, and import."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from translate_flow.memory import read_tmx
from translate_flow.pipeline import Project

from .conftest import po_path
from .test_catalogs import edit_source, translate

DTD = etree.DTD(str(Path(__file__).parent / "tmx14.dtd"))
TITLE = "NATO must stay united"


def validate(path: Path) -> etree._ElementTree:
    tree = etree.parse(str(path))
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()
    return tree


def test_the_dtd_check_can_fail(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<tmx version="1.4"><header/><body/></tmx>', encoding="utf-8")
    assert not DTD.validate(etree.parse(str(bad)))


def test_export_has_reviewed_and_aligned_pairs_and_is_valid(cli, tmp_path):
    cli.project("run", "-l", "ro")  # seeds ro from the Romanian edition
    translate(po_path(cli.root, "ro"), {TITLE: "NATO trebuie să rămână unită"})  # reviewed
    target = tmp_path / "out.tmx"
    result = cli.project("tm", "export", "--tmx", str(target))
    assert result.exit_code == 0, result.output
    assert f"exported 16 translation units to {target}" in result.stdout  # 17 entries, one "^"
    tree = validate(target)
    assert tree.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    header = tree.find("header")
    assert (header.get("srclang"), header.get("segtype"), header.get("creationtool")) == (
        "en",
        "sentence",
        "translate-flow",
    )
    units = tree.findall("body/tu")
    origins = [u.findtext("prop") for u in units]
    assert origins.count("reviewed") == 1 and origins.count("aligned") == 15
    languages = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tree.iter("tuv")}
    assert languages == {"en", "ro"}
    assert not any(tuv.findtext("seg") == "^" for tuv in tree.iter("tuv"))


def test_placeholders_become_inline_codes_and_come_back(cli, tmp_path):
    edit_source(cli.root, "He was in Berlin", "He was in *Berlin* with <span>x</span>")
    cli.project("update", "-l", "de")
    source = next(e.msgid for e in polib.pofile(str(po_path(cli.root, "de"))) if "Berlin" in e.msgid)
    assert source.startswith("He was in <1>Berlin</1> with <2/>x<3/>")
    translate(po_path(cli.root, "de"), {source: "Er war mit <2/>x<3/> in <1>Berlin</1>."})
    target = tmp_path / "out.tmx"
    cli.project("tm", "export", "--tmx", str(target))
    tree = validate(target)
    seg = next(
        tuv.find("seg") for tuv in tree.iter("tuv") if tuv.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    )
    assert [(c.tag, dict(c.attrib)) for c in seg] == [
        ("ph", {"x": "2"}),
        ("ph", {"x": "3"}),
        ("bpt", {"i": "1", "x": "1"}),
        ("ept", {"i": "1"}),
    ]
    pairs = read_tmx(target, "out.tmx")
    assert [(p.source, p.target) for p in pairs] == [(source, "Er war mit <2/>x<3/> in <1>Berlin</1>.")]


def test_import_feeds_translate_and_is_idempotent(cli, tmp_path, project_dir):
    """A TMX from elsewhere: its exact matches are reused, marked as memory."""
    cli.project("update", "-l", "ro")
    translate(po_path(cli.root, "ro"), {TITLE: "NATO trebuie să rămână unită"})
    exported = tmp_path / "team.tmx"
    cli.project("tm", "export", "--tmx", str(exported))

    other = tmp_path / "other"
    shutil.copytree(project_dir / "sources", other / "sources")
    shutil.rmtree(other / "sources" / "ro")  # no edition here: the memory is all there is
    shutil.copy(project_dir / "translate-flow.toml", other)
    first = cli("tm", "import", "--tmx", str(exported), "--project", str(other))
    assert first.exit_code == 0
    assert "imported 1 new translation units into locales/memory.tmx" in first.stdout
    validate(other / "locales" / "memory.tmx")
    again = cli("tm", "import", "--tmx", str(exported), "--project", str(other))
    assert "imported 0 new" in again.stdout
    Project(other).translate(locales=["ro"])
    title = polib.pofile(str(po_path(other, "ro"))).find(TITLE)
    assert (title.msgstr, title.flags, title.tcomment) == (
        "NATO trebuie să rămână unită",
        ["fuzzy"],
        "tm: locales/memory.tmx",
    )


def test_import_reads_tmx_from_other_tools(tmp_path, cli):
    """OmegaT-style: srclang on the header, xml:lang per variant, a <hi> inside."""
    path = tmp_path / "omegat.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" '
        'segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>'
        '<body><tu><tuv xml:lang="EN-US"><seg>Allies met <hi>again</hi>.</seg></tuv>'
        '<tuv xml:lang="RO"><seg>Aliații s-au  reîntâlnit.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    pairs = read_tmx(path, "omegat.tmx")
    assert [(p.source_locale, p.target_locale, p.source, p.target) for p in pairs] == [
        ("en_US", "ro", "Allies met again.", "Aliații s-au reîntâlnit.")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tmx><header>\n<body>", "not valid XML"),
        ("<html/>", "not a TMX file"),
    ],
)
def test_bad_tmx_is_refused(cli, tmp_path, content, message):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    result = cli.project("tm", "import", "--tmx", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (cli.root / "locales" / "memory.tmx").exists()
