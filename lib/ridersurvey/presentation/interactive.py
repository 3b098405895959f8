"""Long tables a reader can use: filter, search and sort on screen, every row on paper.

:func:`interactive_table` shows a DataFrame twice in one cell output:

* a numbered MyST ``{table}`` holding every row (its caption is the table's caption on screen; its rows
  are shown only in print, so the PDF that ``make pdf`` prints from the book is complete), and
* an interactive table made by itables in its offline mode (the DataTables library is embedded in the
  output, nothing is fetched from the network; the HTML book loads it once from a static file instead),
  with a filter pane per chosen column, a search box and sortable columns, opened on a chosen subset of
  the rows (for the audit: the findings).

The cell helpers make the cells of such a table clean: :func:`format_number` prints a number at one
precision with the minus sign U+2212, :func:`minus_signs` does the same to the numbers inside text, and
:func:`cite_text` / :func:`cite_myst` turn a BibTeX key in a text (``"(sic2021sharing)"``) into an
author-year citation, as text or as a MyST ``{cite:p}`` role.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ridersurvey import messages
from ridersurvey.data.paths import PROJECT_ROOT
from ridersurvey.presentation.tables import escape_markdown, to_markdown

BIBLIOGRAPHY = PROJECT_ROOT / "references.bib"
MINUS = "\u2212"
#: Mean length (characters) above which a column counts as long text and keeps a readable width on a phone.
LONG_TEXT = 40
_HYPHEN_MINUS = re.compile(r"(?<![\w.\-\u2212])-(?=\.?\d)")


# ---------------------------------------------------------------------------------------------- cells


def format_number(value, decimals: int | None = None) -> str:
    """``value`` with ``decimals`` decimal places and U+2212 as its minus sign; ``""`` for a missing value.

    ``decimals=None`` prints an integral value without decimals ("29", not "29.0") and any other value
    with up to four significant digits.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, str):
        return minus_signs(value)
    number = float(value)
    if decimals is None:
        text = f"{int(round(number))}" if number.is_integer() else f"{number:.4g}"
    else:
        text = f"{number:.{int(decimals)}f}"
        if float(text) == 0:
            text = text.lstrip("-")
    return text.replace("-", MINUS)


def format_numbers(values: Sequence, decimals: Sequence[int | None] | int | None = None) -> list[str]:
    """:func:`format_number` of each value, each at its own number of decimals (one per row) or at one for all.

    Raises ``ValueError`` naming the row when a decimals entry is not a whole number.
    """
    values = list(values)
    if decimals is None or isinstance(decimals, int):
        per_row = [decimals] * len(values)
    else:
        per_row = list(decimals)
        if len(per_row) != len(values):
            raise ValueError(messages.text("interactive.decimals_length", values=len(values), decimals=len(per_row)))
    out = []
    for row, (value, places) in enumerate(zip(values, per_row, strict=True)):
        if places is not None and not (isinstance(places, float) and math.isnan(places)):
            if float(places) != int(places) or int(places) < 0:
                raise ValueError(messages.text("interactive.decimals_value", row=row, places=places))
            places = int(places)
        else:
            places = None
        out.append(format_number(value, places))
    return out


def minus_signs(text: str) -> str:
    """``text`` with every hyphen-minus that begins a number ("= -0.011", "(-2") set as U+2212.

    A hyphen between two numbers or words ("16-30", "2016-2023", "non-zero") is left alone.
    """
    return _HYPHEN_MINUS.sub(MINUS, str(text))


@lru_cache(maxsize=4)
def _bibliography(path: str) -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(path).entries)


