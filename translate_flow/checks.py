"""Quality checks on translations: each entry against its source, the glossary and its neighbours."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import InputError, decode_utf8, line_of_offset
from .model import PLACEHOLDER
from .pofile import Entry, PoFile
from .provenance import is_merged, provenance_of
from .rendering import tags_problem

ERROR, WARNING = "error", "warning"

# Quotation marks each language uses (opening, closing); others are foreign there.
QUOTES = {
    "ro": ("„", "”"),
    "pl": ("„", "”"),
    "hu": ("„", "”"),
    "de": ("„", "“"),
    "cs": ("„", "“"),
    "fr": ("«", "»"),
    "it": ("«", "»"),
    "es": ("«", "»"),
    "ru": ("«", "»"),
}
ENGLISH_QUOTES = ("“", "”")
QUOTE_CHARS = set("“”„«»")
SCALES = {
    "en": {"thousand": 3, "million": 6, "billion": 9, "trillion": 12},
    "ro": {"mie": 3, "mii": 3, "milion": 6, "milioane": 6, "miliard": 9, "miliarde": 9},
    "de": {"tausend": 3, "million": 6, "millionen": 6, "milliarde": 9, "milliarden": 9},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9},
}
NUMBER = re.compile(r"(?<![\w])\d(?:[\d.,\u00a0\u202f]*\d)?")
SCALE_AFTER = re.compile(r"\s+(?:de\s+)?(\w+)")
END_MARKS = ".!?…:;"
# HTML tags, comments, javascript: URLs and Markdown code, emphasis and links typed into a msgstr:
# the page shows them as text, so a translator who typed them meant something else.
TYPED_MARKUP = re.compile(r"</?[a-z][\w:-]*(?=[\s/>])[^<>]*>?|<!--|`|\*\*|__|\]\(|javascript:", re.IGNORECASE)
TRAILING = "\"'”“»«)]’ "


@dataclass(frozen=True)
class Finding:
    """One QA finding on one PO entry."""

    check: str
    severity: str
    message: str
    path: str
    line: int
    locale: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"


@dataclass(frozen=True)
class GlossaryTerm:
    source: str
    locale: str  # "*" for every locale
    targets: tuple[str, ...]  # empty: do not translate
    short: tuple[str, ...] = ()  # short forms a translation may use instead ("Donald Trump|Trump" gives "Trump")

    def kept_in(self, target: str) -> bool:
        """A do-not-translate term is in the translation as it is, or as one of its short forms.

        A short form right after another capitalized word is part of a changed name ("Marcu Rutte").
        """
        if self.source in target:
            return True
        for form in self.short:
            for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", target):
                before = re.search(r"([^\W\d_]+)\s+$", target[: match.start()])
                if not before or not before.group(1)[0].isupper():
                    return True
        return False


def read_glossary(path: Path, shown: str) -> list[GlossaryTerm]:
    """A CSV with the columns source, locale, target (``a|b`` alternatives; empty: do not translate).

    The source may list short forms after the term: ``Donald Trump|Trump``.
    """
    if not path.is_file():
        return []
    text = decode_utf8(path.read_bytes(), shown)
    if "\0" in text:
        raise InputError("NUL byte in the glossary", shown, line_of_offset(text, text.index("\0")))
    rows = csv.reader(text.splitlines(), strict=True)
    try:
        return _glossary_terms(rows, shown)
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", shown, rows.line_num) from None


def _glossary_terms(rows, shown: str) -> list[GlossaryTerm]:
    from .config import normalize_locale

    header = next(rows, None)
    if header is None or [h.strip() for h in header[:3]] != ["source", "locale", "target"]:
        raise InputError("the first row must be: source,locale,target[,note]", shown, 1)
    terms = []
    for row in rows:
        if not row or not "".join(row).strip():
            continue
        forms = [form.strip() for form in row[0].split("|") if form.strip()]
        if len(row) < 3 or not forms or not row[1].strip():
            raise InputError(
                "each row needs a source term, a locale (or *) and a target (may be empty)", shown, rows.line_num
            )
        locale = row[1].strip()
        if locale != "*":
            locale = normalize_locale(locale, shown, rows.line_num)
        targets = tuple(t.strip() for t in row[2].split("|") if t.strip())
        terms.append(GlossaryTerm(forms[0], locale, targets, tuple(forms[1:])))
    return terms


def _numbers(text: str, locale: str) -> dict:
    """Numbers in a text by value, each with how the text writes it.

    Read with the locale's separators and scale words: "3,5" in ro is 3.5,
    "40.000" in de is 40000, "21 de miliarde" is 21000000000.
    """
    from babel.numbers import NumberFormatError, parse_decimal

    scales = SCALES.get(locale.split("_")[0], {})
    found: dict[Decimal, list[str]] = {}
    plain = PLACEHOLDER.sub(" ", text)
    for match in NUMBER.finditer(plain):
        token = match.group(0)
        # Strict parsing refuses what it would not write itself: "6,50" (written "6,5"), so drop such zeros.
        bare = re.sub(r"(?<=\d)0+$", "", token) if re.fullmatch(r"\d+[.,](?!\d{3}$)\d*[1-9]0+", token) else token
        try:
            values = [parse_decimal(bare, locale=locale, strict=True)]
        except (NumberFormatError, InvalidOperation, ValueError):
            values = [Decimal(run) for run in re.findall(r"\d+", token)]  # dates, times, versions
        scale = SCALE_AFTER.match(plain, match.end())
        if len(values) == 1 and scale and scale.group(1).lower() in scales:
            values = [values[0].scaleb(scales[scale.group(1).lower()])]
            token = plain[match.start() : scale.end()]
        for value in values:
            found.setdefault(value.normalize(), []).append(token)
    return found


def _sentence_count(text: str) -> int:
    """Sentences by their end marks followed by a capital: enough to tell a split or an added sentence."""
    ends = re.finditer(r"[.!?…][\"'”“»]?\s+[„“\"«]?(\w)", PLACEHOLDER.sub("", text))
    return 1 + sum(1 for end in ends if end.group(1).isupper())


def _end_mark(text: str) -> str:
    """The sentence's final punctuation ("…" counts as "."), or "" when it has none."""
    stripped = PLACEHOLDER.sub("", text).rstrip(TRAILING)
    mark = stripped[-1] if stripped and stripped[-1] in END_MARKS else ""
    return "." if mark == "…" else mark


