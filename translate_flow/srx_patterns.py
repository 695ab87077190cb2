"""What the text of an SRX rule's regular expression says about where it can match, to search it faster.

Only single-character atoms are read (properties, class escapes, code points, escaped symbols,
sets without nested sets, literals); a pattern with anything else gets no rewriting.
"""

from __future__ import annotations

import re


def anchored(pattern: str) -> tuple[str, int]:
    """A fixed-width pattern that starts with a wide class, searched from a narrow one: (pattern, offset).

    The regex package finds candidates for a match by its first character; for ``\\p{Ll}[.!?]``
    that is almost every position. ``(?<=\\p{Ll})[.!?]`` matches at the same places, ``offset``
    characters further, and is found as fast as ``[.!?]`` alone. Any other pattern is kept as it is.
    """
    atoms = []
    position = 0
    while position < len(pattern):
        atom = _ATOM.match(pattern, position)
        if atom is None:
            return pattern, 0
        count = _COUNT.match(pattern, atom.end())
        atoms += [atom.group()] * (int(count.group(1)) if count else 1)
        position = count.end() if count else atom.end()
    offset = next((index for index, atom in enumerate(atoms) if _NARROW.fullmatch(atom)), 0)
    if offset == 0:
        return pattern, 0
    return f"(?<={''.join(atoms[:offset])}){''.join(atoms[offset:])}", offset


# One character: a property, a class escape, a code point, an escaped symbol, a set without
# nested sets, or a literal. Each matches exactly one character, so a sequence has a fixed width.
_ATOM = re.compile(
    r"\\[pP]\{\w+\}|\\[sSdDwW]|\\u[0-9A-Fa-f]{4}|\\[^A-Za-z0-9]|\[\^?(?:\\.|[^\\\[\]])+\]|[^\\\[\](){}|.*+?^$]"
)
_COUNT = re.compile(r"\{(\d+)\}")
# A character that few positions of a text hold: a literal, an escaped symbol, a code point, or a
# set of those (no property, class escape, range, negation or set operation).
_NARROW = re.compile(
    r"\\u[0-9A-Fa-f]{4}|\\[^A-Za-z0-9]|[^\\\[\]]|\[(?:\\u[0-9A-Fa-f]{4}|\\[^A-Za-z0-9]|[^\\\-^&|~\[\]])+\]"
)


def starts_narrow(pattern: str) -> bool:
    """Whether the pattern starts with a character few positions hold: its matches are quickly found."""
    atom = _ATOM.match(pattern)
    return atom is not None and _NARROW.fullmatch(atom.group()) is not None
