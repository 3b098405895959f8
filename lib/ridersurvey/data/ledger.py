"""The published-numbers ledger: every number Wu (2023) prints about its sample and model, as data.

The ledger (``data/published/ledger.csv``) is checked when it is read (:func:`load_ledger`): its columns, the
id grammar and unique ids, known places in the paper, statistic kinds (:class:`StatisticKind`), checks and
findings, numbers where numbers belong, and the ids the expressions name. A corrupted ledger raises
:class:`LedgerError`, one line per problem naming the file, the row (as a spreadsheet numbers it, the header
is row 1), the id and the column; ``ridersurvey audit`` prints those lines and exits with 2.

*Row model.* A row is one check of one printed number. The number's first row has the number's id
(:data:`ID_GRAMMAR`); a further check of the same number is a row whose id is that id, ``:`` and the check's
name (``t3.gender.p:granularity``), which repeats the number's place, quantity, variable, code, statistic,
value and printed text. The paper's tables (:func:`table1`, :func:`table3`, ...) are read from the numbers'
first rows (:func:`numbers`); expressions name numbers, never a further check.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ridersurvey import messages
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger_ids import ID_GRAMMAR
from ridersurvey.data.paths import DATA_DIR

LEDGER_COLUMNS = [
    "id",
    "location",
    "quantity",
    "variable",
    "code",
    "statistic",
    "value",
    "printed",
    "decimals",
    "note",
    "check",
    "expression",
    "finding",
]


class Check(StrEnum):
    """Every check a ledger row can name in its ``check`` column; :data:`ridersurvey.audit.ledger_audit.REGISTRY`
    declares each one's function, what it reads and whether it tests an identity."""

    ARITHMETIC = "arithmetic"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    TOTAL = "total"
    COUNT = "count"
    TABLE2_MEAN = "table2_mean"
    TABLE2_SD = "table2_sd"
    CODING = "coding"
    COEFFICIENT = "coefficient"
    P_VALUE = "p_value"
    MODE_CLAIM = "mode_claim"
    TABLE3_ROWS = "table3_rows"
    OUTCOME_DEFINITION = "outcome_definition"
    EXTERNAL = "external"
    CLAIM = "claim"
    SIGNIFICANCE_LIST = "significance_list"


class StatisticKind(StrEnum):
    """What kind of number a ledger row holds (column ``statistic``)."""

    COUNT = "count"
    PERCENT = "percent"
    MEAN = "mean"
    SD = "sd"
    COEF = "coef"
    P = "p"
    CODING = "coding"
    HEADLINE = "headline"
    BOUND = "bound"
    CLAIM = "claim"
    SIGNIFICANT = "significant"
    NOT_SIGNIFICANT = "not significant"


#: Between a number's id and the name of a further check of it (:func:`number_id`).
CHECK_SEPARATOR = ":"
_ROW_ID = re.compile(rf"(?P<number>{ID_GRAMMAR})(?:{CHECK_SEPARATOR}(?P<check>[a-z][a-z0-9_]*))?")
_IDS_IN_EXPRESSION = re.compile(ID_GRAMMAR)
#: The columns every row of a number's further checks repeats from the number's first row.
NUMBER_COLUMNS = ("location", "quantity", "variable", "code", "statistic", "value", "printed", "decimals")
LEDGER_FILE = DATA_DIR / "published" / "ledger.csv"
FINDINGS_FILE = DATA_DIR / "published" / "findings.csv"


@dataclass(frozen=True)
class LedgerProblem:
    """One defect of a ledger file: the row (header = row 1; None for the file), the id, the column, the line."""

    row: int | None
    entry_id: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.message


class LedgerError(ValueError):
    """The ledger file cannot be used; ``problems`` lists every defect, and the message has one line for each."""

    def __init__(self, path: str | os.PathLike, problems: list[LedgerProblem]):
        self.path = str(path)
        self.problems = sorted(problems, key=lambda p: (p.row is not None, p.row or 0, p.column or ""))
        super().__init__("\n".join(p.message for p in self.problems))


def number_id(entry_id: str) -> str:
    """The id of the printed number a row checks: the row's id without its ``:check`` (``t3.gender.p:x`` ->
    ``t3.gender.p``)."""
    return entry_id.partition(CHECK_SEPARATOR)[0]


def _known_location(location: str) -> bool:
    try:
        paper_position(location)
    except ValueError:
        return False
    return True


def _known_checks() -> frozenset[str]:
    return frozenset(c.value for c in Check)


def _known_findings() -> frozenset[str]:
    return frozenset(pd.read_csv(FINDINGS_FILE, dtype=str, keep_default_na=False)["finding"])


