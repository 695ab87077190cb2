"""The published site in a real browser: Debian's chromium, driven by Playwright, checked by axe-core.

One browser launch serves every page. Screenshots at 360 and 1280 px go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import tarfile
import threading
from pathlib import Path

import pytest

from translate_flow import publish as publishing
from translate_flow.bundle import preview_server
from translate_flow.pipeline import Project
from translate_flow.publish import publish

from .conftest import REPO, SAMPLE, po_path
from .test_catalogs import translate
from .test_publish_scale import add_articles

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / ".cache" / "axe-core-4.14.1.tgz"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"  # conftest prints where, after the run
WIDTHS = (360, 1280)
BERLIN = "He was in Berlin for talks with German chancellor Olaf Scholz."
TITLE = "NATO must stay united"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample published under 'mt' with Arabic added: reviewed, machine and fallback text, LTR and RTL."""
    root = tmp_path_factory.mktemp("site")
    for name in ("sources", "translate-flow.toml", "glossary.csv"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    config = root / "translate-flow.toml"
    text = config.read_text(encoding="utf-8").replace('en = ["ro", "de", "fr"]', 'en = ["ro", "de", "fr", "ar"]')
    config.write_text(text.replace("min_reviewed = 80 ", "min_reviewed = 0  "), encoding="utf-8")
    project = Project(root)
    project.update()
    translate(po_path(root, "ro"), {TITLE: "NATO trebuie să rămână unită"})
    translate(po_path(root, "ro"), {BERLIN: "A fost la Berlin pentru discuții cu cancelarul Olaf Scholz."}, fuzzy=True)
    publish(project, "mt", force=True)
    return root / "dist" / "bundle"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.fail("chromium or axe-core is missing: 'make test' installs both")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(site: Path):
    server = preview_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def axe_source() -> str:
    with tarfile.open(AXE) as archive:
        return archive.extractfile("package/axe.min.js").read().decode("utf-8")


def watch(page, served: str) -> list[str]:
    """Console errors, script errors and requests that leave the bundle, as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: request.url.startswith(served) or errors.append(f"outside: {request.url}"))
    return errors


def test_every_page_loads_cleanly_is_accessible_and_is_screenshotted(site, browser, served):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) == 11  # the chooser, five front pages, five editions of the article
    axe = axe_source()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 800})
        errors = watch(page, served)
        for name in pages:
            page.goto(served + name)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                failures.append(f"{name} at {width}px scrolls sideways ({scroll_width}px)")
            page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '_')[:-5]}-{width}.png", full_page=True)
            if width == WIDTHS[-1]:
                page.add_script_tag(content=axe)
                found = page.evaluate(
                    "async () => (await axe.run()).violations"
                    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
                )
                failures += [f"{name}: {violation}" for violation in found]
            failures += [f"{name} at {width}px: {error}" for error in errors]
            errors.clear()
        page.close()
    assert failures == []


def test_the_switcher_reaches_each_language_and_notices_show(browser, served):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(served)
    page.get_by_role("link", name="English").click()
    page.get_by_role("link", name=TITLE).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".notice").count() == 0  # the original needs none
    page.locator("nav.languages").get_by_role("link", name="română").click()
    assert page.url.endswith(f"/ro/{SAMPLE}.html")
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("h1").inner_text() == "NATO trebuie să rămână unită"
    assert page.locator(".notice.mt_notice").is_visible()
    assert page.locator(".notice.fallback_notice").is_visible()
    machine = page.locator("[data-mt]")
    assert machine.inner_text().startswith("A fost la Berlin")
    assert machine.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    spoken = page.locator("article > p", has=machine).aria_snapshot()  # what screen readers get
    assert "traducere automată: A fost la Berlin" in spoken
    assert "netradus: NATO will work with" in spoken
    page.locator("nav.languages").get_by_role("link", name="العربية").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    fallback = page.locator("[data-fallback]").first
    assert fallback.evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.get_by_role("link", name="كل المقالات").click()
    assert page.url.endswith("/ar/index.html")
    page.close()


def test_dark_mode_and_print_styles_apply(browser, served):
    page = browser.new_page()
    page.goto(f"{served}ro/{SAMPLE}.html")
    light = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") != light
    assert page.locator("nav.languages").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.languages").is_visible()
    assert page.locator(".notice").first.is_visible()  # a printed page still says what it is
    page.close()


def test_a_locale_listed_a_page_at_a_time_is_browsed_by_its_links(browser, tmp_path, monkeypatch):
    """Older and newer pages reached by their links, each article from them, a later page accessible too."""
    monkeypatch.setattr(publishing, "LISTED_PER_PAGE", 1)
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "translate-flow.toml", root)
    (root / "glossary.csv").write_text("source,locale,target\n", encoding="utf-8")
    add_articles(root, 1)
    project = Project(root)
    project.update()
    publish(project, force=True)
    server = preview_server(root / "dist" / "bundle", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        errors = watch(page, f"http://127.0.0.1:{server.server_port}/")
        page.goto(f"http://127.0.0.1:{server.server_port}/ro/index.html")
        page.get_by_role("link", name="Articole mai vechi").click()
        assert page.url.endswith("/ro/page/2.html")
        page.add_script_tag(content=axe_source())
        assert page.evaluate("async () => (await axe.run()).violations.map(v => v.id)") == []
        page.get_by_role("link", name="Story 0").click()
        assert page.url.endswith("/ro/story-0.html")
        page.go_back()
        page.get_by_role("link", name="Articole mai noi").click()
        assert page.url.endswith("/ro/index.html")
        page.get_by_role("link", name="newsroom").click()
        assert page.locator("nav.locales").is_visible()
        page.close()
        assert errors == []
    finally:
        server.shutdown()
        server.server_close()
