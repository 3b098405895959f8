"""The survey data layer: every export format loads to the same coded frame; every malformed file fails
with a located, one-line-per-problem message and exit code 2, without a traceback and without being
modified."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pandera.pandas as pa
import pyreadstat
import pytest

import ridersurvey
from ridersurvey.cli import clean_command, validate_command
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.csvnotes import split_notes
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.data.readers import (
    LoadResult,
    SurveyFileError,
    _atomic_write,
    coded_schema,
    load_responses,
    write_coded,
    write_raw_export,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad_inputs"
BOOK = load_codebook()
SHIPPED_NOTES = split_notes((DATA_DIR / "riders_survey.csv").read_text(encoding="utf-8"))[0]

# file, exit code, fragment of the output (stderr when exit 2, stdout when exit 0)
CASES = [
    ("missing_column.csv", 2, "missing column 'education'"),
    ("unknown_column.csv", 2, "column L '提交答卷时间': unknown column"),
    ("unknown_label.csv", 2, "row 5 (respondent 4), column G '您当前的文化程度？' (education): unknown answer '博士'"),
    ("code_out_of_range.csv", 2, "row 4 (respondent 3), column H 'health': code 7 is out of range; allowed:"),
    ("non_integer_code.csv", 2, "column K 'publicity': unknown answer '2.5'"),
    ("duplicate_id.csv", 2, "row 6: duplicate respondent id 3 (also on row 4)"),
    ("missing_id.csv", 2, "row 7: missing respondent id in column A '序号'"),
    ("non_integer_id.csv", 2, "row 4: respondent id 'A3' in column A is not a whole number"),
    ("empty.csv", 2, "the file is empty"),
    ("header_only.csv", 2, "the file has a header but no responses"),
    ("only_blank_rows.csv", 2, "no responses (2 blank rows)"),
    ("invalid_bytes.csv", 2, "neither UTF-8 nor GB18030 (first bad bytes ff ff 80"),
    ("mixed_encoding.csv", 2, "line 4); it may mix encodings"),
    ("utf16.csv", 2, "UTF-16"),
    ("mixed_formats.csv", 2, "(education): mixed answer formats (Chinese labels on 6 rows, numeric codes on 2 rows"),
    ("semicolon.csv", 2, "semicolon-delimited"),
    ("too_many_fields.csv", 2, "row 5: has 12 fields but the header has 11"),
    ("too_few_fields.csv", 2, "row 6: has 10 fields but the header has 11"),
    ("duplicate_column.csv", 2, "are both 'gender': duplicate column"),
    ("answers_without_header.csv", 2, "column L has answers but no header"),
    ("malformed_quotes.csv", 2, "malformed CSV"),
    ("xlsx_named_csv.csv", 2, "XLSX workbook with a .csv name"),
    ("corrupt.xlsx", 2, "cannot read the file as an XLSX workbook"),
    ("no_header.xlsx", 2, "no recognisable header row"),
    ("corrupt.sav", 2, "cannot read the file as an SPSS .sav file"),
    ("out_of_range.sav", 2, "case 3 (respondent 3), variable 'education': code 9 is out of range"),
    ("unsupported.xls", 2, "unsupported file type '.xls'"),
    ("blank_rows.csv", 0, "valid: 8 responses, 0 excluded, 8 usable; 2 blank rows ignored"),
    ("missing_answer.csv", 0, "valid: 8 responses, 1 excluded (missing key variable), 7 usable"),
    ("title_row.xlsx", 0, "valid: 8 responses, 0 excluded, 8 usable; header found on row 2"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_frame() -> pd.DataFrame:
    """Five respondents that between them use every option of every variable."""
    data = {BOOK.id_variable: [11, 12, 13, 14, 15]}
    for v in BOOK.variables:
        data[v.name] = [v.codes[i % len(v.codes)] for i in range(5)]
    return pd.DataFrame(data)


def rows_of(frame: pd.DataFrame, answers: str, headers: str) -> list[list]:
    """Header and rows of ``frame``: answers 'zh'/'en'/'code', headers 'zh'/'en'/'name'."""
    pick = {"zh": lambda v: v.question_zh, "en": lambda v: v.question_en, "name": lambda v: v.name}[headers]
    out = [["序号" if headers == "zh" else BOOK.id_variable, *(pick(v) for v in BOOK.variables)]]
    for _, rec in frame.iterrows():
        out.append(
            [
                int(rec[BOOK.id_variable]),
                *(
                    int(rec[v.name]) if answers == "code" else v.label(int(rec[v.name]), answers)
                    for v in BOOK.variables
                ),
            ]
        )
    return out


def write_csv(path: Path, rows: list[list], encoding: str) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    if title:
        wb.active.append([title])
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


# ----------------------------------------------------------------------------------------------------
# the bad-input corpus


def test_corpus_is_complete_and_large_enough():
    files = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py")
    assert sorted(name for name, _, _ in CASES) == files
    assert sum(code == 2 for _, code, _ in CASES) >= 20


@pytest.mark.parametrize("name, code, fragment", CASES, ids=[c[0] for c in CASES])
def test_corpus_file(name, code, fragment, capsys):
    path = CORPUS / name
    before = sha256(path), path.stat().st_mtime_ns
    assert validate_command(path) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 0:
        assert err == "" and out.count("\n") == 1
        assert fragment in out
    else:
        assert out == ""
        assert fragment in err, err
        assert all(line.startswith(f"{path}: ") for line in err.splitlines())
    assert (sha256(path), path.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    "name, code, fragment",
    [CASES[2], CASES[25], CASES[-1]],
    ids=["unknown_label", "sav_out_of_range", "xlsx_title_row"],
)
def test_corpus_through_the_command_line(name, code, fragment):
    path = CORPUS / name
    before = sha256(path)
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == code
    assert fragment in (proc.stdout if code == 0 else proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert sha256(path) == before


def test_problems_are_structured():
    with pytest.raises(SurveyFileError) as info:
        load_responses(CORPUS / "unknown_label.csv")
    (problem,) = info.value.problems
    assert (problem.row, problem.respondent_id, problem.column, problem.value) == (5, 4, "education", "博士")
    assert "小学及以下" in problem.allowed and "codes 1, 2, 3, 4, 5" in problem.allowed
    assert str(problem) == problem.message


def test_every_problem_in_a_file_is_reported(tmp_path):
    rows = rows_of(small_frame(), "zh", "zh")
    rows[1][3] = "火星"
    rows[3][7] = "9"
    rows[3][8] = "6个月"
    rows[0].append("IP地址")
    for r in rows[1:]:
        r.append("127.0.0.1")
    path = write_csv(tmp_path / "many.csv", rows, "utf-8-sig")
    with pytest.raises(SurveyFileError) as info:
        load_responses(path)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 4, messages
    assert "unknown column" in messages[0]
    assert messages[1].startswith("row 2 (respondent 11), column D '您的户籍状况' (hukou): unknown answer '火星'")
    assert any(m.startswith("row 4 (respondent 13), column H") and "code 9 is out of range" in m for m in messages)
    assert any(m.startswith("row 4 (respondent 13), column I") and "unknown answer '6个月'" in m for m in messages)


def test_missing_file_and_directory_are_one_line(tmp_path, capsys):
    assert validate_command(tmp_path / "nowhere.csv") == 2
    assert validate_command(tmp_path) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert "no such file" in err[0] and "unsupported file type" in err[1]
    (tmp_path / "dir.csv").mkdir()
    assert validate_command(tmp_path / "dir.csv") == 2
    assert "not a regular file" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------------
# valid files in every format load to the same coded frame


def _sav(path: Path, frame: pd.DataFrame, labels: str | None) -> Path:
    value_labels = {v.name: {float(o.code): o.zh for o in v.options} for v in BOOK.variables}
    if labels == "strings":
        data = BOOK.to_labels(frame, "zh")
        pyreadstat.write_sav(data, str(path))
    else:
        pyreadstat.write_sav(
            frame.astype(float),
            str(path),
            variable_value_labels=value_labels,
            column_labels=["序号", *(v.question_zh for v in BOOK.variables)],
        )
    return path


def _renamed_sav(path: Path, frame: pd.DataFrame) -> Path:
    """Variable names SPSS would invent (Q1, Q2 ...) with the question texts only as variable labels."""
    data = frame.astype(float)
    data.columns = ["ID", *(f"Q{i}" for i in range(1, len(BOOK.variables) + 1))]
    pyreadstat.write_sav(data, str(path), column_labels=["序号", *(v.question_zh for v in BOOK.variables)])
    return path


VARIANTS = {
    "csv utf-8, zh labels, zh questions": lambda p, f: write_csv(p / "a.csv", rows_of(f, "zh", "zh"), "utf-8"),
    "csv utf-8-sig, zh labels, zh questions": lambda p, f: write_csv(p / "a.csv", rows_of(f, "zh", "zh"), "utf-8-sig"),
    "csv gb18030, zh labels, zh questions": lambda p, f: write_csv(p / "a.csv", rows_of(f, "zh", "zh"), "gb18030"),
    "csv gbk, zh labels, variable names": lambda p, f: write_csv(p / "a.csv", rows_of(f, "zh", "name"), "gbk"),
    "csv utf-8, en labels, en questions": lambda p, f: write_csv(p / "a.csv", rows_of(f, "en", "en"), "utf-8"),
    "csv utf-8, codes, variable names": lambda p, f: write_csv(p / "a.csv", rows_of(f, "code", "name"), "utf-8"),
    "csv gb18030, codes, zh questions": lambda p, f: write_csv(p / "a.csv", rows_of(f, "code", "zh"), "gb18030"),
    "xlsx, zh labels, zh questions": lambda p, f: write_xlsx(p / "a.xlsx", rows_of(f, "zh", "zh")),
    "xlsx with title row, en labels": lambda p, f: write_xlsx(p / "a.xlsx", rows_of(f, "en", "name"), "调查数据"),
    "xlsx, codes, en questions": lambda p, f: write_xlsx(p / "a.xlsx", rows_of(f, "code", "en")),
    "sav, codes with value labels": lambda p, f: _sav(p / "a.sav", f, "codes"),
    "sav, string labels": lambda p, f: _sav(p / "a.sav", f, "strings"),
    "sav, question texts as variable labels": lambda p, f: _renamed_sav(p / "a.sav", f),
    "write_raw_export zh": lambda p, f: (write_raw_export(f, p / "a.csv"), p / "a.csv")[1],
    "write_raw_export en": lambda p, f: (write_raw_export(f, p / "a.csv", lang="en"), p / "a.csv")[1],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_format_loads_to_the_same_coded_frame(variant, tmp_path):
    frame = small_frame()
    path = VARIANTS[variant](tmp_path, frame)
    before = sha256(path)
    result = load_responses(path)
    assert isinstance(result, LoadResult)
    assert list(result.data.columns) == BOOK.columns
    assert all(str(t) == "int64" for t in result.data.dtypes)
    pd.testing.assert_frame_equal(result.data, frame.astype("int64"))
    assert (result.n_collected, result.n_excluded, result.n_valid, result.share_valid) == (5, 0, 5, 1.0)
    assert result.exclusions.empty
    assert sha256(path) == before


def test_header_spellings_platforms_use(tmp_path):
    """Full-width punctuation, stray spaces, question numbers ('1、', 'Q2.') and 编号 are all accepted."""
    frame = small_frame()
    rows = rows_of(frame, "zh", "zh")
    rows[0][0] = "编号"
    rows[0][1] = "1、" + rows[0][1]
    rows[0][2] = "Q2. " + rows[0][2]
    rows[0][5] = rows[0][5].replace("？", "?")
    rows[0][8] = "年总就业时间（灵活就业者实际年总就业时间）？"
    for r in rows[1:]:
        r[4] = r[4].replace("~", "～")
        r[8] = r[8].replace("个", " 个 ")
    path = write_csv(tmp_path / "wjx.csv", rows, "utf-8-sig")
    pd.testing.assert_frame_equal(load_responses(path).data, frame)


def test_without_id_column_ids_follow_file_order_over_non_blank_rows(tmp_path):
    frame = small_frame()
    rows = [r[1:] for r in rows_of(frame, "zh", "zh")]
    rows.insert(3, [""] * len(rows[0]))
    path = write_csv(tmp_path / "noid.csv", rows, "utf-8")
    result = load_responses(path)
    assert list(result.data[BOOK.id_variable]) == [1, 2, 3, 4, 5]
    assert result.blank_rows == (4,)
    assert result.n_collected == 5
    pd.testing.assert_frame_equal(result.data.drop(columns=BOOK.id_variable), frame.drop(columns=BOOK.id_variable))


def test_package_level_load_responses():
    result = ridersurvey.load_responses(CORPUS / "title_row.xlsx")
    assert result.n_valid == 8 and result.header_row == 2 and result.source_format == "xlsx"


def test_mixing_chinese_and_english_labels_is_an_error(tmp_path):
    rows = rows_of(small_frame(), "zh", "zh")
    rows[2][2] = BOOK["gender"].label(BOOK["gender"].lookup()[rows[2][2]], "en")
    with pytest.raises(SurveyFileError, match="mixed answer formats"):
        load_responses(write_csv(tmp_path / "mix.csv", rows, "utf-8"))


def test_trailing_empty_fields_are_tolerated(tmp_path):
    rows = rows_of(small_frame(), "zh", "zh")
    rows[2] = rows[2] + ["", ""]
    assert load_responses(write_csv(tmp_path / "trail.csv", rows, "utf-8")).n_valid == 5


# ----------------------------------------------------------------------------------------------------
# exclusions and row numbers


def test_exclusions_name_the_spreadsheet_row_and_the_missing_variable(tmp_path):
    frame = small_frame()
    rows = rows_of(frame, "zh", "zh")
    rows[2][1 + BOOK.names.index("education")] = ""
    rows[4][1 + BOOK.names.index("health")] = "(跳过)"
    rows[4][1 + BOOK.names.index("gender")] = "  "
    path = write_csv(tmp_path / "gaps.csv", rows, "utf-8")
    result = load_responses(path)
    assert result.exclusions.to_dict("records") == [
        {"row": 3, "respondent_id": 12, "reason": "missing 'education'"},
        {"row": 5, "respondent_id": 14, "reason": "missing 'gender', 'health'"},
    ]
    assert (result.n_collected, result.n_excluded, result.n_valid) == (5, 2, 3)
    assert result.share_valid == pytest.approx(3 / 5)
    pd.testing.assert_frame_equal(result.data, frame[~frame[BOOK.id_variable].isin([12, 14])].reset_index(drop=True))


def test_rows_below_a_title_row_are_numbered_as_in_the_spreadsheet(tmp_path):
    rows = rows_of(small_frame(), "zh", "zh")
    rows[3][1 + BOOK.names.index("age_group")] = "99岁"
    path = write_xlsx(tmp_path / "t.xlsx", rows, title="导出")
    with pytest.raises(SurveyFileError) as info:
        load_responses(path)
    assert info.value.problems[0].row == 5


# ----------------------------------------------------------------------------------------------------
# the declared schema


def test_coded_schema_is_a_real_pandera_schema():
    schema = coded_schema()
    assert isinstance(schema, pa.DataFrameSchema)
    frame = small_frame()
    schema.validate(frame)
    for broken in (
        frame.assign(health=[1, 2, 3, 4, 6]),
        frame.assign(respondent_id=[1, 1, 2, 3, 4]),
        frame.assign(gender=[1.0, 2.0, 1.0, 2.0, 1.0]),
        frame[BOOK.columns[::-1]],
    ):
        with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors)):
            schema.validate(broken)


def test_the_shipped_coded_file_satisfies_the_schema():
    frame = pd.read_csv(DATA_DIR / "riders_survey.csv", comment="#")
    coded_schema().validate(frame)


# ----------------------------------------------------------------------------------------------------
# clean


@pytest.fixture
def raw_103(tmp_path):
    """The shipped coded file plus three responses with a key answer blank, as a platform export below the
    shipped file's note lines."""
    coded = pd.read_csv(DATA_DIR / "riders_survey.csv", comment="#")
    extra = coded.iloc[[0, 1, 2]].copy()
    extra[BOOK.id_variable] = [901, 902, 903]
    parts = [coded.iloc[:16], extra.iloc[[0]], coded.iloc[16:50], extra.iloc[[1]], coded.iloc[50:], extra.iloc[[2]]]
    frame = pd.concat(parts, ignore_index=True)
    raw = tmp_path / "responses.csv"
    write_raw_export(
        frame, raw, missing={901: "education", 902: ["health"], 903: ["unwilling", "publicity"]}, notes=SHIPPED_NOTES
    )
    return raw, coded


