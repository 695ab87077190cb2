"""The PO format: msgcat's bytes for what the tool writes, the editor's bytes for what it doesn't touch."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate_flow import pofile, powriter
from translate_flow.errors import InputError
from translate_flow.pipeline import Project

from .conftest import SAMPLE, po_path
from .test_catalogs import edit_source, translate

GETTEXT = subprocess.run(["msgcat", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
PINNED = "msgcat (GNU gettext-tools) 0.21"  # the golden bytes below were made with this version
pinned = pytest.mark.skipif(GETTEXT != PINNED, reason=f"golden bytes are for {PINNED!r}, found {GETTEXT!r}")


def msgcat(text: str) -> str:
    return subprocess.run(["msgcat", "-"], input=text.encode(), capture_output=True, check=True).stdout.decode()


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ro\\n"\n'


def written(*entries: pofile.Entry) -> str:
    po = pofile.PoFile(list(entries), pofile.parse(HEADER, "x.po").header)
    return powriter.render(po)


@pinned
def test_every_catalog_the_tool_writes_is_msgcat_output(project: Project):
    project.run()
    edit_source(project.root, "He was in Berlin", "He was in Berlin on Monday")
    project.run()
    config = project.root / "translate-flow.toml"
    config.write_text(config.read_text().replace("[qa]\n", '[qa]\ntranslator = "Ana Pop <ana@example.org>"\n'))
    project = Project(project.root)
    item = project.queue("ro")[0]
    project.accept(item, item.current + " (revizuit)")
    files = sorted(project.root.glob("locales/**/*.po*"))
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert msgcat(text) == text, path


GOLDEN = {
    "cjk": (
        pofile.Entry(
            msgid="NATO must stay united. " * 3,
            msgstr="北约必须保持团结，吕特周一在柏林与德国总理朔尔茨会谈时表示。" * 2,
        ),
        'msgid "NATO must stay united. NATO must stay united. NATO must stay united. "\n'
        'msgstr ""\n'
        '"北约必须保持团结，吕特周一在柏林与德国总理朔尔茨会谈时表示。北约必须保持团结"\n'
        '"，吕特周一在柏林与德国总理朔尔茨会谈时表示。"\n',
    ),
    "url": (
        pofile.Entry(msgid="See https://www.nato.int/cps/en/natohq/news_230000.htm for the full text of the speech."),
        'msgid ""\n"See https://www.nato.int/cps/en/natohq/news_230000.htm for the full text of "\n'
        '"the speech."\nmsgstr ""\n',
    ),
    "newlines": (
        pofile.Entry(msgid="Line one\nLine two\n", msgstr="Rândul unu\nRândul doi\n"),
        'msgid ""\n"Line one\\n"\n"Line two\\n"\nmsgstr ""\n"Rândul unu\\n"\n"Rândul doi\\n"\n',
    ),
    "previous": (
        pofile.Entry(
            msgid="He was in Berlin on Monday for talks with German chancellor Olaf Scholz, his office said.",
            msgstr="A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz.",
            flags=["fuzzy"],
            previous_msgid="He was in Berlin for talks with German chancellor Olaf Scholz, his office said.",
        ),
        '#, fuzzy\n#| msgid ""\n#| "He was in Berlin for talks with German chancellor Olaf Scholz, his office "\n'
        '#| "said."\nmsgid ""\n"He was in Berlin on Monday for talks with German chancellor Olaf Scholz, his "\n'
        '"office said."\nmsgstr "A fost la Berlin pentru discuții cu cancelarul german Olaf Scholz."\n',
    ),
    "obsolete": (
        pofile.Entry(
            msgid="The former Dutch prime minister succeeded Jens Stoltenberg at the helm of NATO.",
            msgstr="Fostul prim-ministru al Țărilor de Jos i-a succedat lui Jens Stoltenberg.",
            tcomment="mt: argos en→ro",
            obsolete=True,
        ),
        '# mt: argos en→ro\n#~ msgid ""\n'
        '#~ "The former Dutch prime minister succeeded Jens Stoltenberg at the helm of "\n'
        '#~ "NATO."\n#~ msgstr ""\n'
        '#~ "Fostul prim-ministru al Țărilor de Jos i-a succedat lui Jens Stoltenberg."\n',
    ),
    "escapes": (
        pofile.Entry(msgid='A "quoted"\tword and a \\ backslash', msgctxt="title"),
        'msgctxt "title"\nmsgid "A \\"quoted\\"\\tword and a \\\\ backslash"\nmsgstr ""\n',
    ),
}


# gettext 0.21 never starts a line with a fullwidth comma (UAX #14 class CL); gettext_wrap 1.0.0 does. Two more
# differences are kept out of the property below: 0.21 breaks neither after "/" nor after "-" inside a word, and
# breaks an e-mail address inside ("<ana." / "popescu@…") where gettext_wrap breaks before "<".
KNOWN_DIFFERENCES = {"cjk"}


@pytest.mark.parametrize("name", GOLDEN)
def test_exact_bytes_as_gnu_gettext_writes_them(name):
    entry, expected = GOLDEN[name]
    assert powriter.format_entry(entry) == expected
    text = written(entry)
    if GETTEXT == PINNED:
        assert (msgcat(text) == text) is (name not in KNOWN_DIFFERENCES)


# gettext 0.21 breaks a line after a space but not after "/" inside a word; gettext_wrap follows newer
# gettext there (translate-toolkit's test_wrap_on_slash). Words here have no "/" so both agree.
WORDS = st.sampled_from(
    [
        *("NATO", "a", "will", "work", "with", "the", "winner,", "é", "40.000", '"q"', "\\", "北约必须保持团结"),
        *("„Rutte”", "„Rutte“", "«Rutte»", "“Rutte”", "‘x’"),  # gettext_wrap alone breaks beside these
    ]
)
TEXT = st.lists(st.one_of(WORDS, st.just("\n")), max_size=40).map(lambda words: " ".join(words).replace(" \n ", "\n"))


REFERENCES = st.lists(
    st.integers(1, 999).map(lambda n: f"sources/en/nato-must-stay-united.md:{n}"), max_size=6, unique=True
)
COMMENT = st.sampled_from(["", "mt: argos en→ro translate-en_ro 1.9 beam=4 score=-0.42", "a note\n\nwith a gap"])


@pinned
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, TEXT, TEXT, st.booleans(), st.booleans(), st.one_of(st.none(), TEXT), REFERENCES, COMMENT),
        min_size=1,
        max_size=12,
    )
)
def test_writer_agrees_with_msgcat(rows):
    entries = {}
    for msgid, msgstr, previous, fuzzy, obsolete, context, references, comment in rows:
        msgid = msgid.strip("\n") + "x"  # msgfmt wants msgid and msgstr to start and end alike
        entry = pofile.Entry(msgid=msgid, msgstr=msgstr.strip("\n") + "y", msgctxt=context, obsolete=obsolete)
        entry.fuzzy, entry.previous_msgid = fuzzy, previous if fuzzy else None
        entry.occurrences, entry.tcomment = references, comment
        entries[entry.key] = entry
    text = written(*sorted(entries.values(), key=lambda entry: entry.obsolete))  # msgcat puts obsolete entries last
    assert msgcat(text) == text
    assert powriter.render(pofile.parse(text, "x.po")) == text


# Saved by each editor's library, then through the tool: what it does not change keeps their bytes.


def save_with_polib(path: Path) -> None:
    polib.pofile(str(path), wrapwidth=78).save()


def save_with_babel(path: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as stream:
        catalog = read_po(stream)
    with path.open("wb") as stream:
        write_po(stream, catalog, width=76)


def save_with_translate_toolkit(path: Path) -> None:
    from translate.storage import pypo

    store = pypo.pofile.parsefile(str(path))
    path.write_bytes(bytes(store))


def save_with_msgcat(path: Path) -> None:
    subprocess.run(["msgcat", "-w", "70", "-o", str(path), str(path)], check=True)


EDITORS = {"msgcat": save_with_msgcat, "polib": save_with_polib, "babel": save_with_babel}
EDITORS["translate-toolkit"] = save_with_translate_toolkit


@pytest.mark.parametrize("editor", EDITORS)
def test_only_what_changed_changes(project: Project, editor, monkeypatch):
    project.run()
    path = po_path(project.root, "ro")
    translate(path, {"NATO must stay united": "NATO trebuie să rămână unită"})
    EDITORS[editor](path)
    saved = path.read_bytes()
    project.update()
    project.run()
    assert path.read_bytes() == saved, "no source change: no byte changes"

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730894400")  # a day later: POT-Creation-Date changes
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")
    project.update()
    project.run()
    diff = [
        line
        for line in difflib.unified_diff(saved.decode().splitlines(), path.read_text().splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    dates = [line for line in diff if "POT-Creation-Date" in line]
    assert dates == ['-"POT-Creation-Date: 2024-11-05 12:00+0000\\n"', '+"POT-Creation-Date: 2024-11-06 12:00+0000\\n"']
    changed = [line for line in diff if "POT-Creation-Date" not in line]
    assert changed and all("Berlin" in line or "Bucharest" in line or line[1:].startswith("#") for line in changed)
    assert len(changed) <= 8, diff


def test_header_fields_editors_own_are_left_alone(project: Project):
    project.run()
    path = po_path(project.root, "ro")
    text = path.read_text(encoding="utf-8")
    for field, value in (("Last-Translator", "Ana Pop <ana@example.org>"), ("X-Generator", "Poedit 3.4")):
        text = text.replace(f'"{field}: ', f'"{field}: {value}', 1) if field in text else text
    text = text.replace('"Language: ro\\n"\n', '"Language: ro\\n"\n"X-Poedit-Bookmarks: 3\\n"\n')
    path.write_text(text, encoding="utf-8")
    edit_source(project.root, "He was in Berlin", "He was in Bucharest")
    project.update()
    after = path.read_text(encoding="utf-8")
    for kept in ("Ana Pop <ana@example.org>", "X-Poedit-Bookmarks: 3", "X-Generator: Poedit 3.4"):
        assert kept in after


# Invalid PO files: every command that reads one refuses it with file:line, and nothing changes.

VALID = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;\\n"\n\n'
    'msgid "NATO must stay united"\nmsgstr "NATO trebuie să rămână unită"\n'
)
MALFORMED = {
    "invalid escape": (VALID.replace("unită", "unit\\qă"), 7, "invalid escape sequence '\\q'"),
    "escape at the end": (VALID + 'msgid "a"\nmsgstr "b\\"\n', 9, "unterminated string"),
    "unterminated msgstr": (VALID + 'msgid "a"\nmsgstr "b\n', 9, "unterminated string"),
    "unterminated msgid": (VALID + 'msgid "a\nmsgstr "b"\n', 8, "unterminated string"),
    "unterminated continuation": (VALID + 'msgid "a"\nmsgstr ""\n"b\n', 10, "unterminated string"),
    "unquoted value": (VALID + "msgid a\nmsgstr b\n", 8, "expected a quoted string"),
    "text after the string": (VALID + 'msgid "a" x\nmsgstr "b"\n', 8, "unterminated string"),
    "unknown keyword": (VALID + 'msgid "a"\nmsgtxt "b"\n', 9, "cannot read 'msgtxt"),
    "msgstr without msgid": (VALID + '#, fuzzy\nmsgstr "b"\n', 9, "'msgstr' without msgid"),
    "a second msgstr": (VALID + 'msgstr "b"\n', 8, "a second msgstr"),
    "msgid without msgstr": (VALID + 'msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 10, "'msgid' where msgstr was expected"),
    "entry without msgstr at the end": (VALID + 'msgid "a"\n', 8, "entry without msgstr"),
    "two msgstr": (VALID + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 10, "a second msgstr"),
    "two msgctxt": (VALID + 'msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr "d"\n', 9, "'msgctxt' where msgstr"),
    "msgctxt after msgid": (VALID + 'msgid "a"\nmsgctxt "b"\nmsgstr "d"\n', 9, "'msgctxt' where msgstr"),
    "stray string": ('"b"\n' + VALID, 1, "a string that belongs to no keyword"),
    "comment inside an entry": (VALID + 'msgid "a"\n# note\nmsgstr "b"\n', 9, "a comment inside an entry"),
    "msgstr[0] without msgid_plural": (VALID + 'msgid "a"\nmsgstr[0] "b"\n', 9, "msgstr[N] without msgid_plural"),
    "msgid_plural without msgstr[0]": (VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 10, "msgstr[N] expected"),
    "plural forms out of order": (
        VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n',
        10,
        "msgstr[1] out of order",
    ),
    "too few plural forms": (
        VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\n',
        8,
        "2 plural forms, Plural-Forms says 3",
    ),
    "plural entry without Plural-Forms": (
        VALID.replace("Plural-Forms", "X-Plural") + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
        8,
        "the header has no Plural-Forms",
    ),
    "broken Plural-Forms": (VALID.replace("nplurals=3; ", ""), 1, "invalid Plural-Forms"),
    "Plural-Forms expression": (VALID.replace("n==1 ? 0 :", "n==1 ? 0 ::"), 1, "invalid plural expression"),
    "Plural-Forms out of range": (VALID.replace("nplurals=3", "nplurals=2"), 1, "gives 2, but nplurals=2"),
    "charset not UTF-8": (VALID.replace("charset=UTF-8", "charset=ISO-8859-2"), 1, "charset 'iso-8859-2'"),
    "charset missing": (VALID.replace("; charset=UTF-8", ""), 1, "charset 'none'"),
    "invalid UTF-8": (VALID.replace("unită", "unit\udcffă"), 7, "invalid UTF-8"),
    "NUL byte": (VALID.replace("unită", "unit\x00ă"), 7, "NUL byte"),
    "hex escape beyond Unicode": (VALID.replace("unită", "X\\x110000Y"), 7, "escape '\\x110000' names no Unicode"),
    "hex escape of a huge number": (VALID.replace("unită", "X\\x7fffffffffffffffffffff"), 7, "names no Unicode"),
    "hex escape of a surrogate": (VALID.replace("unită", "X\\xd800Y"), 7, "escape '\\xd800' names no Unicode"),
    "second header": (VALID + '\nmsgid ""\nmsgstr "x"\n', 9, "duplicate entry for msgid '' (first at line 1)"),
    "duplicate entry": (VALID + '\nmsgid "NATO must stay united"\nmsgstr "x"\n', 9, "duplicate entry"),
    "newline mismatch": (VALID + 'msgid "a\\n"\nmsgstr "b"\n', 8, "do not both end with '\\n'"),
    "leading newline mismatch": (VALID + 'msgid "a"\nmsgstr "\\nb"\n', 8, "do not both begin with '\\n'"),
    "control character": (VALID.replace("unită", "unită\v"), 6, "msgstr holds the control character U+000B"),
    "control character in a plural form": (
        VALID + 'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "zi"\nmsgstr[1] "zi\x01le"\nmsgstr[2] "de zile"\n',
        8,
        "msgstr holds the control character U+0001",
    ),
    "previous msgstr": (VALID + '#| msgstr "x"\nmsgid "a"\nmsgstr "b"\n', 8, "cannot be a previous (#|) value"),
}


def test_the_malformed_cases_are_rejected_by_msgfmt_too(tmp_path):
    for name, (text, _, _) in MALFORMED.items():
        path = tmp_path / "x.po"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
        # msgfmt converts other charsets (or guesses), checks Plural-Forms only for plural entries, and takes NUL
        # \x escapes are bytes to msgfmt, any number of them; here they name characters, which must exist
        # and controls, which a feed cannot carry
        lenient = ("charset not UTF-8", "charset missing", "broken Plural-Forms", "NUL byte", "control character")
        if not name.startswith(lenient) and not name.startswith("hex escape"):
            assert result.returncode != 0, name


@pytest.mark.parametrize("charset", ["UTF-8", "utf8", "CHARSET", "ASCII", "US-ASCII", "ISO-8859-2"])
@pytest.mark.parametrize("msgstr", ["NATO must stay united", "NATO trebuie să rămână unită"])
def test_a_charset_is_accepted_where_msgfmt_reads_the_file_as_utf8(tmp_path, charset, msgstr):
    # msgfmt takes ASCII for a file that is all ASCII, and CHARSET (a new template's) as UTF-8
    text = VALID.replace("charset=UTF-8", f"charset={charset}").replace("NATO trebuie să rămână unită", msgstr)
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8")
    msgfmt = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True)
    expected = msgfmt.returncode == 0 and charset != "ISO-8859-2"  # msgfmt converts that one; we refuse it
    try:
        pofile.parse(text, "x.po")
    except InputError as refused:
        assert not expected and refused.line == 1 and f"charset {charset.lower()!r}" in refused.message
    else:
        assert expected


def msgfmt_accepts(folder: Path, text: str) -> bool:
    path = folder / "x.po"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


def test_plural_entries_msgfmt_accepts_are_read(tmp_path):
    # msginit or a catalog made for another language leaves empty forms; only a translated entry must match
    untranslated = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    translated = '\nmsgid "day"\nmsgid_plural "days"\nmsgstr[0] "zi"\nmsgstr[1] "zile"\nmsgstr[2] "de zile"\n'
    text = VALID + untranslated + translated
    assert msgfmt_accepts(tmp_path, text)
    assert [entry.msgid_plural for entry in pofile.parse(text, "x.po")] == [None, "as", "days"]


@pytest.mark.parametrize(
    ("plural_forms", "accepted"),
    [
        ("nplurals=1; plural=0;", True),  # Japanese, Chinese, Vietnamese: one form
        ("nplurals=0; plural=0;", False),  # msgfmt refuses it too
        ("nplurals=32; plural=n%32;", True),
        ("nplurals=33; plural=n%33;", False),  # no language has more than 6: a bigger number is a typo
    ],
)
def test_nplurals_runs_from_1_to_32(plural_forms, accepted):
    text = VALID.replace("nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;", plural_forms)
    try:
        pofile.parse(text, "x.po")
    except InputError as refused:
        assert not accepted and refused.line == 1 and "invalid Plural-Forms" in refused.message
    else:
        assert accepted


def test_untranslated_and_obsolete_entries_msgfmt_accepts_are_read(tmp_path):
    # No translation to compare the newlines with; an obsolete entry is never compiled nor published.
    untranslated = '\nmsgid "a\\n"\nmsgstr ""\n'
    obsolete = '\n#~ msgid "b\\n"\n#~ msgstr "c"\n\n#~ msgid "d"\n#~ msgstr "e\vf"\n'
    text = VALID + untranslated + obsolete
    assert msgfmt_accepts(tmp_path, text)
    assert [(entry.msgid, entry.obsolete) for entry in pofile.parse(text, "x.po")][1:] == [
        ("a\n", False),
        ("b\n", True),
        ("d", True),
    ]


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_po_is_refused_with_its_line(cli, name):
    text, line, message = MALFORMED[name]
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    before = path.read_bytes()
    result = cli.project("update", "-l", "ro")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"translate-flow: locales/ro/{SAMPLE}.po:{line}: "), result.stderr
    assert message in lines[0]
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["build"],
        ["check"],
        ["status"],
        ["queue", "ro"],
        ["review", "ro"],
        ["publish", "--force"],
        ["tm", "export", "--tmx", "x.tmx"],
        ["translate", "-l", "ro"],
        ["run", "-l", "ro"],
        ["align", f"sources/en/{SAMPLE}.md", f"sources/ro/{SAMPLE}.md", "--write"],
    ],
)
def test_every_command_that_reads_a_malformed_po_refuses_it(cli, command):
    cli.project("update")
    path = po_path(cli.root, "ro")
    path.write_text(MALFORMED["invalid escape"][0], encoding="utf-8")
    result = cli.project(*command)
    assert result.exit_code == 2, result.output
    assert f"locales/ro/{SAMPLE}.po:7: invalid escape sequence" in result.stderr
    assert not (cli.root / "dist" / "bundle").exists()


def test_line_numbers_name_the_msgid_line():
    po = pofile.parse(VALID + '\n# note\n#, fuzzy\nmsgctxt "c"\nmsgid ""\n"a"\nmsgstr "b"\n', "x.po")
    assert [entry.linenum for entry in po] == [6, 12]
    with pytest.raises(InputError):
        pofile.parse(VALID + '#~ msgid "a\n', "x.po")


def test_a_header_field_is_changed_on_its_own_line():
    text = HEADER.replace('"Language: ro\\n"\n', '"POT-Creation-Date: 2024-11-05 12:00+0000\\n"\n"Language: ro\\n"\n')
    text = text.replace('"Content-Type', '"X-Long: ' + "word " * 20 + '\\n"\n"Content-Type')
    po = pofile.parse(text, "x.po")
    po.set_field("POT-Creation-Date", "2024-11-06 09:30+0000")
    po.set_field("Language", "ro")
    assert powriter.render(po) == text.replace("2024-11-05 12:00", "2024-11-06 09:30")
    assert po.field("POT-Creation-Date") == "2024-11-06 09:30+0000"
    po.set_field("X-Generator", "translate-flow")  # a new field: the header is written anew, as msgcat would
    assert powriter.render(po) == powriter.format_entry(po.header)
    assert powriter.render(po).endswith('"Language: ro\\n"\n"X-Generator: translate-flow\\n"\n')


@pinned
def test_a_long_header_value_is_wrapped_where_it_stands():
    text = (
        HEADER.replace('"Language: ro\\n"\n', '"Last-Translator: \\n"\n"Language: ro\\n"\n')
        + '\nmsgid "a"\nmsgstr "b"\n'
    )
    po = pofile.parse(text, "x.po")
    po.set_field(
        "Last-Translator", "Ana Maria Popescu, Redacția de știri externe și politică internațională <ana@ex.org>"
    )
    assert powriter.render(po).count("\n") == text.count("\n") + 1
    assert msgcat(powriter.render(po)) == powriter.render(po)
