"""Bad command-line arguments: files that are folders or missing, unsafe names, unknown locales."""

from __future__ import annotations

from . import ARTICLE, Case

SAMPLE = "sources/en/nato-must-stay-united.md"


def bad(id: str, args: tuple[str, ...], where: str | None, message: str, files: dict | None = None) -> Case:
    return Case(id, args, where, message, files or {})


CASES = [
    bad("segment a folder", ("segment", "--lang", "en", "{root}/sources"), "sources", "is a folder, not a file"),
    bad("segment a missing file", ("segment", "--lang", "en", "{root}/nope.txt"), "nope.txt", "file not found"),
    bad(
        "segment invalid UTF-8",
        ("segment", "--lang", "en", "{root}/x.txt"),
        "x.txt:2",
        "invalid UTF-8",
        {"x.txt": b"a\n\xff\n"},
    ),
    bad("segment a NUL byte", ("segment", "--lang", "en", "{root}/x.txt"), "x.txt:1", "NUL byte", {"x.txt": "a\0b\n"}),
    bad(
        "segment an unmappable block",
        ("segment", "--lang", "en", "{root}/x.md"),
        "x.md:9",
        "cannot map",
        {"x.md": ARTICLE + "a\rb\n"},
    ),
    bad(
        "segment unknown language",
        ("segment", "--lang", "xx", "{root}/x.txt"),
        "--lang",
        "unknown locale code 'xx'",
        {"x.txt": "a\n"},
    ),
    bad("article climbs out", ("build", "../../etc/passwd"), None, "unsafe article slug '../../etc/passwd'"),
    bad("article unknown", ("build", "nope"), None, "no article 'nope' under sources/"),
    bad(
        "locale not a target", ("update", "--locale", "it"), None, "locale 'it' is not a target in translate-flow.toml"
    ),
    bad("locale climbs out", ("update", "--locale", "../x"), None, "invalid locale code '../x'"),
    bad("queue unknown locale", ("queue", "xx"), None, "unknown locale code 'xx'"),
    bad("check a path as locale", ("check", "ro/../de"), None, "invalid locale code 'ro/../de'"),
    bad("unknown policy", ("publish", "--policy", "all"), None, "unknown policy 'all'"),
    bad(
        "align a missing edition",
        ("align", f"{{root}}/{SAMPLE}", "{root}/sources/ro/nope.md"),
        "sources/ro/nope.md",
        "source not found",
    ),
    bad(
        "align a folder",
        ("align", f"{{root}}/{SAMPLE}", "{root}/sources/ro"),
        "sources/ro",
        "is a folder, not a file",
    ),
    bad(
        "align a file that is no article",
        ("align", f"{{root}}/{SAMPLE}", "{outside}/canary.md"),
        "{outside}/canary.md:1",
        "missing front matter",
    ),
    bad(
        "tm export into a missing folder",
        ("tm", "export", "--tmx", "{outside}/missing/x.tmx"),
        "{outside}/missing/x.tmx",
        "does not exist",
    ),
    bad("tm export onto a folder", ("tm", "export", "--tmx", "{root}/locales"), "locales", "is a folder"),
    bad(
        "project without a config",
        ("extract", "--project", "{outside}"),
        "{outside}/translate-flow.toml",
        "no translate-flow.toml here",
    ),
    bad("models install a path as language", ("models", "install", "../../x", "ro"), None, "language code '../../x'"),
    bad("models remove unknown pair", ("models", "remove", "xx", "yy"), None, "no package installed for xx→yy"),
]
