"""Reading survey exports (CSV, XLSX, SPSS .sav) into the coded analysis frame, and writing them back.

Questionnaire platforms and spreadsheets export the same answers in many shapes: Chinese or English
labels or numeric codes, question texts or variable names as headers, UTF-8 or GB18030 bytes, a title
row above the header. :func:`load_responses` accepts all of these, validates the coded result against a
pandera schema declared from the codebook, and either returns the analysis frame with its exclusion
record or raises :class:`SurveyFileError` listing every problem by spreadsheet row and column.

Decisions worth knowing:

* Rows are numbered as a spreadsheet shows them (the header is row 1 when it is the first row); SPSS
  files have no header row, so their problems name the case number instead.
* Entirely blank rows are dropped and reported in :attr:`LoadResult.blank_rows`; they are not counted as
  collected questionnaires, because a blank line carries no respondent.
* A response with an empty answer is excluded (the analysis is complete-case, as in the paper, which
  excluded 3 of 103 questionnaires); the file itself stays valid.
* Within one column all answers must share one format (Chinese labels, English labels or numeric
  codes); a mix usually means a column shifted, so it is an error ("mixed answer formats").
* Lines that open a CSV file with ``#`` are notes about the file, not rows: the project's reconstructed
  files say there that they are not the survey's answers. They are kept in :attr:`LoadResult.notes`,
  ``ridersurvey clean`` writes them into the coded file, and they count in the row numbers, as in a
  spreadsheet.
"""

from __future__ import annotations

import csv
import io as _io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ridersurvey import messages
from ridersurvey.data.codebook import Codebook, Variable, load_codebook, normalise_label
from ridersurvey.data.csvnotes import NOTE_MARK, notes_text, split_notes

#: Headers accepted for the respondent id (Chinese platforms call it 序号 or 编号).
ID_HEADERS = ("respondent_id", "序号", "编号", "id")

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".sav")
HEADER_SEARCH_ROWS = 10
MISSING_MARKERS = frozenset(normalise_label(m) for m in ("", "(跳过)", "(空)"))
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")
_QUESTION_NUMBER = re.compile(r"^(?:q|第)?\d+(?:题)?[、.:\-_)]*")

FORMAT_NAMES = {"zh": "Chinese labels", "en": "English labels", "code": "numeric codes"}


@dataclass(frozen=True)
class Problem:
    """One reason a survey file is invalid, located as precisely as possible.

    ``row`` is the spreadsheet row (header = row 1) or SPSS case number, ``None`` for file-level
    problems; ``message`` is the full human-readable line printed by ``ridersurvey validate``.
    """

    row: int | None
    respondent_id: int | None
    column: str | None
    value: str | None
    allowed: str | None
    message: str

    def __str__(self) -> str:
        return self.message