def test_clean_reproduces_the_coded_file_exactly(raw_103, tmp_path, capsys):
    raw, coded = raw_103
    before = sha256(raw)
    out = tmp_path / "riders_survey.csv"
    assert clean_command(raw, out) == 0
    assert out.read_bytes() == (DATA_DIR / "riders_survey.csv").read_bytes()
    shipped = "".join(f"# {note}\n" for note in SHIPPED_NOTES) + coded.to_csv(index=False, lineterminator="\n")
    assert out.read_bytes() == shipped.encode("utf-8")
    assert sha256(raw) == before
    text = capsys.readouterr().out
    assert "collected: 103\nexcluded: 3\n" in text
    k = len(SHIPPED_NOTES)  # the note lines are rows of the spreadsheet too
    assert f"  row {18 + k} (respondent 901): missing 'education'" in text
    assert f"  row {53 + k} (respondent 902): missing 'health'" in text
    assert f"  row {104 + k} (respondent 903): missing 'unwilling', 'publicity'" in text
    assert f"valid: 100 ({100 * 100 / 103:.1f}% of collected)" in text
    capsys.readouterr()
    assert validate_command(raw) == 0
    assert capsys.readouterr().out == (
        "".join(f"# {note}\n" for note in SHIPPED_NOTES)
        + "valid: 103 responses, 3 excluded (missing key variable), 100 usable"
        + f"; {k} note lines ('#') above the header\n"
    )


