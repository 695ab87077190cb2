"""Malformed TMX files: broken XML, entity expansion and external entities, wrong versions."""

from __future__ import annotations

from pathlib import Path

from . import Case

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
BODY = (
    '<tmx version="1.4">\n<header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"'
    ' creationtool="t" creationtoolversion="1" o-tmf="PO"/>\n<body>\n'
    '<tu><tuv xml:lang="en"><seg>{source}</seg></tuv><tuv xml:lang="{lang}"><seg>Salut.</seg></tuv></tu>\n'
    "</body>\n</tmx>\n"
)


def laugh(n: int) -> str:
    return f"&lol{n or ''};"


VALID = HEAD + BODY.format(source="Hello.", lang="ro")
LAUGHS = (
    HEAD
    + '<!DOCTYPE tmx [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{n} "{laugh(n - 1) * 10}">\n' for n in range(1, 10))
    + "]>\n"
    + BODY.format(source="&lol9;", lang="ro")
)
XXE = HEAD + '<!DOCTYPE tmx [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n' + BODY.format(source="&x;", lang="ro")
PARAMETER = (
    HEAD + '<!DOCTYPE tmx [\n<!ENTITY % p SYSTEM "file:///etc/passwd">\n%p;\n]>\n' + BODY.format(source="a", lang="ro")
)


def bad(id: str, text: str | bytes, line: int | None, message: str) -> Case:
    where = f"in.tmx:{line}" if line else "in.tmx"
    return Case(id, ("tm", "import", "--tmx", "{root}/in.tmx"), where, message, {"in.tmx": text})


def tmx_is_a_folder(root: Path) -> None:
    (root / "in.tmx").mkdir()


CASES = [
    bad("empty", "", 1, "not valid XML"),
    bad("not XML", "source,target\nHello,Salut\n", 1, "not valid XML"),
    bad("truncated", VALID[: len(VALID) // 2], 3, "not valid XML"),
    bad("mismatched tags", VALID.replace("</body>", "</bdy>"), 6, "not valid XML"),
    bad("invalid UTF-8", VALID.encode().replace(b"Salut", b"Sal\xffut"), 5, "not valid XML"),
    bad("billion laughs", LAUGHS, 3, "XML entity declarations are not allowed"),
    bad("external entity", XXE, 3, "XML entity declarations are not allowed (<!ENTITY x>)"),
    bad("external parameter entity", PARAMETER, 3, "XML entity declarations are not allowed"),
    bad("root is not tmx", VALID.replace("<tmx", "<xliff").replace("</tmx>", "</xliff>"), None, "not a TMX file"),
    bad("no header", VALID.replace("<header", "<heading"), None, "not a TMX file"),
    bad("no body", VALID.replace("<body>", "<bdy>").replace("</body>", "</bdy>"), None, "not a TMX file"),
    bad("version 2.0", VALID.replace('version="1.4"', 'version="2.0"'), None, "TMX version '2.0' is not supported"),
    bad("no version", VALID.replace(' version="1.4"', ""), None, "TMX version None is not supported"),
    bad("unknown language", HEAD + BODY.format(source="Hello.", lang="xx"), None, "unknown locale code 'xx'"),
    bad("language a path", HEAD + BODY.format(source="Hello.", lang="../ro"), None, "invalid locale code '../ro'"),
    Case("missing", ("tm", "import", "--tmx", "{root}/in.tmx"), "in.tmx", "file not found"),
    Case("a folder", ("tm", "import", "--tmx", "{root}/in.tmx"), "in.tmx", "is a folder", setup=tmx_is_a_folder),
    Case(
        "broken translation memory in the project",
        ("translate",),
        "locales/memory.tmx:3",
        "XML entity declarations are not allowed",
        {"locales/memory.tmx": XXE},
    ),
]
