"""publish at archive scale: front pages a page at a time, feeds of the newest, sitemaps split at the
protocol's limits, the manifest and the archive streamed, byte for byte what whole trees would give."""

from __future__ import annotations

import json
import tarfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from translate_flow import bundle, feeds
from translate_flow import publish as publishing
from translate_flow.feeds import Entry
from translate_flow.pipeline import Project
from translate_flow.rendering import bcp47

from .conftest import SAMPLE
from .test_build import parse_html
from .test_site import BASE, SCHEMAS, SITEMAP, no_glossary  # noqa: F401 (an autouse fixture, shared)


def add_articles(root: Path, count: int) -> None:
    """``count`` more English articles, ``story-N``, each a day older than the one before."""
    sample = (root / "sources" / "en" / f"{SAMPLE}.md").read_text(encoding="utf-8")
    for number in range(count):
        text = sample.replace("title: NATO must stay united", f"title: Story {number}")
        text = text.replace("2024-11-05T13:50", f"2024-10-{20 - number:02d}T13:50")
        (root / "sources" / "en" / f"story-{number}.md").write_text(text, encoding="utf-8")


def set_publish(root: Path, line: str) -> None:
    config = root / "translate-flow.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[publish]\n", f"[publish]\n{line}\n"), encoding="utf-8")


@pytest.fixture
def paged(project_dir: Path, monkeypatch) -> Path:
    """Four articles, two to a front page, feeds of the newest three."""
    monkeypatch.setattr(publishing, "LISTED_PER_PAGE", 2)
    add_articles(project_dir, 3)
    set_publish(project_dir, "feed_entries = 3")
    project = Project(project_dir)
    project.update()
    publishing.publish(project, force=True)
    return project_dir / "dist" / "bundle"


def test_front_pages_list_every_article_once_newest_first_a_page_at_a_time(paged: Path):
    expected = [f"{SAMPLE}.html", *(f"story-{n}.html" for n in range(3))]
    for locale in ("en", "de"):
        page, listed, previous = paged / locale / "index.html", [], None
        while page:
            document = parse_html(page.read_text(encoding="utf-8"))
            for link in document.iter("link"):  # stylesheet, prev and next: files that exist
                if link.get("rel") in ("stylesheet", "prev", "next"):
                    assert (page.parent / link.get("href")).resolve().is_file(), (page, link.get("href"))
            hrefs = [a.get("href") for a in document.findall(".//ul[@class='articles']/li/h2/a")]
            listed += [
                (page.parent / href).resolve().relative_to((paged / locale).resolve()).as_posix() for href in hrefs
            ]
            assert len(hrefs) == 2
            rels = {a.get("rel"): a.get("href") for a in document.findall(".//nav[@class='pages']/a")}
            if previous:
                assert (page.parent / rels["prev"]).resolve() == previous.resolve()
            previous = page
            page = page.parent / rels["next"] if "next" in rels else None
        assert listed == expected
        assert sorted(p.name for p in (paged / locale / "page").iterdir()) == ["2.html"]


def test_a_later_page_links_up_to_the_site_and_across_to_other_languages(paged: Path):
    document = parse_html((paged / "ro" / "page" / "2.html").read_text(encoding="utf-8"))
    assert document.find(".//title").text == "newsroom: Toate articolele (2)"
    assert document.find(".//header/a[@class='name']").get("href") == "../../index.html"
    assert (paged / "ro" / "page" / "../../index.html").resolve().is_file()
    switcher = [a.get("href") for a in document.findall(".//nav[@class='languages']//a")]
    assert "../../en/index.html" in switcher
    canonical = next(link.get("href") for link in document.iter("link") if link.get("rel") == "canonical")
    assert canonical == f"{BASE}ro/page/2.html"
    assert not [link for link in document.iter("link") if link.get("hreflang")]  # pages 2… differ across locales
    assert "ro/page/2.html" in bundle_files(paged)


def bundle_files(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]


def test_a_feed_holds_the_newest_entries_only(paged: Path):
    feed = feedparser.parse((paged / "ro" / "feed.xml").read_text(encoding="utf-8"))
    assert [entry.id for entry in feed.entries] == [
        f"{BASE}ro/{SAMPLE}.html",
        f"{BASE}ro/story-0.html",
        f"{BASE}ro/story-1.html",
    ]
    assert feed.feed.updated == "2024-11-05T13:50:00+02:00"


