"""Sphinx extension: myst-nb's execution-statistics table (``{nb-exec-table}``) in words, in the edition's language.

myst-nb writes the "Success" column as the emoji ✅ / ❌, which a system without a colour-emoji font (a
plain Debian with Chromium, a PDF printed from it) draws as an empty box: they become "yes" and "no". The
table's headings and execution methods, which myst-nb writes in English, are shown in the language of the
edition (Sphinx's ``language``, :mod:`bookbuild.text`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from bookbuild.text import reader_text

#: The heading myst-nb puts first in the table, which tells it from the book's other tables.
FIRST_HEADING = "Document"


def words(language: str | None = None) -> dict[str, str]:
    """myst-nb's text in the table (emoji, headings, methods) -> the words the edition shows."""
    return {
        "\u2705": reader_text("exec_table.yes", language),
        "\u274c": reader_text("exec_table.no", language),
        FIRST_HEADING: reader_text("exec_table.document", language),
        "Modified": reader_text("exec_table.modified", language),
        "Method": reader_text("exec_table.method", language),
        "Run Time (s)": reader_text("exec_table.runtime", language),
        "Status": reader_text("exec_table.status", language),
        "cache": reader_text("exec_table.cache", language),
        "inline": reader_text("exec_table.inline", language),
    }


def _is_exec_table(table: nodes.table) -> bool:
    first = next(iter(table.findall(nodes.entry)), None)
    return first is not None and first.astext().strip() == FIRST_HEADING


class ExecTableInWords(SphinxPostTransform):
    """Replace the success emoji, the headings and the methods of the execution-statistics table with words."""

    default_priority = 200

    def run(self, **kwargs) -> None:
        shown = words(self.config.language)
        for table in self.document.findall(nodes.table):
            if not _is_exec_table(table):
                continue
            for text in list(table.findall(nodes.Text)):
                if text.astext().strip() in shown:
                    text.parent.replace(text, nodes.Text(shown[text.astext().strip()]))


def setup(app):
    app.add_post_transform(ExecTableInWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
