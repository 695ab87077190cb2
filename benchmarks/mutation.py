"""Mutation testing: would the tests notice if this line were wrong?

    .venv/bin/python benchmarks/mutation.py translate_flow/config.py tests/test_config.py tests/test_malformed.py
    .venv/bin/python benchmarks/mutation.py translate_flow/files.py tests/ --jobs 2 -k "build or catalog"
    .venv/bin/python benchmarks/mutation.py translate_flow/names.py --list

Each mutant changes one spot of the module, found with ``ast``:

- comparisons: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``;
- boolean operators ``and`` ↔ ``or``, and ``not x`` → ``x``;
- constants: ``True`` ↔ ``False``, a number ``n`` → ``n + 1``, a string → ``""``
  (not docstrings, f-strings or the messages of ``raise``: a survivor there only
  says that no test reads the wording);
- a statement (call, assignment, ``if``, loop, ``with``, ``raise``, ``return``) → ``pass``;
- a call ``x.f(…)`` → ``x``, ``f(x)`` → ``x``, and each keyword argument dropped.

The mutant replaces only that span of the source, so line numbers stay true. The
chosen tests then run against it with ``pytest -x`` in a private copy of the
working tree, ``--jobs`` at a time. A mutant is killed when they fail (or run
past 3× the unmutated time, plus 10 s); it survives when they pass. The script
prints the score and every survivor with its line, and exits 1 when the score
is below ``--fail-under``.
"""

from __future__ import annotations

import argparse
import ast
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.While, ast.With, ast.Raise, ast.Return)


@dataclass(frozen=True)
class Mutant:
    line: int
    description: str
    source: str  # the whole mutated module


def _span(lines: list[str], node: ast.AST) -> tuple[int, int]:
    """Character offsets of a node in the module text (lines keep their line endings)."""
    starts = [0]
    for text in lines:
        starts.append(starts[-1] + len(text))
    start = starts[node.lineno - 1] + len(lines[node.lineno - 1].encode()[: node.col_offset].decode())
    end = starts[node.end_lineno - 1] + len(lines[node.end_lineno - 1].encode()[: node.end_col_offset].decode())
    return start, end


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Nodes not worth mutating: docstrings, annotations, f-string parts, raise messages."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0]))
                skipped.add(id(body[0].value))
        annotations: list[ast.AST | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            annotations += [a.annotation for a in every if a is not None] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.JoinedStr | ast.Raise):
            annotations.append(node.exc if isinstance(node, ast.Raise) else node)
        for annotation in annotations:
            if annotation is not None:
                skipped.update(id(inner) for inner in ast.walk(annotation))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            skipped.discard(id(node.exc))  # the call itself may still be mutated
    return skipped


