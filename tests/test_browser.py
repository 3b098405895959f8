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
    tables: [...document.querySelectorAll('table')].filter(t => !t.closest('.dt-scroll-head, .dt-scroll-foot'))
      .map(t => ({
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


#: Scroll to each interactive table and to the first formula and back to the top, as a reader would (their
#: libraries load when a reader comes near); true if the page has any.
NEAR_LAZY_PARTS = """async () => {
  const formula = document.querySelector('.math');
  const views = [...document.querySelectorAll('.rs-interactive'), ...(formula ? [formula] : [])];
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (const view of views) { view.scrollIntoView(); await frame(); }
  scrollTo(0, 0);
  await frame();
  return views.length > 0;
}"""
#: The libraries loaded on the way: MathJax started where there are formulas, the interactive tables shown
#: (not on paper, where their static copies stand in) drawn.
LAZY_PARTS_LOADED = """() => (!document.querySelector('.math')
    || (window.MathJax && MathJax.startup && MathJax.startup.promise))
  && [...document.querySelectorAll('.rs-interactive')].filter(view => view.getClientRects().length)
    .every(view => view.querySelector('table.dataTable tbody tr'))"""


class Reader:
    """One Chromium page that only reaches the local server; records errors, failures and blocked hosts."""

    def __init__(self, browser, site: str, viewport: dict | None = None, color_scheme: str = "light"):
        self.site = site
        viewport = viewport or {"width": 1280, "height": 900}
        self.context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.visit: Visit | None = None
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self._record("console_errors", f"uncaught: {exc}"))
        self.page.on("requestfailed", lambda req: self._record("failed", f"{req.url} ({req.failure})"))
        self.page.on("response", self._response)
        self.pending: set = set()
        self.page.on("request", lambda req: self.pending.add(req))
        self.page.on("requestfinished", lambda req: self.pending.discard(req))
        self.page.on("requestfailed", lambda req: self.pending.discard(req))

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
        if self.page.evaluate(NEAR_LAZY_PARTS):
            self.page.wait_for_function(LAZY_PARTS_LOADED, timeout=30_000)
        self.visit.facts = self.page.evaluate(COLLECT)
        self.settle()
        return self.visit

    def settle(self, timeout_ms: int = 20_000) -> None:
        """Wait until no request of the page is pending (the ``networkidle`` of a page that has loaded more)."""
        waited = 0
        while self.pending and waited < timeout_ms:
            self.page.wait_for_timeout(100)
            waited += 100

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


# ================================================================ readers on every device (issue 15)
#
# A phone (390 px), a tablet (800 px) and a desktop (1366 px) open the book. Screenshots of the phone and
# tablet views are saved under _build/screenshots/ as <device>-<what>.png.

DEVICES = {"phone": (390, 844), "tablet": (800, 1024), "desktop": (1366, 900)}
NAV_PAGE = RESULTS_PAGE
AUDIT_PAGE = "chapters/audit"
AUDIT_TABLE = "#rs-tbl-audit-table"
SHOT_PAGES = {"chapters/data_sample": "#tbl-table1", "chapters/reconstruction": "#tbl-rc-targets"}
FIGURE_SHOTS = {"chapters/results", "chapters/robustness"}


@pytest.fixture(scope="session", params=list(DEVICES))
def device(request, browser, site):
    width, height = DEVICES[request.param]
    opened = Reader(browser, site, {"width": width, "height": height})
    opened.name = request.param
    yield opened
    opened.close()


def shot(device, html_root: Path, what: str, full_page: bool = False) -> None:
    """Save the device's current view as _build/screenshots/<device>-<what>.png (phone and tablet only)."""
    if device.name in ("phone", "tablet"):
        folder = html_root.parent / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        device.page.screenshot(path=str(folder / f"{device.name}-{what}.png"), full_page=full_page)


WAIT_FOR_TABLES = """() => [...document.querySelectorAll('.rs-interactive')]
    .every(view => view.querySelector('table.dataTable tbody tr'))"""


def open_settled(device, page: str):
    """Open ``page``, wait for MathJax, images and interactive tables, and for the page's scripts to settle."""
    visit = device.open(f"{page}.html")
    device.page.wait_for_function(WAIT_FOR_TABLES, timeout=20_000)
    device.page.wait_for_timeout(200)
    return visit


@pytest.mark.parametrize(
    ("kind", "dialog", "content"),
    [
        ("primary", "#pst-primary-sidebar-modal", ".bd-links a.reference"),
        ("secondary", "#pst-secondary-sidebar-modal", ".page-toc a.nav-link"),
    ],
)
def test_sidebar_toggles_open_their_panels_on_phone_and_tablet(device, html_root, kind, dialog, content):
    """The ☰ (site navigation) and Contents buttons each open their panel as a dialog with its links."""
    if device.name == "desktop":
        pytest.skip("the desktop shows both sidebars; see test_primary_toggle_collapses_the_sidebar_on_the_desktop")
    visit = open_settled(device, NAV_PAGE)
    page = device.page
    toggle = page.locator(f".{kind}-toggle:visible")
    assert toggle.count() == 1, f"{device.name}: {toggle.count()} visible {kind} toggles"
    toggle.click()
    page.wait_for_function(f"document.querySelector('{dialog}').open", timeout=5_000)
    links = page.locator(f"{dialog} {content}:visible")
    assert links.count() >= 3, f"{device.name}: the {kind} panel shows {links.count()} links"
    shot(device, html_root, f"{kind}-sidebar")
    page.keyboard.press("Escape")
    page.wait_for_function(f"!document.querySelector('{dialog}').open", timeout=5_000)
    assert not visit.console_errors, visit.console_errors


def test_primary_toggle_collapses_the_sidebar_on_the_desktop(device):
    if device.name != "desktop":
        pytest.skip("desktop only")
    open_settled(device, NAV_PAGE)
    page = device.page
    state = """() => { const s = document.querySelector('#pst-primary-sidebar');
        return [getComputedStyle(s).visibility, s.classList.contains('pst-sidebar-hidden'),
                document.querySelector('#pst-primary-sidebar-modal').open,
                Math.round(document.querySelector('.bd-article').getBoundingClientRect().left)]; }"""
    before = page.evaluate(state)
    assert before[:3] == ["visible", False, False], before
    page.locator(".primary-toggle:visible").click()
    page.wait_for_timeout(600)
    collapsed = page.evaluate(state)
    assert collapsed[:3] == ["hidden", True, False], collapsed
    assert collapsed[3] < before[3], f"the text did not take the sidebar's room: {before} -> {collapsed}"
    page.locator(".primary-toggle:visible").click()
    page.wait_for_timeout(600)
    assert page.evaluate(state)[:3] == ["visible", False, False]


CLIPPING = """() => {
  const problems = [];
  const article = document.querySelector('.bd-article').getBoundingClientRect();
  const name = el => (el.closest('[id]') || {}).id || el.tagName.toLowerCase();
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  if (document.scrollingElement.scrollWidth > innerWidth + 1)
    problems.push(`the page scrolls sideways (${document.scrollingElement.scrollWidth} > ${innerWidth})`);
  const items = [...document.querySelectorAll('.bd-article table, .bd-article mjx-container[display="true"]')]
    .filter(el => shown(el) && !el.closest('.dtsp-panesContainer, .dt-scroll-head, .dt-scroll-foot'));
  for (const el of items) {
    const isTable = el.tagName === 'TABLE';
    const box = !isTable ? el : (el.closest('.pst-scrollable-table-container')
      || (el.closest('.dt-scroll') && el.closest('.dt-scroll').querySelector('.dt-scroll-body'))
      || el.closest('.cell_output .output.text_html'));
    const what = `${isTable ? 'table' : 'equation'} ${name(el)}`;
    const r = (box || el).getBoundingClientRect();
    if (r.right > article.right + 1 || r.left < article.left - 1) {
      problems.push(`${what} sticks out of the text column (${Math.round(r.left)}-${Math.round(r.right)} vs ` +
                    `${Math.round(article.left)}-${Math.round(article.right)})`);
      continue;
    }
    if (!box) continue;
    if (box.scrollWidth <= box.clientWidth + 1) {
      if (isTable && el.getBoundingClientRect().width > box.clientWidth + 1) problems.push(`${what} is cut off`);
      continue;
    }
    if (!['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      problems.push(`${what} is cut off`);
      continue;
    }
    if (!box.classList.contains('rs-overflowing')) problems.push(`${what} scrolls without a cue`);
    if (!isTable) continue;
    const cue = box.rsCue;
    if (!cue || cue.hidden || !shown(cue)) problems.push(`${what} scrolls but its cue is not shown`);
    const pinned = box.matches('.pst-scrollable-table-container, .dt-scroll-body');
    const first = pinned ? el.querySelector('tbody tr > :first-child') : null;
    if (first && getComputedStyle(first).position !== 'sticky')
      problems.push(`${what}: the first column is not pinned`);
    box.scrollLeft = box.scrollWidth;
    const inside = node => { const n = node.getBoundingClientRect(), b = box.getBoundingClientRect();
                             return n.left >= b.left - 1 && n.right <= b.right + 1; };
    const caption = el.querySelector(':scope > caption');
    if (caption && !inside(caption)) problems.push(`${what}: the caption scrolls away with the table`);
    const headings = el.querySelectorAll('thead th');
    const last = headings[headings.length - 1];
    if (last && !inside(last)) problems.push(`${what}: the last column cannot be scrolled into view`);
    if (first && !inside(first)) problems.push(`${what}: the pinned first column scrolls away`);
    box.scrollLeft = 0;
  }
  return problems;
}"""


@pytest.mark.parametrize("page", PAGES)
def test_no_table_or_equation_is_clipped(device, html_root, page):
    """Every table and display equation fits the text column, or scrolls sideways in its own box with a
    visible cue; a scrolling table keeps its first column and its caption in view, and its last column can
    be scrolled into view. The page itself never scrolls sideways."""
    visit = open_settled(device, page)
    problems = device.page.evaluate(CLIPPING)
    assert not problems, f"{device.name} ({DEVICES[device.name][0]} px), {page}: {problems}"
    assert not visit.console_errors, visit.console_errors
    if page in SHOT_PAGES:
        device.page.locator(SHOT_PAGES[page]).first.evaluate("el => { el.scrollIntoView(); scrollBy(0, -70); }")
        device.page.wait_for_timeout(200)
        shot(device, html_root, page.split("/")[-1])


@pytest.mark.parametrize("page", PAGES)
def test_no_chinese_page_scrolls_or_clips_either(device, page):
    """The Chinese edition's pages at the same widths: its header carries "English" in the switch, its tables
    and equations Chinese text."""
    visit = open_settled(device, f"zh_CN/{page}")
    problems = device.page.evaluate(CLIPPING)
    assert not problems, f"{device.name} ({DEVICES[device.name][0]} px), zh_CN/{page}: {problems}"
    assert not visit.console_errors, visit.console_errors


IMAGES = """() => [...document.querySelectorAll('.bd-article img')].map(img => ({
  src: img.currentSrc || img.src, alt: img.alt, natural: img.naturalWidth,
  displayed: img.getBoundingClientRect().width,
  caption: ((img.closest('figure') || {querySelector: () => null}).querySelector('figcaption .caption-text')
            || {textContent: ''}).textContent.replace(/\\s+/g, ' ').trim()}))"""
FILE_NAME = re.compile(r"^\S*\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


#: The smallest figure text a reader is shown, in CSS pixels, by device.
MIN_FIGURE_TEXT_PX = {"phone": 9, "tablet": 10, "desktop": 10}


@pytest.mark.parametrize("page", PAGES)
def test_figure_text_is_legible_on_every_device_and_every_image_has_alt_text(device, html_root, page):
    """Rule: a figure is a PNG drawn by ridersurvey.presentation.plots at its PNG's dpi with no text below
    plots.MIN_FONT_PT points (tests/test_plots.py checks both), so its smallest text is
    MIN_FONT_PT * dpi / 72 pixels of the image, shown at displayed / natural width: that must be at least
    9 px on a phone (390 px) and 10 px on the tablet and the desktop.
    Every image's alt text is its caption, never a file name."""
    from PIL import Image

    from ridersurvey.presentation import plots

    open_settled(device, page)
    for image in device.page.evaluate(IMAGES):
        assert image["alt"].strip() and not FILE_NAME.match(image["alt"]), f"{page}: alt text {image['alt']!r}"
        if image["caption"]:
            assert image["alt"] == image["caption"], (image["alt"], image["caption"])
        assert image["displayed"] > 0 and image["natural"] > 0, image
        path = html_root / urlsplit(image["src"]).path.lstrip("/")
        with Image.open(path) as png:
            dpi = round(png.info["dpi"][0])
        smallest = plots.MIN_FONT_PT * dpi / 72 * image["displayed"] / image["natural"]
        assert smallest >= MIN_FIGURE_TEXT_PX[device.name], (
            f"{device.name}, {page}: {Path(path).name} drawn {image['natural']} px wide at {dpi} dpi, shown "
            f"{image['displayed']:.0f} px wide: its smallest text is {smallest:.1f} px"
        )
    if device.name == "phone" and page in FIGURE_SHOTS:
        device.page.locator(".bd-article figure img").first.evaluate("el => { el.scrollIntoView(); scrollBy(0, -70); }")
        device.page.wait_for_timeout(200)
        shot(device, html_root, f"figure-{page.split('/')[-1]}")


AUDIT_STATE = f"""() => {{
  const table = document.querySelector('{AUDIT_TABLE}');
  const heads = [...table.closest('.dt-scroll').querySelectorAll('.dt-scroll-head thead th')]
    .map(th => th.textContent.trim());
  const rows = [...table.querySelectorAll('tbody tr')].filter(tr => !tr.querySelector('td.dt-empty'))
    .map(tr => [...tr.cells].map(td => td.textContent.trim()));
  return {{heads, rows, info: document.querySelector('.rs-interactive .dt-info').textContent,
          total: document.querySelectorAll('.rs-print-copy tbody tr').length}};
}}"""


def test_audit_table_filters_searches_and_sorts(device, html_root):
    """The full audit opens on the findings, filters by verdict and by part of the paper, searches, sorts."""
    visit = open_settled(device, AUDIT_PAGE)
    page = device.page
    page.evaluate("() => document.querySelector('.rs-interactive').scrollIntoView()")
    page.select_option(".rs-interactive .dt-length select", label="100")
    state = page.evaluate(AUDIT_STATE)
    total, heads = state["total"], state["heads"]
    verdict, where = heads.index("Verdict"), heads.index("Where")
    assert total >= 100, f"the static copy holds {total} rows"
    assert state["rows"] and all(row[verdict] != "reproduced" for row in state["rows"]), state["rows"][:3]
    assert f"filtered from {total} total" in state["info"], state["info"]
    shot(device, html_root, "audit")

    page.locator(".rs-interactive .dtsp-clearAll").click()
    page.wait_for_timeout(300)
    state = page.evaluate(AUDIT_STATE)
    assert "filtered" not in state["info"] and f"of {total} entries" in state["info"], state["info"]

    panes = page.locator(".rs-interactive .dtsp-searchPane")
    panes.nth(1).locator("tbody tr", has_text="Table 3").first.click()
    page.wait_for_timeout(300)
    rows = page.evaluate(AUDIT_STATE)["rows"]
    assert rows and {row[where] for row in rows} == {"Table 3"}, {row[where] for row in rows}

    page.locator(".rs-interactive .dtsp-clearAll").click()
    page.locator(".rs-interactive .dt-search input").fill("marital")
    page.wait_for_timeout(300)
    rows = page.evaluate(AUDIT_STATE)["rows"]
    assert rows and all("marital" in " ".join(row).lower() for row in rows), rows[:2]

    page.locator(".rs-interactive .dt-search input").fill("")
    page.wait_for_timeout(300)
    unsorted = [row[heads.index("Published number")] for row in page.evaluate(AUDIT_STATE)["rows"]]
    heading = page.locator(".rs-interactive .dt-scroll-head thead th", has_text="Published number")
    heading.locator(".dt-column-order").click()  # itables sorts from the arrows beside the heading
    page.wait_for_timeout(300)
    column = heads.index("Published number")
    shown = [row[column] for row in page.evaluate(AUDIT_STATE)["rows"]]
    assert len(shown) == 100, len(shown)
    initials = [text[:1].casefold() for text in shown]
    assert initials == sorted(initials) and shown != unsorted, f"not sorted by the heading clicked: {shown[:5]}"
    assert not visit.console_errors, visit.console_errors


def test_audit_table_prints_every_row(reader):
    """On paper (print media, as tools/make_pdf.py prints) the static copy shows every row and the
    interactive view is hidden."""
    reader.open(f"{AUDIT_PAGE}.html")
    page = reader.page
    page.wait_for_function(WAIT_FOR_TABLES, timeout=20_000)
    page.emulate_media(media="print")
    try:
        rows = page.locator(".rs-print-copy tbody tr:visible").count()
        assert rows == page.locator(".rs-print-copy tbody tr").count() >= 100
        assert page.locator(".rs-interactive:visible").count() == 0
    finally:
        page.emulate_media(media="screen")
    assert page.locator(".rs-print-copy tbody tr:visible").count() == 0
    assert page.locator(".rs-print-copy caption:visible").count() == 1, "the caption heads the interactive view"


def test_one_search_box_at_every_width(device):
    open_settled(device, NAV_PAGE)
    controls = device.page.locator(".search-button-field:visible, .search-button:visible")
    assert controls.count() == 1, f"{device.name}: {controls.count()} search controls in view"


EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")


@pytest.mark.parametrize("page", PAGES)
def test_no_emoji_that_a_plain_system_draws_as_a_box(reader, page):
    reader.open(f"{page}.html")
    text = reader.page.evaluate("() => document.body.innerText")
    assert not EMOJI.findall(text), f"{page}: {sorted(set(EMOJI.findall(text)))}"


def test_the_book_has_a_favicon(reader, site):
    reader.open(f"{NAV_PAGE}.html")
    href = reader.page.eval_on_selector('link[rel="icon"]', "l => l.href")
    assert href.startswith(site)
    with urllib.request.urlopen(href, timeout=10) as response:
        assert response.status == 200 and b"<svg" in response.read()


def test_the_footer_and_the_download_menu_link_the_whole_book_pdf_exactly_when_it_exists(reader, html_root):
    """`make pdf` publishes book.pdf into the HTML build; until then neither the footer nor the download menu
    shows a link to it."""
    downloads = json.loads((html_root / "_static" / "rs-downloads.json").read_text(encoding="utf-8"))
    reader.open(f"{NAV_PAGE}.html")
    note = reader.page.locator(".rs-book-pdf-note")
    reader.page.wait_for_timeout(300)
    menu_entry = reader.page.locator(".dropdown-download-buttons .btn-download-book-pdf-button")
    assert menu_entry.count() == 1, "the download menu has no entry for the whole book"
    reader.page.locator(".dropdown-download-buttons .dropdown-toggle").click()
    reader.page.wait_for_timeout(300)
    if downloads["book_pdf"]:
        assert note.is_visible() and menu_entry.is_visible()
        with urllib.request.urlopen(note.locator("a").evaluate("a => a.href"), timeout=10) as response:
            assert response.read().startswith(b"%PDF-")
        with reader.page.expect_popup() as popup:
            menu_entry.click()
        assert popup.value.url == note.locator("a").evaluate("a => a.href")
        popup.value.close()
    else:
        assert not (html_root / "book.pdf").exists()
        assert note.count() == 1 and not note.is_visible() and not menu_entry.is_visible()
    reader.page.keyboard.press("Escape")


CAPTION_NUMBER = re.compile(
    r'<span class="caption-number">([^<]*)</span>\s*<span class="caption-text">(.*?)</span>', re.S
)


def test_no_table_or_figure_of_the_book_is_numbered_like_the_papers(html_root):
    """The paper has Tables 1-3: the book's own tables and figures are never "Table 1", "Table 2" or
    "Table 3" (the introduction's are 0.x, the chapters' N.x, the appendices' A.x ...), and a caption that
    names one of the paper's tables says it is the paper's."""
    seen = {}
    for page in PAGES:
        for number, text in CAPTION_NUMBER.findall((html_root / f"{page}.html").read_text(encoding="utf-8")):
            seen[number.strip()] = page
            plain = re.sub(r"<[^>]+>", "", text).replace("\u2019", "'")
            bare = re.sub(r"paper's Table [1-3]|\bTable [1-3] of the paper", "", plain)
            assert not re.search(r"\bTable [1-3]\b", bare), f"{page}: {number} says a bare Table N: {plain!r}"
    clashing = {n: p for n, p in seen.items() if re.fullmatch(r"(Table|Fig\.|Figure) [1-3]", n)}
    assert not clashing, clashing
    assert "Table 0.1" in seen and any(n.startswith("Table A.") for n in seen), sorted(seen)


def test_the_bibliography_is_author_year_with_titles_as_printed(reader):
    reader.open("chapters/references.html")
    entries = reader.page.eval_on_selector_all(
        ".citation-list .citation",
        "cs => cs.map(c => [c.querySelector('p').innerText, c.querySelector('.label').getBoundingClientRect().width])",
    )
    assert len(entries) >= 10
    for text, label_width in entries:
        assert re.match(r"^[^()]+ \((\d{4}|n\.d\.)\)\. ", text), text
        assert label_width <= 1, f"a numbered or keyed label is shown: {text[:40]}"
    assert any(
        text.startswith("Wu, Chengzhuo (2023). 灵活就业者参与职业伤害险情况及影响因素的实证分析")
        and "[Participation of Flexible Employees" in text
        and "12(10)" in text
        for text, _ in entries
    )
    surnames = [text.split(",")[0].split(" (")[0].casefold() for text, _ in entries]
    assert surnames == sorted(surnames), "entries are sorted by author"


# ================================================================ contrast in both themes (issue 23)

#: WCAG 2 contrast of every visible piece of text (an input's placeholder included) against the background
#: it is drawn on (the colours of its ancestors and their inset box-shadows, composited): the ratios that
#: fall below AA (4.5:1; 3:1 for large text), and the text of those checked. Disabled controls are exempt.
CONTRAST = """(root) => {
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = el => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none' && !style.backgroundImage.startsWith('url(')) return null;
      const shadow = style.boxShadow.match(/(rgba?\\([^)]+\\))[^,]*\\b\\d{3,}px inset/);
      if (shadow) { const c = parse(shadow[1]); if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
      const c = parse(style.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const channel = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const failures = [], unmeasured = [];
  const checked = [];
  for (const el of document.querySelectorAll(root)) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim());
    if (!own && !['INPUT', 'SELECT'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || style.visibility === 'hidden' || +style.opacity === 0) continue;
    if (el.matches(':disabled, .disabled, .dtsp-disabledButton')) continue;
    const bg = background(el);
    const placeholder = el.tagName === 'INPUT' && !el.value && el.placeholder;
    const text = (el.value || placeholder || el.textContent || '').trim().slice(0, 40);
    if (!bg) { unmeasured.push(text); continue; }
    const fg = over(parse(placeholder ? getComputedStyle(el, '::placeholder').color : style.color), bg);
    const size = parseFloat(style.fontSize), bold = +style.fontWeight >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const r = ratio(fg, bg);
    checked.push(text);
    const what = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${text}"`;
    if (r < need) failures.push(`${what}: ${r.toFixed(2)} < ${need} (${fg.map(Math.round)} on ${bg.map(Math.round)})`);
  }
  return {checked, failures, unmeasured};
}"""


@pytest.fixture(scope="session", params=["light", "dark"])
def themed(request, browser, site):
    opened = Reader(browser, site, {"width": 1366, "height": 900}, color_scheme=request.param)
    opened.name = request.param
    yield opened
    opened.close()


@pytest.mark.parametrize("page", PAGES)
def test_text_contrast_meets_wcag_aa_in_both_themes(themed, page):
    """Every text, control and table, the interactive audit table and its filter panes included, meets AA
    contrast in the light and the dark theme (the theme follows the reader's system setting)."""
    visit = themed.open(f"{page}.html")
    themed.page.wait_for_function(WAIT_FOR_TABLES, timeout=20_000)
    assert themed.page.evaluate("() => document.documentElement.dataset.theme") == themed.name
    result = themed.page.evaluate(CONTRAST, "body *")
    assert len(result["checked"]) > 50, result["checked"]
    assert not result["unmeasured"], f"{themed.name}, {page}: text on a gradient: {result['unmeasured']}"
    assert not result["failures"], f"{themed.name}, {page}: {result['failures']}"
    if page == AUDIT_PAGE:
        controls = {"Clear All", "Collapse All", "Verdict", "Where"}
        assert controls <= set(result["checked"]), controls - set(result["checked"])
    assert not visit.console_errors, visit.console_errors


def test_the_home_page_shows_the_books_title_and_version_at_every_width(device, html_root):
    """The title, version and release date come from CITATION.cff and head the home page on every device."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    visit = open_settled(device, PAGES[0])
    page = device.page
    title = page.locator(".rs-book-title__name")
    assert title.is_visible(), f"{device.name}: the book's title is not shown"
    assert " ".join(title.inner_text().split()) == cff["title"]
    box = title.bounding_box()
    width, height = DEVICES[device.name]
    assert 0 <= box["x"] and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height / 2, box
    version = page.locator(".rs-book-title__version").inner_text()
    assert f"Version {cff['version']}, released {cff['date-released']}" in " ".join(version.split())
    head = page.locator(".rs-book-title").bounding_box()
    heading = page.locator("article h1").first.bounding_box()
    assert head["y"] + head["height"] <= heading["y"], f"{device.name}: the title block overlaps the page's heading"
    shot(device, html_root, "home")
    assert not visit.console_errors, visit.console_errors


#: In print (A4 at tools/make_pdf.py's 12 mm side margins: 703 CSS px; a landscape page 1032 px), after the
#: page's own beforeprint handler: the tables, code blocks and display equations that do not fit their page.
PRINT_CLIPPING = """() => {
  const problems = [];
  const name = el => (el.closest('[id]') || {}).id || el.tagName.toLowerCase();
  const shown = el => el.getClientRects().length > 0;
  const left = document.querySelector('.bd-article').getBoundingClientRect().left;
  for (const el of document.querySelectorAll('.bd-article table, .bd-article pre, mjx-container[display="true"]')) {
    if (!shown(el) || el.closest('.rs-interactive')) continue;
    const page = el.closest('.rs-print-landscape') ? 1032 : 703;
    const right = el.getBoundingClientRect().right - left;
    const hidden = el.tagName === 'PRE' ? el.scrollWidth - el.clientWidth : 0;
    const what = `${el.tagName.toLowerCase()} ${name(el)}`;
    if (right > page + 1 || hidden > 1) problems.push(`${what}: ${Math.round(right)} px`);
  }
  return problems;
}"""


@pytest.fixture(scope="session")
def printer(browser, site):
    opened = Reader(browser, site, {"width": 703, "height": 1000})
    opened.page.emulate_media(media="print")
    yield opened
    opened.close()


@pytest.mark.parametrize("page", PAGES)
def test_printing_one_page_cuts_nothing_off(printer, page):
    """The theme's ".pdf" button prints the page: every table, code block and equation fits the paper."""
    visit = printer.open(f"{page}.html")
    printer.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    problems = printer.page.evaluate(PRINT_CLIPPING)
    assert not problems, f"{page}: cut off in print: {problems}"
    assert not visit.console_errors, visit.console_errors


def test_the_interactive_tables_library_is_loaded_once_from_a_static_file(visits, site, html_root):
    """No page inlines the DataTables bundle; a page with an interactive table loads it from _static."""
    from ridersurvey.presentation.interactive import LIBRARY_MARKERS

    for page in PAGES:
        text = (html_root / f"{page}.html").read_text(encoding="utf-8")
        assert LIBRARY_MARKERS[0] not in text and "injectModule(" not in text, f"{page} inlines the library"
    requested = visits[AUDIT_PAGE].requested
    assert f"{site}_static/itables/dt_bundle.js" in requested and f"{site}_static/itables/dt_bundle.css" in requested
    assert (html_root / f"{AUDIT_PAGE}.html").stat().st_size < 1_000_000


# ================================================================ accessibility (issue 23)

AXE = ROOT / "tools" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core's rules, with label-content-name-mismatch (experimental in axe-core 4.10) switched on.
AXE_RUN = """async () => (await axe.run(document, {
  resultTypes: ['violations'], rules: {'label-content-name-mismatch': {enabled: true}}
})).violations.filter(v => ['critical', 'serious'].includes(v.impact))
  .map(v => `${v.impact} ${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join('; ')}`)"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core as pinned in tools/npm/package.json (``make npm-deps`` installs it)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make npm-deps)")
    pinned = json.loads((ROOT / "tools" / "npm" / "package.json").read_text(encoding="utf-8"))["dependencies"]
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned["axe-core"], f"axe-core {installed} installed, {pinned['axe-core']} pinned"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dark_phone(browser, site):
    opened = Reader(browser, site, {"width": DEVICES["phone"][0], "height": DEVICES["phone"][1]}, "dark")
    opened.name = "dark phone"
    yield opened
    opened.close()


def serious_violations(reader, axe_source: str, page: str) -> list[str]:
    """axe-core's critical and serious violations on ``page`` once its scripts have settled."""
    reader.open(f"{page}.html")
    reader.page.wait_for_function(WAIT_FOR_TABLES, timeout=20_000)
    reader.page.wait_for_timeout(200)
    reader.page.add_script_tag(content=axe_source)
    return reader.page.evaluate(AXE_RUN)


@pytest.mark.parametrize("page", PAGES)
def test_no_critical_or_serious_accessibility_violations(device, axe_source, page):
    violations = serious_violations(device, axe_source, page)
    assert not violations, f"{device.name}, {page}: {violations}"


@pytest.mark.parametrize("page", PAGES)
def test_no_critical_or_serious_accessibility_violations_in_dark_mode(dark_phone, axe_source, page):
    violations = serious_violations(dark_phone, axe_source, page)
    assert dark_phone.page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert not violations, f"dark mode, {page}: {violations}"


# ================================================================ page weight (issue 23, item 4)


def test_the_theme_icons_are_drawn_without_the_font_awesome_library(visits, site):
    """Every page draws its icons (☰, search, download, theme switch, ...) as inline SVG from the book's
    small icon script, and never fetches Font Awesome's 1.5 MB library."""
    for page, visit in visits.items():
        assert not [u for u in visit.requested if u.endswith("fontawesome.js")], f"{page} loads Font Awesome"
    reader_page = visits[PAGES[0]]
    assert f"{site}_static/rs-icons.js" in reader_page.requested


def test_every_icon_is_drawn(reader):
    reader.open(f"{PAGES[0]}.html")
    drawn = reader.page.evaluate(
        """() => ({left: [...document.querySelectorAll(":is(i, span)[class*='fa-']")].map(i => i.className),
                   svgs: [...document.querySelectorAll('svg.svg-inline--fa')].filter(s => s.querySelector('path[d]'))
                     .map(s => s.dataset.icon)})"""
    )
    assert not drawn["left"], f"icons not drawn: {drawn['left']}"
    assert {"bars", "magnifying-glass", "download", "github", "sun", "moon"} <= set(drawn["svgs"]), drawn["svgs"]


def test_the_interactive_tables_library_waits_until_a_reader_comes_near(reader, site):
    """Opening the audit page fetches no DataTables bundle while its table is screens away; scrolling to the
    table loads it and the table becomes interactive."""
    reader.visit = Visit(url=f"{site}{AUDIT_PAGE}.html")
    reader.page.goto(reader.visit.url, wait_until="networkidle")
    assert not [u for u in reader.visit.requested if "/itables/dt_bundle" in u]
    reader.page.evaluate("() => document.querySelector('.rs-interactive').scrollIntoView()")
    reader.page.wait_for_function(WAIT_FOR_TABLES, timeout=20_000)
    assert f"{site}_static/itables/dt_bundle.js" in reader.visit.requested


def test_mathjax_waits_until_a_reader_comes_near_a_formula(reader, site):
    """The audit page's formulas are screens below its top: opening it runs no MathJax; scrolling to the first
    formula loads the book's own copy, which typesets them."""
    reader.visit = Visit(url=f"{site}{AUDIT_PAGE}.html")
    reader.page.goto(reader.visit.url, wait_until="networkidle")
    assert not [u for u in reader.visit.requested if "/mathjax/" in u]
    reader.page.evaluate("() => document.querySelector('.math').scrollIntoView()")
    reader.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000)
    reader.page.evaluate("async () => { await MathJax.startup.promise; }")
    assert f"{site}_static/mathjax/tex-chtml.js" in reader.visit.requested
    assert reader.page.locator("mjx-container").count() > 0


def test_figures_load_lazily_in_the_html_pages(html_root):
    for page in PAGES:
        images = re.findall(r"<img [^>]*>", (html_root / f"{page}.html").read_text(encoding="utf-8"))
        figures = [tag for tag in images if "/_images/" in tag or 'src="_images/' in tag]
        eager = [tag[:120] for tag in figures if 'loading="lazy"' not in tag]
        assert not eager, f"{page}: figures loaded eagerly: {eager}"
