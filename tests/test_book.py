"""The whole book builds from an empty cache with warnings as errors, and a failing chapter fails it."""

from __future__ import annotations

import concurrent.futures
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from bookbuild.notebook import raw_myst
from conftest import ROOT, jupyter_book_build

pytestmark = pytest.mark.book

#: Words that mark unfinished text (spelled in pieces so this file is not itself flagged by a grep).
UNFINISHED = re.compile("TODO|FIXME|Lorem ipsum")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def test_every_chapter_page_exists(built_book: Path):
    missing = [f for f in toc_files() if not (built_book / f"{f}.html").is_file()]
    assert not missing, f"pages missing from the build: {missing}"


#: Pages of the toc without code: the bibliography and how to cite the book.
PLAIN_PAGES = {"chapters/references", "chapters/citing"}


def test_every_chapter_is_an_executable_myst_notebook():
    for f in toc_files():
        text = (ROOT / f"{f}.md").read_text(encoding="utf-8")
        if f in PLAIN_PAGES:
            continue
        assert text.startswith("---\njupytext:"), f"{f}.md lacks a jupytext header"
        assert "```{code-cell} ipython3" in text, f"{f}.md has no code cell"
        assert "ridersurvey" in text, f"{f}.md does not call ridersurvey"


def test_no_unfinished_text_in_the_book(built_book: Path):
    for page in built_book.rglob("chapters/*.html"):
        body = page.read_text(encoding="utf-8")
        found = UNFINISHED.search(body)
        assert not found, f"{page.name} contains {found.group(0)!r}"


BOOK_PDF_LINK = re.compile(r"""href=["'][^"']*book\.pdf["']""")


def test_no_page_links_the_whole_book_pdf_unless_the_build_has_it(built_book: Path):
    """Without ``make pdf`` the footer's note is hidden and neither it nor the download menu links book.pdf."""
    if (built_book / "book.pdf").exists():
        pytest.skip("this build has the PDF (tests/test_pdf.py checks the link)")
    for f in toc_files():
        body = (built_book / f"{f}.html").read_text(encoding="utf-8")
        assert not BOOK_PDF_LINK.search(body), f"{f}.html links book.pdf, which the build does not have"
        assert re.search(r'<p class="rs-book-pdf-note" hidden>', body), f"{f}.html shows the PDF note"


def test_a_failing_chapter_fails_the_build(tmp_path: Path):
    """A chapter that raises must make the build (hence the test command) fail, not just warn."""
    work = tmp_path / "book"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns("_build", ".git", ".venv", "tests"))
    (work / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/broken\n", encoding="utf-8"
    )
    (work / "chapters" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    header = (ROOT / "chapters" / "environment.md").read_text(encoding="utf-8").split("---\n")[1]
    (work / "chapters" / "broken.md").write_text(
        f"---\n{header}---\n\n# Broken\n\n```{{code-cell}} ipython3\nraise RuntimeError('deliberately broken')\n```\n",
        encoding="utf-8",
    )
    (work / "chapters" / "references.md").unlink()
    proc = jupyter_book_build(work)
    assert proc.returncode != 0, "a chapter that raises did not fail the build"
    assert "deliberately broken" in proc.stdout + proc.stderr


#: Chapters on {eval} and report.Table: their downloaded notebook must run in plain Jupyter (nbclient) and show
#: every numbered table of the page among its outputs.
CONVERTED = [
    "intro",
    "background",
    "data_sample",
    "model",
    "results",
    "conclusions",
    "audit",
    "robustness",
    "codebook",
    "literature",
    "environment",
    "tablecheck",
]
NUMBERED_TABLE = re.compile(
    r'<table[^>]* id="(tbl-[\w-]+)"[^>]*>\s*<caption><span class="caption-number">([^<]+?)\s*</span>'
)


def _download(built_book: Path, docname: str) -> nbformat.NotebookNode:
    return nbformat.read(built_book / "_sources" / f"{docname}.ipynb", as_version=4)


@pytest.mark.parametrize("docname", [f for f in toc_files() if f not in PLAIN_PAGES])
def test_the_downloaded_notebook_is_plain_jupyter(built_book: Path, docname: str):
    notebook = _download(built_book, docname)
    nbformat.validate(notebook)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "pip install -r requirements.txt" in first.source
    book_title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert f"a chapter of the book *{book_title}*" in first.source
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not raw_myst(cell.source), f"{docname}: raw MyST {raw_myst(cell.source)} in\n{cell.source[:300]}"
        assert "user_expressions" not in cell.metadata


@pytest.mark.parametrize("docname", [f"chapters/{name}" for name in CONVERTED])
def test_the_downloaded_notebook_runs_and_shows_every_numbered_table(built_book: Path, docname: str):
    from nbclient import NotebookClient

    numbered = dict(NUMBERED_TABLE.findall((built_book / f"{docname}.html").read_text(encoding="utf-8")))
    assert numbered, f"{docname} shows no numbered table"
    notebook = _download(built_book, docname)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "chapters")}}
    )
    # in a thread of its own, so that nbclient's event loop never becomes the main thread's (Playwright's sync
    # API, used by later tests, refuses to run inside an asyncio loop)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(client.execute).result()
    outputs = "\n".join(
        str(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    missing = [
        label for label, number in numbered.items() if f'id="{label}"' not in outputs and f"**{number}:**" not in text
    ]
    assert not missing, f"{docname}: tables {missing} are neither among the outputs nor captioned in the text"
    rerun = dict(NUMBERED_TABLE.findall(outputs))
    unnumbered = {
        label: rerun.get(label)
        for label, number in numbered.items()
        if f'class="ridersurvey-table" id="{label}"' in outputs
        and rerun.get(label, "").rstrip(":") != number.rstrip(":")
    }
    assert not unnumbered, f"{docname}: run again, tables lost the book's numbers: {unnumbered}"
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not raw_myst(cell.source)
