"""SRX 2.0 segmentation, compiled once per language: the cuts choppa's ``SrxTextIterator`` makes, faster.

choppa-srx parses the rules and translates their Java regular expressions; this module runs
the "ultimate" algorithm of loomchild's segment library on them. choppa builds a matcher
object per break rule for every text it splits, and walks a rule whose before-pattern is
empty (LanguageTool's ``<0}`` rule) one character at a time; here the rules, their
exception patterns and that special case are compiled once and shared by every text.

The algorithm, for one text:

1. Each break rule finds its first match: a before-pattern match whose end is followed by
   an after-pattern match. Its end is the rule's proposed break.
2. The rule proposing the earliest break (the first rule in cascade order on a tie) is
   asked whether an exception rule listed before it matches there. If none does, the text
   is cut.
3. After a cut, every rule whose match started before the cut searches again from it.
   Then every rule whose proposed break is at or before the position just looked at moves
   on to its next match. Repeat from 2 until no rule matches; the rest is the last piece.

Java's ``Matcher.find()`` semantics are kept exactly: a rule searches on from the end of its
last before-pattern match, one character further when that match was empty, and the
after-pattern and exception patterns are matched anchored at the break with lookbehind
seeing the text before it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from choppa import SrxDocument
    from choppa.structures import Rule

# The most characters an exception rule's before-pattern looks back, as choppa's default: SRX
# rules are Java regular expressions, and Java allows only bounded repetition in lookbehind.
LOOKBEHIND_LIMIT = 100

Match = Any  # a regex.Match; the regex package is imported by choppa only when rules are loaded

# A rule's next match from a position: (break, start of the before-match, where to search on), or None.
Finder = Callable[[str, int], "tuple[int, int, int] | None"]


class BreakRule(NamedTuple):
    """A break rule compiled for one language: how it finds its next break, and its place in the cascade."""

    find: Finder
    index: int


class LanguageRules:
    """The break rules of one language, compiled, with the algorithm that applies them."""

    def __init__(self, document: SrxDocument, language: str):
        breaks: list[Rule] = []
        exceptions: list[Rule] = []
        # choppa keys exceptions by the rule's value: of two equal break rules, both take the
        # exceptions listed before the last one.
        exceptions_before: dict[Rule, list[Rule]] = {}
        for language_rule in document.get_language_rule_list(language):
            for rule in language_rule.rules:
                if rule.is_break:
                    breaks.append(rule)
                    exceptions_before[rule] = list(exceptions)
                else:
                    exceptions.append(rule)
        self._document = document
        self._exceptions = [exceptions_before[rule] for rule in breaks]
        # Each rule's exceptions, compiled when the rule first proposes a break: most rules never
        # do in most texts, and the exception patterns are most of the time compiling takes.
        self._vetoes: list[Any] = [_NOT_YET] * len(breaks)
        self.rules: list[BreakRule] = []
        probes: list[str] = []
        unprobed: list[BreakRule] = []
        for index, rule in enumerate(breaks):
            find, probe = _finder(document, rule)
            self.rules.append(BreakRule(find, index))
            if probe is None:
                unprobed.append(self.rules[-1])
            else:
                probes.append(f"(?:{probe})")
        # The rules whose first search seldom succeeds are first tried in one search: if none of
        # them matches anywhere, none needs its own. A paragraph rarely has a glued sentence.
        self._probe = _compiled(document, "|".join(probes)).search if len(probes) > 1 else None
        self._unprobed = unprobed if self._probe else self.rules

    def cuts(self, text: str) -> list[int]:
        """Where the text is cut into pieces: the end of each piece, the last one ``len(text)``.

        Joined, the pieces are the text; an empty text has no pieces.
        """
        # One list per rule that still matches: [break, start of its match, where it searches on, find, index].
        matchers = []
        rules = self._unprobed if self._probe is not None and self._probe(text) is None else self.rules
        for find, index in rules:
            hit = find(text, 0)
            if hit is not None:
                matchers.append([*hit, find, index])
        vetoes = self._vetoes
        cuts = []
        start = 0
        while matchers:
            end, _, _, _, index = min(matchers, key=_BREAK)  # min() keeps the first of equals: cascade order
            cut = False
            if end > start:
                vetoed = vetoes[index]
                if vetoed is _NOT_YET:
                    vetoed = vetoes[index] = _vetoed(self._document, self._exceptions[index])
                cut = vetoed is None or vetoed(text, end) is None
            kept = []
            for matcher in matchers:
                if cut and matcher[1] < end:
                    # A match that began before the cut searches again, from the cut.
                    hit = matcher[3](text, end)
                    if hit is None:
                        continue
                    matcher[:3] = hit
                # Then every rule moves past the position looked at.
                while matcher[0] <= end:
                    hit = matcher[3](text, matcher[2])
                    if hit is None:
                        break
                    matcher[:3] = hit
                else:
                    kept.append(matcher)
            matchers = kept
            if cut:
                cuts.append(end)
                start = end
        if start < len(text):
            cuts.append(len(text))
        return cuts


_NOT_YET = object()
_BREAK = itemgetter(0)


def _compiled(document: SrxDocument, pattern: str) -> Any:
    """A translated pattern compiled as choppa compiles rules; its groups, which only cost time, made plain."""
    import regex

    from .srx_patterns import without_captures

    return regex.compile(without_captures(pattern), flags=document.pattern_flags)


def _vetoed(document: SrxDocument, exceptions: list[Rule]) -> Callable[[str, int], Match | None] | None:
    from choppa.utils import translate_java_regex

    return _compiled(document, translate_java_regex(_exception_pattern(exceptions))).match if exceptions else None


def _exception_pattern(exceptions: list[Rule]) -> str:
    """One pattern that matches at a break where any of the exception rules does.

    Each rule is ``(?<=before)(?=after)``. Neighbours with the same after-pattern share one
    lookbehind, ``(?<=before|before)(?=after)``: the same test, with fewer alternatives to fail.
    """
    from choppa.utils import finitize

    from .srx_patterns import joinable

    alternatives = []
    for after, group in itertools.groupby(exceptions, key=lambda rule: rule.after_pattern):
        befores = [finitize(rule.before_pattern, LOOKBEHIND_LIMIT) for rule in group]
        lookahead = f"(?={after})" if after else ""
        if all(befores) and joinable(after, *befores):
            alternatives.append(f"(?:(?<={'|'.join(f'(?:{before})' for before in befores)}){lookahead})")
        else:
            alternatives += [f"(?:(?<={before}){lookahead})" if before else f"(?:{lookahead})" for before in befores]
    return "|".join(alternatives)


def _finder(document: SrxDocument, rule: Rule) -> tuple[Finder, str | None]:
    """How a break rule finds its next match from a position, as ``java.util.regex.Matcher.find()`` does.

    Also the pattern of its first search, where that search is quick and seldom succeeds (a
    narrow first character, an after-pattern to satisfy): it may be tried together with others.
    """
    from choppa.utils import translate_java_regex

    from .srx_patterns import anchored, joinable, starts_narrow

    compiled = functools.partial(_compiled, document)
    after = translate_java_regex(rule.after_pattern)
    both = joinable(rule.before_pattern, rule.after_pattern)
    if not rule.before_pattern:
        probe = after if after and both and starts_narrow(after) else None
        return _finder_after_anywhere(compiled(after).search), probe
    before, offset = anchored(translate_java_regex(rule.before_pattern))
    search_before = compiled(before).search
    if not after:
        return _finder_without_after(search_before, offset), None
    if not both:
        return _finder_after_each_match(search_before, offset, compiled(after).match), None
    either = f"(?:{before})(?={after})"
    find = _finder_searching_both(search_before, offset, compiled(either).search, compiled(after).match)
    return find, either if offset or starts_narrow(before) else None


def _finder_after_anywhere(search_after: Callable) -> Finder:
    """An empty before-pattern matches at every position: the break is wherever the after-pattern first matches.

    One search, where Java's loop (and choppa's) tries the after-pattern at each character in turn.
    """

    def find(text: str, position: int) -> tuple[int, int, int] | None:
        if position > len(text):
            return None
        found = search_after(text, position)
        if found is None:
            return None
        where = found.start()
        return where, where, where + 1

    return find


def _finder_without_after(search_before: Callable, offset: int) -> Finder:
    """A rule with an empty after-pattern breaks after every before-pattern match."""

    def find(text: str, position: int) -> tuple[int, int, int] | None:
        if position > len(text):
            return None
        before = search_before(text, position + offset)
        if before is None:
            return None
        start, end = before.start() - offset, before.end()
        return end, start, end + 1 if end == start else end

    return find


def _finder_after_each_match(search_before: Callable, offset: int, match_after: Callable) -> Finder:
    """Java's loop: each before-pattern match, then the after-pattern anchored at its end."""

    def find(text: str, position: int) -> tuple[int, int, int] | None:
        length = len(text)
        while position <= length:
            before = search_before(text, position + offset)
            if before is None:
                return None
            start, end = before.start() - offset, before.end()
            # Java searches on from the end of the match, one character further if it was empty.
            position = end + 1 if end == start else end
            if match_after(text, end) is not None:
                return end, start, position
        return None

    return find


def _finder_searching_both(
    search_before: Callable, offset: int, search_either: Callable, match_after: Callable
) -> Finder:
    """Java's loop, skipping the before-pattern matches that no after-pattern match follows.

    ``before(?=after)`` finds the first position where some match of the before-pattern, not
    necessarily the one Java's search returns, is followed by the after-pattern: no position before
    it can break. Java's loop tries only the before-matches it lands on, searching on from the end of
    each; the matches up to that position are walked to learn whether it lands there, and if it
    does, whether its own match is followed by the after-pattern.
    """

    def find(text: str, position: int) -> tuple[int, int, int] | None:
        length = len(text)
        while position <= length:
            candidate = search_either(text, position + offset)
            if candidate is None:
                return None
            goal = candidate.start() - offset
            while True:
                before = search_before(text, position + offset)
                start, end = before.start() - offset, before.end()
                position = end + 1 if end == start else end
                if start == goal:
                    if match_after(text, end) is not None:
                        return end, start, position
                    break
                if end > goal:
                    break  # this match spans the candidate, so Java never tries it: search on after it
        return None

    return find
