"""tablecheck.table: reading a CSV table and checking it row by row."""

from __future__ import annotations

import pytest

from tablecheck.checks import Legend
from tablecheck.table import ROW_CHECKS, Settings, TableError, check_table, read_table
from tablecheck.verdicts import Check, Verdict


def test_headers_are_case_insensitive_and_comments_are_skipped():
    rows = read_table(
        ["# source: a paper", "Term,B,SE,P,OR,CI_Low,CI_High,Stars", "age,0.1,0.05,0.045,1.105,1.00,1.22,*"]
    )
    (row,) = rows
    assert row.term == "age" and row.stars == 1 and set(row.cells) == {"b", "se", "p", "or", "ci_low", "ci_high"}
    assert row.get("or").decimals == 3


def test_missing_cells_are_numbers_not_printed():
    rows = read_table(["term,b,p,stars,sd", "x,\u22120.011,0.006,,1.248", "y,0.5,,**,"])
    assert rows[0].get("b").value == -0.011 and rows[0].stars == 0
    assert rows[1].get("p") is None and rows[1].get("sd") is None and rows[1].stars == 2


@pytest.mark.parametrize(
    ("lines", "row", "column"),
    [
        (["term,b,foo", "x,1,2"], 0, "foo"),
        (["term,b,B", "x,1,2"], 0, "b"),
        (["term,b,p", "x,1,abc"], 1, "p"),
        (["term,b,p", "x,1,0.2", "y,1,1.5"], 2, "p"),
        (["term,se", "x,-0.2"], 1, "se"),
        (["term,b,n", "x,1,12.5"], 1, "n"),
        (["term,b,stars", "x,1,+"], 1, "stars"),
        (["term,b,p", "x,1"], 1, "p"),
        ([], 0, "term"),
    ],
)
def test_malformed_tables_name_row_and_column(lines, row, column):
    with pytest.raises(TableError) as err:
        read_table(lines)
    assert (err.value.row, err.value.column) == (row, column)
    assert "\n" not in str(err.value)


def test_each_row_gets_the_checks_its_columns_allow():
    rows = read_table(
        [
            "term,b,se,wald,p,or,ci_low,ci_high,stars,sd",
            "full,1.671,0.421,15.769,0.000,5.317,2.331,12.130,**,0.5",
            "bp,-0.011,,,0.006,,,,**,1.248",
            "orci,,,,<0.001,2.45,1.28,4.66,,",
        ]
    )
    findings = check_table(rows, Settings(n=100, legend=Legend((0.05, 0.01))))
    by_row = {t: [f.check for f in findings if f.term == t] for t in ("full", "bp", "orci")}
    assert by_row["full"] == list(ROW_CHECKS)
    assert by_row["bp"] == [Check.STARS_VS_P, Check.P_VS_B]
    assert by_row["orci"] == [Check.CI_CONTAINS_OR, Check.STARS_VS_P]
    assert all(f.verdict is Verdict.CONSISTENT for f in findings if f.term == "full")
    bp = {f.check: f.verdict for f in findings if f.term == "bp"}
    assert bp == {Check.STARS_VS_P: Verdict.CONSISTENT, Check.P_VS_B: Verdict.INCONSISTENT}
    # <0.001 earns two stars under this legend; none printed
    assert [f.verdict for f in findings if f.term == "orci"] == [Verdict.CONSISTENT, Verdict.INCONSISTENT]


def test_a_row_n_overrides_the_default_and_a_missing_sd_is_unverifiable():
    rows = read_table(["term,b,p,sd,n", "a,0.5,0.2,0.6,400", "b,0.5,0.2,,"])
    findings = {f.term: f for f in check_table(rows, Settings(n=10)) if f.check is Check.P_VS_B}
    assert "n = 400" in findings["a"].detail
    assert findings["b"].verdict is Verdict.UNVERIFIABLE
