"""Sphinx extension: the HTML book links the whole-book PDF that ``make pdf`` prints, once it exists.

Every HTML build writes ``_static/rs-downloads.json``. If the edition's PDF (the file ``make pdf`` writes:
``_build/pdf/book.pdf``, ``book.<language>.pdf`` for another edition, :func:`pdf_file`) exists when the HTML
is built, it is copied to the root of the HTML output and the JSON names it; ``tools/make_pdf.py`` does the
same after printing, for an HTML build made before the PDF.

Every page links it twice: in the footer and in the theme's download menu, as one more entry of the
``header_buttons`` list that sphinx-book-theme renders (added in ``html-page-context`` after the theme has
filled it). Neither is a link in the page as built: the footer's anchor has no address and the menu entry
is a button; ``_static/ridersurvey.js`` gives the anchor its address, and shows both, only when the JSON names
the PDF, so a plain ``make book`` has no link to a missing file, with or without scripts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bookbuild.i18n import SOURCE_LANGUAGE
from bookbuild.text import reader_text

PDF_NAME = "book.pdf"
#: The download menu's entry for the whole book (sphinx-book-theme makes the label its class, btn-<label>).
MENU_LABEL = "download-book-pdf-button"


def pdf_file(root: Path, language: str) -> Path:
    """Where ``make pdf`` prints an edition: ``_build/pdf/book.pdf`` (English), ``_build/pdf/book.<language>.pdf``."""
    name = PDF_NAME if language == SOURCE_LANGUAGE else f"{Path(PDF_NAME).stem}.{language}.pdf"
    return root / "_build" / "pdf" / name


def publish_pdf(html_dir: Path, pdf: Path) -> bool:
    """Copy ``pdf`` (if it exists) to ``html_dir/book.pdf`` and record in ``_static/rs-downloads.json`` whether
    the HTML build now has it; return that."""
    available = pdf.is_file()
    if available:
        shutil.copyfile(pdf, html_dir / PDF_NAME)
    static = html_dir / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "rs-downloads.json").write_text(
        json.dumps({"book_pdf": PDF_NAME if available else None}), encoding="utf-8"
    )
    return available


def on_build_finished(app, exception) -> None:
    """After an HTML build: publish the PDF if there is one (the single-page build, which is what the PDF is
    printed from, only gets the JSON, naming none)."""
    if exception is not None or app.builder.format != "html":
        return
    pdf = pdf_file(Path(app.confdir), app.config.language or SOURCE_LANGUAGE)
    publish_pdf(Path(app.outdir), pdf if app.builder.name == "html" else Path(app.outdir) / "no.pdf")


def add_book_pdf_to_download_menu(app, pagename, templatename, context, doctree) -> None:
    """Add the whole-book PDF to the page's download menu (sphinx-book-theme's ``download-buttons`` group), in the
    edition's language (:func:`bookbuild.text.reader_text`)."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "javascript",
                    "javascript": "window.ridersurvey.openBookPdf()",
                    "text": reader_text("book_pdf.menu_text", language=app.config.language),
                    "tooltip": reader_text("book_pdf.menu_tooltip", language=app.config.language),
                    "icon": "fas fa-book",
                    "label": MENU_LABEL,
                }
            )


def setup(app):
    app.connect("build-finished", on_build_finished)
    # sphinx-book-theme fills header_buttons at priority 501
    app.connect("html-page-context", add_book_pdf_to_download_menu, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