class SurveyFileError(ValueError):
    """The file cannot be read as a valid survey export; ``problems`` lists every reason found."""

    def __init__(self, path: str | os.PathLike, problems: list[Problem]):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(p.message for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class LoadResult:
    """A validated survey file: the coded analysis frame plus the record of what was left out.

    ``data`` has columns ``Codebook.columns`` (int64); ``exclusions`` has one row per excluded response
    (``row``, ``respondent_id``, ``reason``); ``share_valid`` is ``n_valid / n_collected``; ``notes`` are
    the file's opening ``#`` lines without the mark (:func:`ridersurvey.data.csvnotes.split_notes`).
    """

    data: pd.DataFrame
    exclusions: pd.DataFrame
    n_collected: int
    n_excluded: int
    n_valid: int
    share_valid: float
    blank_rows: tuple[int, ...] = ()
    header_row: int | None = 1
    source_format: str = "csv"
    encoding: str | None = None
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: responses collected, excluded (and why), usable, blank rows ignored, note lines read."""
        line = messages.text("io.summary.counts", collected=self.n_collected, excluded=self.n_excluded)
        if self.n_excluded:
            line += messages.text("io.summary.why_excluded")
        line += messages.text("io.summary.usable", usable=self.n_valid)
        if self.blank_rows:
            line += messages.text("io.summary.blank_rows", blank=_plural(len(self.blank_rows), "blank row"))
        if self.notes:
            line += messages.text("io.summary.notes", notes=_plural(len(self.notes), "note line"), mark=NOTE_MARK)
        if self.header_row and self.header_row > 1 + len(self.notes):
            line += messages.text("io.summary.header_row", row=self.header_row)
        return line


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# ----------------------------------------------------------------------------------------------------
# Schemas


def response_schema(book: Codebook | None = None) -> pa.DataFrameSchema:
    """Schema of parsed responses before exclusions: nullable Int64 answers restricted to the codes.

    Empty answers are allowed here (they lead to exclusion, not to an invalid file); ids must be
    unique whole numbers.
    """
    book = book or load_codebook()
    columns = {book.id_variable: pa.Column("Int64", unique=True, nullable=False)}
    for v in book.variables:
        columns[v.name] = pa.Column("Int64", pa.Check.isin(list(v.codes)), nullable=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name="survey responses")


def coded_schema(book: Codebook | None = None) -> pa.DataFrameSchema:
    """Schema of the coded analysis file: int64 columns ``Codebook.columns``, no gaps, codes only."""
    book = book or load_codebook()
    columns = {book.id_variable: pa.Column("int64", unique=True)}
    for v in book.variables:
        columns[v.name] = pa.Column("int64", pa.Check.isin(list(v.codes)))
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name="coded analysis file")


# ----------------------------------------------------------------------------------------------------
# Reading raw tables


@dataclass
class _Raw:
    """Cells as text, with the spreadsheet row number of every row."""

    rows: list[list[str]]
    numbers: list[int]
    fmt: str
    unit: str = "row"
    encoding: str | None = None
    header_given: bool = False
    alt_headers: list[str] = field(default_factory=list)
    check_widths: bool = False
    notes: tuple[str, ...] = ()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _file_problem(message: str) -> Problem:
    return Problem(None, None, None, None, None, message)


def _read_csv(path: Path) -> _Raw:
    data = path.read_bytes()
    if not data.strip():
        raise SurveyFileError(path, [_file_problem(messages.text("io.csv.empty"))])
    if data.startswith(b"PK\x03\x04"):
        raise SurveyFileError(path, [_file_problem(messages.text("io.csv.xlsx_named_csv"))])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise SurveyFileError(path, [_file_problem(messages.text("io.csv.utf16"))])
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            start = utf8_error.start
            line = data.count(b"\n", 0, start) + 1
            bad = data[start : start + 4].hex(" ")
            problem = _file_problem(messages.text("io.csv.undecodable", bad=bad, start=start, line=line))
            raise SurveyFileError(path, [problem]) from None
    notes, text = split_notes(text)
    try:
        rows = [[c.strip() for c in row] for row in csv.reader(_io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise SurveyFileError(path, [_file_problem(messages.text("io.csv.malformed", error=exc))]) from None
    first = len(notes) + 1
    numbers = list(range(first, first + len(rows)))
    return _Raw(rows, numbers, "csv", encoding=encoding, check_widths=True, notes=notes)


def _read_xlsx(path: Path) -> _Raw:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError or its own errors for corrupt files
        problem = _file_problem(messages.text("io.xlsx.unreadable", kind=type(exc).__name__, error=exc))
        raise SurveyFileError(path, [problem]) from None
    try:
        sheet = wb.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise SurveyFileError(path, [_file_problem(messages.text("io.xlsx.empty"))])
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return _Raw(rows, list(range(1, len(rows) + 1)), "xlsx")


def _read_sav(path: Path) -> _Raw:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat raises ReadstatError/PyreadstatError for unreadable files
        problem = _file_problem(messages.text("io.sav.unreadable", kind=type(exc).__name__, error=exc))
        raise SurveyFileError(path, [problem]) from None
    header = [str(c) for c in frame.columns]
    labels = [str(meta.column_names_to_labels.get(c) or "") for c in frame.columns]
    body = [[_cell_text(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
    return _Raw(
        [header, *body],
        [0, *range(1, len(body) + 1)],
        "sav",
        unit="case",
        encoding=getattr(meta, "file_encoding", None),
        header_given=True,
        alt_headers=labels,
    )


# ----------------------------------------------------------------------------------------------------
# Headers


def _header_table(book: Codebook) -> dict[str, str]:
    table = book.header_lookup()
    for alias in ID_HEADERS:
        table[normalise_label(alias)] = book.id_variable
    return table


def _match_header(text: str, table: Mapping[str, str]) -> str | None:
    key = normalise_label(text)
    if key in table:
        return table[key]
    stripped = _QUESTION_NUMBER.sub("", key).rstrip(":")
    return table.get(stripped) if stripped else None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _find_header(raw: _Raw, table: Mapping[str, str]) -> int | None:
    """Index into ``raw.rows`` of the first row that looks like the codebook's header."""
    if raw.header_given:
        return 0
    for i, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        cells = [c for c in row if c]
        hits = sum(_match_header(c, table) is not None for c in cells)
        if hits >= 2 or (cells and hits == len(cells)):
            return i
    return None


def _no_header_problem(raw: _Raw, book: Codebook) -> Problem:
    first = next((r for r in raw.rows if any(r)), [])
    joined = ",".join(first)
    hint = ""
    for sep, name in ((";", "semicolon"), ("\t", "tab")):
        if sep in joined:
            hint = messages.text("io.header.delimited", name=name)
            break
    if not hint and raw.encoding == "gb18030":
        hint = messages.text("io.header.gb18030")
    examples = ", ".join(repr(x) for x in (book.id_variable, book.variables[1].question_zh, book.variables[1].name))
    return _file_problem(messages.text("io.header.none", rows=HEADER_SEARCH_ROWS, examples=examples, hint=hint))


# ----------------------------------------------------------------------------------------------------
# Answers


def _answer_kinds(v: Variable) -> dict[str, tuple[int, str]]:
    """normalised spelling -> (code, kind) with kind in zh / en / code."""
    kinds: dict[str, tuple[int, str]] = {}
    for o in v.options:
        kinds[normalise_label(str(o.code))] = (o.code, "code")
        kinds[normalise_label(o.en)] = (o.code, "en")
        for spelling in (o.zh, *o.aliases_zh):
            kinds[normalise_label(spelling)] = (o.code, "zh")
    assert set(kinds) == set(v.lookup()), messages.text("io.answer_kinds", name=v.name)
    return kinds


def _allowed_text(v: Variable) -> str:
    zh = "/".join(o.zh for o in v.options)
    en = "/".join(o.en for o in v.options)
    codes = ", ".join(str(c) for c in v.codes)
    return messages.text("io.allowed_answers", zh=zh, en=en, codes=codes)


def _where(raw: _Raw, number: int | None, rid) -> str:
    if number is None:
        return ""
    text = f"{raw.unit} {number}"
    if rid is not None and not pd.isna(rid):
        text += f" (respondent {int(rid)})"
    return text


def _describe_column(header: str, name: str, position: int, raw: _Raw) -> str:
    where = f"column {_column_letter(position)}" if raw.fmt != "sav" else "variable"
    label = (
        f"'{header}'"
        if normalise_label(header) == normalise_label(name)
        else messages.text("io.columns.renamed", header=header, name=name)
    )
    return f"{where} {label}"


def load_responses(path: str | os.PathLike, *, book: Codebook | None = None) -> LoadResult:
    """Read, code and validate one survey export.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, UTF-8 with BOM or GB18030/GBK), ``.xlsx`` or SPSS ``.sav`` file. Headers may
        be variable names, Chinese or English question texts; answers Chinese or English labels or codes.
    book
        Codebook to validate against (default: the project's).

    Returns
    -------
    LoadResult
        The coded frame (columns ``Codebook.columns``, int64) and the exclusion record.

    Raises
    ------
    SurveyFileError
        With one :class:`Problem` per defect when the file cannot be read or does not fit the codebook.
        The input file is only read, never written.
    """
    book = book or load_codebook()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        problem = _file_problem(messages.text("io.file.unsupported", suffix=path.suffix or "(none)"))
        raise SurveyFileError(path, [problem])
    if not path.exists():
        raise SurveyFileError(path, [_file_problem(messages.text("io.file.missing"))])
    if not path.is_file():
        raise SurveyFileError(path, [_file_problem(messages.text("io.file.irregular"))])
    try:
        reader = {".csv": _read_csv, ".xlsx": _read_xlsx, ".sav": _read_sav}[suffix]
        raw = reader(path)
    except OSError as exc:
        raise SurveyFileError(
            path, [_file_problem(messages.text("io.file.unreadable", error=exc.strerror or exc))]
        ) from None
    return _code(raw, path, book)


def _code(raw: _Raw, path: Path, book: Codebook) -> LoadResult:
    """Code a raw table in stages: header, columns, rows, respondent ids, answers, declared schema, exclusions.

    Every stage reports what it finds wrong as :class:`Problem` s (row and column named); a stage that leaves
    nothing to work on raises at once, otherwise all problems are raised together after the schema check.
    """
    table = _header_table(book)
    h = _find_header(raw, table)
    if h is None:
        raise SurveyFileError(path, [_no_header_problem(raw, book)])
    header = raw.rows[h]
    body = list(zip(raw.numbers[h + 1 :], raw.rows[h + 1 :]))
    positions, problems = _map_columns(raw, header, body, table, book)
    rows, blank, row_problems = _response_rows(raw, header, body)
    problems += row_problems
    if not rows:
        what = messages.text("io.no_responses")
        if blank:
            what += f" ({_plural(len(blank), 'blank row')})"
        raise SurveyFileError(path, [*problems, _file_problem(what)])
    ids, bad_id_rows, id_problems = _respondent_ids(raw, header, rows, positions, book)
    problems += id_problems
    frame, answer_problems = _code_answers(raw, header, rows, positions, ids, book)
    problems += answer_problems
    problems += _declared_schema_problems(frame, bad_id_rows, raw, header, positions, book)
    if problems:
        raise SurveyFileError(path, sorted(problems, key=_problem_order))
    return _exclude_incomplete(frame, blank, raw, h, book)


def _map_columns(
    raw: _Raw, header: list[str], body: list[tuple[int, list[str]]], table: Mapping[str, str], book: Codebook
) -> tuple[dict[str, int], list[Problem]]:
    """Match every header cell to a codebook variable: {variable: column index} and the problems
    (unknown, unnamed, duplicate and missing columns)."""
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for j, cell in enumerate(header):
        name = _match_header(cell, table) if cell else None
        if name is None and raw.alt_headers and raw.alt_headers[j]:
            name = _match_header(raw.alt_headers[j], table)
        if name is None:
            if not cell and not any(j < len(r) and r[j] for _, r in body):
                continue
            what = f"column {_column_letter(j)}" if raw.fmt != "sav" else "variable"
            problems.append(
                Problem(
                    None,
                    None,
                    cell,
                    cell,
                    messages.text("io.columns.allowed"),
                    messages.text("io.columns.unknown", where=what, cell=cell)
                    if cell
                    else messages.text("io.columns.unnamed", where=what),
                )
            )
            continue
        if name in positions:
            first = positions[name]
            problems.append(
                Problem(
                    None,
                    None,
                    cell,
                    cell,
                    None,
                    messages.text(
                        "io.columns.duplicate",
                        first=header[first],
                        first_letter=_column_letter(first),
                        cell=cell,
                        letter=_column_letter(j),
                        name=name,
                    ),
                )
            )
            continue
        positions[name] = j
    for v in book.variables:
        if v.name not in positions:
            problems.append(
                Problem(
                    None,
                    None,
                    v.name,
                    None,
                    messages.text("io.columns.missing_allowed", name=v.name, zh=v.question_zh),
                    messages.text("io.columns.missing", name=v.name, zh=v.question_zh, en=v.question_en),
                )
            )

    return positions, problems


def _response_rows(
    raw: _Raw, header: list[str], body: list[tuple[int, list[str]]]
) -> tuple[list[tuple[int, list[str]]], list[int], list[Problem]]:
    """The non-blank rows, padded to the header's width: (rows as (number, cells), blank row numbers,
    problems with the number of fields)."""
    problems: list[Problem] = []
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    blank: list[int] = []
    for number, cells in body:
        if not any(cells):
            blank.append(number)
            continue
        if raw.check_widths and len(cells) != width:
            extra = cells[width:]
            if len(cells) > width and not any(extra):
                cells = cells[:width]
            else:
                problems.append(
                    Problem(
                        number,
                        None,
                        None,
                        None,
                        f"{width} fields",
                        messages.text("io.rows.fields", unit=raw.unit, number=number, cells=len(cells), width=width),
                    )
                )
                continue
        rows.append((number, cells + [""] * (width - len(cells))))
    return rows, blank, problems


def _respondent_ids(
    raw: _Raw, header: list[str], rows: list[tuple[int, list[str]]], positions: Mapping[str, int], book: Codebook
) -> tuple[pd.Series, set[int], list[Problem]]:
    """Respondent ids by row (numbered 1, 2, ... when the file has no id column), the rows whose id is
    missing or not a whole number, and those problems."""
    problems: list[Problem] = []
    numbers = [n for n, _ in rows]
    index = pd.Index(numbers, name="row")
    id_values: dict[int, int] = {}
    bad_id_rows: set[int] = set()
    if book.id_variable in positions:
        j = positions[book.id_variable]
        for number, cells in rows:
            text = normalise_label(cells[j])
            if text == "":
                problems.append(
                    Problem(
                        number,
                        None,
                        header[j],
                        "",
                        "a whole number",
                        messages.text(
                            "io.ids.missing", unit=raw.unit, number=number, letter=_column_letter(j), header=header[j]
                        ),
                    )
                )
                bad_id_rows.add(number)
            elif _INTEGER.match(text):
                id_values[number] = int(float(text))
            else:
                problems.append(
                    Problem(
                        number,
                        None,
                        header[j],
                        cells[j],
                        "a whole number",
                        messages.text(
                            "io.ids.not_whole", unit=raw.unit, number=number, value=cells[j], letter=_column_letter(j)
                        ),
                    )
                )
                bad_id_rows.add(number)
    else:
        id_values = dict(zip(numbers, range(1, len(rows) + 1)))
    ids = pd.Series([id_values.get(n, pd.NA) for n in numbers], index=index, dtype="Int64")

    return ids, bad_id_rows, problems


def _code_answers(
    raw: _Raw,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    positions: Mapping[str, int],
    ids: pd.Series,
    book: Codebook,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Every answer as its code (labels in Chinese or English, or codes; blanks stay missing): the coded
    frame indexed by row and the problems (unknown answers, a column mixing answer formats)."""
    problems: list[Problem] = []
    numbers = [n for n, _ in rows]
    index = ids.index
    coded = {book.id_variable: ids}
    for v in book.variables:
        if v.name not in positions:
            continue
        j = positions[v.name]
        kinds = _answer_kinds(v)
        col = _describe_column(header[j], v.name, j, raw)
        codes: dict[int, int] = {}
        seen: dict[str, list[int]] = {}
        for number, cells in rows:
            text = normalise_label(cells[j])
            if text in MISSING_MARKERS:
                continue
            if text in kinds:
                code, kind = kinds[text]
                seen.setdefault(kind, []).append(number)
            elif _INTEGER.match(text):
                code = int(float(text))
            else:
                problems.append(
                    Problem(
                        number,
                        _opt(ids[number]),
                        v.name,
                        cells[j],
                        _allowed_text(v),
                        messages.text(
                            "io.answers.unknown",
                            where=_where(raw, number, ids[number]),
                            column=col,
                            value=cells[j],
                            allowed=_allowed_text(v),
                        ),
                    )
                )
                continue
            codes[number] = code
        if len(seen) > 1:
            majority = max(seen, key=lambda k: len(seen[k]))
            others = sorted(n for k, ns in seen.items() if k != majority for n in ns)
            first = others[0]
            counts = ", ".join(f"{FORMAT_NAMES[k]} on {_plural(len(ns), raw.unit)}" for k, ns in seen.items())
            bad_value = rows[numbers.index(first)][1][j]
            problems.append(
                Problem(
                    first,
                    _opt(ids[first]),
                    v.name,
                    bad_value,
                    f"one format: {FORMAT_NAMES[majority]}",
                    messages.text(
                        "io.answers.mixed", column=col, counts=counts, value=bad_value, unit=raw.unit, number=first
                    ),
                )
            )
        coded[v.name] = pd.Series([codes.get(n, pd.NA) for n in numbers], index=index, dtype="Int64")
    frame = pd.DataFrame(coded, index=index)

    return frame, problems


def _declared_schema_problems(
    frame: pd.DataFrame,
    bad_id_rows: set[int],
    raw: _Raw,
    header: list[str],
    positions: Mapping[str, int],
    book: Codebook,
) -> list[Problem]:
    """The declared schema's verdict (:func:`response_schema`): codes allowed per column, unique whole ids."""
    problems: list[Problem] = []
    schema = response_schema(book)
    present = [c for c in book.columns if c in frame]
    answers = schema.select_columns(present).remove_columns([book.id_variable])
    problems += _schema_problems(answers, frame.drop(columns=[book.id_variable]), frame, raw, header, positions, book)
    id_rows = frame.loc[~frame.index.isin(bad_id_rows), [book.id_variable]]
    problems += _schema_problems(
        schema.select_columns([book.id_variable]), id_rows, frame, raw, header, positions, book
    )
    return problems


def _exclude_incomplete(frame: pd.DataFrame, blank: list[int], raw: _Raw, h: int, book: Codebook) -> LoadResult:
    """The paper's rule: a response with any empty answer is excluded (and listed with its reason)."""
    missing = frame[book.names].isna()
    excluded = missing.any(axis=1)
    labels = book.labels()

    def reason(n: int) -> str:
        shown = [messages.text("io.exclusion.column", name=c, label=labels[c]) for c in book.names if missing.at[n, c]]
        return messages.text("io.exclusion.missing", columns=messages.text("lists.separator").join(shown))

    exclusions = pd.DataFrame(
        {
            "row": pd.Series([n for n in frame.index[excluded]], dtype="int64"),
            "respondent_id": pd.Series([int(i) for i in frame.loc[excluded, book.id_variable]], dtype="int64"),
            "reason": [reason(n) for n in frame.index[excluded]],
        }
    )
    data = frame.loc[~excluded, book.columns].astype("int64").reset_index(drop=True)
    data = coded_schema(book).validate(data)
    n_collected = len(frame)
    n_valid = len(data)
    return LoadResult(
        data=data,
        exclusions=exclusions,
        n_collected=n_collected,
        n_excluded=int(excluded.sum()),
        n_valid=n_valid,
        share_valid=n_valid / n_collected,
        blank_rows=tuple(blank),
        header_row=raw.numbers[h] if raw.fmt != "sav" else None,
        source_format=raw.fmt,
        encoding=raw.encoding,
        notes=raw.notes,
    )


def _opt(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _problem_order(p: Problem):
    return (p.row is not None, p.row or 0, p.column or "")


def _schema_problems(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    full: pd.DataFrame,
    raw: _Raw,
    header: list[str],
    positions: Mapping[str, int],
    book: Codebook,
) -> list[Problem]:
    """Run pandera lazily and turn its failure cases into located problems."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems = []
    idv = book.id_variable
    for case in cases.itertuples(index=False):
        column, check, number = case.column, str(case.check), case.index
        if column not in positions or pd.isna(number):
            problems.append(
                _file_problem(messages.text("io.schema.failed", check=check, column=column, case=case.failure_case))
            )
            continue
        number = int(number)
        rid = full.at[number, idv]
        j = positions[column]
        if column == idv and check == "field_uniqueness":
            others = [int(n) for n in full.index[(full[idv] == case.failure_case).fillna(False)] if n != number]
            problems.append(
                Problem(
                    number,
                    _opt(rid),
                    idv,
                    str(case.failure_case),
                    "unique ids",
                    messages.text(
                        "io.schema.duplicate_id",
                        unit=raw.unit,
                        number=number,
                        id=case.failure_case,
                        others=", ".join(map(str, others)),
                    ),
                )
            )
        elif check.startswith("isin"):
            v = book[column]
            col = _describe_column(header[j], column, j, raw)
            problems.append(
                Problem(
                    number,
                    _opt(rid),
                    column,
                    str(case.failure_case),
                    _allowed_text(v),
                    messages.text(
                        "io.schema.out_of_range",
                        where=_where(raw, number, rid),
                        column=col,
                        code=case.failure_case,
                        allowed=_allowed_text(v),
                    ),
                )
            )
        else:
            problems.append(
                Problem(
                    number,
                    _opt(rid),
                    column,
                    str(case.failure_case),
                    None,
                    messages.text(
                        "io.schema.check",
                        where=_where(raw, number, rid),
                        header=header[j],
                        check=check,
                        value=case.failure_case,
                    ),
                )
            )
    return problems


# ----------------------------------------------------------------------------------------------------
# Writing


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the target directory, then replace: a failure loses nothing."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_coded(
    frame: pd.DataFrame, path: str | os.PathLike, *, book: Codebook | None = None, notes: Iterable[str] = ()
) -> None:
    """Write a coded analysis frame exactly as ``data/riders_survey.csv`` is stored.

    UTF-8 without BOM, ``\\n`` line ends, the ``notes`` as opening ``#`` lines
    (:func:`ridersurvey.data.csvnotes.notes_text`), no index, columns ``Codebook.columns``; validated against
    :func:`coded_schema` first and written atomically.
    """
    book = book or load_codebook()
    frame = coded_schema(book).validate(frame[book.columns].astype("int64"))
    text = notes_text(notes) + frame.to_csv(index=False, lineterminator="\n")
    _atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))


def write_raw_export(
    frame: pd.DataFrame,
    path: str | os.PathLike,
    *,
    lang: str = "zh",
    missing: Mapping[int, str | Iterable[str]] | None = None,
    book: Codebook | None = None,
    notes: Iterable[str] = (),
) -> None:
    """Write a coded frame the way a questionnaire platform exports it (UTF-8 CSV with BOM), below the
    ``notes`` as opening ``#`` lines (:func:`ridersurvey.data.csvnotes.notes_text`).

    The header is ``序号`` and the codebook's question texts, the answers are labels (``lang`` 'zh' or
    'en'; with 'en' the id header is ``respondent_id``). Cells that are missing (NA) in ``frame``, or
    listed in ``missing`` as ``{respondent_id: variable or variables}``, are written empty, so that
    :func:`load_responses` excludes those responses.
    """
    if lang not in ("zh", "en"):
        raise ValueError(messages.text("io.export.lang", lang=lang))
    book = book or load_codebook()
    absent = [c for c in book.names if c not in frame]
    if absent:
        raise ValueError(messages.text("io.export.absent", absent=absent))
    ids = frame[book.id_variable] if book.id_variable in frame else pd.Series(range(1, len(frame) + 1))
    ids = [int(i) for i in ids]
    out = _export_rows(frame, ids, _export_blanks(missing or {}, ids, book), lang, book)
    buffer = _io.StringIO(notes_text(notes), newline="")
    buffer.seek(0, _io.SEEK_END)
    csv.writer(buffer, lineterminator="\n").writerows(out)
    _atomic_write(Path(path), lambda fh: fh.write(buffer.getvalue().encode("utf-8-sig")))


def _export_blanks(missing: Mapping[int, str | Iterable[str]], ids: list[int], book: Codebook) -> dict[int, set[str]]:
    """``write_raw_export``'s ``missing``, checked against the codebook and the ids: {respondent id: variables}."""
    blanks = {}
    for rid, names in missing.items():
        names = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in names if n not in book.names]
        if unknown:
            raise ValueError(messages.text("io.export.unknown_variables", unknown=unknown))
        if int(rid) not in ids:
            raise ValueError(messages.text("io.export.unknown_respondent", rid=rid))
        blanks[int(rid)] = set(names)
    return blanks


def _export_rows(
    frame: pd.DataFrame, ids: list[int], blanks: Mapping[int, set[str]], lang: str, book: Codebook
) -> list[list[str]]:
    """The header and one row of labels per respondent, as ``write_raw_export`` writes them (blanks empty)."""
    id_header = "序号" if lang == "zh" else book.id_variable
    out = [[id_header, *(v.question_zh if lang == "zh" else v.question_en for v in book.variables)]]
    for rid, (_, rec) in zip(ids, frame.iterrows()):
        line = [str(rid)]
        for v in book.variables:
            code = rec[v.name]
            line.append("" if pd.isna(code) or v.name in blanks.get(rid, ()) else v.label(int(code), lang))
        out.append(line)
    return out


# ----------------------------------------------------------------------------------------------------
# Reports


def exclusion_report(result: LoadResult) -> str:
    """Collected, excluded with reasons, valid, and the share valid as a percentage (several lines)."""
    unit = "case" if result.source_format == "sav" else "row"
    lines = [messages.text("io.report.collected", collected=result.n_collected)]
    if result.blank_rows:
        lines[0] += messages.text("io.report.blank_rows", blank=_plural(len(result.blank_rows), "blank row"))
    lines.append(messages.text("io.report.excluded", excluded=result.n_excluded))
    for rec in result.exclusions.itertuples(index=False):
        lines.append(
            messages.text("io.report.exclusion", unit=unit, row=rec.row, rid=rec.respondent_id, reason=rec.reason)
        )
    lines.append(messages.text("io.report.valid", valid=result.n_valid, percent=100 * result.share_valid))
    return "\n".join(lines)