def ledger_schema(checks: frozenset[str] | None = None, findings: frozenset[str] | None = None) -> pa.DataFrameSchema:
    """The declared schema of the ledger's rows, once ``code``, ``value`` and ``decimals`` are numbers.

    Parameters
    ----------
    checks, findings : frozenset of str, optional
        The names the ``check`` and ``finding`` columns may hold (default: :class:`Check` and
        ``data/published/findings.csv``).
    """
    checks = _known_checks() if checks is None else checks
    findings = _known_findings() if findings is None else findings
    variables = ["", *load_codebook().names]

    def text(check: pa.Check | None = None, unique: bool = False) -> pa.Column:
        return pa.Column(str, check, nullable=False, unique=unique)

    return pa.DataFrameSchema(
        {
            "id": text(pa.Check.str_matches(_ROW_ID.pattern + "$"), unique=True),
            "location": text(pa.Check(lambda s: s.map(_known_location))),
            "quantity": text(pa.Check.str_length(min_value=1)),
            "variable": text(pa.Check.isin(variables)),
            "code": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "statistic": text(pa.Check.isin([k.value for k in StatisticKind])),
            "value": pa.Column(float, nullable=True),
            "printed": text(pa.Check.str_length(min_value=1)),
            "decimals": pa.Column(int, pa.Check.in_range(0, 6)),
            "note": text(),
            "check": text(pa.Check.isin(sorted(checks))),
            "expression": text(),
            "finding": text(pa.Check.isin(sorted(findings))),
        },
        strict=True,
        ordered=True,
        name="published-numbers ledger",
    )


#: The columns whose failed schema check has its own explanation (``published.explain.<column>``).
_EXPLAINED = frozenset(
    {"id", "location", "quantity", "printed", "variable", "code", "statistic", "decimals", "check", "finding"}
)


def _explain(column: str, check: str, value, checks: frozenset[str]) -> str:
    """What a failed schema check means, for one cell."""
    if check == "field_uniqueness":
        return messages.text("published.duplicate_id", value=value)
    if column in _EXPLAINED:
        return messages.text(
            f"published.explain.{column}",
            value=value,
            shown=_shown(value),
            grammar=ID_GRAMMAR,
            statistics=", ".join(k.value for k in StatisticKind),
            checks=", ".join(sorted(checks)),
            findings_file=FINDINGS_FILE.name,
        )
    return messages.text("published.fails", shown=_shown(value), check=check)


class _Located:
    """Problems of one ledger file, each a line naming the file, row, id and column."""

    def __init__(self, path: Path, ids: dict[int, str] | None = None):
        self.path, self.ids = path, ids or {}
        self.problems: list[LedgerProblem] = []

    def reported(self, row: int, column: str) -> bool:
        """Whether a problem was already found in this cell (a later check of it would only repeat it)."""
        return any(p.row == row and p.column == column for p in self.problems)

    def add(self, row: int | None, column: str | None, message: str) -> None:
        where = [] if row is None else [f"row {row}"]
        entry = self.ids.get(row) if row is not None else None
        if entry:
            where[0] += f" (id {entry})"
        if column:
            where.append(f"column '{column}'")
        prefix = f"{self.path}: " + (", ".join(where) + ": " if where else "")
        self.problems.append(LedgerProblem(row, entry, column, prefix + message))


def _table(path: Path) -> tuple[pd.DataFrame, _Located]:
    """The ledger's cells as text, indexed by spreadsheet row; problems with the header and the field counts."""
    found = _Located(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        found.add(None, None, messages.text("published.cannot_read", error=exc))
        raise LedgerError(path, found.problems) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        found.add(len(rows) + 1, None, messages.text("published.malformed", error=exc))
        raise LedgerError(path, found.problems) from None
    if not rows or rows[0] != LEDGER_COLUMNS:
        found.add(1, None, _header_problem(rows[0] if rows else []))
        raise LedgerError(path, found.problems)
    body = {n: r for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)}
    found.ids = {n: r[0] for n, r in body.items() if r}
    for n, r in body.items():
        if len(r) != len(LEDGER_COLUMNS):
            found.add(n, None, messages.text("published.field_count", fields=len(r), expected=len(LEDGER_COLUMNS)))
    if found.problems:
        raise LedgerError(path, found.problems)
    return pd.DataFrame(list(body.values()), index=list(body), columns=LEDGER_COLUMNS), found