def _expression_mutants(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(description, replacement) for one expression node."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) in SWAPS:
                ops = list(node.ops)
                ops[index] = SWAPS[type(op)]()
                yield f"{_op(op)} → {_op(ops[index])}", ast.Compare(node.left, ops, node.comparators)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"{_op(node.op)} → {_op(other)}", ast.BoolOp(other, node.values)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not x → x", node.operand
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield f"{value} → {not value}", ast.Constant(not value)
        elif isinstance(value, int | float):
            yield f"{value!r} → {value + 1!r}", ast.Constant(value + 1)
        elif isinstance(value, str) and value:
            yield f"{_short(value)} → ''", ast.Constant("")
    elif isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            yield f"drop the call .{node.func.attr}(…)", node.func.value
        elif isinstance(node.func, ast.Name) and len(node.args) == 1 and not node.keywords:
            yield f"{node.func.id}(x) → x", node.args[0]
        for keyword in node.keywords:
            if keyword.arg is not None:
                rest = [k for k in node.keywords if k is not keyword]
                yield f"drop {keyword.arg}=", ast.Call(node.func, node.args, rest)


def _op(op: ast.AST) -> str:
    return {
        ast.Lt: "<",
        ast.LtE: "<=",
        ast.Gt: ">",
        ast.GtE: ">=",
        ast.Eq: "==",
        ast.NotEq: "!=",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.Is: "is",
        ast.IsNot: "is not",
        ast.And: "and",
        ast.Or: "or",
    }[type(op)]


def _short(value: str) -> str:
    return repr(value if len(value) <= 24 else value[:21] + "...")


def mutants(source: str) -> list[Mutant]:
    """Every mutant of a module, in source order."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    skipped = _skipped_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        start, end = _span(lines, node)
        if isinstance(node, REMOVABLE):
            found.append(
                Mutant(node.lineno, f"remove {type(node).__name__.lower()}", source[:start] + "pass" + source[end:])
            )
        if isinstance(node, ast.expr):
            for description, replacement in _expression_mutants(node):
                text = f"({ast.unparse(replacement)})"
                found.append(Mutant(node.lineno, description, source[:start] + text + source[end:]))
    found = [m for m in found if _compiles(m.source)]
    return sorted(found, key=lambda m: m.line)


def _compiles(source: str) -> bool:
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return False
    return True


def _worker_copies(count: int, scratch: Path) -> list[Path]:
    """Private copies of the working tree (tracked and untracked, not ignored files)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    names = [name for name in listed.split("\0") if name and (REPO / name).is_file()]
    copies = []
    for index in range(count):
        copy = scratch / f"worker-{index}"
        for name in names:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
        copies.append(copy)
    return copies


def _run_tests(copy: Path, tests: list[str], selection: str | None, timeout: float) -> tuple[bool, float]:
    """(passed, seconds) for the chosen tests in a copy; a run past ``timeout`` counts as failed."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:cacheprovider", *tests]
    if selection:
        command += ["-k", selection]
    environment = os.environ | {"PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=copy, env=environment, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - started
    return result.returncode == 0, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path, help="the module to mutate, e.g. translate_flow/config.py")
    parser.add_argument("tests", nargs="*", help="test files or folders to run per mutant (default: tests/)")
    parser.add_argument("-k", dest="selection", help="pytest -k expression to narrow the tests")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--fail-under", type=float, default=0, help="exit 1 below this score (percent)")
    options = parser.parse_args()

    module = options.module.resolve()
    relative = module.relative_to(REPO).as_posix()
    original = module.read_text(encoding="utf-8")  # edits made during a long run change nothing here
    found = mutants(original)
    if options.list:
        for mutant in found:
            print(f"{relative}:{mutant.line}: {mutant.description}")
        print(f"{len(found)} mutants", file=sys.stderr)
        return 0

    tests = options.tests or ["tests"]
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill still removes the copies
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        copies = _worker_copies(options.jobs, Path(scratch))
        passed, seconds = _run_tests(copies[0], tests, options.selection, timeout=3600)
        if not passed:
            print("the tests fail without any mutation: fix them first", file=sys.stderr)
            return 2
        timeout = 3 * seconds + 10
        print(f"{relative}: {len(found)} mutants; the tests take {seconds:.1f} s unmutated", file=sys.stderr)
        free: queue.Queue[Path] = queue.Queue()
        for copy in copies:
            free.put(copy)

        done: list[bool] = []

        def test(mutant: Mutant) -> bool:
            copy = free.get()
            target = copy / relative
            try:
                target.write_text(mutant.source, encoding="utf-8")
                killed = not _run_tests(copy, tests, options.selection, timeout)[0]
            finally:
                target.write_text(original, encoding="utf-8")
                free.put(copy)
            done.append(killed)
            if not killed:  # as they come: a long run shows its findings early
                print(
                    f"  survived line {mutant.line}: {mutant.description} ({len(done)}/{len(found)})", file=sys.stderr
                )
            return killed

        started = time.perf_counter()
        with ThreadPoolExecutor(options.jobs) as pool:
            killed = list(pool.map(test, found))
    survivors = [mutant for mutant, dead in zip(found, killed, strict=True) if not dead]
    lines = original.splitlines()
    for mutant in survivors:
        print(f"survived  {relative}:{mutant.line}: {mutant.description}    | {lines[mutant.line - 1].strip()}")
    score = 100 * (len(found) - len(survivors)) / max(len(found), 1)
    print(
        f"{relative}: score {score:.1f}% ({len(found) - len(survivors)} of {len(found)} mutants killed, "
        f"{len(survivors)} survived) in {time.perf_counter() - started:.0f} s with {options.jobs} jobs"
    )
    return 1 if score < options.fail_under else 0


if __name__ == "__main__":
    sys.exit(main())
