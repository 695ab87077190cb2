"""Settled articles: one record per article and command, checked with a ``stat`` per file.

A part of :class:`pipeline.Project`, kept apart by responsibility. When every file a command read
and wrote for an article (its source, POT, catalogs, pages) still has the quiet ``stat`` it had
when they were last found as that command leaves them, the command has nothing to do for the
article: one lookup and a ``stat`` per file, as ``make`` and git decide, instead of the lookups
of each file's hash and each result. The record is a shortcut only: a ``stat`` that differs, or
that was racy (:meth:`state.State.still`), sends the article through the full check, which
settles it again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .model import Problem, Report


def agreed(*hashes: dict[Path, str | None]) -> dict[Path, str | None] | None:
    """The union of the hashes that checks found, or None if two found different bytes in one file
    (saved between two of them): such an article is not settled."""
    union: dict[Path, str | None] = {}
    for found in hashes:
        for path, digest in found.items():
            if union.setdefault(path, digest) != digest:
                return None
    return union


class Settling:
    """Records of articles a command left settled; mixed into :class:`pipeline.Project`."""

    def settled(self, key: tuple, report: Report) -> bool:
        """Whether the article of ``key`` is as the command left it; if so, its files are reported unchanged."""
        known = self.settled_record(key)
        if known is None:
            return False
        for path in known["written"]:
            report.record(path, False)
        report.problems += [Problem(*problem) for problem in known["problems"]]
        return True

    def settled_record(self, key: tuple) -> dict | None:
        """The record :meth:`settle` kept under ``key``, if every file still has the ``stat`` it had then."""
        known = self.state.result(*key)
        if not isinstance(known, dict):
            return None
        root = str(self.root)  # strings, not Paths: this is all a settled article costs (a path may be absolute)
        if not all(self.state.stat_key(os.path.join(root, path)) == stat for path, *stat in known["files"]):
            return None
        return known

    def settle(
        self,
        key: tuple,
        checked: dict[Path, str | None],
        written: Sequence[Path] = (),
        problems: Sequence[Problem] = (),
        **found: object,
    ) -> None:
        """Record that the command has nothing to do while these files keep their ``stat``s (and what it ``found``).

        ``checked`` are the hashes the command's checks found (``written``'s among them): a file saved
        since (a translator, between the check and now) or racy is not settled; the full check runs next time.
        """
        files = []
        for path, digest in checked.items():
            stamp = self.state.stamp(path)
            if stamp[0] != digest or not self.state.quiet(stamp):
                return
            files.append([self.shown(path), *stamp[1:5]])  # a quiet stat: any later write changes it
        problems = [[problem.path, problem.line, problem.message] for problem in problems]
        record = {"files": files, "written": [self.shown(p) for p in written], "problems": problems}
        self.state.remember(record | found, *key)
