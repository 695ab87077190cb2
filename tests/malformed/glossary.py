"""Malformed ``glossary.csv``, read by ``check``."""

from __future__ import annotations

from . import Case

HEADER = "source,locale,target,note\n"


def bad(id: str, text: str | bytes, line: int, message: str) -> Case:
    return Case(id, ("check",), f"glossary.csv:{line}", message, {"glossary.csv": text})


CASES = [
    bad("empty", "", 1, "the first row must be: source,locale,target"),
    bad("wrong header", "term,lang,translation\n", 1, "the first row must be"),
    bad("header in another order", "locale,source,target\n", 1, "the first row must be"),
    bad("two columns", HEADER + "NATO,ro\n", 2, "each row needs a source term"),
    bad("no source term", HEADER + ",ro,NATO\n", 2, "each row needs a source term"),
    bad("source only separators", HEADER + "|,ro,NATO\n", 2, "each row needs a source term"),
    bad("no locale", HEADER + "NATO,,NATO\n", 2, "each row needs a source term, a locale"),
    bad("locale unknown", HEADER + "NATO,ro,NATO\nEU,xx,UE\n", 3, "unknown locale code 'xx'"),
    bad("locale a path", HEADER + "NATO,../ro,NATO\n", 2, "invalid locale code '../ro'"),
    bad("unterminated quote", HEADER + 'NATO,ro,"NATO\n', 2, "malformed CSV"),
    bad("text after a quote", HEADER + 'NATO,ro,"NATO"x\n', 2, "malformed CSV"),
    bad("field over the CSV limit", HEADER + "NATO,ro," + "x" * 200_000 + "\n", 2, "malformed CSV"),
    bad("invalid UTF-8", HEADER.encode() + b"Caf\xe9,ro,Cafea\n", 2, "invalid UTF-8"),
    bad("NUL byte", HEADER + "NATO,ro,NA\0TO\n", 2, "NUL byte"),
]
