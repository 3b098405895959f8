"""Sphinx extension: the HTML book links the whole-book PDF that ``make pdf`` prints, once it exists.

Every HTML build writes ``_static/rs-downloads.json``. If ``_build/pdf/book.pdf`` (the file ``make pdf``
writes) exists when the HTML is built, it is copied to the root of the HTML output and the JSON names it;
``tools/make_pdf.py`` does the same after printing, for an HTML build made before the PDF. The footer's
link (``_static/ridersurvey.js``) is shown only when the JSON names the PDF, so a plain ``make book``
never shows a link to a missing file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PDF_NAME = "book.pdf"


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
    pdf = Path(app.confdir) / "_build" / "pdf" / PDF_NAME
    publish_pdf(Path(app.outdir), pdf if app.builder.name == "html" else Path(app.outdir) / "no.pdf")


def setup(app):
    app.connect("build-finished", on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