def _quote_balance(text: str, marks: tuple[str, str]) -> int:
    opening, closing = marks
    return (text.count(opening) > text.count(closing)) - (text.count(closing) > text.count(opening))


def check_entry(
    entry: Entry,
    source_locale: str,
    locale: str,
    glossary: list[GlossaryTerm],
    quotes_close_nearby: bool = False,
    merged: tuple[str, ...] = (),
) -> list[tuple]:
    """(check, severity, message) for each problem of a translated entry.

    ``quotes_close_nearby``: a neighbouring entry balances this one's quotation
    marks (the editions open or close a quotation in different sentences).
    ``merged``: the sources of the entries after it whose translation it holds (merged into it).
    """
    source, target = entry.msgid, entry.msgstr
    whole = " ".join((source, *merged))  # what the translation renders
    found = []
    problem = tags_problem(PLACEHOLDER.findall(source), target)
    if problem:
        found.append(("placeholders", ERROR, problem))
    typed = Counter(TYPED_MARKUP.findall(target)) - Counter(TYPED_MARKUP.findall(source))
    if typed:
        shown = ", ".join(sorted(typed))
        found.append(("markup", ERROR, f"markup typed into the translation shows as text: {shown}; use placeholders"))
    in_source, in_target = _numbers(whole, source_locale), _numbers(target, locale)
    # A value the source repeats is there once the translation has it ("both", "each" fold repeats).
    missing = [tokens[0] for value, tokens in in_source.items() if value not in in_target]
    if missing:
        found.append(("numbers", ERROR, f"{', '.join(missing)} of the source missing in the translation"))
    for term in glossary:
        if term.locale not in ("*", locale) or not re.search(rf"(?<!\w){re.escape(term.source)}(?!\w)", source):
            continue
        if not term.targets and not term.kept_in(target):
            found.append(("glossary", ERROR, f"do not translate {term.source!r}: it must stay as it is"))
        elif term.targets and not any(t.casefold() in target.casefold() for t in term.targets):
            found.append(("glossary", ERROR, f"{term.source!r} must be translated as {' or '.join(term.targets)!r}"))
    if _end_mark(source) != _end_mark(target):
        source_end, target_end = (
            repr(_end_mark(t)) if _end_mark(t) else "no end punctuation" for t in (source, target)
        )
        found.append(("punctuation", WARNING, f"the source ends with {source_end}, the translation with {target_end}"))
    marks = QUOTES.get(locale.split("_")[0], ENGLISH_QUOTES)
    source_marks = QUOTES.get(source_locale.split("_")[0], ENGLISH_QUOTES)
    foreign = sorted((set(target) & QUOTE_CHARS) - set(marks))
    if foreign:
        found.append(
            ("quotes", WARNING, f"quotation marks {''.join(foreign)} are not {locale}'s {marks[0]}…{marks[1]}")
        )
    elif _quote_balance(target, marks) != _quote_balance(source, source_marks) and not quotes_close_nearby:
        found.append(("quotes", WARNING, f"unbalanced quotation marks {marks[0]}…{marks[1]}"))
    if target == source and len(re.findall(r"[^\W\d_]{2,}", source)) >= 3:
        found.append(("identical", WARNING, "the translation is the source text"))
    if "  " in target and "  " not in source:
        found.append(("spacing", WARNING, "double space"))
    if target != target.strip():
        found.append(("spacing", WARNING, "leading or trailing whitespace"))
    # An edition may split a sentence or add one of its own: only like for like is compared.
    if (
        len(whole) >= 20
        and not 0.5 <= len(target) / len(whole) <= 2.0
        and _sentence_count(target) <= _sentence_count(whole)
    ):
        found.append(("length", WARNING, f"{len(target) / len(whole):.1f}× the length of the source"))
    return found


