"""The published site's pages: article pages, a front page per locale and a root language chooser.

Pages are built as element trees and serialized, so text stays text: nothing here escapes strings
into markup. The one exception is the article body, which rendering.py has already turned into
HTML through a Markdown parser; it is spliced in where a comment marks its place. The comment
holds a fresh random token, so no text of the page (an attribute holds "<" unescaped) can pose as it.
"""

from __future__ import annotations

import functools
import json
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from .model import Article
from .rendering import Localized, bcp47, format_published
from .wording import WORDING, Phrase, byline_separator, phrase
from .xmlchars import xml_safe

STYLESHEET = "style.css"
# The glyph before each marked passage, and the rule that names it for screen readers.
MARKS = {"mt": ("≈", "mt_label"), "fallback": ("○", "fallback_label")}


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the site around it."""

    project: str
    base_url: str | None = None  # absolute, ending in "/"; None: relative links only, no canonical URLs
    with_index: bool = True  # whether locale front pages exist to link back to

    def url(self, path: str, depth: int) -> str:
        """``path`` from the site root, as a page ``depth`` folders down links to it."""
        return self.base_url + path if self.base_url else "../" * depth + path


@functools.cache  # asked for every page and link; Babel parses the locale each time
def autonym(locale: str) -> str:
    """A language's name in itself: "română", "Deutsch"."""
    from babel import Locale

    return Locale.parse(locale).get_display_name(locale)


@functools.cache  # asked for every page and link; Babel parses the locale each time
def direction(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).text_direction


def stylesheet() -> str:
    """The site's CSS, with the screen-reader names of marked passages in every language we have words for."""
    css = resources.files("translate_flow").joinpath("data", STYLESHEET).read_text(encoding="utf-8")
    rules = []
    for language, words in WORDING.items():
        scope = "" if language == "en" else f"html:lang({language}) "
        for kind, (glyph, key) in MARKS.items():
            rules.append(
                f"{scope}[data-{kind}]::before {{ content: {_css_string(glyph)} / {_css_string(words[key] + ': ')}; }}"
            )
    return css + "\n".join(rules) + "\n"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str | None) -> ET.Element:
    """A child element; ``aria_label`` becomes ``aria-label``, ``class_`` ``class``; None values are left out."""
    names = {k: k.rstrip("_").replace("_", "-") for k in attributes}
    element = ET.SubElement(parent, tag, {names[k]: xml_safe(v) for k, v in attributes.items() if v is not None})
    element.text = None if text is None else xml_safe(text)
    return element


def _phrase(parent: ET.Element, tag: str, words: Phrase, page_locale: str, **attributes: str | None) -> ET.Element:
    """An element holding a phrase, marked with its own language where it is not the page's."""
    if words.language != page_locale:
        attributes.update(_language(words.language))
    return _add(parent, tag, words.text, **attributes)


def _language(locale: str | None) -> dict[str, str]:
    """lang and dir for text in another language than the page's; nothing for None."""
    return {"lang": bcp47(locale), "dir": direction(locale)} if locale else {}


def _document(locale: str, title: str, site: Site, depth: int) -> tuple[ET.Element, ET.Element, ET.Element]:
    html = ET.Element("html", {"lang": bcp47(locale), "dir": direction(locale)})
    head = _add(html, "head")
    _add(head, "meta", charset="utf-8")
    _add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _add(head, "title", title)
    _add(head, "link", rel="stylesheet", href="../" * depth + STYLESHEET)
    _add(head, "link", rel="icon", href="data:,")  # no icon: otherwise browsers ask for /favicon.ico
    return html, head, _add(html, "body")


def _serialize(html: ET.Element, body: tuple[ET.Element, str] | None = None) -> str:
    """The page as HTML5; ``body`` is (the comment standing for the article body, the body's HTML)."""
    ET.indent(html, space="")
    text = ET.tostring(html, encoding="unicode", method="html")
    if body:
        marker, markup = body
        text = text.replace(f"<!--{marker.text}-->", markup.strip("\n"), 1)
    return "<!DOCTYPE html>\n" + text + "\n"


def _site_header(body: ET.Element, site: Site, locale: str, index_href: str | None, depth: int = 1) -> None:
    header = _add(body, "header", class_="site")
    if site.with_index:
        _add(header, "a", site.project, href="../" * depth + "index.html", class_="name")
    else:
        _add(header, "span", site.project, class_="name")
    if index_href:
        _phrase(header, "a", phrase(locale, "all_articles"), locale, href=index_href)


def _switcher(parent: ET.Element, locale: str, hrefs: dict[str, str]) -> None:
    """Links to each published edition, each named in its own language."""
    nav = _add(parent, "nav", aria_label=phrase(locale, "languages").text, class_="languages")
    items = _add(nav, "ul")
    for other, href in sorted(hrefs.items()):
        current = "page" if other == locale else None
        tag = bcp47(other)
        item = _add(items, "li")
        _add(item, "a", autonym(other), href=href, hreflang=tag, lang=tag, dir=direction(other), aria_current=current)


