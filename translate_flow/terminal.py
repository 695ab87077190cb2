"""What the command line shows and reads: tables that fit, single keystrokes, a prefilled edit line.

A person at a terminal gets a table as wide as the terminal, answers with one key
and edits a suggestion in place; a pipe gets tab-separated lines and is read
line by line, so scripts and tests drive the same commands.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import TextIO


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], out: TextIO | None = None) -> None:
    """A table that fits the terminal, or plain TSV (a header line, then one line per row) when piped."""
    out = out or sys.stdout
    if not out.isatty():
        for row in [headers, *rows]:
            out.write("\t".join(_cell(value) for value in row) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers)
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    Console(file=out, width=shutil.get_terminal_size().columns).print(table)


def print_json(rows: object, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


def _cell(value: object) -> str:
    """A value on one line: tabs and newlines would break a TSV row."""
    return " ".join(str(value).split())


def read_key(prompt: str) -> str | None:
    """One answer: a single keystroke at a terminal, else a line; None at the end of input."""
    if not sys.stdin.isatty():
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = sys.stdin.readline()
        return line.rstrip("\n") if line else None
    import termios
    import tty

    descriptor = sys.stdin.fileno()
    saved = termios.tcgetattr(descriptor)
    try:
        # cbreak, not raw: Ctrl-C still interrupts. Set before the prompt, and without flushing, so no key is lost.
        tty.setcbreak(descriptor, termios.TCSANOW)
        sys.stdout.write(prompt)
        sys.stdout.flush()
        key = sys.stdin.read(1)
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    sys.stdout.write((key if key.isprintable() else "") + "\n")
    return None if key in ("", "\x04") else key.strip()


def edit_line(prompt: str, text: str) -> str | None:
    """A line edited in place, starting from ``text`` (readline at a terminal); None at the end of input."""
    if not sys.stdin.isatty():
        return read_key(prompt)
    import readline

    readline.set_pre_input_hook(lambda: (readline.insert_text(text), readline.redisplay()))
    try:
        return input(prompt)
    except EOFError:
        return None
    finally:
        readline.set_pre_input_hook(None)
