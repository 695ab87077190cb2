"""Glossary terms the model must respect: protected as placeholders it passes through, restored after.

A do-not-translate term (``NATO``) and a term with one required translation for the locale
become ``<N/>`` placeholders numbered after the sentence's own; the engine keeps placeholders
(translating around them when the model loses one), and ``restore`` puts back the term or its
translation. A term with several forms (``Comisia Europeană|Comisiei Europene``: the forms of
an inflected language) is left to the model, which can inflect it; the output is checked for
any of the forms, and ``glossary=unmet`` marks a suggestion holding none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .checks import GlossaryTerm
from .model import PLACEHOLDER, PLACEHOLDER_SPLIT


@dataclass(frozen=True)
class Protected:
    """A sentence as the model sees it, and how to read the model's output back."""

    text: str
    replacements: tuple[tuple[str, str], ...] = ()  # placeholder → the text it stands for
    expected: tuple[tuple[str, ...], ...] = ()  # per term left to the model: its accepted forms

    def restore(self, output: str) -> tuple[str, bool]:
        """The output with the terms put back, and whether every required term is there."""
        for placeholder, text in self.replacements:
            output = output.replace(placeholder, text)
        folded = output.casefold()
        met = all(any(form.casefold() in folded for form in forms) for forms in self.expected)
        return output, met


def terms_for(glossary: Sequence[GlossaryTerm], locale: str) -> list[GlossaryTerm]:
    """The terms that apply to ``locale``, a locale's own row before a ``*`` row, longest first."""
    chosen: dict[str, GlossaryTerm] = {}
    for term in glossary:
        if term.locale == locale or (term.locale == "*" and term.source not in chosen):
            chosen[term.source] = term
    return sorted(chosen.values(), key=lambda term: (-len(term.source), term.source))


def protect(text: str, terms: Sequence[GlossaryTerm]) -> Protected:
    """Replace the terms of ``text`` (outside its placeholders) by new placeholders."""
    numbers = [int(n) for n in re.findall(r"\d+", " ".join(PLACEHOLDER.findall(text)))]
    counter = iter(range(max(numbers, default=0) + 1, 10**6))
    replacements: list[tuple[str, str]] = []
    expected: list[tuple[str, ...]] = []
    held: list[str] = []  # terms left to the model, hidden from shorter terms meanwhile

    def substitute(term: GlossaryTerm) -> str:
        if len(term.targets) > 1:
            held.append(term.source)
            return f"\ue000{len(held) - 1}\ue001"
        replacements.append((f"<{next(counter)}/>", term.targets[0] if term.targets else term.source))
        return replacements[-1][0]

    parts = PLACEHOLDER_SPLIT.split(text)
    for term in terms:
        pattern = re.compile(rf"(?<![\w<]){re.escape(term.source)}(?!\w)")
        if not any(pattern.search(part) for part in parts if not PLACEHOLDER.fullmatch(part)):
            continue
        if len(term.targets) > 1:
            expected.append(term.targets)
        parts = [
            part if PLACEHOLDER.fullmatch(part) else pattern.sub(lambda _match, term=term: substitute(term), part)
            for part in parts
        ]
    protected = re.sub("\ue000(\\d+)\ue001", lambda match: held[int(match.group(1))], "".join(parts))
    return Protected(protected, tuple(replacements), tuple(expected))