def _header_problem(header: list[str]) -> str:
    """What is wrong with a ledger header that is not :data:`LEDGER_COLUMNS`, as one message."""
    missing = [c for c in LEDGER_COLUMNS if c not in header]
    unknown = [c for c in header if c not in LEDGER_COLUMNS]
    parts = [
        *([messages.text("published.header_missing", columns=", ".join(missing))] if missing else []),
        *([messages.text("published.header_unknown", columns=", ".join(unknown))] if unknown else []),
    ]
    what = "; ".join(parts) or messages.text("published.header_order")
    return messages.text("published.header", columns=",".join(LEDGER_COLUMNS), what=what)


def _typed(cells: pd.DataFrame, found: _Located) -> pd.DataFrame:
    """``code`` (Int64, empty allowed), ``value`` (float, empty for a claim) and ``decimals`` (int) as numbers."""
    frame = cells.copy()
    for column, kind in (("code", "not_whole"), ("value", "not_number"), ("decimals", "not_whole")):
        parsed = pd.to_numeric(cells[column].where(cells[column] != ""), errors="coerce")
        bad = parsed.isna() & (cells[column] != "") if column != "decimals" else parsed.isna()
        if kind == "not_whole":
            bad |= parsed.notna() & (parsed % 1 != 0)
        for n in cells.index[bad]:
            found.add(n, column, messages.text(f"published.{kind}", cell=cells.at[n, column]))
        frame[column] = parsed
    frame["code"] = frame["code"].astype("Float64").round().astype("Int64")
    frame["decimals"] = frame["decimals"].fillna(0).astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def _row_problems(frame: pd.DataFrame, found: _Located) -> None:
    """Across columns: a number where one belongs, further checks that repeat their number, ids expressions name."""
    first_rows: dict[str, int] = {}
    for n, entry in frame["id"].items():
        first_rows.setdefault(entry, n)
    for n, row in frame.iterrows():
        if pd.isna(row["value"]) and row["statistic"] != StatisticKind.CLAIM and not found.reported(n, "value"):
            found.add(n, "value", messages.text("published.empty_value", statistic=row["statistic"]))
        match = _ROW_ID.fullmatch(row["id"])
        if match and match.group("check"):
            _further_check_problems(frame, n, match, first_rows.get(match.group("number")), found)
        for named in _IDS_IN_EXPRESSION.findall(row["expression"]):
            if named not in first_rows:
                found.add(n, "expression", messages.text("published.unknown_name", named=named))


def _further_check_problems(frame: pd.DataFrame, n: int, match: re.Match, first: int | None, found: _Located) -> None:
    """A further check (row ``n``) names its check and repeats its number's row ``first``."""
    row = frame.loc[n]
    if first is None:
        found.add(n, "id", messages.text("published.no_number_row", number=match.group("number")))
        return
    if match.group("check") != row["check"]:
        found.add(n, "check", messages.text("published.other_check", check=row["check"], named=match.group("check")))
    for col in NUMBER_COLUMNS:
        mine, theirs = row[col], frame.at[first, col]
        same = (pd.isna(mine) and pd.isna(theirs)) or (pd.notna(mine) and mine == theirs)
        if not same and not found.reported(n, col) and not found.reported(first, col):
            found.add(n, col, messages.text("published.differs", mine=_shown(mine), theirs=_shown(theirs), row=first))


def _shown(cell) -> str:
    if pd.isna(cell):
        return "empty"
    return repr(cell) if isinstance(cell, str) else f"{cell:g}"


def _table_problems(frame: pd.DataFrame, found: _Located) -> None:
    """The numbers the paper's tables are read from (:func:`table1` to :func:`table3`) are all there."""
    book = load_codebook()
    needed = [ids.N]
    for v in book.variables:
        needed += [ids.table1(v.name, c, s) for c in v.codes for s in (ids.Part.COUNT, ids.Part.PCT)]
        needed += [ids.mean(v.name), ids.sd(v.name)]
        needed += [ids.coding(v.name, c) for c in v.codes]
    needed += [ids.table3(p, s) for p in book.predictors for s in (ids.Part.COEF, ids.Part.P)]
    present = set(frame["id"])
    missing = [i for i in needed if i not in present]
    if missing:
        shown = ", ".join(missing[:5]) + (
            messages.text("published.and_more", more=len(missing) - 5) if len(missing) > 5 else ""
        )
        found.add(None, "id", messages.text("published.tables_lack", ids=shown))


