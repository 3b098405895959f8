"""Presentation for the book: one style for numbers and prose, and tables that render in the book and in Jupyter.

Numbers and phrases come back as :class:`Text`, a string that displays as itself (no quotes) wherever a
notebook shows it, so a chapter can put ``facts.n_agree`` into its prose with myst-nb's ``{eval}`` role (or
``{glue:text}``) and a reader in JupyterLab sees the same words. A :class:`Table` renders as a numbered MyST
``{table}`` in the book (its ``text/markdown`` form) and as an HTML table with its caption in JupyterLab.

House style:

* a minus sign is U+2212, never a hyphen;
* p-values print with three decimals, and as "< 0.001" below 0.0005;
* intervals print as ``[low, high]``;
* counts print as integers; small counts in running text as words (:func:`count_words`), and a part of a
  set as "all four", "none of the 33" (:func:`share_words`);
* lists of names read "a, b and c".
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ridersurvey import messages
from ridersurvey.audit import precision, wording
from ridersurvey.audit.precision import MINUS, fixed, format_ceiling, format_floor

_MARKUP = re.compile(r"([\\`*_{}\[\]<>$|])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>$|])")


class Text(str):
    """A string that shows as itself: its ``repr`` is the text, so notebooks display it without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _signed(text: str) -> Text:
    return Text(text.replace("-", MINUS))


def number(x: float, decimals: int = 3, signed: bool = False) -> Text:
    """:func:`ridersurvey.audit.precision.fixed` (fixed decimals, typographic minus, NaN as an en dash) as
    :class:`Text`."""
    return Text(fixed(x, decimals, signed))


def integer(n: float) -> Text:
    """:func:`ridersurvey.audit.precision.integer` (a count as an integer, "86,274") as :class:`Text`."""
    return Text(precision.integer(n))


def count_words(n: int, zero: str = "zero") -> Text:
    """:func:`ridersurvey.audit.wording.count_words` (words for zero to ten, digits above) as :class:`Text`."""
    return Text(wording.count_words(n, zero))


def share_words(k: int, n: int) -> Text:
    """:func:`ridersurvey.audit.wording.share_words` ("all four", "none of the 33") as :class:`Text`."""
    return Text(wording.share_words(k, n))


def percent(x: float, decimals: int = 1) -> Text:
    """:func:`ridersurvey.audit.precision.percent` (a share strictly inside never prints as 0% or 100%) as
    :class:`Text`."""
    return Text(precision.percent(x, decimals))


def p_value(p: float, decimals: int = 3) -> Text:
    """:func:`ridersurvey.audit.precision.p_value` ("< 0.001", "> 0.999" at the ends) as :class:`Text`."""
    return Text(precision.p_value(p, decimals))


def p_text(p: float, decimals: int = 3) -> Text:
    """A p-value for running text with its relation: "p = 0.006" or "p < 0.001".

    Parameters
    ----------
    p : float
    decimals : int

    Returns
    -------
    Text
    """
    shown = p_value(p, decimals)
    return Text(f"p {shown}" if shown.startswith("<") else f"p = {shown}")


def interval(low: float, high: float, decimals: int = 2) -> Text:
    """:func:`ridersurvey.audit.precision.interval` (``[low, high]``) as :class:`Text`."""
    return Text(precision.interval(low, high, decimals))


def p_interval(low: float, high: float, decimals: int = 3) -> Text:
    """:func:`ridersurvey.audit.precision.p_interval` (each end as a p-value) as :class:`Text`."""
    return Text(precision.p_interval(low, high, decimals))


def bounds(low: float, high: float, decimals: int = 2) -> Text:
    """An interval of bounds, ``[low, high]``, rounded outward so that the shown interval still contains it.

    For limits that are themselves bounds (the outermost interval over rounding intervals, say); ranges of
    observed values use :func:`interval`.

    Parameters
    ----------
    low, high : float
    decimals : int

    Returns
    -------
    Text
    """
    return Text(f"[{_signed(format_floor(low, decimals))}, {_signed(format_ceiling(high, decimals))}]")


def sentence_case(text: str) -> Text:
    """Text made to start a sentence: its first letter in upper case, the rest as it is ("an OR" -> "An OR").

    Parameters
    ----------
    text : str

    Returns
    -------
    Text
    """
    return Text(text[:1].upper() + text[1:])


def names(items: Iterable[str], conjunction: str = "and") -> Text:
    """:func:`ridersurvey.audit.wording.names` ("a, b and c") as :class:`Text`."""
    return Text(wording.names(items, conjunction))


def escape_markdown(text: Any) -> str:
    """``text`` with Markdown's (and MyST's) inline markup characters backslash-escaped.

    Parameters
    ----------
    text : object
        Shown literally in a Markdown table cell (printed values such as ``0.006**``).

    Returns
    -------
    str
    """
    return _MARKUP.sub(r"\\\1", str(text))


def _unescape_markdown(text: Any) -> str:
    return _ESCAPED.sub(r"\1", str(text))


