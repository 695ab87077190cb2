"""Malformed articles: front matter, encodings, NUL bytes, dates, slugs, file names."""

from __future__ import annotations

import os
from pathlib import Path

from . import ARTICLE, FRONT, Case


def bad(id: str, text: str | bytes, line: int | None, message: str, name: str = "sources/en/bad.md") -> Case:
    where = f"{name}:{line}" if line else name
    return Case(id, ("extract",), where, message, {name: text})


def front(extra: str, replace: str = "", by: str = "") -> str:
    """An article whose front matter has ``replace`` swapped for ``by`` and ``extra`` appended."""
    return f"---\n{FRONT.replace(replace, by) if replace else FRONT}{extra}---\n\nBody.\n"


def without(key: str) -> str:
    return "---\n" + "".join(line + "\n" for line in FRONT.splitlines() if not line.startswith(f"{key}:")) + "---\n"


def folder_named_like_an_article(root: Path) -> None:
    (root / "sources/en/bad.md").mkdir()


def link_loop(root: Path) -> None:
    os.symlink("bad.md", root / "sources/en/bad.md")


def dangling_link(root: Path) -> None:
    os.symlink("nowhere.md", root / "sources/en/bad.md")


MISSING_FRONT = "missing front matter"
MALFORMED = "malformed front matter"
PUBLISHED = "published must be an ISO 8601 date and time"
SLUG = "unsafe article slug"

CASES = [
    bad("empty file", "", 1, MISSING_FRONT),
    bad("no front matter", "Just a paragraph.\n", 1, MISSING_FRONT),
    bad("front matter never closed", f"---\n{FRONT}\nBody.\n", 1, MISSING_FRONT),
    bad("front matter after text", f"Intro.\n{ARTICLE}", 1, MISSING_FRONT),
    bad("front matter is a list", "---\n- a\n- b\n---\n", 2, "front matter must be a mapping"),
    bad("front matter is a sentence", "---\njust words\n---\n", 2, "front matter must be a mapping"),
    bad("unclosed bracket", "---\ntitle: [oops\n---\n", 3, MALFORMED),
    bad("unclosed quote", '---\ntitle: "oops\nauthor: A\n---\n', 4, MALFORMED),
    bad("tab indentation", "---\ntitle: T\n\tauthor: A\n---\n", 3, MALFORMED),
    bad("key over 1024 characters", front("x" * 2000 + ": 1\n"), 6, MALFORMED),
    bad("nested 5000 deep", front("extra: " + "[" * 5000 + "]" * 5000 + "\n"), 2, "nested too deeply"),
    bad("no title", without("title"), 1, "front matter lacks 'title'"),
    bad("no author", without("author"), 1, "front matter lacks 'author'"),
    bad("no published", without("published"), 1, "front matter lacks 'published'"),
    bad("no language", without("language"), 1, "front matter lacks 'language'"),
    bad("title is a mapping", front("", "title: T", "title:\n  a: b"), 2, "'title' must be a single value"),
    bad("summary is a list", front("summary: [a, b]\n"), 6, "'summary' must be a single value"),
    bad("published is a list", front("", "published: 2024-11-05T13:50:00+02:00", "published: [1]"), 4, "single"),
    bad("title empty", front("", "title: T", "title:"), 2, "'title' is empty"),
    bad("author blank", front("", "author: A", 'author: "  "'), 3, "'author' is empty"),
    bad("title twice", front("title: U\n"), 6, "'title' twice"),
    bad("summary an alias of the title", front("summary: *t\n", "title: T", "title: &t T"), 6, "not an alias"),
    bad("language of another folder", front("", "language: en", "language: ro"), 5, "does not match the folder"),
    bad("language a word", front("", "language: en", "language: english"), 5, "invalid locale code 'english'"),
    bad("language unknown", front("", "language: en", "language: xx"), 5, "unknown locale code 'xx'"),
    bad("language a number", front("", "language: en", "language: 12"), 5, "invalid locale code '12'"),
    bad("published a word", front("", "2024-11-05T13:50:00+02:00", "yesterday"), 4, PUBLISHED),
    bad("published 30 February", front("", "2024-11-05", "2024-02-30"), 4, PUBLISHED),
    bad("published month 13", front("", "2024-11-05", "2024-13-05"), 4, PUBLISHED),
    bad("published without offset", front("", "+02:00", ""), 4, "needs a UTC offset"),
    bad("published date only", front("", "T13:50:00+02:00", ""), 4, "needs a UTC offset"),
    bad("slug climbs out", front("slug: ../../x\n"), 6, SLUG),
    bad("slug with a slash", front("slug: a/b\n"), 6, SLUG),
    bad("slug empty", front('slug: ""\n'), 6, SLUG),
    bad("slug hidden", front("slug: .x\n"), 6, SLUG),
    bad("slug with a space", front("slug: a b\n"), 6, SLUG),
    bad("slug too long", front(f"slug: {'a' * 120}\n"), 6, "at most 80"),
    Case(
        "slug taken by another article",
        ("extract",),
        "sources/en/nato-must-stay-united.md",
        "slug 'nato-must-stay-united' is taken by sources/en/bad.md",
        {"sources/en/bad.md": front("slug: nato-must-stay-united\n")},
    ),
    bad("file name with a space", ARTICLE, None, SLUG, "sources/en/bad name.md"),
    bad("file name too long", ARTICLE, None, "at most 80", f"sources/en/{'b' * 120}.md"),
    bad("invalid UTF-8 in the body", ARTICLE.encode() + b"Caf\xe9.\n", 9, "invalid UTF-8"),
    bad("invalid UTF-8 in the front matter", b"---\ntitle: \xc3\x28\n---\n", 2, "invalid UTF-8"),
    bad("UTF-16", ARTICLE.encode("utf-16"), 1, "invalid UTF-8"),
    bad("Windows-1250", ARTICLE.replace("Body.", "Înainte.").encode("cp1250"), 8, "invalid UTF-8"),
    bad("NUL in the body", ARTICLE + "A\0B.\n", 9, "NUL byte"),
    bad("NUL in the front matter", ARTICLE.replace("title: T", "title: T\0"), 2, "NUL byte"),
    bad("two byte order marks", "\ufeff\ufeff" + ARTICLE, 1, MISSING_FRONT),
    bad("lone carriage return", ARTICLE + "A lone\rreturn.\n", 9, "cannot map this Markdown block"),
    Case("folder named x.md", ("extract",), "sources/en/bad.md", "not a file", setup=folder_named_like_an_article),
    Case("link to itself", ("extract",), "sources/en/bad.md", "not a file", setup=link_loop),
    Case("dangling link", ("extract",), "sources/en/bad.md", "not a file", setup=dangling_link),
    Case(
        "language folder not a locale",
        ("extract",),
        "translate-flow.toml:18",
        "paths.sources: sources/english is not a language folder",
        {"sources/english/bad.md": ARTICLE},
    ),
    Case(
        "several copies, none in the source language",
        ("extract",),
        "sources/de/orphan.md",
        "exists in several languages but not in 'en'",
        {
            "sources/de/orphan.md": ARTICLE.replace("en\n", "de\n"),
            "sources/fr/orphan.md": ARTICLE.replace("en\n", "fr\n"),
        },
    ),
]
