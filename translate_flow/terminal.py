"""What the command line reads: single keystrokes and a prefilled edit line.

A person at a terminal answers with one key and edits a suggestion in place; a
pipe is read line by line, so scripts and tests drive the same commands. What
the command line shows is in :mod:`output`.
"""

from __future__ import annotations

import sys


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