def test_clean_refuses_to_overwrite_its_input(raw_103, tmp_path, capsys):
    raw, _ = raw_103
    before = sha256(raw)
    link = tmp_path / "link.csv"
    os.link(raw, link)
    for target in (raw, tmp_path / "." / raw.name, link):
        assert clean_command(raw, target) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all("refusing to overwrite the input" in line for line in err)
    assert sha256(raw) == before


def test_clean_reports_bad_input_and_bad_output_in_one_line(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert clean_command(CORPUS / "duplicate_id.csv", out) == 2
    assert not out.exists()
    assert "duplicate respondent id 3" in capsys.readouterr().err
    assert clean_command(CORPUS / "title_row.xlsx", tmp_path / "no" / "such" / "dir.csv") == 2
    assert clean_command(CORPUS / "title_row.xlsx", tmp_path) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "does not exist" in err[0] and "is a directory" in err[1]


def test_clean_writes_atomically(tmp_path):
    out = tmp_path / "coded.csv"
    out.write_text("previous contents\n", encoding="utf-8")

    def failing(fh):
        fh.write(b"respondent_id,unwil")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        _atomic_write(out, failing)
    assert out.read_text(encoding="utf-8") == "previous contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["coded.csv"]


def test_write_coded_rejects_an_invalid_frame(tmp_path):
    with pytest.raises(pa.errors.SchemaError):
        write_coded(small_frame().assign(unwilling=[0, 1, 2, 0, 1]), tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_write_raw_export_looks_like_a_platform_export(tmp_path):
    frame = small_frame()
    write_raw_export(frame, tmp_path / "r.csv", missing={13: "hukou"})
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["序号", BOOK["unwilling"].question_zh, BOOK["gender"].question_zh]
    assert lines[3].split(",")[BOOK.columns.index("hukou")] == ""
    assert lines[1].split(",")[1] == BOOK["unwilling"].label(int(frame.loc[0, "unwilling"]), "zh")
    with pytest.raises(ValueError):
        write_raw_export(frame, tmp_path / "r.csv", missing={99: "hukou"})
    with pytest.raises(ValueError):
        write_raw_export(frame, tmp_path / "r.csv", missing={11: "shoe_size"})


def test_shipped_raw_export_cleans_to_the_shipped_coded_file(tmp_path, capsys):
    """Once the reconstruction ships ``data/raw/responses.csv``, cleaning it must give the coded file."""
    from ridersurvey.data.ledger import value

    raw = DATA_DIR / "raw" / "responses.csv"
    if not raw.exists():
        pytest.skip("data/raw/responses.csv has not been written by the reconstruction yet")
    result = load_responses(raw)
    assert (result.n_collected, result.n_excluded, result.n_valid) == (
        value("s6.collected"),
        value("s6.excluded"),
        value("s6.valid"),
    )
    out = tmp_path / "coded.csv"
    assert clean_command(raw, out) == 0
    assert out.read_bytes() == (DATA_DIR / "riders_survey.csv").read_bytes()


# ----------------------------------------------------------------------------------------------------
# '#' note lines above the header


NOTES = ("RECONSTRUCTED DATA - NOT THE SURVEY'S ANSWERS.", "Provenance: provenance.json")


def test_note_lines_are_kept_and_counted_as_spreadsheet_rows(tmp_path, capsys):
    """Two note lines above the header: the file loads as without them, a problem names the row a spreadsheet
    shows (header on row 3), and validate prints the notes before its summary."""
    rows = rows_of(small_frame(), "zh", "zh")
    plain = write_csv(tmp_path / "plain.csv", rows, "utf-8-sig")
    noted = tmp_path / "noted.csv"
    noted.write_bytes("".join(f"# {n}\r\n" for n in NOTES).encode("utf-8-sig") + plain.read_bytes()[3:])
    result = load_responses(noted)
    assert result.notes == NOTES and result.header_row == 3
    pd.testing.assert_frame_equal(result.data, load_responses(plain).data)
    assert validate_command(noted) == 0
    assert capsys.readouterr().out == (
        f"# {NOTES[0]}\n# {NOTES[1]}\nvalid: 5 responses, 0 excluded, 5 usable; 2 note lines ('#') above the header\n"
    )
    rows[2][3] = "火星"  # respondent 12's hukou: spreadsheet row 5 (two notes, the header, respondent 11)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "".join(f"# {n}\n" for n in NOTES).encode() + write_csv(tmp_path / "b.csv", rows, "utf-8").read_bytes()
    )
    with pytest.raises(SurveyFileError) as info:
        load_responses(bad)
    (problem,) = info.value.problems
    assert (problem.row, problem.respondent_id, problem.value) == (5, 12, "火星")
    assert problem.message.startswith("row 5 (respondent 12), column D")


def test_a_hash_line_below_the_header_is_a_response_not_a_note(tmp_path):
    rows = rows_of(small_frame(), "code", "name")
    rows.insert(2, ["# not a note", *[""] * 10])
    path = write_csv(tmp_path / "late.csv", rows, "utf-8")
    with pytest.raises(SurveyFileError) as info:
        load_responses(path)
    assert [p.row for p in info.value.problems] == [3]
    assert "respondent id '# not a note'" in info.value.problems[0].message


def test_clean_carries_the_note_lines_into_the_coded_file(tmp_path):
    raw, out = tmp_path / "raw.csv", tmp_path / "coded.csv"
    write_raw_export(small_frame(), raw, notes=NOTES)
    assert raw.read_bytes().startswith(f"\ufeff# {NOTES[0]}\n# {NOTES[1]}\n序号,".encode())
    assert clean_command(raw, out) == 0
    text = out.read_text(encoding="utf-8")
    assert text == f"# {NOTES[0]}\n# {NOTES[1]}\n" + small_frame().to_csv(index=False, lineterminator="\n")