class Facts:
    """Named numbers and phrases a section quotes, as :class:`Text`, reached as attributes.

    Parameters
    ----------
    **values
        Each value is stored as given if it is already :class:`Text`, else converted with ``str``.
    """

    def __init__(self, **values: Any) -> None:
        self.__dict__.update({k: v if isinstance(v, Text) else Text(str(v)) for k, v in values.items()})

    def __getattr__(self, name: str) -> Text:
        # reached only for names that are not facts: tells type checkers that facts are Text attributes
        raise AttributeError(f"no fact {name!r}")

    def as_dict(self) -> dict[str, Text]:
        """The facts as a plain dict."""
        return dict(self.__dict__)

    def __repr__(self) -> str:
        width = max((len(k) for k in self.__dict__), default=0)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in self.__dict__.items())


Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    """One column of a table specification: which field, its header and how its values print.

    Parameters
    ----------
    key : str
        Column (or index level) of the source frame.
    header : str
        Header as shown.
    format : callable or str, optional
        A function of the value, or a format spec such as ``".3f"`` (minus signs become U+2212). Default:
        ``str``, with NaN shown empty.
    literal : bool
        Escape Markdown markup in the cell (free text such as printed values with asterisks).
    """

    key: str
    header: str
    format: Formatter | str | None = None
    literal: bool = False

    def cell(self, value: Any) -> str:
        """The text of one cell."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if callable(self.format):
            return str(self.format(value))
        if isinstance(self.format, str):
            return format(value, self.format).replace("-", MINUS)
        if isinstance(value, bool):
            return "yes" if value else ""
        return str(value)


@dataclass(frozen=True)
class TableSpec:
    """Which columns a table shows, with their headers and formats.

    Parameters
    ----------
    columns : sequence of Column
    """

    columns: Sequence[Column]

    def render(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Strings for display, one column per :class:`Column`, in order; the frame's index is dropped.

        Parameters
        ----------
        frame : DataFrame
            The numbers; index levels may be named as columns.

        Returns
        -------
        DataFrame
            All cells are strings; columns are the headers. Headers, and cells that are labels the catalog
            lists ("yes", a verdict, a place in the paper), are in the catalog's language
            (:func:`ridersurvey.messages.label`); numbers and free text are shown as they are.
        """
        flat = frame.reset_index() if any(c.key not in frame.columns for c in self.columns) else frame
        missing = [c.key for c in self.columns if c.key not in flat.columns]
        if missing:
            raise KeyError(messages.text("report.missing_columns", columns=missing))
        body = pd.DataFrame({c.header: [messages.label(c.cell(v)) for v in flat[c.key]] for c in self.columns})
        for c in self.columns:
            if c.literal:
                body[c.header] = [escape_markdown(v) for v in body[c.header]]
        return body.rename(columns=messages.label)

    def table(self, frame: pd.DataFrame, caption: str, name: str) -> Table:
        """:meth:`render` the frame and wrap it as a numbered :class:`Table`."""
        return Table(self.render(frame), caption, name)


@dataclass
class Table:
    """A numbered table: rendered cells, a caption and a label for ``{numref}``.

    Shown as the output of the cell that makes it: a MyST ``{table}`` directive in the book
    (``text/markdown``), an HTML table with its caption in JupyterLab (``text/html``).

    Parameters
    ----------
    body : DataFrame
        Cells as strings (from :meth:`TableSpec.render`), columns are the headers.
    caption : str
        One paragraph of MyST (inline maths allowed).
    name : str
        The label, ``tbl-...``.
    align : mapping, optional
        Column header to "left", "right" or "center".
    """

    body: pd.DataFrame
    caption: str
    name: str
    align: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name.startswith("tbl-"):
            raise ValueError(messages.text("report.bad_label", name=self.name))
        if "\n" in self.caption.strip():
            raise ValueError(messages.text("report.caption_lines", name=self.name))

    def to_markdown(self) -> str:
        """The MyST source: a ``{table}`` directive around a pipe table."""
        escape = lambda v: re.sub(r"(?<!\\)\|", r"\\|", str(v))
        cells = self.body.map(escape)
        cells.columns = [escape(c) for c in cells.columns]
        pipe = cells.to_markdown(index=False, disable_numparse=True)
        return "\n".join([f":::{{table}} {self.caption.strip()}", f":name: {self.name}", "", pipe, ":::", ""])

    def to_html(self) -> str:
        """An HTML table with the caption above it (for JupyterLab and plain Jupyter)."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.body.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_unescape_markdown(v))}</td>" for v in row) + "</tr>"
            for row in self.body.itertuples(index=False)
        )
        caption = html.escape(self.caption.strip())
        opening = f'<table class="ridersurvey-table" id="{self.name}">'
        head = f"<caption>{caption}</caption>" + f"<thead><tr>{head}</tr></thead>"
        return opening + head + f"<tbody>{rows}</tbody></table>"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"{self.caption.strip()}\n\n{self.body.to_string(index=False)}"