def check_catalog(
    po: PoFile, shown: str, source_locale: str, locale: str, glossary: list[GlossaryTerm]
) -> list[Finding]:
    """Findings for every translated or fuzzy entry of a catalog (a merged sentence has no text of its own)."""
    active = [entry for entry in po if not entry.obsolete]
    merged = _merged_sources(active)
    entries = [entry for entry in active if entry.msgstr]
    balanced = _quotes_balanced_by_a_neighbour(entries, source_locale, locale)
    findings = []
    for entry, nearby in zip(entries, balanced, strict=True):
        for check, severity, message in check_entry(entry, source_locale, locale, glossary, nearby, merged[id(entry)]):
            findings.append(Finding(check, severity, message, shown, entry.linenum, locale))
    return findings


def _merged_sources(entries: list[Entry]) -> dict[int, tuple[str, ...]]:
    """By entry id: the sources of the entries right after it whose translation it holds (merged into it).

    A sentence left out of the edition is part of the group too, but its content is not in the translation.
    """
    merged = {}
    for index, entry in enumerate(entries):
        following = []
        for after in entries[index + 1 :]:
            if not is_merged(after):
                break
            if "left out of" not in provenance_of(after).detail:
                following.append(after.msgid)
        merged[id(entry)] = tuple(following)
    return merged


def _quotes_balanced_by_a_neighbour(entries: list[Entry], source_locale: str, locale: str) -> list[bool]:
    """Whether the entry before or after closes the quotation an entry leaves open (or the reverse)."""
    source_marks = QUOTES.get(source_locale.split("_")[0], ENGLISH_QUOTES)
    marks = QUOTES.get(locale.split("_")[0], ENGLISH_QUOTES)
    # How far each translation is from closing its quotes where the source does (None: foreign marks).
    gaps = [
        None
        if (set(e.msgstr) & QUOTE_CHARS) - set(marks)
        else _quote_balance(e.msgstr, marks) - _quote_balance(e.msgid, source_marks)
        for e in entries
    ]
    return [
        gap is not None
        and any(
            gaps[other] is not None and gap + gaps[other] == 0  # type: ignore[operator]
            for other in (index - 1, index + 1)
            if 0 <= other < len(entries)
        )
        for index, gap in enumerate(gaps)
    ]
