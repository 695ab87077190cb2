"""The published site's metadata and pages: sitemap, feeds, JSON-LD, Open Graph, notices, the gate, serve."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from translate_flow.bundle import preview_server
from translate_flow.errors import InputError
from translate_flow.feeds import Entry, atom_feed
from translate_flow.pipeline import Project
from translate_flow.publish import publish
from translate_flow.site import Listing, Site, json_for_script, locale_index

from .conftest import SAMPLE, po_path
from .test_build import parse_html
from .test_catalogs import translate
from .test_publish import TITLE, review_all

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "https://news.example.org/"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def no_glossary(project_dir: Path) -> None:
    (project_dir / "glossary.csv").write_text("source,locale,target\n", encoding="utf-8")


def set_targets(root: Path, targets: str) -> None:
    config = root / "translate-flow.toml"
    config.write_text(config.read_text().replace('en = ["ro", "de", "fr"]', f"en = {targets}"), encoding="utf-8")


@pytest.fixture
def published(project: Project) -> Path:
    """ro reviewed, de and fr published anyway: the original and three translations."""
    project.update()
    review_all(project.root, "ro")
    publish(project, force=True)
    return project.root / "dist" / "bundle"


def read(bundle: Path, name: str) -> str:
    return (bundle / name).read_text(encoding="utf-8")


def sitemap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap-hreflang.xsd")))


def test_sitemap_is_valid_and_links_every_edition(published: Path):
    document = etree.parse(str(published / "sitemap.xml"))
    schema = sitemap_schema()
    assert schema.validate(document), schema.error_log
    urls = {url.findtext(f"{SITEMAP}loc"): url for url in document.getroot()}
    assert set(urls) >= {BASE, f"{BASE}ro/index.html", f"{BASE}en/index.html"}
    article = urls[f"{BASE}de/{SAMPLE}.html"]
    assert article.findtext(f"{SITEMAP}lastmod") == "2024-11-05T13:50:00+02:00"
    links = {link.get("hreflang"): link.get("href") for link in article.iter(f"{XHTML}link")}
    assert links == {
        **{loc: f"{BASE}{loc}/{SAMPLE}.html" for loc in ("de", "en", "fr", "ro")},
        "x-default": f"{BASE}en/{SAMPLE}.html",
    }


def test_the_sitemap_schema_refuses_a_broken_alternate(published: Path):
    """The validation itself can fail: an alternate without hreflang is refused."""
    document = etree.parse(str(published / "sitemap.xml"))
    next(document.getroot().iter(f"{XHTML}link")).attrib.pop("hreflang")
    assert not sitemap_schema().validate(document)


def test_each_locale_has_an_atom_feed_a_reader_can_read(published: Path):
    for locale in ("en", "ro", "de", "fr"):
        feed = feedparser.parse(read(published, f"{locale}/feed.xml"))
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.language == locale
        assert feed.feed.id == f"{BASE}{locale}/"
        assert feed.feed.updated_parsed is not None
        (entry,) = feed.entries
        assert entry.link == f"{BASE}{locale}/{SAMPLE}.html"
        assert entry.id == entry.link
        assert entry.author == "Leyla Cheamil"
        assert entry.published == "2024-11-05T13:50:00+02:00"
    assert feedparser.parse(read(published, "ro/feed.xml")).entries[0].title == f"[ro] {TITLE}"


def json_ld(page: str) -> dict:
    document = parse_html(page)
    (script,) = [s for s in document.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text)


def test_json_ld_links_the_editions(published: Path):
    original = json_ld(read(published, f"en/{SAMPLE}.html"))
    translated = json_ld(read(published, f"ro/{SAMPLE}.html"))
    assert translated["@type"] == "NewsArticle"
    assert translated["inLanguage"] == "ro"
    assert translated["headline"] == f"[ro] {TITLE}"
    assert translated["datePublished"] == "2024-11-05T13:50:00+02:00"
    assert translated["author"] == {"@type": "Person", "name": "Leyla Cheamil"}
    assert translated["translationOfWork"]["@id"] == original["@id"] == f"{BASE}en/{SAMPLE}.html"
    assert "translationOfWork" not in original
    assert {work["@id"] for work in original["workTranslation"]} == {
        f"{BASE}{loc}/{SAMPLE}.html" for loc in ("de", "fr", "ro")
    }


def test_canonical_and_open_graph(published: Path):
    head = parse_html(read(published, f"ro/{SAMPLE}.html")).find("head")
    canonical = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    assert canonical == [f"{BASE}ro/{SAMPLE}.html"]
    properties: dict[str, list[str]] = {}
    for meta in head.iter("meta"):
        if meta.get("property"):
            properties.setdefault(meta.get("property"), []).append(meta.get("content"))
    assert properties["og:locale"] == ["ro_RO"]
    assert properties["og:locale:alternate"] == ["de_DE", "en_US", "fr_FR"]
    assert properties["og:url"] == [f"{BASE}ro/{SAMPLE}.html"]
    assert properties["og:type"] == ["article"]


def test_every_page_is_valid_html(published: Path):
    pages = sorted(published.rglob("*.html"))
    assert len(pages) == 9
    for page in pages:
        parse_html(page.read_text(encoding="utf-8"))


def test_without_base_url_links_stay_relative(project: Project):
    config = project.root / "translate-flow.toml"
    config.write_text(config.read_text().replace(f'base_url = "{BASE}"', "# no base_url"), encoding="utf-8")
    project = Project(project.root)
    project.update()
    publish(project, force=True)
    bundle = project.root / "dist" / "bundle"
    assert not (bundle / "sitemap.xml").exists()
    assert not (bundle / "ro" / "feed.xml").exists()
    page = read(bundle, f"ro/{SAMPLE}.html")
    assert 'rel="canonical"' not in page
    assert json_ld(page)["translationOfWork"]["@id"] == f"../en/{SAMPLE}.html"


@pytest.mark.parametrize("value", ['"ftp://x.example/"', '"news.example.org"', "3"])
def test_a_bad_base_url_is_bad_input(cli, value):
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text().replace(f'"{BASE}"', value), encoding="utf-8")
    result = cli.project("publish")
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("translate-flow: ")
        and ":38: publish.base_url: must be an http(s) URL" in result.stderr
    )


def test_fallback_notice_and_marked_passages_in_a_right_to_left_locale(project_dir: Path):
    set_targets(project_dir, '["ro", "de", "fr", "ar"]')
    project = Project(project_dir)
    project.update()
    publish(project, force=True)
    page = read(project_dir / "dist" / "bundle", f"ar/{SAMPLE}.html")
    document = parse_html(page)
    assert (document.get("lang"), document.get("dir")) == ("ar", "rtl")
    (notice,) = [p for p in document.iter("p") if p.get("role") == "note"]
    assert notice.text.startswith("أجزاء من هذه الصفحة لم تُترجم بعد")
    assert notice.get("lang") is None  # in the page's own language
    spans = [s for s in document.iter("span") if s.get("data-fallback") is not None]
    assert {(s.get("lang"), s.get("dir")) for s in spans} == {("en", "ltr")}
    # A paragraph that falls back whole is one left-to-right span: sentence by sentence,
    # the right-to-left page would show its sentences in reverse order.
    paragraphs = [p for p in document.iter("p") if any(s in spans for s in p.iter("span"))]
    assert len(paragraphs) == len(spans) == 4  # the sample body's paragraphs
    for paragraph in paragraphs:
        (span,) = [s for s in paragraph.iter("span") if s in spans]
        assert "".join(span.itertext()).strip() == "".join(paragraph.itertext()).strip()
    byline = document.find(".//p[@class='byline']")
    assert byline.find("span").tail == "، "
    title = document.find(".//h1")
    assert (title.get("lang"), title.get("dir")) == ("en", "ltr")


def test_a_locale_without_wording_gets_english_notices_marked_as_english(project_dir: Path):
    set_targets(project_dir, '["ro", "de", "fr", "sw"]')
    project = Project(project_dir)
    project.update()
    publish(project, force=True)
    document = parse_html(read(project_dir / "dist" / "bundle", f"sw/{SAMPLE}.html"))
    (notice,) = [p for p in document.iter("p") if p.get("role") == "note"]
    assert (notice.get("lang"), notice.text.split(":")[0]) == ("en", "Parts of this page are not translated yet")


def test_localized_markdown_says_how_much_is_translated(project: Project):
    project.update()
    missing = review_all(project.root, "ro", skip=2)
    translate(po_path(project.root, "ro"), {missing[0]: "Traducere automată."}, fuzzy=True)
    publish(project, "mt", force=True)
    bundle = project.root / "dist" / "bundle"
    ro = read(bundle, f"ro/{SAMPLE}.md")
    assert "language: ro\ntranslation:\n  locale: ro\n  source_language: en\n" in ro
    assert "  reviewed_percent: 88.2\n  unreviewed_percent: 5.9\n  fallback_percent: 5.9\n---\n" in ro
    de = read(bundle, f"de/{SAMPLE}.md")  # nothing translated: the text is English, and says so
    assert "language: en\ntranslation:\n  locale: de\n" in de
    assert "  reviewed_percent: 0.0\n  unreviewed_percent: 0.0\n  fallback_percent: 100.0\n---\n" in de
    assert "translation:" not in read(bundle, f"en/{SAMPLE}.md")


def test_check_errors_keep_a_locale_out_unless_forced(cli):
    cli.project("update")
    review_all(cli.root, "ro")
    (cli.root / "glossary.csv").write_text("source,locale,target\nNATO,ro,NATO-RO\n", encoding="utf-8")
    result = cli.project("publish")
    assert result.exit_code == 1
    assert "ro: left out, 100.0% reviewed: 8 check errors in what would be published (translate-flow check ro)" in (
        result.stdout
    )
    assert not (cli.root / "dist" / "bundle" / "ro").exists()
    forced = cli.project("publish", "--force")
    assert forced.exit_code == 0
    assert "ro: published, 100.0% reviewed: 8 check errors" in forced.stdout
    assert "published anyway (--force)" in forced.stdout


def test_check_errors_in_unpublished_suggestions_do_not_count(cli):
    """Under 'source', a fuzzy suggestion is not shown: its errors do not keep the locale out."""
    cli.project("update")
    review_all(cli.root, "ro")
    numbers = next(s.text for s in Project(cli.root).articles()[0].segments if "40 billion" in s.text)
    translate(po_path(cli.root, "ro"), {numbers: "Fără numere."}, fuzzy=True)
    config = cli.root / "translate-flow.toml"
    config.write_text(config.read_text().replace("min_reviewed = 80", "min_reviewed = 50"), encoding="utf-8")
    assert "ro: published, 94.1% reviewed\n" in cli.project("publish").stdout
    assert "ro: left out, 94.1% reviewed: 1 check error in" in cli.project("publish", "--policy", "mt").stdout


def test_serve_previews_the_bundle_on_localhost(published: Path):
    server = preview_server(published, 0)
    assert server.server_address[0] == "127.0.0.1"
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/ro/index.html") as response:
            assert response.read() == (published / "ro" / "index.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_serve_without_a_bundle_is_bad_input(cli, tmp_path):
    with pytest.raises(InputError, match="run 'translate-flow publish' first"):
        preview_server(tmp_path, 0)
    result = cli.project("serve")
    assert result.exit_code == 2
    assert "nothing to serve: run 'translate-flow publish' first" in result.stderr


# Any text an HTML document may hold: no control characters, surrogates or noncharacters.
PRINTABLE = st.characters(exclude_categories=("Cs", "Cc", "Cn"))
texts = st.text(PRINTABLE, min_size=1).filter(str.strip)


@settings(max_examples=60)
@given(title=texts, summary=texts)
def test_text_stays_text_on_pages(title, summary):
    """Whatever a title holds, the page parses and shows it as written: pages are trees, not strings."""
    listing = Listing("slug", title, summary, datetime(2024, 11, 5, tzinfo=UTC))
    document = parse_html(locale_index(Site("newsroom", BASE), "ro", [listing], ["ro"]))
    item = document.find(".//ul[@class='articles']/li")
    assert item.find("h2/a").text == title
    assert item.findall("p")[1].text == summary


@settings(max_examples=100)
@given(title=st.text(min_size=1), summary=st.text(min_size=1))
def test_a_feed_is_well_formed_whatever_the_text(title, summary):
    """Control characters that got past the input checks become spaces: the feed stays XML."""
    path = f"ro/{SAMPLE}.html"
    published = datetime(2024, 11, 5, tzinfo=UTC)
    entry = Entry(path, "ro", title, summary, "Desk", published, {"ro": path}, f"en/{SAMPLE}.html")
    feed = etree.fromstring(atom_feed(BASE, "newsroom", "ro", [entry]).encode("utf-8"))
    assert feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title") is not None


def test_a_pasted_line_break_on_a_page_becomes_a_space():
    listing = Listing("slug", "NATO trebuie\vsă rămână unită", "a\x01b", datetime(2024, 11, 5, tzinfo=UTC))
    page = locale_index(Site("newsroom", BASE), "ro", [listing], ["ro"])
    assert "NATO trebuie să rămână unită" in page and "a b" in page


def test_a_control_character_in_a_msgstr_is_refused_with_its_line(cli):
    cli.project("update", "-l", "ro")
    path = po_path(cli.root, "ro")
    translate(path, {TITLE: "NATO trebuie\vsă rămână unită"})
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index(f'msgid "{TITLE}"') + 1  # the entry's line, as for every PO error
    result = cli.project("check", "ro")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().endswith(
        "msgstr holds the control character U+000B (a manual line break pasted from Word?), which XML cannot carry"
    )
    assert f"ro/{SAMPLE}.po:{line}: msgstr" in result.stderr


def test_a_control_character_in_front_matter_is_refused_with_its_line(cli):
    source = cli.root / "sources" / "en" / f"{SAMPLE}.md"
    text = source.read_text(encoding="utf-8")
    title_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("title:"))
    lines = text.splitlines(keepends=True)
    lines[title_line - 1] = 'title: "x\\x0by"\n'
    source.write_text("".join(lines), encoding="utf-8")
    result = cli.project("extract")
    assert result.exit_code == 2, result.output
    assert f"{SAMPLE}.md:{title_line}: title holds the control character U+000B" in result.stderr


@settings(max_examples=100)
@given(st.dictionaries(st.text(PRINTABLE), st.text(PRINTABLE)))
def test_json_ld_survives_any_text_inside_a_script(data):
    script = f'<script type="application/ld+json">{json_for_script(data)}</script>'
    assert json_ld(f'<!DOCTYPE html><html lang="en"><head><title>t</title>{script}</head></html>') == data


def test_a_summary_cannot_pose_as_the_body(project: Project):
    """An attribute keeps "<" as it is: text that looks like the body's place holds no body."""
    project.update()
    summary = next(s.text for s in project.articles()[0].segments if s.location == "summary")
    lure = '<!--article body 0123--> " onmouseover="alert(1)'
    translate(po_path(project.root, "ro"), {summary: lure, TITLE: "Titlu"})
    publish(project, force=True)
    document = parse_html(read(project.root / "dist" / "bundle", f"ro/{SAMPLE}.html"))
    (description,) = [m for m in document.iter("meta") if m.get("name") == "description"]
    assert description.get("content") == lure
    assert description.get("onmouseover") is None
