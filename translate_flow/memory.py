"""Translation memory: reviewed translations reused on exact match, and on fuzzy match fitted to the new sentence."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogs import Suggestion, entry_state, read_catalog, units
from .errors import InputError
from .model import PLACEHOLDER, PLACEHOLDER_SPLIT, EntryState
from .provenance import Provenance, provenance_of
from .rendering import bcp47, tags_problem
from .tm_index import TOKEN, Hit, TmIndex, words

FUZZY_MIN = 75  # default [memory] fuzzy_min
NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")


def provenance(origin: str, percent: int | None = None, notes: Sequence[str] = ()) -> Provenance:
    """``tm: 86% locales/ro/other.po`` (no percentage on an exact match), then notes such as ``tags=check``."""
    return Provenance("tm", " ".join([*([f"{percent}%"] if percent is not None else []), origin, *notes]))


def match_percent(line: str | None) -> int | None:
    """The match percentage a provenance line gives: 100 for an exact match, None when not from memory."""
    found = Provenance.parse(line or "")
    if found is None or found.kind != "tm":
        return None
    first = found.detail.split(" ")[0]
    return int(first[:-1]) if first.endswith("%") and first[:-1].isdigit() else 100


class TranslationMemory:
    """Reviewed (non-fuzzy) translations by target locale, indexed in ``cache_dir``."""

    def __init__(
        self, cache_dir: Path, fuzzy_min: float = FUZZY_MIN, digest: Callable[[Path], str | None] | None = None
    ):
        self.cache_dir = cache_dir
        self.fuzzy_min = fuzzy_min
        self.digest = digest  # a file's sha256, as TmIndex.sync takes it
        self._indexes: dict[str, TmIndex] = {}

    def add_locale(self, locale: str, files: Sequence[tuple[Path, str]]) -> None:
        """Learn every reviewed unit of these (path, shown) catalogs, obsolete entries too, and of TMX files.

        A sentence merged with the next ones is learnt only as the group: their sources joined, so a
        match never carries content its source lacks.
        """

        def reviewed(path: Path, shown: str) -> list[tuple[str, str]]:
            if path.suffix == ".tmx":
                return [(p.source, p.target) for p in read_tmx(path, shown) if p.target_locale == locale]
            po = read_catalog(path, shown).po
            groups = [
                (source, target)
                for source, target, group in units(po)
                if entry_state(group[0]) is EntryState.TRANSLATED
            ]
            return groups + [(e.msgid, e.msgstr) for e in po if e.obsolete and entry_state(e) is EntryState.TRANSLATED]

        index = TmIndex(self.cache_dir / f"{locale}.sqlite3")
        index.sync(files, reviewed, self.digest)
        self._indexes[locale] = index

    def suggest(self, locale: str, source: str) -> Suggestion | None:
        """The closest reviewed translation scoring ``fuzzy_min`` or more, fitted to ``source``."""
        index = self._indexes.get(locale)
        hit = index.best(source, self.fuzzy_min) if index else None
        if hit is None:
            return None
        if hit.unit.source == source:
            return Suggestion(hit.unit.target, provenance(hit.unit.origin))
        return fitted(hit, source)

    def missed_before(self, locale: str, sources: Sequence[str]) -> bool:
        """Whether this memory, as it is, found nothing for any of these sentences in an earlier run.

        A cron tick with no model for a pair would otherwise look every untranslated entry up again.
        """
        index = self._indexes.get(locale)
        return index is not None and index.missed(self._asked(sources))

    def note_missed(self, locale: str, sources: Sequence[str]) -> None:
        """Keep that the memory found nothing for any of these sentences (until its units change)."""
        index = self._indexes.get(locale)
        if index is not None:
            index.note_missed(self._asked(sources))

    def _asked(self, sources: Sequence[str]) -> str:
        return hashlib.sha256(json.dumps([self.fuzzy_min, *sources], ensure_ascii=False).encode()).hexdigest()

    def close(self) -> None:
        for index in self._indexes.values():
            index.close()


def fitted(hit: Hit, source: str) -> Suggestion:
    """A fuzzy match's translation with placeholders renumbered to ``source`` and changed numbers noted.

    A number that changed one for one is replaced where the translation writes it exactly as the
    old source did, once; every changed number is listed (``numbers=2023→2024``) for the reviewer.
    """
    old, target = hit.unit.source, hit.unit.target
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(source)
    renumber: dict[str, str] = {}
    changed: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=words(old), b=words(source), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for a, b in zip(old_tokens[i1:i2], new_tokens[j1:j2], strict=False):
            if tag == "equal" and a[0] == "<" and a[1] != "/":  # an opening or empty tag: its closing follows it
                renumber.setdefault(_number_of(a), _number_of(b))
            elif tag == "replace" and i2 - i1 == j2 - j1 and NUMBER.fullmatch(a) and NUMBER.fullmatch(b):
                changed.append((a, b))
    text = PLACEHOLDER.sub(lambda m: _renumbered(m.group(0), renumber), target)
    notes = []
    gone = Counter(NUMBER.findall(PLACEHOLDER.sub(" ", old)))
    added = Counter(NUMBER.findall(PLACEHOLDER.sub(" ", source)))
    gone, added = gone - added, added - gone
    if gone or added:
        pairs = [(a, b) for a, b in changed if gone[a] and added[b]]
        for a, b in pairs:
            gone[a], added[b] = gone[a] - 1, added[b] - 1
            text = _replace_number(text, old, a, b)
        listed = [f"{a}→{b}" for a, b in pairs] + [f"{a}→?" for a in gone.elements()]
        notes.append("numbers=" + ",".join(listed + [f"?→{b}" for b in added.elements()]))
    if tags_problem(PLACEHOLDER.findall(source), text):
        notes.append("tags=check")
    return Suggestion(text, provenance(hit.unit.origin, int(hit.score), notes), previous=old)


def _number_of(placeholder: str) -> str:
    return re.sub(r"\D", "", placeholder)


def _renumbered(placeholder: str, renumber: dict[str, str]) -> str:
    number = _number_of(placeholder)
    return placeholder.replace(number, renumber.get(number, number))


def _replace_number(text: str, old_source: str, was: str, now: str) -> str:
    """``was`` → ``now`` in ``text`` when both the old source and the text write it exactly once."""
    alone = re.compile(rf"(?<![\w.,]){re.escape(was)}(?![\w]|[.,]\d)")
    if len(alone.findall(old_source)) == 1 and len(alone.findall(text)) == 1:
        return alone.sub(now, text)
    return text


@dataclass(frozen=True)
class Pair:
    """One translation unit for exchange: a source sentence and its translation."""

    source_locale: str
    target_locale: str
    source: str
    target: str
    origin: str  # "reviewed" or "aligned"


TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def _seg(parent, text: str):
    """A <seg> whose placeholders are TMX inline codes: <1> bpt, </1> ept, <2/> ph."""
    from xml.etree import ElementTree

    seg = ElementTree.SubElement(parent, "seg")
    last = None
    for part in PLACEHOLDER_SPLIT.split(text):
        match = re.fullmatch(r"<(/?)(\d+)(/?)>", part)
        if not match:
            if last is None:
                seg.text = (seg.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        closing, number, empty = match.groups()
        tag, attributes = (
            ("ph", {"x": number})
            if empty
            else ("ept", {"i": number})
            if closing
            else ("bpt", {"i": number, "x": number})
        )
        last = ElementTree.SubElement(seg, tag, attributes)
        last.text = part
    return seg


def write_tmx(path: Path, pairs: list[Pair], source_locale: str) -> None:
    """TMX 1.4b, for CAT tools such as OmegaT and Trados; sorted, so the same pairs give the same file."""
    from xml.etree import ElementTree

    from . import __version__
    from .files import write_if_changed

    root = ElementTree.Element("tmx", version="1.4")
    ElementTree.SubElement(
        root,
        "header",
        creationtool="translate-flow",
        creationtoolversion=__version__,
        segtype="sentence",
        **{"o-tmf": "PO", "adminlang": "en", "srclang": bcp47(source_locale), "datatype": "plaintext"},
    )
    body = ElementTree.SubElement(root, "body")
    for pair in sorted(set(pairs), key=lambda p: (p.source_locale, p.target_locale, p.source, p.target)):
        unit = ElementTree.SubElement(body, "tu", srclang=bcp47(pair.source_locale))
        ElementTree.SubElement(unit, "prop", type="x-translate-flow-origin").text = pair.origin
        for locale, text in ((pair.source_locale, pair.source), (pair.target_locale, pair.target)):
            variant = ElementTree.SubElement(unit, "tuv", {"xml:lang": bcp47(locale)})
            _seg(variant, text)
    ElementTree.indent(root)
    xml = ElementTree.tostring(root, encoding="unicode")
    write_if_changed(path, f'<?xml version="1.0" encoding="UTF-8"?>\n{TMX_DOCTYPE}\n{xml}\n')


def _text_of(seg) -> str:
    """A <seg> back to msgid form: inline codes become placeholders, their content is dropped."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag == "bpt":
            parts.append(f"<{child.get('i')}>")
        elif child.tag == "ept":
            parts.append(f"</{child.get('i')}>")
        elif child.tag in ("ph", "it"):
            parts.append(f"<{child.get('x') or child.get('i') or 0}/>")
        else:  # <hi> and the like: keep the words
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


