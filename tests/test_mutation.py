"""benchmarks/mutation.py: the mutants it makes (running them is what the script is for)."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import REPO

spec = importlib.util.spec_from_file_location("mutation", REPO / "benchmarks" / "mutation.py")
mutation = importlib.util.module_from_spec(spec)
sys.modules.setdefault("mutation", mutation)  # dataclasses look their module up
spec.loader.exec_module(mutation)

SOURCE = '''"""A module docstring."""


def f(a: int, b: str = "x") -> bool:
    """A docstring."""
    if a < 2 and not b:
        raise ValueError("a message")
    g(path, dir=a)
    return b.strip() == f"{a}é"
'''


def described(source: str) -> set[tuple[int, str]]:
    return {(m.line, m.description) for m in mutation.mutants(source)}


def test_each_kind_of_mutant_is_made_on_its_line():
    found = described(SOURCE)
    for expected in [
        (4, "'x' → ''"),
        (6, "remove if"),
        (6, "< → <="),
        (6, "and → or"),
        (6, "not x → x"),
        (6, "2 → 3"),
        (7, "remove raise"),
        (8, "remove expr"),
        (8, "drop dir="),
        (9, "remove return"),
        (9, "== → !="),
        (9, "drop the call .strip(…)"),
    ]:
        assert expected in found


def test_docstrings_annotations_raise_messages_and_f_strings_are_left_alone():
    lines = {line for line, _ in described(SOURCE)}
    assert 1 not in lines and 5 not in lines
    assert (7, "'a message' → ''") not in described(SOURCE)
    assert not any("é" in description or "int" in description for _, description in described(SOURCE))


def test_a_mutant_changes_only_its_span_and_compiles():
    for mutant in mutation.mutants(SOURCE):
        compile(mutant.source, "<mutant>", "exec")
        assert mutant.source != SOURCE
        changed = [
            n
            for n, (old, new) in enumerate(zip(SOURCE.splitlines(), mutant.source.splitlines(), strict=False), 1)
            if old != new
        ]
        assert changed and changed[0] == mutant.line
    swapped = next(m for m in mutation.mutants(SOURCE) if m.description == "< → <=")
    assert "    if (a <= 2) and not b:\n" in swapped.source
