"""Review: what waits for review, and the terminal session that walks it (the checks are in checks.py)."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .catalogs import entry_state, is_merged, provenance_of
from .checks import GlossaryTerm, check_entry
from .config import Config
from .errors import InputError
from .memory import match_percent
from .model import EntryState
from .pofile import Entry, PoFile


@dataclass(frozen=True)
class QueueItem:
    """An entry that waits for review, with what a reviewer needs to see."""

    path: str
    line: int
    locale: str
    source_locale: str
    location: str
    key: tuple[str | None, str]
    source: str
    before: str | None
    after: str | None
    current: str
    state: str
    provenance: str | None
    previous_source: str | None
    match: int | None = None  # percent, for a suggestion from translation memory
    merged: tuple[str, ...] = ()  # the sentences after it that its translation also says (merged into it)

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "key"}
        data["context"] = self.key[0]
        return data


def queue(po: PoFile, shown: str, locale: str, source_locale: str) -> list[QueueItem]:
    """Fuzzy and untranslated entries, in document order, with their neighbours."""
    active = [entry for entry in po if not entry.obsolete]
    items = []
    for index, entry in enumerate(active):
        state = entry_state(entry)
        if state is EntryState.TRANSLATED or is_merged(entry):  # a merged sentence is reviewed with its head
            continue
        group = []
        for follower in active[index + 1 :]:
            if not is_merged(follower):
                break
            group.append(follower.msgid)
        after = index + 1 + len(group)
        found = provenance_of(entry)
        shown_provenance = found.format() if found else None
        items.append(
            QueueItem(
                path=shown,
                line=entry.linenum,
                locale=locale,
                source_locale=source_locale,
                location=entry.comment,
                key=(entry.msgctxt, entry.msgid),
                source=entry.msgid,
                before=active[index - 1].msgid if index > 0 else None,
                after=active[after].msgid if after < len(active) else None,
                current=entry.msgstr,
                state=state.value,
                provenance=shown_provenance,
                previous_source=entry.previous_msgid,
                match=match_percent(shown_provenance),
                merged=tuple(group),
            )
        )
    return items


def item_findings(item: QueueItem, glossary: list[GlossaryTerm]) -> list[str]:
    """QA warnings on a queue item's current text, as one line each."""
    if not item.current:
        return []
    entry = Entry(msgid=item.source, msgstr=item.current)
    return [
        f"{severity} [{check}] {message}"
        for check, severity, message in check_entry(entry, item.source_locale, item.locale, glossary)
    ]


def word_diff(old: str, new: str) -> str:
    """``[-removed-]{+added+}`` between two sentences, word by word."""
    a, b = old.split(), new.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


KEYS = "[a]ccept, [e]dit, [E]ditor, [s]kip, [q]uit? "


def translator(config: Config, root: Path) -> str | None:
    """Who reviews, for Last-Translator: ``[qa] translator``, else git's user.name and user.email."""
    import subprocess

    if config.translator:
        return config.translator
    found = []
    for key in ("user.name", "user.email"):
        try:
            result = subprocess.run(["git", "-C", str(root), "config", key], capture_output=True, text=True)
        except OSError:
            return None
        found.append(result.stdout.strip())
    name, email = found
    return f"{name} <{email}>" if name and email else name or None


# What the editor shows below the translation: it and everything under it are not the translation.
# Only this line is dropped, not every line starting with '#', so "#MeToo: ..." is kept (git's "scissors").
SCISSORS = "# ------------------------ >8 ------------------------"
INSTRUCTION = "# Edit the translation above the line of scissors; it and what follows are ignored."


def edit_in_editor(text: str) -> str:
    """Open $EDITOR (vi if unset) on the text; what is below the scissors line is dropped.

    An editor that cannot start or exits with an error is an :class:`InputError`: nothing is saved.
    """
    import os
    import shlex
    import subprocess
    import tempfile

    command = os.environ.get("EDITOR", "vi")
    with tempfile.NamedTemporaryFile("w+", suffix=".txt", encoding="utf-8", delete=False) as handle:
        handle.write(f"{text}\n{SCISSORS}\n{INSTRUCTION}\n")
    try:
        subprocess.run([*shlex.split(command), handle.name], check=True)
        lines = Path(handle.name).read_text(encoding="utf-8").splitlines()
    except subprocess.CalledProcessError as error:
        raise InputError(f"editor {command!r} exited with status {error.returncode}: nothing saved") from None
    except (OSError, ValueError) as error:  # ValueError: unbalanced quotes in $EDITOR
        raise InputError(f"cannot run editor {command!r}: {getattr(error, 'strerror', None) or error}") from None
    finally:
        Path(handle.name).unlink(missing_ok=True)
    if SCISSORS in lines:
        lines = lines[: lines.index(SCISSORS)]
    return " ".join(line.strip() for line in lines if line != INSTRUCTION).strip()


def describe(item: QueueItem, findings: list[str]) -> list[str]:
    """What a reviewer sees of one entry."""
    lines = [f"{item.path}:{item.line}  {item.location}  ({item.state})"]
    if item.before:
        lines.append(f"  before:     {item.before}")
    lines.append(f"  source:     {item.source}")
    if item.after:
        lines.append(f"  after:      {item.after}")
    if item.previous_source:
        label = f"{item.match}% match:" if item.match is not None else "changed:"
        lines.append(f"  {label:<12}{word_diff(item.previous_source, item.source)}")
    lines += [f"  merged:     {source}" for source in item.merged]
    lines.append(f"  suggestion: {item.current or '(none)'}")
    if item.provenance:
        lines.append(f"  from:       {item.provenance}")
    lines += [f"  qa:         {finding}" for finding in findings]
    return lines


def review_session(items: list[QueueItem], qa, ask, say, decide, editor=edit_in_editor, edit=None) -> Counter:
    """Walk the queue: each decision is saved by ``decide`` at once. ``ask`` returns None at end of input.

    ``edit(prompt, suggestion)`` reads an inline edit that starts from the suggestion; by default ``ask``.
    An empty answer asks again, quietly.
    """
    edit = edit or (lambda prompt, suggestion: ask(prompt))
    counts: Counter = Counter()
    for number, item in enumerate(items, start=1):
        say(f"\n[{number}/{len(items)}] " + "\n".join(describe(item, qa(item))))
        while True:
            answer = ask(KEYS)
            if answer is None or answer.strip() == "q":
                return counts
            key = answer.strip()
            if not key:
                continue
            if key == "a" and item.current:
                decide(item, None)
                counts["accepted"] += 1
            elif key in ("e", "E"):
                text = edit("translation> ", item.current) if key == "e" else editor(item.current)
                if text is None:
                    return counts
                if not text.strip():
                    say("empty: nothing saved")
                    continue
                decide(item, text.strip())
                counts["edited"] += 1
            elif key == "s":
                counts["skipped"] += 1
            else:
                say("nothing to accept: edit instead" if key == "a" else f"unknown answer {key!r}")
                continue
            break
    return counts