TMX_VERSION = re.compile(r"1\.[1-4]b?")


def _refuse_entities(data: bytes, shown: str) -> None:
    """Refuse entity declarations: they can expand a small file without end or read local files."""
    from xml.parsers import expat

    def refuse(name, *args):
        raise InputError(f"XML entity declarations are not allowed (<!ENTITY {name}>)", shown, parser.CurrentLineNumber)

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = refuse
    with contextlib.suppress(expat.ExpatError):  # reported, with its line, by the real parse
        parser.Parse(data, True)


def read_tmx(path: Path, shown: str) -> list[Pair]:
    """Every (source, target) pair of a TMX file, the source language being its srclang."""
    from xml.etree import ElementTree

    from .config import normalize_locale

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", shown) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a TMX file", shown) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", shown) from None
    _refuse_entities(data, shown)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise InputError(f"not valid XML: {error.msg}", shown, error.position[0]) from None
    header = root.find("header")
    if root.tag != "tmx" or header is None or root.find("body") is None:
        raise InputError("not a TMX file (no <tmx>, <header> and <body>)", shown)
    if not TMX_VERSION.fullmatch(root.get("version", "")):
        raise InputError(f"TMX version {root.get('version')!r} is not supported; 1.1 to 1.4b are", shown)
    default_source = header.get("srclang", "")
    pairs = []
    for unit in root.iter("tu"):
        variants = {}
        for variant in unit.findall("tuv"):
            lang = variant.get("{http://www.w3.org/XML/1998/namespace}lang") or variant.get("lang")
            seg = variant.find("seg")
            if lang and seg is not None:
                variants[normalize_locale(lang, shown)] = _text_of(seg)
        source_lang = unit.get("srclang", default_source)
        source_locale = normalize_locale(source_lang, shown) if source_lang not in ("", "*all*") else None
        if source_locale not in variants:
            continue
        origin = next((p.text for p in unit.findall("prop") if p.get("type") == "x-translate-flow-origin"), None)
        for locale, text in variants.items():
            if locale != source_locale and text and variants[source_locale]:
                pairs.append(Pair(source_locale, locale, variants[source_locale], text, origin or "imported"))
    return pairs


