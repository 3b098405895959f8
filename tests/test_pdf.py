"""``make pdf`` prints the whole book in each edition: the PDFs exist and hold every chapter's title."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PDF = ROOT / "_build" / "pdf" / "book.pdf"
SINGLE_PAGE = ROOT / "_build" / "singlehtml" / "book.html"
#: A number as PDF text extraction returns it: a sign, digits, and decimal or thousands separators.
NUMBER = re.compile(r"[\u2212-]?\d+(?:[.,]\d+)*")


def chapter_titles() -> dict[str, str]:
    """Each toc file's first ``# `` heading, by file."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", [toc]) for c in part.get("chapters", [])]
    titles = {}
    for name in files:
        text = (ROOT / f"{name}.md").read_text(encoding="utf-8")
        titles[name] = re.search(r"^# (.+)$", text, flags=re.MULTILINE).group(1).strip()
    return titles


def squash(text: str) -> str:
    """Text without whitespace or hyphenation, casefolded: PDF extraction breaks lines anywhere."""
    return re.sub(r"[\s\u00ad-]+", "", text).casefold()


@pytest.fixture(scope="module")
def pdf(built_book: Path) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser-deps)")
    PDF.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_pdf.py")], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return PDF


def test_pdf_is_written(pdf: Path):
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")


def test_pdf_holds_every_chapter_title(pdf: Path):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    text = squash("\n".join(page.extract_text() or "" for page in reader.pages))
    missing = [f"{name}: {title}" for name, title in chapter_titles().items() if squash(title) not in text]
    assert not missing, f"chapter titles missing from the PDF ({len(reader.pages)} pages): {missing}"
    assert len(reader.pages) >= len(chapter_titles())


def test_pdf_holds_every_row_of_the_full_audit(pdf: Path):
    """The audit's interactive table is for the screen; its static copy prints every row. Each ledger entry's
    description (those in Latin script: PDF text extraction of CJK is unreliable) is in the PDF."""
    from pypdf import PdfReader

    from ridersurvey.data.ledger import load_ledger

    text = squash("\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages).replace("\u2026", "..."))
    quantities = [q for q in load_ledger()["quantity"] if q.isascii()]
    missing = [q for q in quantities if squash(q) not in text]
    assert len(quantities) >= 100
    assert not missing, f"{len(missing)} audit rows missing from the PDF, e.g. {missing[:3]}"


def test_the_html_book_links_the_pdf_once_printed(pdf: Path, built_book: Path):
    """`make pdf` publishes the PDF into the HTML build and the footer's link to it appears."""
    import json

    published = built_book / "book.pdf"
    assert published.read_bytes() == pdf.read_bytes()
    downloads = json.loads((built_book / "_static" / "rs-downloads.json").read_text(encoding="utf-8"))
    assert downloads == {"book_pdf": "book.pdf"}


class _PrintedCells(HTMLParser):
    """The text of every table cell that paper shows: interactive views, scripts and styles left out."""

    VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, bool, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.open.append((tag, "rs-interactive" in classes or tag in ("script", "style"), tag in ("td", "th")))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if any(cell for _, _, cell in self.open) and not any(hidden for _, hidden, _ in self.open):
            self.text.append(data)


def test_no_number_in_a_table_breaks_across_lines(pdf: Path):
    """Every number printed in a table cell of the page the PDF is printed from is whole in the PDF's text.

    A number broken inside its cell ("\u22120.01" over "1") extracts as two lines and so as two other
    numbers: each number of the cells must occur in the PDF's text at least as often as in the cells."""
    from pypdf import PdfReader

    cells = _PrintedCells()
    cells.feed(SINGLE_PAGE.read_text(encoding="utf-8"))
    printed = Counter(NUMBER.findall(" ".join(cells.text)))
    extracted = Counter(NUMBER.findall("\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)))
    assert sum(printed.values()) >= 1000, f"only {sum(printed.values())} numbers found in the tables"
    broken = printed - extracted
    assert not broken, f"{sum(broken.values())} table numbers broken in the PDF, e.g. {list(broken.items())[:10]}"


# --- the Chinese edition's PDF ---------------------------------------------------------------------------


ZH_PDF = ROOT / "_build" / "pdf" / "book.zh_CN.pdf"


def chinese_titles() -> dict[str, str]:
    """Each chapter's title in the Chinese edition: its catalog's translation of the English title."""
    from babel.messages.pofile import read_po

    titles = {}
    for name, title in chapter_titles().items():
        with (ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / f"{name}.po").open("rb") as handle:
            message = read_po(handle).get(title)
        titles[name] = message.string if message and message.string else title
    return titles


def test_the_chinese_pdf_is_written_in_chinese_with_every_chapter_title(pdf: Path):
    from pypdf import PdfReader

    reader = PdfReader(ZH_PDF)
    text = squash("\n".join(page.extract_text() or "" for page in reader.pages))
    titles = chinese_titles()
    assert all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in titles.values()), titles
    missing = [f"{name}: {title}" for name, title in titles.items() if squash(title) not in text]
    assert not missing, f"chapter titles missing from the Chinese PDF ({len(reader.pages)} pages): {missing}"
    assert "职业伤害保障" in text


def test_the_chinese_html_links_the_chinese_pdf(pdf: Path, built_book: Path):
    import json

    chinese = built_book / "zh_CN"
    assert (chinese / "book.pdf").read_bytes() == ZH_PDF.read_bytes() != pdf.read_bytes()
    downloads = json.loads((chinese / "_static" / "rs-downloads.json").read_text(encoding="utf-8"))
    assert downloads == {"book_pdf": "book.pdf"}
