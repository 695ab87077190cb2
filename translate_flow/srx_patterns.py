"""What the text of an SRX rule's regular expression says, to search it faster with the same matches.

Only single-character atoms are read (properties, class escapes, code points, escaped symbols,
sets without nested sets, literals) and groups; a pattern with anything else is kept as it is.
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


# What does not survive joining patterns into one, or their groups made plain: group numbers and
# names (references, conditions, recursion, branch reset), the search start (\G), comments (verbose
# mode), quoted text (\Q...\E), and a set that starts with "]".
_UNJOINABLE = re.compile(r"\\[1-9gkGQ]|\(\?P?<[A-Za-z_]|\(\?P[=>]|\(\?[a-zA-Z]*x|\(\?[(|R&0-9+-]|\[\^?\]")


def joinable(*patterns: str) -> bool:
    """Whether the patterns mean the same joined into one, and with their groups made non-capturing."""
    return not any(_UNJOINABLE.search(pattern) for pattern in patterns)


def without_captures(pattern: str) -> str:
    """The pattern with each capturing group ``(...)`` made ``(?:...)``, where that changes no match.

    The regex package sets up every group at every match attempt: the exception patterns, with
    dozens of them, are matched about a third faster without. Only match positions are used here.
    """
    if not joinable(pattern):
        return pattern
    result = []
    depth = 0  # inside a set, and how deeply (sets nest in the regex package's version 1)
    position = 0
    while position < len(pattern):
        character = pattern[position]
        if character == "\\":
            result.append(pattern[position : position + 2])
            position += 2
            continue
        if character == "[":
            depth += 1
        elif character == "]" and depth:
            depth -= 1
        elif character == "(" and not depth and not pattern.startswith("(?", position):
            character = "(?:"
        result.append(character)
        position += 1
    return "".join(result)
