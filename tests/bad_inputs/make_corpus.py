"""Regenerate the corpus of malformed (and a few valid-with-report) survey exports in this directory.

Each file starts from one small coded frame (:data:`BASE`) written as a questionnaire platform would
export it, then breaks one thing. ``tests/test_io.py`` holds the table of expected exit codes and
message fragments. Run ``python tests/bad_inputs/make_corpus.py``; the files are committed, so tests
never depend on this script's output being byte-identical (xlsx and sav files embed timestamps).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat

from ridersurvey.data.codebook import load_codebook

HERE = Path(__file__).resolve().parent
BOOK = load_codebook()

BASE = pd.DataFrame(
    {
        "respondent_id": [1, 2, 3, 4, 5, 6, 7, 8],
        "unwilling": [1, 0, 0, 1, 1, 0, 1, 0],
        "gender": [1, 2, 1, 1, 2, 1, 1, 2],
        "hukou": [1, 1, 2, 1, 2, 1, 2, 1],
        "age_group": [2, 1, 2, 3, 2, 1, 2, 3],
        "marital_status": [2, 1, 2, 2, 1, 1, 2, 2],
        "education": [2, 3, 3, 1, 4, 5, 2, 3],
        "health": [3, 2, 4, 1, 5, 3, 2, 4],
        "employment_duration": [1, 2, 2, 1, 1, 2, 2, 1],
        "policy_awareness": [2, 1, 3, 4, 5, 2, 3, 1],
        "publicity": [3, 1, 2, 4, 5, 3, 1, 2],
    }
)
"""A small coded frame that uses every option of every variable at least once."""


def table(frame: pd.DataFrame = BASE, answers: str = "zh", headers: str = "zh") -> list[list[str]]:
    """Header and rows of ``frame`` as text: answers 'zh'/'en' labels or 'code'; headers 'zh'/'en'/'name'."""
    head = {"zh": "序号", "en": "respondent_id", "name": "respondent_id"}[headers]
    out = [[head] + [{"zh": v.question_zh, "en": v.question_en, "name": v.name}[headers] for v in BOOK.variables]]
    for _, rec in frame.iterrows():
        row = [str(int(rec["respondent_id"]))]
        for v in BOOK.variables:
            code = int(rec[v.name])
            row.append(str(code) if answers == "code" else v.label(code, answers))
        out.append(row)
    return out


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def column(name: str) -> int:
    """Position of variable ``name`` in rows made by :func:`table` (id first, then codebook order)."""
    return 1 + BOOK.names.index(name)


def write_xlsx(path: Path, rows: list[list], title: str | None = None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append([int(c) if c.isdigit() else c for c in row])
    wb.save(path)


def write_sav(path: Path, frame: pd.DataFrame) -> None:
    labels = {v.name: {float(o.code): o.zh for o in v.options} for v in BOOK.variables}
    pyreadstat.write_sav(
        frame.astype(float),
        str(path),
        variable_value_labels=labels,
        column_labels=["序号", *[v.question_zh for v in BOOK.variables]],
    )


def main() -> None:
    files: dict[str, bytes] = {}
    zh = table()

    rows = [r[: column("education")] + r[column("education") + 1 :] for r in zh]
    files["missing_column.csv"] = csv_bytes(rows)

    files["unknown_column.csv"] = csv_bytes([r + [x] for r, x in zip(zh, ["提交答卷时间", *["2023/5/6 10:00"] * 8])])

    rows = table()
    rows[4][column("education")] = "博士"
    files["unknown_label.csv"] = csv_bytes(rows)

    rows = table(answers="code", headers="name")
    rows[3][column("health")] = "7"
    files["code_out_of_range.csv"] = csv_bytes(rows, "utf-8")

    rows = table(answers="code", headers="name")
    rows[3][column("publicity")] = "2.5"
    files["non_integer_code.csv"] = csv_bytes(rows, "utf-8")

    rows = table()
    rows[5][0] = "3"
    files["duplicate_id.csv"] = csv_bytes(rows)

    rows = table()
    rows[6][0] = ""
    files["missing_id.csv"] = csv_bytes(rows)

    rows = table()
    rows[3][0] = "A3"
    files["non_integer_id.csv"] = csv_bytes(rows)

    files["empty.csv"] = b""
    files["header_only.csv"] = csv_bytes(zh[:1])
    files["only_blank_rows.csv"] = csv_bytes(zh[:1]) + b",,,,,,,,,,\r\n\r\n"

    good = csv_bytes(zh, "utf-8")
    cut = good.index(b"\r\n", good.index(b"\r\n") + 2)
    files["invalid_bytes.csv"] = good[:cut] + b"\xff\xff\x80" + good[cut:]

    files["utf16.csv"] = csv_bytes(zh, "utf-16", delimiter="\t")

    text = csv_bytes(zh, "utf-8").split(b"\r\n")
    text[3] = text[3].decode("utf-8").encode("gbk")
    files["mixed_encoding.csv"] = b"\r\n".join(text)

    rows = table()
    for r in (3, 6):
        rows[r][column("education")] = str(BASE.loc[r - 1, "education"])
    files["mixed_formats.csv"] = csv_bytes(rows)

    rows = table()
    files["blank_rows.csv"] = csv_bytes(rows[:3] + [[""] * 11] + rows[3:6] + [[""] * 11] + rows[6:])

    rows = table()
    rows[2][column("health")] = ""
    files["missing_answer.csv"] = csv_bytes(rows)

    files["semicolon.csv"] = csv_bytes(zh, delimiter=";")

    rows = table()
    rows[4] = rows[4] + ["多余"]
    files["too_many_fields.csv"] = csv_bytes(rows)

    rows = table()
    rows[5] = rows[5][:-1]
    files["too_few_fields.csv"] = csv_bytes(rows)

    genders = [BOOK["gender"].label(int(g), "zh") for g in BASE["gender"]]
    rows = [r + [x] for r, x in zip(table(), ["您的性别是", *genders])]
    rows[0][column("gender")] = "gender"
    files["duplicate_column.csv"] = csv_bytes(rows)

    rows = [r + [x] for r, x in zip(table(), ["", "备注", "", "", "", "", "", "", ""])]
    files["answers_without_header.csv"] = csv_bytes(rows)

    files["malformed_quotes.csv"] = csv_bytes(zh[:3]) + b'4,"\xe5\x90\xa6"x,\xe7\x94\xb7\r\n'

    files["unsupported.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    files["corrupt.xlsx"] = b"PK\x03\x04 this is not really a zip archive"
    files["corrupt.sav"] = b"$FL2 truncated SPSS header"

    for name, data in files.items():
        (HERE / name).write_bytes(data)

    write_xlsx(HERE / "title_row.xlsx", table(), title="骑手职业伤害保障参保意愿调查 数据导出")
    buffer = io.BytesIO()
    write_xlsx(buffer, table())
    (HERE / "xlsx_named_csv.csv").write_bytes(buffer.getvalue())
    write_xlsx(HERE / "no_header.xlsx", [["问卷数据"], ["第1列", "第2列", "第3列"], *table()[1:]])

    frame = BASE.copy()
    frame.loc[2, "education"] = 9
    write_sav(HERE / "out_of_range.sav", frame)


if __name__ == "__main__":
    main()
