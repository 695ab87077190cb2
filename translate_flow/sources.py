"""Reading source articles: Markdown with YAML front matter."""

from __future__ import annotations

import bisect
import contextlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from .config import Config, normalize_locale
from .errors import InputError, decode_utf8, line_of_offset
from .markdown import NEWLINE_SPACE, UnmappableBlock, body_pieces
from .model import Article, Field, Piece, Segment, SegmentKind
from .names import check_name
from .segmentation import default_segmenter
from .xmlchars import refuse_not_xml

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
REQUIRED = ("title", "author", "published", "language")
TRANSLATABLE = ("title", "summary")


def check_slug(slug: str, path: Path | str | None = None, line: int | None = None) -> str:
    """A slug is one safe path component: it can never escape ``dist/`` or ``locales/``."""
    return check_name(slug, "unsafe article slug", path, line)


class _LineIndex:
    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def read_text(path: Path, shown: Path | str, what: str = "file", data: bytes | None = None) -> str:
    """A text file (or its ``data``, if already read) as UTF-8; refused with one line when missing, a folder, or NUL."""
    try:
        data = path.read_bytes() if data is None else data
    except FileNotFoundError:
        raise InputError(f"{what} not found", shown) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", shown) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", shown) from None
    text = decode_utf8(data, shown)
    if "\0" in text:  # gettext strings end at NUL: text after it would vanish from every catalog
        raise InputError("NUL byte in a text file", shown, line_of_offset(text, text.index("\0")))
    return text


def _compose(text: str):
    """The YAML node tree, by libyaml where PyYAML has it (15 times faster, with the same marks).

    Anything libyaml refuses is read again by the pure-Python loader, so errors are worded and
    located as they always were. So is a text the two would read differently: with a tab or a
    control character (libyaml takes some the Python loader refuses), or nested deeper than
    the Python loader can follow (it reports that as such).
    """
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and "\t" not in text and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        with contextlib.suppress(yaml.YAMLError):
            root = yaml.compose(text, Loader=fast)
            if _depth(root) <= SHALLOW_YAML:
                return root
    return yaml.compose(text, Loader=yaml.SafeLoader)


SHALLOW_YAML = 100  # nesting both loaders read alike; the Python loader's recursion gives out between 400 and 600


def _depth(root) -> int:
    deepest, pending = 0, [(root, 1)] if root is not None else []
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(node.value, list):
            children = [n for item in node.value for n in (item if isinstance(item, tuple) else (item,))]
            pending += [(child, depth + 1) for child in children]
    return deepest


def _front_matter_nodes(text: str, path: Path) -> dict:
    """The top-level scalar nodes of the front matter, by key."""
    import yaml

    try:
        root = _compose(text)
    except RecursionError:
        raise InputError("front matter nested too deeply", path, 2) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(f"malformed front matter: {problem}", path, mark.line + 2 if mark else 1) from None
    if not isinstance(root, yaml.MappingNode):
        raise InputError("front matter must be a mapping of keys to values", path, 2)
    nodes = {}
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode):  # a complex key ("? [a, b]") is none of ours
            continue
        line = key.start_mark.line + 2
        if key.value in nodes:
            raise InputError(f"front matter has {key.value!r} twice", path, line)
        if key.value in (*REQUIRED, *TRANSLATABLE, "slug"):
            if not isinstance(value, yaml.ScalarNode):
                raise InputError(f"front matter {key.value!r} must be a single value", path, line)
            if value.start_mark.index < key.end_mark.index:  # an alias: its text lives at another key
                raise InputError(f"front matter {key.value!r} must be written out, not an alias", path, line)
            if key.value in REQUIRED and not value.value.strip():
                raise InputError(f"front matter {key.value!r} is empty", path, line)
        nodes[key.value] = value
    return {name: node for name, node in nodes.items() if name in (*REQUIRED, *TRANSLATABLE, "slug")}


def _published(raw: str, path: Path, line: int) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(f"published must be an ISO 8601 date and time, not {raw!r}", path, line) from None
    if value.tzinfo is None:
        raise InputError("published needs a UTC offset, e.g. 2024-11-05T13:50:00+02:00", path, line)
    return value


@dataclass(frozen=True)
class ArticleFile:
    """An article found under ``sources/<language>/``."""

    slug: str
    language: str
    path: Path