def test_the_manifest_and_sitemap_still_list_every_edition(paged: Path):
    data = json.loads((paged / "manifest.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 4 * 4  # 4 articles in en, ro, de and fr
    urls = [url.findtext(f"{SITEMAP}loc") for url in etree.parse(str(paged / "sitemap.xml")).getroot()]
    assert f"{BASE}de/page/2.html" in urls and f"{BASE}de/story-2.html" in urls


@pytest.mark.parametrize("setting", ["feed_entries = 0", "feed_entries = true", 'feed_entries = "50"'])
def test_feed_entries_must_be_a_whole_number(project_dir: Path, setting: str):
    from translate_flow.errors import InputError

    set_publish(project_dir, setting)
    with pytest.raises(InputError, match=r"publish\.feed_entries: must be a whole number of at least 1"):
        Project(project_dir)


# -- Sitemaps ------------------------------------------------------------------------------------------------


def entries(count: int) -> list[Entry]:
    published = datetime(2024, 11, 5, 13, 50, tzinfo=UTC)
    found = []
    for number in range(count):
        paths = {loc: f"{loc}/story-{number}.html" for loc in ("en", "ro", "pt_BR")}
        for locale, path in paths.items():
            found.append(
                Entry(
                    path,
                    locale,
                    f"Story {number}",
                    None,
                    "Desk",
                    published - timedelta(hours=number),
                    paths,
                    paths["en"],
                )
            )
    return sorted(found, key=lambda e: e.path)


def whole_tree(base_url: str, pages: list[str], listed: list[Entry]) -> str:
    """The sitemap as one ElementTree serialized at once: what publish wrote before it streamed."""
    ET.register_namespace("", feeds.SITEMAP)
    ET.register_namespace("xhtml", feeds.XHTML)
    urlset = ET.Element(f"{SITEMAP}urlset")
    for path in pages:
        ET.SubElement(ET.SubElement(urlset, f"{SITEMAP}url"), f"{SITEMAP}loc").text = base_url + path
    for entry in listed:
        url = ET.SubElement(urlset, f"{SITEMAP}url")
        ET.SubElement(url, f"{SITEMAP}loc").text = base_url + entry.path
        ET.SubElement(url, f"{SITEMAP}lastmod").text = entry.published.isoformat()
        links = [(bcp47(loc), path) for loc, path in sorted(entry.alternates.items())]
        for hreflang, path in [*links, ("x-default", entry.original)]:
            attributes = {"rel": "alternate", "hreflang": hreflang, "href": base_url + path}
            ET.SubElement(url, f"{{{feeds.XHTML}}}link", attributes)
    ET.indent(urlset)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.mark.parametrize("count", [0, 1, 7])
def test_a_small_sitemap_is_one_file_as_a_whole_tree_would_write_it(tmp_path: Path, count: int):
    pages = ["", "en/index.html"]
    assert feeds.write_sitemaps(tmp_path, BASE, pages, iter(entries(count))) == ["sitemap.xml"]
    written = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert written == whole_tree(BASE, pages, entries(count))
    assert schema("sitemap-hreflang.xsd").validate(etree.fromstring(written.encode()))


@pytest.mark.parametrize("limit", ["urls", "bytes"])
def test_a_large_sitemap_becomes_an_index_of_files_within_the_limits(tmp_path: Path, monkeypatch, limit: str):
    pages, listed = ["", "en/index.html"], entries(4)  # 2 + 12 URLs
    one = tmp_path / "one"
    one.mkdir()
    feeds.write_sitemaps(one, BASE, pages, listed)
    if limit == "urls":
        monkeypatch.setattr(feeds, "MAX_URLS", 5)
    else:
        monkeypatch.setattr(feeds, "MAX_BYTES", 2_000)
    written = feeds.write_sitemaps(tmp_path, BASE, pages, iter(listed))
    assert written == ["sitemap.xml", *(f"sitemap-{n}.xml" for n in range(1, len(written)))]
    assert len(written) >= 4
    index = etree.parse(str(tmp_path / "sitemap.xml"))
    assert schema("siteindex.xsd").validate(index), schema("siteindex.xsd").error_log
    parts = [loc.text for loc in index.getroot().iter(f"{SITEMAP}loc")]
    assert parts == [BASE + name for name in written[1:]]
    urls = []
    for name in written[1:]:
        data = (tmp_path / name).read_bytes()
        assert len(data) <= feeds.MAX_BYTES
        document = etree.fromstring(data)
        assert schema("sitemap-hreflang.xsd").validate(document)
        assert len(document) <= feeds.MAX_URLS
        urls += url_texts(document)
    assert urls == url_texts(etree.parse(str(one / "sitemap.xml")).getroot())


def url_texts(urlset) -> list[bytes]:
    """Each URL as XML, without the whitespace after it (the last in a file is followed by less)."""
    for url in urlset:
        url.tail = None
    return [etree.tostring(url) for url in urlset]


def test_the_index_schema_refuses_an_index_without_locations(tmp_path: Path, monkeypatch):
    """The validation itself can fail."""
    monkeypatch.setattr(feeds, "MAX_URLS", 1)
    feeds.write_sitemaps(tmp_path, BASE, ["", "en/index.html"], [])
    index = etree.parse(str(tmp_path / "sitemap.xml"))
    assert schema("siteindex.xsd").validate(index)
    loc = next(index.getroot().iter(f"{SITEMAP}loc"))
    loc.getparent().remove(loc)
    assert not schema("siteindex.xsd").validate(index)


# -- The manifest and the archive, streamed --------------------------------------------------------------------

FILES = ["a-b", "a.b", "b", "LC_MESSAGES/x.mo", "page-2.html", "page.html", "é.md", "a/x", "a/y/z", "page/2.html"]


def make_tree(folder: Path) -> None:
    """Names whose order as paths and as strings differ: "a/x" sorts before "a-b" as a path, after it as text."""
    for name in FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name, encoding="utf-8")


def test_the_walk_goes_in_path_order_or_in_text_order(tmp_path: Path):
    make_tree(tmp_path)
    assert [path for path, _ in bundle.walk(tmp_path)] == sorted(tmp_path.rglob("*"))
    walked = bundle.walk(tmp_path, as_text=True)
    as_text = [path.relative_to(tmp_path).as_posix() for path, is_folder in walked if not is_folder]
    assert as_text == sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert as_text.index("a-b") < as_text.index("a/x")


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.dictionaries(st.text(max_size=8), VALUES, max_size=4), max_size=4),
    fields=st.dictionaries(st.text(max_size=8).map(lambda key: "g" + key), VALUES, max_size=4),
    with_files=st.booleans(),
)
def test_the_streamed_manifest_is_what_json_dumps_writes(tmp_path_factory, rows, fields, with_files):
    folder = tmp_path_factory.mktemp("bundle")
    if with_files:
        make_tree(folder)
    path = folder / "manifest.json"
    bundle.write_manifest(path, fields, iter(rows), folder)
    files = {
        p.relative_to(folder).as_posix(): bundle.sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p != path
    }
    whole = {"articles": rows, "files": files, **fields}
    assert path.read_text(encoding="utf-8") == json.dumps(whole, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_the_manifest_refuses_fields_that_would_sort_first(tmp_path: Path):
    with pytest.raises(ValueError, match="must sort before"):
        bundle.write_manifest(tmp_path / "manifest.json", {"abstract": 1}, [], tmp_path)


def test_the_archive_holds_the_bundle_in_path_order_and_keeps_its_mode(tmp_path: Path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    make_tree(folder)
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"old")
    archive.chmod(0o640)
    bundle.write_archive(folder, archive, "site")
    first = archive.read_bytes()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert tar.extractfile("site/a/y/z").read() == b"a/y/z"
    expected = [str(PurePosixPath("site", p.relative_to(folder).as_posix())) for p in sorted(folder.rglob("*"))]
    assert names == expected
    assert archive.stat().st_mode & 0o777 == 0o640
    bundle.write_archive(folder, archive, "site")
    assert archive.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