@dataclass(frozen=True)
class ArticleLinks:
    """Where an edition lives and which others exist, as (locale → path from the site root)."""

    paths: dict[str, str]  # every published edition of the article
    original: str  # the locale of the original

    @classmethod
    def of(cls, article: Article, locales: list[str]) -> ArticleLinks:
        return cls({loc: f"{loc}/{article.slug}.html" for loc in locales}, article.language)

    def relative(self, depth: int) -> dict[str, str]:
        return {loc: "../" * depth + path for loc, path in self.paths.items()}


def article_page(localized: Localized, body_html: str, links: ArticleLinks, site: Site) -> str:
    """A complete HTML5 page for one edition of an article."""
    article, locale = localized.article, localized.locale
    title, title_fallback = localized.field_text("title") or (article.title, False)
    summary = localized.field_text("summary")
    html, head, body = _document(locale, title, site, depth=1)
    if summary:
        _add(head, "meta", name="description", content=summary[0])
    _head_links(head, locale, links, site)
    _add_metadata(head, localized, title, summary[0] if summary else None, links, site)
    _site_header(body, site, locale, "index.html" if site.with_index else None)
    main = _add(_add(body, "main"), "article")
    header = _add(main, "header")
    _switcher(header, locale, links.relative(1))
    for notice in notices(localized):
        _phrase(header, "p", phrase(locale, notice), locale, role="note", class_=f"notice {notice}")
    _add(header, "h1", title, **_language(article.language if title_fallback else None))
    if summary:
        _add(header, "p", summary[0], class_="summary", **_language(article.language if summary[1] else None))
    byline = _add(header, "p", class_="byline")
    _add(byline, "span", article.author, class_="author").tail = byline_separator(locale)
    _add(byline, "time", format_published(article.published, locale), datetime=article.published.isoformat())
    marker = ET.Comment(f"article body {secrets.token_hex(16)}")
    main.append(marker)
    if locale != links.original:
        footer = _add(main, "footer")
        original = links.relative(1)[links.original]
        _phrase(
            _add(footer, "p"), "a", phrase(locale, "original"), locale, href=original, hreflang=bcp47(links.original)
        )
    return _serialize(html, (marker, body_html))


def notices(localized: Localized) -> list[str]:
    """Which notices a page needs: machine output, source fallback, both or none."""
    parts = [p for p in localized.parts if not isinstance(p, str) and p.markdown]
    found = []
    if any(p.unreviewed for p in parts):
        found.append("mt_notice")
    if any(p.fallback for p in parts):
        found.append("fallback_notice")
    return found


def _head_links(head: ET.Element, locale: str, links: ArticleLinks, site: Site) -> None:
    if site.base_url:
        _add(head, "link", rel="canonical", href=site.url(links.paths[locale], 1))
    for other, path in sorted(links.paths.items()):
        _add(head, "link", rel="alternate", hreflang=bcp47(other), href=site.url(path, 1))
    _add(head, "link", rel="alternate", hreflang="x-default", href=site.url(links.paths[links.original], 1))
    if site.base_url and site.with_index:
        _add(head, "link", rel="alternate", type="application/atom+xml", href="feed.xml", title=site.project)


@functools.cache  # asked for every page and link; Babel parses the locale each time
def og_locale(locale: str) -> str:
    """Open Graph's language_TERRITORY form: ``ro`` → ``ro_RO``, ``pt_BR`` stays."""
    from babel import Locale
    from babel.core import get_global

    parsed = Locale.parse(locale)
    if not parsed.territory:
        likely = get_global("likely_subtags").get(parsed.language)
        parsed = Locale.parse(likely) if likely else parsed
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


def _add_metadata(head, localized: Localized, title: str, summary: str | None, links: ArticleLinks, site: Site):
    """Open Graph and JSON-LD NewsArticle, linking the editions to the original and back."""
    article, locale = localized.article, localized.locale
    url = site.url(links.paths[locale], 1)
    properties = [("og:type", "article"), ("og:title", title), ("og:site_name", site.project)]
    if summary:
        properties.append(("og:description", summary))
    if site.base_url:
        properties.append(("og:url", url))
    properties.append(("og:locale", og_locale(locale)))
    properties += [("og:locale:alternate", og_locale(other)) for other in sorted(links.paths) if other != locale]
    properties.append(("article:published_time", article.published.isoformat()))
    for name, value in properties:
        _add(head, "meta", property=name, content=value)
    data = news_article(article, locale, title, summary, url)
    original_url = site.url(links.paths[links.original], 1)
    if locale == links.original:
        others = [site.url(path, 1) for loc, path in sorted(links.paths.items()) if loc != locale]
        if others:
            data["workTranslation"] = [{"@type": "NewsArticle", "@id": other} for other in others]
    else:
        data["translationOfWork"] = {"@type": "NewsArticle", "@id": original_url}
    _add(head, "script", json_for_script(data), type="application/ld+json")


