"""Apertium (Debian's rule-based MT, en→es→ro) as the aligner's translation knowledge, with the real binary."""

from __future__ import annotations

import pytest

from translate_flow import apertium
from translate_flow.align import align
from translate_flow.config import load_config
from translate_flow.errors import InputError
from translate_flow.pipeline import Project

from .conftest import SAMPLE
from .test_align import EDITIONS, GOLD, edition, pair
from .test_config import write_config

PAIR = [f"sources/en/{SAMPLE}.md", f"sources/ro/{SAMPLE}.md"]
# Titles end with no punctuation: Apertium's transfer would move their words into the next line.
TEXTS = [
    "NATO allies agree to raise defence spending target",
    "Secretary General Mark Rutte said the new goal would be reached by 2030.",
    "",
    "“Every ally must carry its share of the burden,” he told reporters",
    "Spain and <1>Belgium</1> asked for more time.",
]


@pytest.fixture(scope="module")
def en_ro() -> list[apertium.Mode]:
    assert apertium.installed(), "apertium is missing: make test installs apertium, apertium-en-es and apertium-es-ro"
    route = apertium.route("en", "ro", apertium.modes())
    assert route is not None
    return route


def test_english_reaches_romanian_through_spanish_with_the_mode_debian_does_not_install(en_ro):
    assert [mode.name for mode in en_ro] == ["eng-spa", "es-ro"]
    assert not (apertium.ROOT / "modes" / "es-ro.mode").exists()  # only in apertium-es-ro's modes.xml
    assert apertium.route("en_GB", "ro", apertium.modes()) == en_ro
    assert apertium.route("en", "de", apertium.modes()) is None


def test_one_call_for_many_sentences_translates_each_as_alone(en_ro):
    together = apertium.translate(TEXTS, en_ro)
    assert together == [apertium.translate([text], en_ro)[0] for text in TEXTS]
    assert together[2] == "" and "aliat" in together[3].lower() and "Belgi" in together[4]


def test_a_failing_mode_is_an_error_not_a_wrong_translation():
    with pytest.raises(apertium.ApertiumError, match="apertium x-y: exit 1"):
        apertium.translate(["Hello."], [apertium.Mode("x-y", "false")])


def test_align_compares_the_edition_with_apertium_through_the_cache(project_dir, monkeypatch):
    calls = []
    translate = apertium.translate
    monkeypatch.setattr(apertium, "translate", lambda texts, route: calls.append(texts) or translate(texts, route))
    project = Project(project_dir)
    source, target = (project.read_edition(project_dir / path) for path in PAIR)
    first = project.align(source, target)
    assert calls == [sorted({segment.text for segment in source.segments})]  # each sentence once, in one call
    assert project.align(source, target) == first and len(calls) == 1  # then from the cache
    translations = translate(
        [segment.text for segment in source.segments], apertium.route("en", "ro", apertium.modes())
    )
    assert first == align(source, target, translations)
    assert first != align(source, target)  # the translations count


@pytest.mark.parametrize("hidden", [True, False])
def test_without_apertium_or_with_it_turned_off_the_alignment_is_unchanged(project_dir, monkeypatch, hidden):
    if hidden:
        monkeypatch.setattr(apertium, "installed", lambda: False)
    else:
        config = project_dir / "translate-flow.toml"
        config.write_text(config.read_text(encoding="utf-8") + '\n[align]\ntranslator = "none"\n', encoding="utf-8")
    monkeypatch.setattr(apertium, "translate", lambda *_: pytest.fail("apertium was called"))
    project = Project(project_dir)
    source, target = (project.read_edition(project_dir / path) for path in PAIR)
    assert project.align(source, target) == align(source, target)


def test_apertium_chosen_for_a_pair_it_cannot_translate_is_a_one_line_error(cli):
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[align]\ntranslator = "apertium"\n', encoding="utf-8")
    line = len(config.read_text(encoding="utf-8").splitlines())
    paths = [str(EDITIONS / language / "allies-boost-air-defence.md") for language in ("en", "de")]
    result = cli.project("align", *paths)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        f"translate-flow.toml:{line}: align.translator: 'apertium', but no Apertium mode translates en→de here"
    )
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    assert cli.project("align", *pair(cli)).exit_code == 0  # en→ro it can


def test_the_translator_setting_is_validated(tmp_path):
    assert load_config(write_config(tmp_path, '[targets]\nen = ["ro"]\n')).align_translator == "auto"
    for choice in ("auto", "argos", "apertium", "none"):
        text = f'[targets]\nen = ["ro"]\n[align]\ntranslator = "{choice}"\n'
        assert load_config(write_config(tmp_path, text)).align_translator == choice
    with pytest.raises(
        InputError, match=r"translate-flow.toml:4: align.translator: must be 'auto', 'argos', 'apertium'"
    ):
        load_config(write_config(tmp_path, '[targets]\nen = ["ro"]\n[align]\ntranslator = "google"\n'))


@pytest.mark.parametrize("name", [name for name in GOLD if name.endswith(" en ro")])
def test_precision_and_recall_against_the_gold_alignment_with_apertium(name, en_ro):
    slug = name.split()[0]
    source, target = edition(slug, "en"), edition(slug, "ro")
    translations = apertium.translate([segment.text for segment in source.segments], en_ro)
    found = {(bead.source, bead.target) for bead in align(source, target, translations).beads}
    gold = {(tuple(s), tuple(t)) for s, t in GOLD[name]}
    assert len(found & gold) >= 0.95 * len(found), sorted(found - gold)
    assert len(found & gold) >= 0.95 * len(gold), sorted(gold - found)


def test_modes_come_from_mode_files_and_from_packages_modes_xml(tmp_path):
    (tmp_path / "modes").mkdir()
    (tmp_path / "modes" / "eng-spa.mode").write_text("lt-proc '/x/eng-spa.automorf.bin'\n", encoding="utf-8")
    (tmp_path / "modes" / "eng-spa-tagger.mode").write_text("lt-proc '/x/a.bin'\n", encoding="utf-8")
    package = tmp_path / "apertium-es-ro"
    package.mkdir()
    (package / "modes.xml").write_text(
        '<modes><mode name="es-ro" install="no"><pipeline><program name="lt-proc"><file name="es-ro.automorf.bin"/>'
        '</program><program name="apertium-tagger -g $2"><file name="es-ro.prob"/></program></pipeline></mode>'
        '<mode name="es-ro-anmor"><pipeline><program name="lt-proc"/></pipeline></mode></modes>',
        encoding="utf-8",
    )
    (tmp_path / "apertium-broken").mkdir()
    (tmp_path / "apertium-broken" / "modes.xml").write_text("<modes><mode", encoding="utf-8")
    found = apertium.modes(tmp_path)
    assert sorted(found) == [("en", "es"), ("es", "ro")]
    assert found["es", "ro"].pipeline == (
        f"lt-proc '{package}/es-ro.automorf.bin' | apertium-tagger -g $2 '{package}/es-ro.prob'"
    )
    assert [mode.name for mode in apertium.route("en", "ro", found)] == ["eng-spa", "es-ro"]
