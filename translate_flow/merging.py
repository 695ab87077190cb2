"""Merge policy: a PO file for a new template that keeps every translation and the bytes of what it keeps.

As msgmerge: exact matches keep their translation, a changed sentence inherits
the closest old translation as ``fuzzy`` with ``#| msgid`` (and that old entry is
not also kept as ``#~``), translated entries whose sentence left the source
become obsolete ``#~`` entries. Entries the merge does not change keep their
bytes; of the header, only the fields the tool owns are set.
"""

from __future__ import annotations

import functools

from . import provenance
from .model import MERGED
from .plurals import plural_forms
from .pofile import Entry, PoFile, header_text, now
from .provenance import is_machine_suggestion, is_merged, provenance_of
from .provenance import replace as replace_provenance


@functools.cache
def _language(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).english_name


def _new_header(pot: PoFile, locale: str) -> Entry:
    source = (pot.header.tcomment if pot.header else "").split("\n")[0].removeprefix("Sentences of ").rstrip(".")
    comment = (
        f"{_language(locale)} translation of {source}.\n"
        "Translators: edit the msgstr lines and clear 'fuzzy' once reviewed;\n"
        "`translate-flow update` keeps every translation."
    )
    fields = {
        "Project-Id-Version": pot.field("Project-Id-Version") or "",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": pot.field("POT-Creation-Date") or "",
        "PO-Revision-Date": now(),
        "Last-Translator": "",
        "Language-Team": _language(locale),
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(locale),
        "X-Generator": pot.field("X-Generator") or "",
    }
    return Entry(msgstr=header_text(fields), tcomment=comment)


# The header fields the tool owns; the rest (Last-Translator, Language-Team, PO-Revision-Date,
# X-Generator, anything an editor adds) belong to translators and their editors.
OWNED = ("Project-Id-Version", "POT-Creation-Date")


def _merged_header(pot: PoFile, old: PoFile, locale: str, po: PoFile) -> None:
    if old.header is None:
        po.header = _new_header(pot, locale)
        return
    po.header = old.header
    for name in OWNED:
        if pot.field(name) is not None and po.field(name) != pot.field(name):
            po.set_field(name, pot.field(name))
    defaults = {"Language": locale, "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": plural_forms(locale)}
    for name, value in defaults.items():
        if po.field(name) is None:
            po.set_field(name, value)


def _legacy_merged(entry: Entry) -> None:
    """A msgstr "^" (how merged sentences were written before) becomes the empty msgstr and comment."""
    if entry.msgstr != MERGED:
        return
    old, where = provenance.of(entry.tcomment), ""
    if old is not None and old.detail.endswith(LEFT_OUT):
        where = f"{old.kind}: left out of {old.detail.removesuffix(LEFT_OUT)}"
    elif old is not None:
        where = f"{old.kind}: {old.detail.removesuffix(' merged into the entry above')}"
    entry.tcomment = provenance.replace(entry.tcomment, provenance.merged(where))
    entry.msgstr, entry.fuzzy = "", False


LEFT_OUT = " left out of the edition"  # how the aligner described a 1:0 bead before


def _inherit(entry: Entry, donor: Entry) -> None:
    """A changed sentence takes the closest old translation, fuzzy, with the old source as ``#| msgid``.

    A merged sentence stays merged (an empty msgstr cannot be fuzzy: gettext drops the flag there),
    and the entry above, which says it, becomes fuzzy: see ``_review_changed_groups``.
    """
    entry.msgstr, entry.tcomment = donor.msgstr, donor.tcomment
    found = provenance_of(donor)
    if found is not None and found.kind == "mt" and not donor.fuzzy:
        # Reviewed machine output is a translator's text: made fuzzy here, it must not pass for a
        # machine suggestion, which memory and models may replace.
        entry.tcomment = replace_provenance(donor.tcomment, None)
    entry.flags = list(donor.flags)
    entry.fuzzy = bool(donor.msgstr)
    if donor.fuzzy and donor.previous_msgid is not None:  # as msgmerge: the source the translation was made for
        entry.previous_msgid, entry.previous_msgctxt = donor.previous_msgid, donor.previous_msgctxt
    else:
        entry.previous_msgid, entry.previous_msgctxt = donor.msgid, donor.msgctxt


def _review_changed_groups(po: PoFile, changed: set[int]) -> None:
    """A group whose merged sentence changed (``changed``: by identity) needs review again: its head becomes fuzzy."""
    head = None
    for entry in (e for e in po if not e.obsolete):
        if not is_merged(entry):
            head = entry
        elif id(entry) in changed and head is not None and head.msgstr and not head.fuzzy:
            head.fuzzy = True


def _heads(po: PoFile) -> dict[int, Entry]:
    """Each merged entry's head (by identity): the active entry above it, whose translation says its text too."""
    heads, head = {}, None
    for entry in (e for e in po if not e.obsolete):
        if not is_merged(entry):
            head = entry
        elif head is not None:
            heads[id(entry)] = head
    return heads


def merge(pot: PoFile, old: PoFile, locale: str, threshold: float) -> PoFile:
    """A PO file for ``pot`` that keeps every translation ``old`` has, and the bytes of what it keeps."""
    from rapidfuzz import fuzz, process

    for entry in old:
        _legacy_merged(entry)
    heads = _heads(old)
    po = PoFile(tail=old.tail)
    _merged_header(pot, old, locale, po)
    # Active entries win over obsolete twins of the same key.
    previous = {e.key: e for e in sorted(old, key=lambda e: not e.obsolete)}
    used: set[int] = set()
    unmatched: list[Entry] = []
    for template in pot:
        found = previous.get(template.key)
        if found is not None and id(found) not in used:
            used.add(id(found))
            found.obsolete = False
            found.comment, found.occurrences = template.comment, list(template.occurrences)
            po.append(found)
            continue
        entry = Entry(msgid=template.msgid, msgctxt=template.msgctxt, comment=template.comment)
        entry.occurrences = list(template.occurrences)
        unmatched.append(entry)
        po.append(entry)

    # Unreviewed machine output is no one's work: a changed sentence is translated afresh rather than inherit it.
    donors = [e for e in old if (e.msgstr or is_merged(e)) and id(e) not in used and not is_machine_suggestion(e)]
    choices = [e.msgid for e in donors]
    for entry in unmatched:
        best = process.extractOne(entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if best is not None:
            _inherit(entry, donors[best[2]])
            used.add(id(donors[best[2]]))
    _review_changed_groups(po, {id(entry) for entry in unmatched if is_merged(entry)})
    # A merged sentence that left the source is dropped (it has no text), but its head's translation still says it.
    for entry in old:
        head = heads.get(id(entry))
        if id(entry) not in used and head is not None and id(head) in used and head.msgstr and not head.fuzzy:
            head.fuzzy = True

    # Nothing is lost: a translation whose sentence left the source, and that no new sentence inherited, stays obsolete.
    for entry in old:
        if entry.msgstr and id(entry) not in used:
            entry.obsolete = True
            po.append(entry)
    return po
