"""The built book as a reader meets it: every page of the table of contents, opened in headless Chromium
from a local server with every other host blocked, loads without errors and with working images, tables,
links, citations, maths, downloads, search and light/dark switch.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_PAGE = "chapters/results"
MATH_PAGE = "chapters/model"
SCREENSHOTS = {"chapters/results": "results.png", "chapters/audit": "audit.png"}
PAGES_WITH_TABLES = {RESULTS_PAGE}
SEARCH_TERMS = {"Nagelkerke": RESULTS_PAGE, "Hosmer": RESULTS_PAGE}


def toc_pages() -> list[str]:
    """Docnames of the book in reading order, from ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", [toc]):
        pages += [chapter["file"] for chapter in part.get("chapters", [])]
    return [re.sub(r"\.(md|ipynb)$", "", page) for page in pages]


def is_notebook(page: str) -> bool:
    """Whether the page's source is a MyST notebook (and so also downloads as ``.ipynb``)."""
    return (ROOT / f"{page}.md").read_text(encoding="utf-8").startswith("---\njupytext:")


PAGES = toc_pages()


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def html_root(built_book: Path) -> Path:
    return built_book


@pytest.fixture(scope="session")
def site(html_root: Path):
    """Base URL of a local HTTP server over the built HTML."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(html_root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What one page did and contained once loaded, MathJax typeset included."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


COLLECT = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all([...document.images].map(img => {
    img.loading = 'eager';
    return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
  }));
  const hrefs = sel => [...document.querySelectorAll(sel)].map(a => a.href);
  // Missing CJK fonts draw every Chinese character as the same empty box: two distinct characters of the
  // page, drawn in the page's own font, must give two different bitmaps.
  const cjk = [...new Set(document.body.innerText.match(/[\u4e00-\u9fff]/g) || [])].slice(0, 2);
  const draw = ch => { const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
    const g = canvas.getContext('2d'); g.font = `40px ${getComputedStyle(document.body).fontFamily}`;
    g.fillText(ch, 2, 42); return Array.from(g.getImageData(0, 0, 48, 48).data).join(); };
  return {
    title: document.title,
    cjk: cjk.join(''),
    cjk_distinct: cjk.length < 2 || draw(cjk[0]) !== draw(cjk[1]),
    images: [...document.images].map(img => ({src: img.currentSrc || img.src, width: img.naturalWidth})),
    tables: [...document.querySelectorAll('table')].map(t => ({
      id: t.id || (t.closest('[id]') || {}).id || '', cells: t.querySelectorAll('td').length})),
    internal: hrefs('a.reference.internal'),
    citations: hrefs('a[href*="references.html#"]'),
    downloads: hrefs('a[href*="_sources/"]'),
    math: document.querySelectorAll('.math').length,
    unrendered: [...document.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container'))
                  .map(m => m.textContent.slice(0, 80)),
    mjx: document.querySelectorAll('mjx-container').length,
    mjx_errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 80)),
    scripts: [...document.scripts].map(s => s.src).filter(Boolean),
    stylesheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href),
  };
}"""