def _authors(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [re.sub(r"[{}]", "", " ".join(p.prelast_names + p.last_names)) for p in people]
    if len(names) >= 3:
        return f"{names[0]} et al."
    return " and ".join(names)


def citation_text(key: str, bibliography: str | Path = BIBLIOGRAPHY) -> str:
    """The author-year citation of ``key`` as the book's parenthetical citations print it: "[Wu, 2023]"."""
    entries = _bibliography(str(bibliography))
    if key not in entries:
        raise KeyError(f"no entry {key!r} in {bibliography}")
    entry = entries[key]
    return f"[{_authors(entry)}, {entry.fields.get('year', 'n.d.')}]"


def _key_pattern(bibliography: str | Path) -> re.Pattern | None:
    keys = sorted(_bibliography(str(bibliography)), key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"\(?\b(" + "|".join(re.escape(k) for k in keys) + r")\b\)?")


def _split_citations(text: str, bibliography: str | Path) -> list[tuple[str, str | None]]:
    """``text`` as (plain text, BibTeX key or None) pieces."""
    pattern = _key_pattern(bibliography)
    if pattern is None:
        return [(text, None)]
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append((text[last : match.start()], match.group(1)))
        last = match.end()
    pieces.append((text[last:], None))
    return pieces


def cite_text(text: str, bibliography: str | Path = BIBLIOGRAPHY) -> str:
    """``text`` with each BibTeX key of ``bibliography`` (with its parentheses, if any) replaced by
    :func:`citation_text`: "Report 2021 (sic2021sharing)" -> "Report 2021 [State Information Center ..., 2021]"."""
    return "".join(
        plain + (citation_text(key, bibliography) if key else "") for plain, key in _split_citations(text, bibliography)
    )


def cite_myst(text: str, bibliography: str | Path = BIBLIOGRAPHY) -> str:
    """``text`` as literal Markdown (:func:`ridersurvey.presentation.tables.escape_markdown`) with each BibTeX key
    turned into a ``{cite:p}`` role, which the book renders as a linked author-year citation."""
    return "".join(
        escape_markdown(plain) + (f"{{cite:p}}`{key}`" if key else "")
        for plain, key in _split_citations(text, bibliography)
    )


# ---------------------------------------------------------------------------------------------- the table


class InteractiveTable:
    """One table for the book: a numbered, complete static copy and an interactive view of the same rows.

    Displayed in a notebook (or by myst-nb), it emits two outputs: the static copy as Markdown (a MyST
    ``{table}`` directive, class ``rs-print-copy``) and the interactive view as HTML (class
    ``rs-interactive``). ``markdown`` and ``html`` hold them.
    """

    def __init__(self, markdown: str, html: str, name: str = "", caption: str = ""):
        self.markdown = markdown
        self.html = html
        self.name = name
        self.caption = caption

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        # the static copy: MyST for the book; in Jupyter, which prefers HTML, just the caption with the label
        heading = (
            f'<p class="rs-caption" id="{html.escape(self.name)}">'
            + f"<strong>{html.escape(self.caption)}</strong></p>"
        )
        display({"text/markdown": self.markdown, "text/html": heading}, raw=True)
        display(HTML(self.html))

    def _repr_markdown_(self) -> str:
        return self.markdown


#: The comments around the embedded DataTables library in a table's HTML. The HTML book
#: (bookbuild.itables_static) cuts what lies between them and loads the library once, from a static file.
LIBRARY_MARKERS = ("<!-- rs-itables-library -->", "<!-- /rs-itables-library -->")


def _offline_library() -> str:
    """itables' offline loader: the DataTables bundle as a data module, injected once per page, between
    :data:`LIBRARY_MARKERS` (a notebook keeps it, so that it works offline; the HTML book replaces it)."""
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    start, end = LIBRARY_MARKERS
    return f"{start}{generate_init_offline_itables_html(options.dt_bundle)}{end}"


def interactive_table(
    frame: pd.DataFrame,
    caption: str,
    name: str,
    filter_columns: Sequence[str] = (),
    show_only: Mapping[str, Sequence[str]] | None = None,
    rename: Mapping[str, str] | None = None,
    page_length: int = 25,
    bibliography: str | Path = BIBLIOGRAPHY,
) -> InteractiveTable:
    """``frame`` as a filterable, searchable, sortable table on screen and a complete numbered table on paper.

    Parameters
    ----------
    frame
        The rows to show, one column per column shown; cells are shown as text (format numbers first, e.g.
        with :func:`format_numbers`). BibTeX keys of ``bibliography`` in text cells become citations
        (a ``{cite:p}`` role in the static copy, :func:`citation_text` in the interactive view), and a
        hyphen-minus starting a number becomes U+2212.
    caption, name
        The numbered table's caption and its label (for ``{numref}``); the interactive view sits under
        that caption.
    filter_columns
        Columns with a filter pane listing their values (for the audit: the verdict and the part of the paper).
    show_only
        Values selected in those panes when the page opens (for the audit: the verdicts other than the
        agreeing ones), so the view starts at the findings; the reader clears or changes them.
    rename
        Column headings to show instead of the column names.
    page_length
        Rows per page of the interactive view.

    Raises ``KeyError`` naming a filter or ``show_only`` column that ``frame`` lacks, and ``ValueError``
    naming a ``show_only`` value absent from its column.
    """
    from itables import to_html_datatable

    _check_arguments(frame, name, filter_columns, show_only or {})
    cells = frame.reset_index(drop=True).astype(object).map(lambda v: "" if v is None or v is pd.NA else str(v))
    cells = cells.map(messages.label)
    cells = cells.map(minus_signs)
    headings = [messages.label(str((rename or {}).get(c, c))) for c in frame.columns]
    markdown = _static_copy(cells, headings, caption, name, bibliography)
    view = cells.map(lambda v: cite_text(v, bibliography))
    view.columns = headings
    options = _view_options(view, name, page_length)
    columns = list(frame.columns)
    if filter_columns:
        options |= _filter_options(columns, filter_columns, show_only or {})
    table = to_html_datatable(view, **options)
    heading_of = dict(zip(columns, headings, strict=True))
    note = html.escape(usage_note(len(view), {heading_of[c]: v for c, v in (show_only or {}).items()}))
    body = (
        f'<div class="rs-interactive" data-rs-table="{html.escape(name)}">'
        + f'<p class="rs-interactive-note">{note}</p>'
        + f"{_offline_library()}{table}</div>"
    )
    return InteractiveTable(markdown, body, name, caption)


def _check_arguments(
    frame: pd.DataFrame, name: str, filter_columns: Sequence[str], show_only: Mapping[str, Sequence[str]]
) -> None:
    """Raise on a filter or ``show_only`` column that ``frame`` lacks, a value absent from its column, or a
    name that is not a label."""
    missing = [c for c in [*filter_columns, *show_only] if c not in frame.columns]
    if missing:
        raise KeyError(messages.text("interactive.missing_columns", columns=missing))
    for column, values in show_only.items():
        absent = [v for v in values if v not in set(frame[column].astype(str))]
        if absent:
            raise ValueError(messages.text("interactive.absent_value", column=column, values=absent))
    if not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError(messages.text("interactive.bad_name", name=name))


def _static_copy(cells: pd.DataFrame, headings: list[str], caption: str, name: str, bibliography) -> str:
    """The complete numbered copy of the table, as MyST (citations as ``{cite:p}`` roles)."""
    static = cells.map(lambda v: cite_myst(v, bibliography))
    static.columns = [escape_markdown(h) for h in headings]
    return "\n".join(
        [
            f":::{{table}} {caption}",
            f":name: {name}",
            ":class: rs-print-copy",
            "",
            to_markdown(static),
            ":::",
        ]
    )


def _view_options(view: pd.DataFrame, name: str, page_length: int) -> dict:
    """itables' options for the interactive view: paging, scrolling, and a readable width for long text."""
    lengths = view.map(len).mean() if len(view) else pd.Series(0, index=view.columns)
    long_text = [i for i, mean_length in enumerate(lengths) if mean_length > LONG_TEXT]
    return {
        "connected": False,
        "maxBytes": 0,
        "showIndex": False,
        "pageLength": page_length,
        "lengthMenu": [n for n in (10, 25, 50, 100) if n < len(view)] + [len(view)],
        "order": [],
        "classes": "display compact",
        "scrollX": True,
        "fixedColumns": {"start": 1},
        "table_id": f"rs-{name}",
        "columnDefs": [{"targets": long_text, "className": "rs-long"}] if long_text else [],
        "language": _language(),
    }


def _language() -> dict:
    """DataTables' own words (search box, row counts) in the catalog's language."""
    say = messages.text
    return {
        "search": say("datatables.search"),
        "info": say("datatables.info"),
        "infoEmpty": say("datatables.info_empty"),
        "infoFiltered": say("datatables.info_filtered"),
        "lengthMenu": say("datatables.length_menu"),
        "zeroRecords": say("datatables.zero_records"),
        "emptyTable": say("datatables.empty_table"),
    }


def _panes_language() -> dict:
    """SearchPanes' own words (its ``i18n`` option) in the catalog's language."""
    say = messages.text
    return {
        "title": say("datatables.panes.title"),
        "clearMessage": say("datatables.panes.clear"),
        "collapseMessage": say("datatables.panes.collapse"),
        "showMessage": say("datatables.panes.show"),
        "emptyPanes": say("datatables.panes.empty"),
        "loadMessage": say("datatables.panes.loading"),
    }


def _filter_options(columns: list[str], filter_columns: Sequence[str], show_only: Mapping[str, Sequence[str]]) -> dict:
    """itables' options for a filter pane per column of ``filter_columns``, opened on ``show_only``."""
    positions = [columns.index(c) for c in filter_columns]
    return {
        "layout": {"top1": "searchPanes"},
        "searchPanes": {
            "columns": positions,
            "layout": f"columns-{min(len(positions), 3)}",
            "cascadePanes": True,
            "initCollapsed": False,
            "preSelect": [
                {"column": columns.index(column), "rows": list(values)} for column, values in show_only.items()
            ],
            "i18n": _panes_language(),
        },
    }


def usage_note(rows: int, opening: Mapping[str, Sequence[str]]) -> str:
    """The note above an interactive table: it holds every row, what it opens on, and how to sort and search.

    Parameters
    ----------
    rows : int
        The table's rows.
    opening : mapping
        Column heading to the values the view opens on (empty: it opens on every row).
    """
    say = lambda key, **fields: messages.text(f"interactive.note.{key}", **fields)
    shown = "; ".join(f"{heading}: {', '.join(values)}" for heading, values in opening.items())
    parts = [say("all_rows", rows=rows), say("opens_on", opening=shown) if shown else ". ", say("how_to")]
    return "".join(parts)
