"""Sphinx extension: myst-nb's execution-statistics table (``{nb-exec-table}``) says "yes"/"no" in words.

myst-nb writes the "Success" column as the emoji ✅ / ❌, which a system without a colour-emoji font (a
plain Debian with Chromium, a PDF printed from it) draws as an empty box.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

WORDS = {"\u2705": "yes", "\u274c": "no"}


class ExecTableInWords(SphinxPostTransform):
    """Replace the success emoji in every table cell with a word (after myst-nb has built the table)."""

    default_priority = 200

    def run(self, **kwargs) -> None:
        for entry in self.document.findall(nodes.entry):
            for text in list(entry.findall(nodes.Text)):
                if text.astext().strip() in WORDS:
                    text.parent.replace(text, nodes.Text(WORDS[text.astext().strip()]))


def setup(app):
    app.add_post_transform(ExecTableInWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