def exchange_pairs(catalogs: Iterable[tuple[str, str, Path, str]]) -> list[Pair]:
    """Reviewed and aligned translations of (language, locale, path, shown) catalogs: a merged group is one unit."""
    pairs = []
    for language, locale, path, shown in catalogs:
        for source, target, group in units(read_catalog(path, shown).po):
            reviewed = entry_state(group[0]) is EntryState.TRANSLATED
            found = provenance_of(group[0])
            if reviewed or (found is not None and found.kind == "aligned"):
                origin = "reviewed" if reviewed else "aligned"
                pairs.append(Pair(language, locale, source, target, origin))
    return pairs


def export_tmx(path: Path, pairs: Callable[[], list[Pair]], source_locale: str) -> int:
    """Write the pairs as TMX 1.4b to a file the user named; returns how many.

    ``pairs`` is called only once the path is known to be writable: collecting them reads every catalog.
    """
    if path.is_dir():
        raise InputError("is a folder; name the TMX file to write", path)
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist; create it first", path)
    found = pairs()
    write_tmx(path, found, source_locale)
    return len(set(found))


def import_tmx(path: Path, memory_path: Path, memory_shown: str, source_locale: str) -> int:
    """Add a TMX file's pairs to the project's memory file; returns how many were new."""
    incoming = read_tmx(path, str(path))
    known = read_tmx(memory_path, memory_shown) if memory_path.is_file() else []
    new = set(incoming) - set(known)
    write_tmx(memory_path, [*known, *new], source_locale)
    return len(new)