def news_article(article: Article, locale: str, title: str, summary: str | None, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "headline": title,
        "inLanguage": bcp47(locale),
        "datePublished": article.published.isoformat(),
        "author": {"@type": "Person", "name": article.author},
    }
    if summary:
        data["description"] = summary
    return data


def json_for_script(data: dict) -> str:
    """JSON inside <script>: no "<" can close the element, no "&" can start a reference."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Listing:
    """An article as a locale's front page lists it."""

    slug: str
    title: str
    summary: str | None
    published: datetime
    title_language: str | None = None  # set when the title fell back to another language
    summary_language: str | None = None  # likewise for the summary


@dataclass(frozen=True)
class Page:
    """Which of a locale's front pages this is: 1 is ``index.html``, the others ``page/<n>.html``."""

    number: int = 1
    count: int = 1

    @property
    def depth(self) -> int:
        return 1 if self.number == 1 else 2

    def path(self, locale: str) -> str:
        """This page's path from the site root."""
        return f"{locale}/index.html" if self.number == 1 else f"{locale}/page/{self.number}.html"

    def link(self, number: int) -> str:
        """Page ``number`` as this page links to it."""
        return "../" * (self.depth - 1) + ("index.html" if number == 1 else f"page/{number}.html")


def locale_index(site: Site, locale: str, listings: list[Listing], locales: list[str], page: Page = Page()) -> str:
    """A locale's front page, or one page of it: its articles, newest first, with dates in its own format.

    Page 1 carries the hreflang alternates to the other locales' front pages; the
    others are linked in order with rel="prev" and rel="next".
    """
    from babel.dates import format_date
    from babel.numbers import format_decimal

    words = phrase(locale, "all_articles")
    title = f"{site.project}: {words.text}"
    if page.number > 1:
        title += f" ({format_decimal(page.number, locale=locale)})"
    html, head, body = _document(locale, title, site, depth=page.depth)
    up = "../" * (page.depth - 1)
    if page.number == 1:
        for other in sorted(locales):
            _add(head, "link", rel="alternate", hreflang=bcp47(other), href=site.url(f"{other}/index.html", 1))
    if site.base_url:
        _add(head, "link", rel="canonical", href=site.url(page.path(locale), page.depth))
        _add(head, "link", rel="alternate", type="application/atom+xml", href=up + "feed.xml", title=site.project)
    neighbours = {"prev": page.number - 1, "next": page.number + 1}
    neighbours = {rel: number for rel, number in neighbours.items() if 1 <= number <= page.count}
    for rel, number in neighbours.items():
        _add(head, "link", rel=rel, href=page.link(number))
    _site_header(body, site, locale, None, page.depth)
    main = _add(body, "main")
    _switcher(main, locale, {other: f"../{up}{other}/index.html" for other in locales})
    _phrase(main, "h1", words, locale)
    items = _add(main, "ul", class_="articles")
    for listing in sorted(listings, key=lambda item: (-item.published.timestamp(), item.slug)):
        item = _add(items, "li")
        heading = _add(item, "h2", **_language(listing.title_language))
        _add(heading, "a", listing.title, href=f"{up}{listing.slug}.html")
        date = format_date(listing.published.date(), "long", locale=locale)
        _add(_add(item, "p"), "time", date, datetime=listing.published.isoformat())
        if listing.summary:
            _add(item, "p", listing.summary, **_language(listing.summary_language))
    if neighbours:
        nav = _add(main, "nav", aria_label=phrase(locale, "pages").text, class_="pages")
        for rel, number in neighbours.items():
            label = phrase(locale, "newer" if rel == "prev" else "older")
            _phrase(nav, "a", label, locale, href=page.link(number), rel=rel)
    if site.base_url:
        _phrase(_add(main, "p"), "a", phrase(locale, "feed"), locale, href=up + "feed.xml", type="application/atom+xml")
    return _serialize(html)


def root_index(site: Site, language: str, locales: list[str]) -> str:
    """The site's front door: every published language, each named in itself."""
    html, head, body = _document(language, site.project, site, depth=0)
    for other in sorted(locales):
        _add(head, "link", rel="alternate", hreflang=bcp47(other), href=site.url(f"{other}/index.html", 0))
    if site.base_url:
        _add(head, "link", rel="canonical", href=site.base_url)
    main = _add(body, "main")
    _add(main, "h1", site.project)
    nav = _add(main, "nav", aria_label=phrase(language, "languages").text, class_="locales")
    items = _add(nav, "ul")
    for other in sorted(locales):
        tag = bcp47(other)
        _add(
            _add(items, "li"),
            "a",
            autonym(other),
            href=f"{other}/index.html",
            hreflang=tag,
            lang=tag,
            dir=direction(other),
        )
    return _serialize(html)
