"""What search engines and news readers fetch: sitemap.xml with hreflang alternates, and Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from .rendering import bcp47
from .xmlchars import xml_safe

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
ATOM = "http://www.w3.org/2005/Atom"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
MAX_URLS = 50_000  # per sitemap file, as the protocol allows
MAX_BYTES = 50 * 1024 * 1024  # per sitemap file, uncompressed


@dataclass(frozen=True)
class Entry:
    """One edition of an article, as the sitemap and a feed list it; paths are from the site root."""

    path: str
    locale: str
    title: str
    summary: str | None
    author: str
    published: datetime
    alternates: dict[str, str]  # locale → path of every edition, this one included
    original: str  # path of the original edition: x-default


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {name: xml_safe(value) for name, value in attributes.items()})
    element.text = None if text is None else xml_safe(text)
    return element


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def write_sitemaps(folder: Path, base_url: str, pages: list[str], entries: Iterable[Entry]) -> list[str]:
    """``sitemap.xml``: ``pages``, then each article edition (``entries``, sorted by path) with xhtml:link
    alternates to the others and x-default to the original. Says which files it wrote.

    The protocol allows 50,000 URLs and 50 MB in a file: beyond that, ``sitemap.xml`` is
    an index of ``sitemap-1.xml``, ``sitemap-2.xml``… Written a URL at a time, as it goes.
    """
    entries = iter(entries)
    first = next(entries, None)
    editions = chain([first], entries) if first is not None else ()
    urls = chain((_page_url(base_url, path) for path in pages), (_edition_url(base_url, e) for e in editions))
    parts: list[_UrlSet] = []
    for url in urls:
        if not parts or not parts[-1].fits(url):
            if parts:
                parts[-1].close()
            # Only a file with editions declares the xhtml prefix, as a whole tree serialized would.
            parts.append(_UrlSet(folder / f"sitemap-{len(parts) + 1}.xml", first is not None or bool(parts)))
        parts[-1].add(url)
    parts[-1].close()
    if len(parts) == 1:
        parts[0].path.rename(folder / "sitemap.xml")
        return ["sitemap.xml"]
    ET.register_namespace("", SITEMAP)
    index = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for part in parts:
        _child(_child(index, f"{{{SITEMAP}}}sitemap"), f"{{{SITEMAP}}}loc", base_url + part.path.name)
    (folder / "sitemap.xml").write_text(_xml(index), encoding="utf-8")
    return ["sitemap.xml", *(part.path.name for part in parts)]


class _UrlSet:
    """One sitemap file being written, its ``<url>`` elements as serialized text, within the protocol's limits."""

    def __init__(self, path: Path, alternates: bool):
        self.path = path
        namespaces = f' xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if alternates else "")
        head = f"{XML_DECLARATION}<urlset{namespaces}>"
        self.tail = "\n</urlset>\n"
        self.stream = path.open("w", encoding="utf-8")
        self.stream.write(head)
        self.size = len(head.encode()) + len(self.tail)
        self.count = 0

    def fits(self, url: str) -> bool:
        return self.count < MAX_URLS and self.size + 1 + len(url.encode()) <= MAX_BYTES

    def add(self, url: str) -> None:
        self.stream.write("\n" + url)
        self.size += 1 + len(url.encode())
        self.count += 1

    def close(self) -> None:
        self.stream.write(self.tail)
        self.stream.close()


def _page_url(base_url: str, path: str) -> str:
    url = ET.Element(f"{{{SITEMAP}}}url")
    _child(url, f"{{{SITEMAP}}}loc", base_url + path)
    return _url_text(url)


def _edition_url(base_url: str, entry: Entry) -> str:
    url = ET.Element(f"{{{SITEMAP}}}url")
    _child(url, f"{{{SITEMAP}}}loc", base_url + entry.path)
    _child(url, f"{{{SITEMAP}}}lastmod", entry.published.isoformat())
    links = [(bcp47(loc), path) for loc, path in sorted(entry.alternates.items())]
    for hreflang, path in [*links, ("x-default", entry.original)]:
        _child(url, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=base_url + path)
    return _url_text(url)


def _url_text(url: ET.Element) -> str:
    """One ``<url>`` as an indented urlset holds it: the lines between the urlset's tags."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    urlset.append(url)
    ET.indent(urlset)
    text = ET.tostring(urlset, encoding="unicode")
    return text[text.index("\n") + 1 : text.rindex("\n")]


def atom_feed(base_url: str, project: str, locale: str, entries: list[Entry]) -> str:
    """One locale's Atom feed, newest first; ids are the pages' URLs, which do not change."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": bcp47(locale)})
    newest = sorted(entries, key=lambda e: (-e.published.timestamp(), e.path))
    _child(feed, f"{{{ATOM}}}id", f"{base_url}{locale}/")
    _child(feed, f"{{{ATOM}}}title", project)
    updated = max((e.published for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
    _child(feed, f"{{{ATOM}}}updated", updated.isoformat())
    _child(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=f"{base_url}{locale}/feed.xml")
    _child(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base_url}{locale}/index.html")
    for entry in newest:
        item = _child(feed, f"{{{ATOM}}}entry")
        _child(item, f"{{{ATOM}}}id", base_url + entry.path)
        _child(item, f"{{{ATOM}}}title", entry.title)
        _child(item, f"{{{ATOM}}}published", entry.published.isoformat())
        _child(item, f"{{{ATOM}}}updated", entry.published.isoformat())
        _child(_child(item, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", entry.author)
        _child(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base_url + entry.path)
        if entry.summary:
            _child(item, f"{{{ATOM}}}summary", entry.summary)
    return _xml(feed)
