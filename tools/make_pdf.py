"""Print the whole book to one PDF per edition: ``make pdf`` writes ``_build/pdf/book.pdf`` (English) and
``_build/pdf/book.zh_CN.pdf`` (Chinese).

Each edition is built once more with Sphinx's ``singlehtml`` builder (``python -m bookbuild --builder
singlehtml``; the environment of ``make book`` is reused, so no chapter runs again), served from a local HTTP
server, and printed by headless Chromium with every other host blocked, so the PDF shows exactly what the
offline HTML book shows. ``--language`` prints one edition only.
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from bookbuild.book_pdf import PDF_NAME, pdf_file, publish_pdf
from bookbuild.i18n import EDITIONS, SOURCE_LANGUAGE, edition_prefix

ROOT = Path(__file__).resolve().parents[1]
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
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def build_singlehtml(root: Path = ROOT, language: str = SOURCE_LANGUAGE) -> Path:
    """Build one edition as one HTML page and return that page (:func:`single_page`).

    Warnings are errors, as for the HTML book; the root document named in ``_toc.yml`` holds every chapter.
    """
    command = [sys.executable, "-m", "bookbuild", str(root), "--builder", "singlehtml", "-W", "-n", "--keep-going"]
    proc = subprocess.run([*command, "--language", language], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise RuntimeError(f"singlehtml exit {proc.returncode}:\n{tail}")
    return single_page(root, language)


def single_page(root: Path = ROOT, language: str = SOURCE_LANGUAGE) -> Path:
    """The singlehtml book of an edition as ``book.html`` in its output (``_build/singlehtml``,
    ``_build/<language>/singlehtml``).

    Sphinx writes the one page under the root document's name (``chapters/intro.html``) but with links
    relative to the output's top folder, so it only displays correctly from there.
    """
    out = root / "_build" / "singlehtml" if language == SOURCE_LANGUAGE else root / "_build" / language / "singlehtml"
    master = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    written = out / f"{master}.html"
    if not written.is_file():
        raise RuntimeError(f"singlehtml page missing: {written}")
    page = out / "book.html"
    page.write_text(written.read_text(encoding="utf-8"), encoding="utf-8")
    return page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def print_to_pdf(page: Path, pdf: Path, site_root: Path | None = None) -> Path:
    """Open ``page`` (served over local HTTP from ``site_root``, default its folder) in headless Chromium
    and print it to ``pdf``.

    Requests to any other host are refused, and a refused or failed request is an error: the PDF must show
    what the offline book shows. MathJax finishes typesetting before printing.
    """
    from playwright.sync_api import sync_playwright

    site_root = site_root or page.parent
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if url == base + "searchindex.js" and not (site_root / "searchindex.js").exists():
            route.fulfill(body="", content_type="text/javascript")  # the theme asks; singlehtml has no search
        elif url.startswith(base):
            route.continue_()
        else:
            problems.append(f"blocked {url}")
            route.abort("blockedbyclient")

    pdf.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(color_scheme="light")
            context.route("**/*", route)
            tab = context.new_page()
            tab.on("requestfailed", lambda req: problems.append(f"failed {req.url}"))
            tab.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} {r.url}"))
            tab.goto(base + page.relative_to(site_root).as_posix(), wait_until="networkidle")
            tab.evaluate("() => window.MathJax?.startup?.promise?.then(() => 0)")  # awaited: equations typeset
            tab.emulate_media(media="print")
            # the print rules are the book's own (_static/ridersurvey.css): the browser's print of one page
            # gets them too; fitForPrint (_static/ridersurvey.js) gives each wide table its type size or a
            # landscape page
            fitted = tab.evaluate("() => window.ridersurvey.fitForPrint()")
            if problems:
                raise RuntimeError("page load problems:\n" + "\n".join(problems))
            tab.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<div></div>",
                footer_template=FOOTER,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                prefer_css_page_size=False,
            )
            browser.close()
        landscape = sum(t["orientation"] == "landscape" for t in fitted)
        smaller = sum(t["points"] < 8 for t in fitted)
        print("tables:", len(fitted), "landscape:", landscape, "under 8 pt:", smaller)
    finally:
        server.shutdown()
        server.server_close()
    return pdf


def main(argv: list[str] | None = None) -> int:
    """Command line: build each edition's single-page book and print it to a PDF."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=(*EDITIONS, "all"), default="all", help="the edition (%(default)s)")
    parser.add_argument("--no-build", action="store_true", help="print the existing singlehtml build")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("chromium missing: make browser-deps", file=sys.stderr)
        return 2
    for language in EDITIONS if args.language == "all" else [args.language]:
        page = single_page(ROOT, language) if args.no_build else build_singlehtml(ROOT, language)
        pdf = print_to_pdf(page, pdf_file(ROOT, language))
        print(f"wrote {pdf} ({pdf.stat().st_size / 1e6:.1f} MB)")
        html = ROOT / "_build" / "html" / edition_prefix(language)
        if (html / "index.html").is_file() and publish_pdf(html, pdf):
            print(f"linked as {html / PDF_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
