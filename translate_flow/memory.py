"""Translation memory: reviewed translations in any catalog, reused on exact match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogs import entry_state, read_catalog
from .errors import InputError
from .model import MERGED, PLACEHOLDER_SPLIT, EntryState
from .rendering import bcp47


@dataclass(frozen=True)
class Match:
    text: str
    origin: str  # the catalog it came from, as users see it

    @property
    def provenance(self) -> str:
        return f"tm: {self.origin}"


class TranslationMemory:
    """Reviewed (non-fuzzy) translations by target locale and source text."""

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, str], Match] = {}

    def add(self, locale: str, source: str, target: str, origin: str) -> None:
        self._pairs.setdefault((locale, source), Match(target, origin))

    def add_catalogs(self, locale: str, catalogs: Iterable[tuple[Path, str]]) -> None:
        """Learn every reviewed entry of these (path, shown) catalogs, obsolete ones too."""
        for path, shown in catalogs:
            for entry in read_catalog(path, shown).po:
                if entry_state(entry) is EntryState.TRANSLATED and entry.msgstr != MERGED:
                    self.add(locale, entry.msgid, entry.msgstr, shown)

    def add_pairs(self, pairs: Iterable[Pair], origin: str) -> None:
        """Learn imported pairs; ``origin`` names their file."""
        for pair in pairs:
            self.add(pair.target_locale, pair.source, pair.target, origin)

    def lookup(self, locale: str, source: str) -> Match | None:
        return self._pairs.get((locale, source))


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


def read_tmx(path: Path, shown: str) -> list[Pair]:
    """Every (source, target) pair of a TMX file, the source language being its srclang."""
    from xml.etree import ElementTree

    from .config import normalize_locale

    try:
        root = ElementTree.parse(path).getroot()
    except FileNotFoundError:
        raise InputError("file not found", shown) from None
    except ElementTree.ParseError as error:
        raise InputError(f"not valid XML: {error.msg}", shown, error.position[0]) from None
    header = root.find("header")
    if root.tag != "tmx" or header is None or root.find("body") is None:
        raise InputError("not a TMX file (no <tmx>, <header> and <body>)", shown)
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