def _schema_problems(frame: pd.DataFrame, found: _Located, checks: frozenset[str]) -> None:
    try:
        ledger_schema(checks).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = frame.reset_index().drop_duplicates("id").set_index("id")["index"]
        for case in exc.failure_cases.itertuples(index=False):
            row = None if pd.isna(case.index) else int(case.index)
            message = _explain(str(case.column), str(case.check), case.failure_case, checks)
            if str(case.check) == "field_uniqueness":
                if row == first[case.failure_case]:
                    continue
                message += messages.text("published.first_on_row", row=first[case.failure_case])
            found.add(row, case.column, message)


@lru_cache(maxsize=4)
def _read_ledger(path: str) -> pd.DataFrame:
    cells, found = _table(Path(path))
    frame = _typed(cells, found)
    checks = _known_checks()
    _schema_problems(frame, found, checks)
    _row_problems(frame, found)
    _table_problems(frame, found)
    if found.problems:
        raise LedgerError(path, found.problems)
    return frame.reset_index(drop=True)


def load_ledger(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the ledger (one row per check of a published number), validated and indexed by its ``id``.

    Columns: location in the paper, plain-English quantity, variable and option code where they apply,
    statistic kind (:class:`StatisticKind`), the value as a number (empty for a claim), the text as printed,
    the number of decimals printed, a note, the audit check that judges the entry
    (:class:`Check`), the expression it evaluates where it has one and the finding the entry
    belongs to.

    Raises
    ------
    LedgerError
        If the file cannot be read or any row breaks the schema (:func:`ledger_schema`) or the row model; its
        message has one line per problem, naming the row, the id and the column.
    """
    path = Path(path) if path else LEDGER_FILE
    return _read_ledger(str(path)).set_index("id", drop=False).copy()


def numbers(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ledger's printed numbers, one row each: the rows whose id is a number's id (no further check)."""
    ledger = load_ledger() if ledger is None else ledger
    return ledger[~ledger["id"].str.contains(CHECK_SEPARATOR, regex=False)]


def rows_of(entry: ids.NumberId, ledger: pd.DataFrame | None = None) -> pd.Index:
    """The ids of every row that checks one printed number: the number's own row, then its further checks."""
    ledger = load_ledger() if ledger is None else ledger
    return ledger.index[ledger["id"].map(number_id) == entry]


def table1_counts(ledger: pd.DataFrame | None = None) -> dict[str, dict[int, int]]:
    """Table 1's frequencies as ``{variable: {code: count}}``, variables and codes in codebook order."""
    ledger = numbers(ledger)
    rows = ledger[(ledger["location"] == "Table 1") & (ledger["statistic"] == "count") & (ledger["variable"] != "")]
    book = load_codebook()
    counts = {}
    for var in book.names:
        sub = rows[rows["variable"] == var]
        counts[var] = {code: int(sub.loc[sub["code"] == code, "value"].iloc[0]) for code in book[var].codes}
    return counts


def table1(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 1 as printed: one row per (variable, code) with count and percent, in codebook order."""
    ledger = numbers(ledger)
    t1 = ledger[(ledger["location"] == "Table 1") & (ledger["variable"] != "")]
    wide = t1.pivot_table(index=["variable", "code"], columns="statistic", values="value", aggfunc="first")
    book = load_codebook()
    order = [(v, c) for v in book.names for c in book[v].codes]
    wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=["variable", "code"]))
    wide["count"] = wide["count"].astype(int)
    return wide[["count", "percent"]]


def table2(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 2's printed means and SDs, indexed by variable in Table 2's order."""
    ledger = numbers(ledger)
    t2 = ledger[(ledger["location"] == "Table 2") & ledger["statistic"].isin(["mean", "sd"])]
    wide = t2.pivot(index="variable", columns="statistic", values="value")
    return wide.reindex(load_codebook().names)[["mean", "sd"]]


def table2_codings(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 2's codings as printed: variable, code and the printed 'label = code' text."""
    ledger = numbers(ledger)
    rows = ledger[(ledger["location"] == "Table 2") & (ledger["statistic"] == "coding")]
    return rows[["variable", "code", "printed"]].reset_index(drop=True)


def table3(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 3 as printed: coefficient and p-value per predictor, in the paper's row order."""
    ledger = numbers(ledger)
    t3 = ledger[ledger["location"] == "Table 3"]
    order = list(dict.fromkeys(t3["variable"]))
    wide = t3.pivot(index="variable", columns="statistic", values="value").reindex(order)
    stars = t3[t3["statistic"] == "p"].set_index("variable")["printed"].str.count(r"\*")
    wide["stars"] = stars.reindex(order).astype(int)
    return wide[["coef", "p", "stars"]]


def table3_as_printed(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Table 3 with Table 2's SDs, as printed, in the columns of a :mod:`tablecheck` table.

    Parameters
    ----------
    ledger : DataFrame, optional
        The published-numbers ledger (default: the project's).

    Returns
    -------
    DataFrame
        One row per predictor in Table 3's order; columns ``term`` (the codebook's name), ``b`` and ``p`` (the
        printed text, stars removed), ``stars`` (the asterisks printed beside p) and ``sd`` (Table 2's printed SD).
    """
    ledger = load_ledger() if ledger is None else ledger
    t3 = table3(ledger)
    text = lambda entry: str(ledger.loc[entry, "printed"])
    rows = [
        {
            "term": var,
            "b": text(ids.coef(var)),
            "p": text(ids.p_value(var)).rstrip("*"),
            "stars": "*" * int(t3.loc[var, "stars"]),
            "sd": text(ids.sd(var)),
        }
        for var in t3.index
    ]
    return pd.DataFrame(rows, columns=["term", "b", "p", "stars", "sd"])


def value(entry: ids.NumberId, ledger: pd.DataFrame | None = None) -> float:
    """The published value of one printed number (its id built by :mod:`ridersurvey.data.ledger_ids`)."""
    ledger = load_ledger() if ledger is None else ledger
    return float(ledger.loc[entry, "value"])


#: Section 6.2's uses of 大部分为 ("most ... are"): the ledger entry of the count of the answer it names.
#: For health and policy awareness the text writes 样本大部分为 ("most of the sample"), for employment duration
#: 实际年总就业时间大部分为 ("the actual total employment time is mostly").
MOST_OF_SAMPLE_ITEMS = ("health", "employment_duration", "policy_awareness")


def most_of_sample_ids() -> tuple[ids.NumberId, ...]:
    """The ledger entries of Section 6.2's uses of 大部分为 (built when asked, since an id checks the codebook)."""
    return tuple(ids.section62(v, 2, ids.Part.COUNT) for v in MOST_OF_SAMPLE_ITEMS)


def most_of_sample(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Section 6.2's three uses of 大部分为, each read as the single most frequent answer of the item in Table 1.

    Parameters
    ----------
    ledger : DataFrame, optional
        The published-numbers ledger (default: the project's).

    Returns
    -------
    DataFrame
        One row per use (index ``variable``, in the paper's order): ``code`` and ``count`` of the answer the text
        names (the count as the text prints it), ``top`` (Table 1's largest count for the item), ``tied_with``
        (the other codes with that count), ``holds`` (the answer is the single most frequent one) and
        ``majority`` (it is more than half of the sample, the literal reading, shown for comparison only).
    """
    ledger = load_ledger() if ledger is None else ledger
    counts = table1_counts(ledger)
    n = int(ledger.loc[ids.N, "value"])
    rows = []
    for entry in most_of_sample_ids():
        var, code = str(ledger.loc[entry, "variable"]), int(ledger.loc[entry, "code"])
        item = counts[var]
        top = max(item.values())
        tied = [c for c, k in item.items() if k == top and c != code]
        rows.append(
            {
                "variable": var,
                "code": code,
                "count": int(ledger.loc[entry, "value"]),
                "top": top,
                "tied_with": tied,
                "holds": item[code] == top and not tied,
                "majority": item[code] > n / 2,
            }
        )
    return pd.DataFrame(rows).set_index("variable")


#: Where the paper prints its tables and the parts of Section 7.2, as (section, subsection, place within it).
PAPER_POSITIONS = {
    "Table 1": (6, 2, 0),
    "Section 6.2 (prose)": (6, 2, 1),
    "Section 7.1 (prose)": (7, 1, 0),
    "Table 2": (7, 1, 1),
    "Section 7.2 (model)": (7, 2, 0),
    "Table 3": (7, 2, 1),
    "Section 7.2 (prose)": (7, 2, 2),
}


def paper_position(location: str) -> tuple[int, int, int]:
    """Where a ledger ``location`` ("Section 6.1 (prose)", "Table 3") comes in the paper, as a sort key.

    Parameters
    ----------
    location : str

    Returns
    -------
    tuple of int
        (section, subsection, place within the subsection); a section without a subsection has subsection 0.

    Raises
    ------
    ValueError
        If the location is neither in :data:`PAPER_POSITIONS` nor of the form "Section N[.M][ (…)]".
    """
    if location in PAPER_POSITIONS:
        return PAPER_POSITIONS[location]
    match = re.fullmatch(r"Section (\d+)(?:\.(\d+))?(?: \(.+\))?", location)
    if match is None:
        raise ValueError(messages.text("published.unknown_location", location=location))
    return int(match.group(1)), int(match.group(2) or 0), 0