class Reader:
    """One Chromium page that only reaches the local server; records errors, failures and blocked hosts."""

    def __init__(self, browser, site: str):
        self.site = site
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.visit: Visit | None = None
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self._record("console_errors", f"uncaught: {exc}"))
        self.page.on("requestfailed", lambda req: self._record("failed", f"{req.url} ({req.failure})"))
        self.page.on("response", self._response)

    def _record(self, kind: str, text: str) -> None:
        if self.visit is not None:
            getattr(self.visit, kind).append(text)

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or url.startswith(self.site):
            self._record("requested", url)
            route.continue_()
        else:
            self._record("blocked", url)
            route.abort("blockedbyclient")

    def _console(self, message) -> None:
        if message.type == "error":
            self._record("console_errors", message.text)

    def _response(self, response) -> None:
        if response.status >= 400:
            self._record("failed", f"{response.url} (HTTP {response.status})")

    def open(self, path: str) -> Visit:
        self.visit = Visit(url=self.site + path)
        self.page.goto(self.visit.url, wait_until="networkidle")
        self.visit.facts = self.page.evaluate(COLLECT)
        return self.visit

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def reader(browser, site):
    opened = Reader(browser, site)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def visits(reader: Reader, html_root: Path) -> dict[str, Visit]:
    """Every toc page opened once (full-page screenshots of the chosen pages saved on the way)."""
    shots = html_root.parent / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    seen = {}
    for page in PAGES:
        seen[page] = reader.open(f"{page}.html")
        if page in SCREENSHOTS:
            reader.page.screenshot(path=str(shots / SCREENSHOTS[page]), full_page=True)
    return seen


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def anchors(html_file: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def broken_links(urls: list[str], site: str, html_root: Path) -> list[str]:
    """The URLs that do not lead to an existing file of the build and, if they name one, an existing anchor."""
    broken = []
    for url in urls:
        if not url.startswith(site):
            broken.append(f"{url} (not on the local site)")
            continue
        address, fragment = urldefrag(url)
        path = urlsplit(address).path.lstrip("/") or "index.html"
        target = html_root / path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{url} (no file {path})")
        elif fragment and fragment not in anchors(target):
            broken.append(f"{url} (no anchor #{fragment} in {path})")
    return broken


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(visits, site, page):
    visit = visits[page]
    assert not visit.blocked, f"{page} tried to reach other hosts: {visit.blocked}"
    assert not visit.console_errors, f"{page} logged errors: {visit.console_errors}"
    assert not visit.failed, f"{page} had failed requests: {visit.failed}"
    remote = [u for u in visit.facts["scripts"] + visit.facts["stylesheets"] if not u.startswith(site)]
    assert not remote, f"{page} references remote scripts or stylesheets: {remote}"


@pytest.mark.parametrize("page", PAGES)
def test_every_image_renders(visits, page):
    empty = [img["src"] for img in visits[page].facts["images"] if img["width"] <= 0]
    assert not empty, f"{page}: images that did not render: {empty}"


@pytest.mark.parametrize("page", PAGES)
def test_chinese_text_renders(visits, page):
    facts = visits[page].facts
    assert facts["cjk_distinct"], (
        f"{page}: Chinese characters ({facts['cjk']}) render as identical boxes: install a CJK font "
        "(apt-get install fonts-wqy-microhei)"
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_table_has_data_rows(visits, page):
    tables = visits[page].facts["tables"]
    if page in PAGES_WITH_TABLES:
        assert tables, f"{page} shows no table"
    empty = [t["id"] or "(unnamed)" for t in tables if t["cells"] == 0]
    assert not empty, f"{page}: tables without data cells: {empty}"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(visits, site, html_root, page):
    links = visits[page].facts["internal"]
    assert links, f"{page} has no internal links (not even the navigation)"
    broken = broken_links(links, site, html_root)
    assert not broken, f"{page}: broken internal links: {broken}"


@pytest.mark.parametrize("page", PAGES)
def test_citation_links_resolve(visits, site, html_root, page):
    broken = broken_links(visits[page].facts["citations"], site, html_root)
    assert not broken, f"{page}: citations that lead nowhere: {broken}"


def test_the_book_cites_into_its_bibliography(visits):
    assert any(visit.facts["citations"] for visit in visits.values()), "no page links a citation to references.html"


@pytest.mark.parametrize("page", PAGES)
def test_maths_is_typeset_by_the_local_mathjax(visits, site, page):
    facts = visits[page].facts
    assert not facts["unrendered"], f"{page}: maths left untypeset: {facts['unrendered']}"
    assert not facts["mjx_errors"], f"{page}: MathJax errors: {facts['mjx_errors']}"
    if facts["math"]:
        mathjax = [s for s in facts["scripts"] if "mathjax" in s.lower()]
        assert mathjax and all(s.startswith(site) for s in mathjax), f"{page}: MathJax not served locally: {mathjax}"


def test_the_model_chapter_shows_typeset_equations(visits, site):
    visit = visits[MATH_PAGE]
    assert visit.facts["mjx"] > 0, f"{MATH_PAGE} has no MathJax output"
    assert any(u.startswith(site) and "mathjax" in u.lower() for u in visit.requested)
    assert any(u.startswith(site) and u.endswith(".woff") for u in visit.requested), "MathJax fonts not served"


def test_the_local_mathjax_ships_with_its_licence(html_root):
    """MathJax is Apache-2.0: a site that serves its files must carry its licence."""
    licence = html_root / "_static" / "mathjax" / "LICENSE"
    assert licence.is_file() and "Apache License" in licence.read_text(encoding="utf-8")
    assert (html_root / "_static" / "mathjax" / "tex-chtml.js").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_download_buttons_serve_the_sources(visits, site, page):
    downloads = visits[page].facts["downloads"]
    suffixes = {Path(urlsplit(u).path).suffix for u in downloads}
    expected = {".md", ".ipynb"} if is_notebook(page) else {".md"}
    assert expected <= suffixes, f"{page}: download buttons {sorted(suffixes)}, expected {sorted(expected)}"
    for url in downloads:
        assert url.startswith(site), url
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200, url
            body = response.read()
        if url.endswith(".ipynb"):
            assert json.loads(body)["cells"], f"{url} is an empty notebook"
        else:
            assert body.strip(), f"{url} is empty"


def test_the_site_root_leads_to_the_first_page(reader):
    reader.open("")
    reader.page.wait_for_url(f"**/{PAGES[0]}.html", timeout=10_000)


@pytest.mark.parametrize("term", sorted(SEARCH_TERMS))
def test_search_finds_the_results_chapter(reader, site, term):
    visit = reader.open(f"search.html?q={term}")
    reader.page.wait_for_selector("#search-results .search-summary", timeout=15_000)
    hits = reader.page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    assert not visit.blocked and not visit.console_errors, (visit.blocked, visit.console_errors)
    assert f"{site}{SEARCH_TERMS[term]}.html" in [urldefrag(h)[0] for h in hits], f"{term!r} hits: {hits}"


def test_light_dark_switch(reader):
    reader.open(f"{PAGES[0]}.html")
    page = reader.page
    state = (
        "() => [document.documentElement.dataset.theme, document.documentElement.dataset.mode,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    seen = [page.evaluate(state)]
    for _ in range(3):
        page.locator(".theme-switch-button:visible").first.click()
        seen.append(page.evaluate(state))
    themes = {theme for theme, _, _ in seen}
    assert {"light", "dark"} <= themes, seen
    light = next(bg for theme, _, bg in seen if theme == "light")
    dark = next(bg for theme, _, bg in seen if theme == "dark")
    assert light != dark, f"the background does not change with the theme: {seen}"
    assert len({mode for _, mode, _ in seen}) >= 2, seen
    assert not reader.visit.console_errors, reader.visit.console_errors


@pytest.mark.parametrize("page", sorted(SCREENSHOTS))
def test_screenshots_saved(visits, html_root, page):
    from PIL import Image

    shot = html_root.parent / "screenshots" / SCREENSHOTS[page]
    with Image.open(shot) as image:
        width, height = image.size
    assert width >= 1000 and height >= 600, (shot, image.size)
