"""The book's table numbers in a notebook's own outputs, also after the notebook is run again.

A table made by :class:`ridersurvey.presentation.report.Table` shows in Jupyter as HTML, its caption without the number
the book gives it ("Table 5.1"), which only the book build knows. :func:`number_captions` writes numbers
into such HTML; :func:`number_tables`, called in a notebook's kernel with the book's numbers, has IPython
show every such table with its number from then on. The downloadable notebooks (:mod:`bookbuild.notebook`)
call it in their first code cell, so a reader who runs them again keeps the numbers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

__all__ = ["TABLE_HTML", "number_captions", "number_tables", "numbers_cell"]

#: The opening of a :class:`ridersurvey.presentation.report.Table` in HTML, up to its caption.
TABLE_HTML = re.compile(r'(<table class="ridersurvey-table" id="(?P<name>[^"]+)"><caption>)')


def number_captions(markup: str, numbers: Mapping[str, str]) -> str:
    """``markup`` with each table's number (``numbers[label]``) at the start of its caption."""

    def numbered(match: re.Match) -> str:
        number = numbers.get(match.group("name"))
        if not number:
            return match.group(1)
        return f'{match.group(1)}<span class="caption-number">{html.escape(number)}: </span>'

    return TABLE_HTML.sub(numbered, markup)


def number_tables(numbers: Mapping[str, str]) -> None:
    """From now on, the running IPython shows each :class:`ridersurvey.presentation.report.Table` with its number.

    Parameters
    ----------
    numbers : mapping
        Table label (``tbl-...``) -> the number the book gives it, e.g. "Table 5.1".
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    numbers = dict(numbers)
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type_by_name(
        "ridersurvey.presentation.report", "Table", lambda table: number_captions(table.to_html(), numbers)
    )


def numbers_cell(numbers: Mapping[str, str]) -> str:
    """The source of a code cell that calls :func:`number_tables` with ``numbers``."""
    lines = "".join(f"        {label!r}: {number!r},\n" for label, number in numbers.items())
    return f"from bookbuild.table_numbers import number_tables\n\nnumber_tables(\n    {{\n{lines}    }}\n)"
