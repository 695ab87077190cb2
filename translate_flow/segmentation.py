"""Sentence segmentation with SRX rules.

The project's own ``data/segment.srx`` is applied first, then LanguageTool's
``segment.srx`` as shipped by choppa-srx, in one cascading SRX document. choppa
parses the rules; ``srx`` applies them, compiled once per language.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import types
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .srx import LanguageRules

PROJECT_RULES = Path(str(resources.files("translate_flow") / "data" / "segment.srx"))


class Segmenter:
    """Splits text into sentences for a language, following SRX rules."""

    def __init__(self, rules: Path = PROJECT_RULES):
        from xml.sax import parse as sax_parse

        _defer_import("xmlschema")  # choppa imports it for a validation we never ask for: 0.17 s a process
        from choppa import DEFAULT_SRX_RULESET, SrxDocument
        from choppa.srx_parser import SRXHandler

        self.document = SrxDocument(ruleset=rules)
        # Appending LanguageTool's maps after ours makes our rules win in the cascade.
        sax_parse(str(DEFAULT_SRX_RULESET), SRXHandler(document=self.document))
        self._languages: dict[str, LanguageRules] = {}

    def rules(self, language: str) -> LanguageRules:
        """The rules for ``language``, compiled on first use."""
        compiled = self._languages.get(language)
        if compiled is None:
            from .srx import LanguageRules

            compiled = self._languages[language] = LanguageRules(self.document, language)
        return compiled

    def spans(self, text: str, language: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets of each sentence, without surrounding whitespace."""
        result = []
        position = 0
        for cut in self.rules(language).cuts(text):
            piece = text[position:cut]
            start = position + (len(piece) - len(piece.lstrip()))
            end = position + len(piece.rstrip())
            if end > start:
                result.append((start, end))
            position = cut
        return result

    def split(self, text: str, language: str) -> list[str]:
        """The sentences of ``text``."""
        return [text[start:end] for start, end in self.spans(text, language)]


class _OnDemand(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is asked for, then imports it."""

    def __getattr__(self, attribute: str):
        sys.modules.pop(self.__name__, None)
        return getattr(importlib.import_module(self.__name__), attribute)


def _defer_import(name: str) -> None:
    """Make ``import name`` cost nothing until the module is used (importlib's LazyLoader loads it at once on 3.11:
    the import statement itself reads ``__spec__``)."""
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _OnDemand(name)


@functools.cache
def default_segmenter() -> Segmenter:
    """The shared segmenter with the project's rules (loading them takes ~0.2 s)."""
    return Segmenter()
