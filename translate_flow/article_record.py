"""A parsed :class:`~.model.Article` as plain JSON data, for the cache of parses in ``.translate-flow/state.sqlite3``.

JSON, not pickle: the cache lies in the project folder, where anyone who shares the folder or
sends a pull request can put a file, and loading a pickle runs whatever code it names. Reading
this record only ever builds an Article; a record of the wrong shape is a ``ValueError``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TypeVar

from .model import Article, Field, Piece, Segment, SegmentKind

T = TypeVar("T")


def article_to_dict(article: Article) -> dict:
    return {
        "slug": article.slug,
        "path": str(article.path),
        "language": article.language,
        "pieces": [_piece_to_data(piece) for piece in article.pieces],
        "body_index": article.body_index,
        "author": article.author,
        "published": article.published.isoformat(),
        "title": article.title,
    }


def article_from_dict(data: object) -> Article:
    """The Article a record describes; ``ValueError`` for anything else."""
    record = _typed(data, dict)
    return Article(
        slug=_typed(record.get("slug"), str),
        path=Path(_typed(record.get("path"), str)),
        language=_typed(record.get("language"), str),
        pieces=tuple(_piece_from_data(piece) for piece in _typed(record.get("pieces"), list)),
        body_index=_typed(record.get("body_index"), int),
        author=_typed(record.get("author"), str),
        published=datetime.fromisoformat(_typed(record.get("published"), str)),
        title=_typed(record.get("title"), str),
    )


def _piece_to_data(piece: Piece) -> str | dict:
    if isinstance(piece, str):
        return piece
    if isinstance(piece, Field):
        return {"field": piece.name, "source": piece.source}
    return {
        "text": piece.text,
        "source": piece.source,
        "location": piece.location,
        "line": piece.line,
        "kind": piece.kind.value,
        "markup": [list(pair) for pair in piece.markup],
        "context": piece.context,
    }


def _piece_from_data(data: object) -> Piece:
    if isinstance(data, str):
        return data
    record = _typed(data, dict)
    if "field" in record:
        return Field(name=_typed(record["field"], str), source=_typed(record.get("source"), str))
    markup = [_typed(pair, list) for pair in _typed(record.get("markup"), list)]
    if any(len(pair) != 2 for pair in markup):
        raise ValueError("markup is not a list of pairs")
    context = record.get("context")
    return Segment(
        text=_typed(record.get("text"), str),
        source=_typed(record.get("source"), str),
        location=_typed(record.get("location"), str),
        line=_typed(record.get("line"), int),
        kind=SegmentKind(record.get("kind")),
        markup=tuple((_typed(key, str), _typed(value, str)) for key, value in markup),
        context=None if context is None else _typed(context, str),
    )


def _typed(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value
