"""gettext catalogs: PO files kept up to date, and what their entries mean.

The PO format (reading, writing, header fields) is :mod:`translate_flow.pofile`,
the merge policy :mod:`translate_flow.merging`, the provenance comments
:mod:`translate_flow.provenance`, the POT templates :mod:`translate_flow.templates`.
Here: the read-transform-write cycle that never overwrites a translator's save,
suggestions and review decisions, and the state of each entry (a merged sentence
shares its group's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import provenance
from .errors import ConcurrentEditError, InputError, decode_utf8
from .files import Snapshot, StillChangingError, read_stable, swap_in
from .history import History
from .merging import merge
from .model import MERGED, PLACEHOLDER, EntryState, Stats, Translation
from .pofile import Entry, PoFile, now, parse
from .powriter import render
from .provenance import Provenance, is_machine_suggestion, is_merged, provenance_of

WORD = re.compile(r"\w+")


def words(text: str) -> int:
    """Words of a msgid, placeholders not counted."""
    return len(WORD.findall(PLACEHOLDER.sub(" ", text)))


@dataclass
class Catalog:
    """A PO or POT file as read, with its text and the snapshot of the bytes it came from."""

    path: Path
    po: PoFile
    snapshot: Snapshot
    text: str = ""


def read_catalog(path: Path, shown: Path | str | None = None) -> Catalog:
    """Read a PO/POT file once no one is writing it; a missing file gives an empty catalog.

    A file that does not parse is read again while it may still be changing (an
    editor saving in place), so a half-written file is never taken for one whose
    entries are gone. One that stays unreadable, or that msgfmt would refuse,
    gives an InputError.
    """
    shown = shown or path
    parsed: dict[bytes, tuple[str, PoFile]] = {}

    def complete(data: bytes) -> bool:
        try:
            text = decode_utf8(data, shown)
            parsed[data] = (text, parse(text, shown))
        except InputError:
            return False
        return True

    try:
        snapshot = read_stable(path, complete)
    except StillChangingError:
        raise ConcurrentEditError("another program keeps writing this file; try again", shown) from None
    except IsADirectoryError:
        raise InputError("a directory where a PO file should be", shown) from None
    if snapshot.data is None:
        return Catalog(path, PoFile(), snapshot)
    if snapshot.data not in parsed:  # broken for good: the reader says where
        parse(decode_utf8(snapshot.data, shown), shown)
    text, po = parsed[snapshot.data]
    return Catalog(path, po, snapshot, text)


REWRITE_ATTEMPTS = 20


def rewrite(
    path: Path,
    shown: Path | str,
    transform: Callable[[Catalog], PoFile | None],
    history: History | None = None,
    on_result: Callable[[PoFile, bytes, bool], None] | None = None,
) -> PoFile | None:
    """Read a catalog, let ``transform`` return its new content (or ``None``: no change), write it.

    The new version is exchanged with the one on disk in one step, and the one
    swapped out is checked: if a translator saved meanwhile, their version stays
    and the transform runs again on it, so nobody's work is overwritten. With a
    ``history``, reviewed translations are recorded, and any that vanished from
    entries still in the source come back (fuzzy). A content that renders to the
    bytes read is not written. Returns what was written. ``on_result`` gets the
    catalog as this call leaves it: its content, bytes, and whether they were
    written (the bytes, not the file, which anyone may have saved again since).
    """
    key = str(shown)
    for _attempt in range(REWRITE_ATTEMPTS):
        old = read_catalog(path, shown)
        restored = 0
        if history is not None:
            history.record(key, old.po)
            restored = history.restore(key, old.po)
        new = transform(old)
        if new is not None or restored:
            new = old.po if new is None else new
            if history is not None:
                history.restore(key, new)
            text = render(new)
        if new is None or (old.snapshot.exists and text == old.text):
            if on_result is not None and old.snapshot.data is not None:
                on_result(old.po, old.snapshot.data, False)
            return None
        data = text.encode("utf-8")
        if swap_in(path, data, old.snapshot, durable=old.snapshot.exists or holds_translations(new)):
            if history is not None:
                history.record(key, new)
            if on_result is not None:
                on_result(new, data, True)
            return new
    raise ConcurrentEditError("the file keeps changing while translate-flow updates it; try again", shown)


def holds_translations(po: PoFile) -> bool:
    """Whether any entry has a msgstr. A new catalog without one is its template's entries and our header,
    made again by the next ``update`` if a crash loses it: it needs no fsync (3,000 of them in a first pass)."""
    return any(entry.msgstr or any(entry.msgstr_plural.values()) for entry in po)


def update_catalog(
    path: Path,
    pot: PoFile,
    locale: str,
    threshold: float,
    shown: Path | str,
    history: History | None = None,
    on_result: Callable[[PoFile, bytes, bool], None] | None = None,
) -> bool:
    """Create or update a PO file from its template; says whether it wrote (see :func:`rewrite`'s ``on_result``)."""

    def merged(old: Catalog) -> PoFile | None:
        kept = old.po.field("POT-Creation-Date")  # before the merge, which reuses the old header
        keys = [entry.key for entry in old.po]
        po = merge(pot, old.po, locale, threshold)
        # Dates alone are no change: without a POT on disk the template is dated now. Where the
        # entries' keys differ, so do the files, and the comparison (a render) is not needed.
        if kept is not None and keys == [entry.key for entry in po]:  # the merged header reuses the old: dated
            fresh = po.field("POT-Creation-Date")
            po.set_field("POT-Creation-Date", kept)
            if render(po) == old.text:
                return None
            po.set_field("POT-Creation-Date", fresh)
        return po

    return rewrite(path, shown, merged, history, on_result) is not None


@dataclass(frozen=True)
class Suggestion:
    """A translation proposed for review: machine output, memory, or alignment. ``text`` None: merged."""

    text: str | None
    provenance: Provenance
    previous: str | None = None  # the source it translates, when not this one (``#| msgid``)


def _suggest(entry: Entry, suggestion: Suggestion) -> None:
    entry.previous_msgid, entry.previous_msgctxt = suggestion.previous, None
    if suggestion.text is None:
        entry.msgstr, entry.fuzzy = "", False
    else:
        entry.msgstr = suggestion.text
        entry.fuzzy = True
    entry.tcomment = provenance.replace(entry.tcomment, suggestion.provenance)


def _holds(entry: Entry, suggestion: Suggestion) -> bool:
    """The entry already says this (an editor may have wrapped the comment line: its bytes stay)."""
    found = provenance_of(entry)
    return entry.msgstr == (suggestion.text or "") and found is not None and found.kind == suggestion.provenance.kind


def _keep_replaced(po: PoFile, entry: Entry) -> bool:
    """A human translation inherited by a changed sentence and now replaced stays, obsolete, under its old msgid.

    An entry may hold that msgid already: an obsolete one without a translation takes the text; one
    that says something else keeps it, and then nothing may replace ``entry`` (returns False): it
    stays fuzzy, in the queue, so the text is never lost.
    """
    if not entry.msgstr or entry.previous_msgid is None or is_machine_suggestion(entry):
        return True
    twin = next((other for other in po if other.key == (entry.previous_msgctxt, entry.previous_msgid)), None)
    if twin is None:
        old = Entry(msgid=entry.previous_msgid, msgctxt=entry.previous_msgctxt, msgstr=entry.msgstr, obsolete=True)
        old.tcomment = entry.tcomment
        po.append(old)
        return True
    if twin.obsolete and not twin.msgstr and twin.msgid_plural is None:
        twin.msgstr, twin.tcomment, twin.fuzzy = entry.msgstr, entry.tcomment, False
    return twin.msgstr == entry.msgstr


def fill(
    path: Path,
    shown: str,
    suggestions: dict,
    still_pending: Callable[[Entry], bool],
    history: History | None = None,
    on_result: Callable[[PoFile, bytes, bool], None] | None = None,
) -> dict:
    """Put suggestions into the entries ``still_pending`` accepts, as fuzzy; returns {key: line written}.

    The acceptance is checked on the file as it is at write time, so a
    translator's edit saved meanwhile is never overwritten.
    """
    filled: list[Entry] = []

    def with_suggestions(catalog: Catalog) -> PoFile | None:
        filled.clear()
        for entry in list(catalog.po):
            suggestion = suggestions.get(entry.key)
            if entry.obsolete or suggestion is None or not still_pending(entry) or _holds(entry, suggestion):
                continue
            if not _keep_replaced(catalog.po, entry):
                continue
            _suggest(entry, suggestion)
            filled.append(entry)
        return catalog.po if filled else None

    written = rewrite(path, shown, with_suggestions, history, on_result)
    if written is None:
        return {}
    lines = line_numbers(written)
    return {entry.key: lines[id(entry)] for entry in filled}


def line_numbers(po: PoFile) -> dict[int, int]:
    """The line of each entry's msgid in the rendered file, by entry identity."""
    reread = {(*entry.key, entry.obsolete): entry.linenum for entry in parse(render(po), "")}
    return {id(entry): reread[(*entry.key, entry.obsolete)] for entry in po}


def _merged_after(po: PoFile, head: Entry) -> list[Entry]:
    """The merged sentences that ``head``'s translation also says."""
    active = [e for e in po if not e.obsolete]
    group = []
    for entry in active[active.index(head) + 1 :]:
        if not is_merged(entry):
            break
        group.append(entry)
    return group


def accept(
    path: Path,
    shown: str,
    key: tuple[str | None, str],
    text: str | None = None,
    translator: str | None = None,
    history: History | None = None,
) -> None:
    """A reviewer's decision: the entry is right, with ``text`` if given; ``fuzzy`` is cleared.

    A rewritten entry says so in its provenance; the header gets the reviewer and the date.
    """

    def reviewed(catalog: Catalog) -> PoFile:
        entry = next((e for e in catalog.po if not e.obsolete and e.key == key), None)
        if entry is None:
            raise InputError(f"the entry {key[1][:40]!r} is no longer in the catalog", shown)
        if text is not None and text != entry.msgstr:
            entry.msgstr = text
            entry.tcomment = provenance.replace(entry.tcomment, Provenance("edited", translator or "a reviewer"))
        if not entry.msgstr:
            raise InputError("an empty translation cannot be accepted; edit it instead", shown, entry.linenum)
        for member in [entry, *_merged_after(catalog.po, entry)]:  # the group is reviewed as one
            member.fuzzy = False
            member.previous_msgid = member.previous_msgctxt = None
        catalog.po.set_field("PO-Revision-Date", now())
        if translator:
            catalog.po.set_field("Last-Translator", translator)
        return catalog.po

    rewrite(path, shown, reviewed, history)


def entry_state(entry: Entry) -> EntryState:
    """An entry's own state; a merged sentence's is its group's (see ``states``)."""
    if not entry.msgstr:
        return EntryState.UNTRANSLATED
    return EntryState.FUZZY if entry.fuzzy else EntryState.TRANSLATED


def states(po: PoFile) -> dict[int, EntryState]:
    """The state of every active entry, by identity: a merged sentence has the state of the entry above it."""
    result, head = {}, EntryState.UNTRANSLATED
    for entry in (e for e in po if not e.obsolete):
        if is_merged(entry):
            result[id(entry)] = head
        else:
            result[id(entry)] = head = entry_state(entry)
    return result


def translations(po: PoFile, include_fuzzy: bool, shown: str) -> dict[tuple[str | None, str], Translation]:
    """Usable translations by (msgctxt, msgid); a merged sentence's is ``MERGED``."""
    result = {}
    by_entry = states(po)
    for entry in po:
        state = by_entry.get(id(entry), EntryState.UNTRANSLATED)
        if entry.obsolete or state is EntryState.UNTRANSLATED or (state is EntryState.FUZZY and not include_fuzzy):
            continue
        text = MERGED if is_merged(entry) else entry.msgstr
        result[entry.key] = Translation(text, state is EntryState.FUZZY, shown, entry.linenum)
    return result


def units(po: PoFile) -> Iterator[tuple[str, str, list[Entry]]]:
    """Translation units for memory: an entry with the merged entries after it is ONE unit.

    The sources are joined, and paired with the one target text that says them all,
    so no exact match ever carries content its source lacks.
    """
    group: list[Entry] = []
    for entry in [e for e in po if not e.obsolete] + [None]:
        if entry is not None and group and is_merged(entry):
            group.append(entry)
            continue
        if group and group[0].msgstr:
            yield " ".join(e.msgid for e in group), group[0].msgstr, group
        group = [entry] if entry is not None and entry.msgstr else []


def stats(po: PoFile, keys: Iterable[tuple[str | None, str]]) -> Stats:
    """Counts for the entries of ``keys`` (the article's current segments)."""
    by_key = {e.key: e for e in po if not e.obsolete}
    by_entry = states(po)
    result = Stats()
    for key in keys:
        entry = by_key.get(key)
        result.add(by_entry[id(entry)] if entry else EntryState.UNTRANSLATED, words(key[1]))
    return result
