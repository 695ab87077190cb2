"""What search engines and news readers fetch: sitemap.xml with hreflang alternates, and Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from .rendering import bcp47
from .xmlchars import xml_safe

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
ATOM = "http://www.w3.org/2005/Atom"


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
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def sitemap(base_url: str, pages: list[str], entries: list[Entry]) -> str:
    """Every page, each article edition with xhtml:link alternates to the others and x-default to the original."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in pages:
        _child(_child(urlset, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc", base_url + path)
    for entry in sorted(entries, key=lambda e: e.path):
        url = _child(urlset, f"{{{SITEMAP}}}url")
        _child(url, f"{{{SITEMAP}}}loc", base_url + entry.path)
        _child(url, f"{{{SITEMAP}}}lastmod", entry.published.isoformat())
        links = [(bcp47(loc), path) for loc, path in sorted(entry.alternates.items())]
        for hreflang, path in [*links, ("x-default", entry.original)]:
            _child(url, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=base_url + path)
    return _xml(urlset)


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