def read_article(path: Path, language: str | None, root: Path | None = None, data: bytes | None = None) -> Article:
    """Parse one article into pieces (``data``: its bytes, if already read); bad input raises :class:`InputError`.

    ``language`` is the one its folder gives, which the front matter must match;
    None takes the front matter's (an edition given on the command line may lie anywhere).
    """
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    text = read_text(path, shown, "source", data).replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise InputError("missing front matter: the file must start with a '---' line", shown, 1)
    yaml_text = match.group(1) or ""
    yaml_offset = match.start(1) if match.group(1) else match.end()
    nodes = _front_matter_nodes(yaml_text, shown)
    for key in REQUIRED:
        if key not in nodes:
            raise InputError(f"front matter lacks {key!r}", shown, 1)
    lines = _LineIndex(text)

    def line(key: str) -> int:
        return nodes[key].start_mark.line + 2

    for key, node in nodes.items():
        refuse_not_xml(node.value, key, shown, line(key))
    declared = normalize_locale(nodes["language"].value, shown, line("language"))
    if language is None:
        language = declared
    elif declared != language:
        raise InputError(f"language {declared!r} does not match the folder {language!r}", shown, line("language"))
    slug = check_slug(
        nodes["slug"].value if "slug" in nodes else path.stem, shown, line("slug") if "slug" in nodes else None
    )
    published = _published(nodes["published"].value, shown, line("published"))

    spans: list[tuple[int, int, Piece]] = []
    for key in TRANSLATABLE:
        node = nodes.get(key)
        if node is None or not node.value.strip():
            continue
        start, end = yaml_offset + node.start_mark.index, yaml_offset + node.end_mark.index
        segment = Segment(
            text=NEWLINE_SPACE.sub(" ", node.value.strip()),
            source=text[start:end],
            location=key,
            line=lines.line_of(start),
            kind=SegmentKind.YAML,
        )
        spans.append((start, end, segment))
    node = nodes["language"]
    start, end = yaml_offset + node.start_mark.index, yaml_offset + node.end_mark.index
    spans.append((start, end, Field("language", text[start:end])))

    pieces: list[Piece] = []
    position = 0
    for start, end, piece in sorted(spans, key=lambda item: item[0]):
        pieces += [text[position:start], piece]
        position = end
    pieces.append(text[position : match.end()])
    body_index = len(pieces)
    try:
        pieces += body_pieces(text[match.end() :], language, match.end(), lines.line_of)
    except UnmappableBlock as error:
        line = lines.line_of(match.end()) + error.line
        raise InputError(error.message, shown, line) from None
    return Article(
        slug=slug,
        path=path,
        language=language,
        pieces=tuple(_with_contexts(pieces)),
        body_index=body_index,
        author=nodes["author"].value,
        published=published,
        title=nodes["title"].value,
    )


def _with_contexts(pieces: list[Piece]) -> list[Piece]:
    """Give repeated sentences a msgctxt: the second gets "occurrence 2", and so on.

    The first occurrence has none, so an edit elsewhere in the article never
    changes an entry's identity.
    """
    seen: Counter[str] = Counter()
    result = []
    for piece in pieces:
        if isinstance(piece, Segment):
            seen[piece.text] += 1
            if seen[piece.text] > 1:
                piece = replace(piece, context=f"occurrence {seen[piece.text]}")
        result.append(piece)
    return result


def find_articles(config: Config) -> list[ArticleFile]:
    """Every ``sources/<language>/<slug>.md``, sorted by slug then language."""
    if not config.sources_dir.is_dir():
        raise config.setting_error("paths.sources", f"sources folder {config.sources_dir} not found")
    found = []
    for folder in sorted(p for p in config.sources_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            language = normalize_locale(folder.name)
        except InputError as error:
            raise config.setting_error(
                "paths.sources", f"{folder} is not a language folder ({error.message}); articles go in <language>/"
            ) from None
        for path in sorted(folder.glob("*.md")):
            if not path.is_file():
                raise InputError("named like an article but not a file", path)
            found.append(ArticleFile(check_slug(path.stem, path), language, path))
    return sorted(found, key=lambda a: (a.slug, a.language))


def originals(config: Config, files: list[ArticleFile]) -> list[ArticleFile]:
    """One file per slug: the copy in the source language, else the only copy.

    Other copies of the same slug are human editions of the original.
    """
    by_slug: dict[str, list[ArticleFile]] = {}
    for article in files:
        by_slug.setdefault(article.slug, []).append(article)
    chosen = []
    for slug, copies in by_slug.items():
        preferred = [a for a in copies if a.language == config.source_language]
        if preferred or len(copies) == 1:
            chosen.append((preferred or copies)[0])
        else:
            names = ", ".join(str(a.path) for a in copies[1:])
            raise InputError(
                f"article {slug!r} exists in several languages but not in {config.source_language!r}: also {names}",
                copies[0].path,
            )
    return chosen


def segment_file(path: Path, language: str) -> list[str]:
    """Sentences of a file: the msgids of a Markdown article, or of each line of plain text."""
    language = normalize_locale(language, "--lang")
    text = read_text(path, path)
    if path.suffix in (".md", ".markdown"):
        match = FRONT_MATTER.match(text)
        body = text[match.end() :] if match else text
        try:
            pieces = body_pieces(body, language, 0, lambda offset: 0)
        except UnmappableBlock as error:
            line = text.count("\n", 0, match.end() if match else 0) + error.line + 1
            raise InputError(error.message, path, line) from None
        return [p.text for p in pieces if isinstance(p, Segment)]
    segmenter = default_segmenter()
    return [sentence for line in text.splitlines() for sentence in segmenter.split(line, language)]
