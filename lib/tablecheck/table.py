"""Reading a printed regression table from CSV, and checking every row of it.

One row per term; any subset of the columns ``term, b, se, z, wald, p, or, ci_low, ci_high, stars, sd, n``
(headers case-insensitive; ``wald`` is the chi-square z squared that SPSS prints). CI limits are on the odds-ratio
scale. Cells hold numbers as printed: ``<0.001`` is a bound, a leading minus may be ASCII or U+2212, an empty cell
is a number not printed. ``stars`` holds the stars printed (``**``; empty for none). Lines starting with ``#``
before the header are comments (the table's source).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tablecheck import checks, messages
from tablecheck.checks import Legend
from tablecheck.printed import Printed, parse_printed
from tablecheck.verdicts import Check, Finding

#: Columns a table may have; ``term`` is text, ``stars`` a run of asterisks, ``n`` a whole number.
COLUMNS = ("term", "b", "se", "z", "wald", "p", "or", "ci_low", "ci_high", "stars", "sd", "n")
NUMBER_COLUMNS = ("b", "se", "z", "wald", "p", "or", "ci_low", "ci_high", "sd")
#: Columns whose values cannot be negative.
NON_NEGATIVE = ("se", "wald", "p", "or", "ci_low", "ci_high", "sd")


class TableError(ValueError):
    """A malformed table: the row (0 for the header) and column where it fails, and what is wrong."""

    def __init__(self, row: int, column: str, message: str) -> None:
        self.row, self.column, self.message = row, column, message
        where = messages.text("table.header") if row == 0 else messages.text("table.row", row=row)
        super().__init__(messages.text("table.error", where=where, column=column, message=message))


@dataclass(frozen=True)
class Row:
    """One term of a table, as printed.

    Attributes
    ----------
    number : int
        1 for the first data row.
    term : str
    cells : dict
        Column name to :class:`~tablecheck.printed.Printed`, for the numbers printed in this row.
    stars : int or None
        Stars printed, None when the table has no ``stars`` column.
    n : int or None
        Cases, from the row's ``n`` column.
    """

    number: int
    term: str
    cells: dict[str, Printed] = field(default_factory=dict)
    stars: int | None = None
    n: int | None = None

    def get(self, column: str) -> Printed | None:
        """The printed number in ``column``, or None."""
        return self.cells.get(column)


@dataclass(frozen=True)
class Settings:
    """What a table does not say in its rows: the CI level, the star legend and the default n."""

    level: float = 0.95
    legend: Legend = Legend()
    n: int | None = None


def _header(fields: list[str]) -> list[str]:
    names = [f.strip().lower() for f in fields]
    for name in names:
        if name not in COLUMNS:
            raise TableError(0, name, messages.text("table.unknown_column", columns=", ".join(COLUMNS)))
    for name in names:
        if names.count(name) > 1:
            raise TableError(0, name, messages.text("table.repeated_column"))
    return names


def _stars(text: str, number: int) -> int:
    text = text.strip()
    if text and set(text) != {"*"}:
        if text.isdigit():
            return int(text)
        raise TableError(number, "stars", messages.text("table.not_stars", text=text))
    return len(text)


def _row(number: int, names: list[str], values: list[str]) -> Row:
    if len(values) != len(names):
        raise TableError(
            number,
            names[min(len(values), len(names) - 1)],
            messages.text("table.cell_count", cells=len(values), columns=len(names)),
        )
    cells: dict[str, Printed] = {}
    record = dict(zip(names, values))
    for name in NUMBER_COLUMNS:
        text = record.get(name, "").strip()
        if not text:
            continue
        try:
            value = parse_printed(text)
        except ValueError as exc:
            raise TableError(number, name, str(exc)) from None
        if name in NON_NEGATIVE and value.value < 0:
            raise TableError(number, name, messages.text("table.negative", text=text))
        if name == "p" and value.value > 1:
            raise TableError(number, name, messages.text("table.not_probability", text=text))
        cells[name] = value
    n = None
    if record.get("n", "").strip():
        text = record["n"].strip()
        if not text.isdigit() or int(text) < 2:
            raise TableError(number, "n", messages.text("table.not_cases", text=text))
        n = int(text)
    stars = _stars(record["stars"], number) if "stars" in record else None
    return Row(number, record.get("term", "").strip() or f"row {number}", cells, stars, n)


def read_table(source: str | Path | Iterable[str]) -> list[Row]:
    """Read a table from a CSV path or from lines of text.

    Parameters
    ----------
    source : str, Path or iterable of str
        A path, or the CSV's lines.

    Returns
    -------
    list of Row

    Raises
    ------
    TableError
        For an unknown or repeated column, a cell that is not a number, a negative SE, SD, OR or CI, a p above 1,
        an n that is not a whole number of at least 2, a stars cell that is not asterisks, or a wrong cell count.
    """
    if isinstance(source, str | Path):
        lines: Iterable[str] = Path(source).read_text(encoding="utf-8-sig").splitlines()
    else:
        lines = source
    body = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(body)))
    try:
        names = _header(next(reader))
    except StopIteration:
        raise TableError(0, "term", messages.text("table.empty")) from None
    return [_row(i, names, values) for i, values in enumerate(reader, start=1)]


# ------------------------------------------------------------------------------------------- row checks


def _or_vs_b(row: Row, s: Settings) -> Finding | None:
    b, odds = row.get("b"), row.get("or")
    return checks.check_or_vs_b(row.term, b, odds) if b and odds else None


def _ci_vs_b_se(row: Row, s: Settings) -> Finding | None:
    b, odds, se, lo, hi = (row.get(c) for c in ("b", "or", "se", "ci_low", "ci_high"))
    if se and lo and hi and (b or odds):
        return checks.check_ci_vs_b_se(row.term, b, se, lo, hi, s.level, odds)
    return None


def _ci_contains_or(row: Row, s: Settings) -> Finding | None:
    b, odds, lo, hi = (row.get(c) for c in ("b", "or", "ci_low", "ci_high"))
    return checks.check_ci_contains_or(row.term, odds, lo, hi, b) if lo and hi and (odds or b) else None


def _z_vs_b_se(row: Row, s: Settings) -> Finding | None:
    b, se, z, wald = (row.get(c) for c in ("b", "se", "z", "wald"))
    return checks.check_z_vs_b_se(row.term, b, se, z, wald) if b and se and (z or wald) else None


def _z_of(row: Row) -> tuple[tuple[float, float], str] | None:
    return checks.z_source(row.get("z"), row.get("wald"), row.get("b"), row.get("se"))


def _p_vs_z(row: Row, s: Settings) -> Finding | None:
    p, z = row.get("p"), _z_of(row)
    return checks.check_p_vs_z(row.term, p, z[0], z[1]) if p and z else None


def _stars_vs_p(row: Row, s: Settings) -> Finding | None:
    if row.stars is None:
        return None
    p = row.get("p")
    if p is not None:
        return checks.check_stars_vs_p(row.term, row.stars, p.clipped(0.0, 1.0), s.legend, "p")
    z = _z_of(row)
    if z is None:
        return None
    return checks.check_stars_vs_p(row.term, row.stars, checks.p_range_from_z(z[0]), s.legend, z[1])


def _n(row: Row, s: Settings) -> int | None:
    return row.n if row.n is not None else s.n


def _se_vs_floor(row: Row, s: Settings) -> Finding | None:
    se, sd, n = row.get("se"), row.get("sd"), _n(row, s)
    return checks.check_se_vs_floor(row.term, se, sd, n) if se and sd and n else None


def _p_vs_b(row: Row, s: Settings) -> Finding | None:
    b, p, sd = row.get("b"), row.get("p"), row.get("sd")
    if b is None or p is None or (sd is None and _n(row, s) is None):
        return None
    return checks.check_p_vs_b(row.term, b, p, sd, _n(row, s))


#: The checks a table row can take, in the order they are reported; each returns None when the row lacks the
#: numbers it needs.
ROW_CHECKS: dict[Check, Callable[[Row, Settings], Finding | None]] = {
    Check.OR_VS_B: _or_vs_b,
    Check.CI_VS_B_SE: _ci_vs_b_se,
    Check.CI_CONTAINS_OR: _ci_contains_or,
    Check.Z_VS_B_SE: _z_vs_b_se,
    Check.P_VS_Z: _p_vs_z,
    Check.STARS_VS_P: _stars_vs_p,
    Check.SE_VS_FLOOR: _se_vs_floor,
    Check.P_VS_B: _p_vs_b,
}


def check_table(rows: Iterable[Row], settings: Settings = Settings()) -> list[Finding]:
    """Every applicable check on every row, row by row in :data:`ROW_CHECKS` order.

    Parameters
    ----------
    rows : iterable of Row
    settings : Settings

    Returns
    -------
    list of Finding
    """
    out = []
    for row in rows:
        for rule in ROW_CHECKS.values():
            finding = rule(row, settings)
            if finding is not None:
                out.append(finding)
    return out
