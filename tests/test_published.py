"""The published-numbers ledger is internally consistent, so a transcription slip would show up here.

Each check recomputes a printed number from other printed numbers (or from the codebook) rather than
comparing the ledger with itself; the paper's own known inconsistencies are asserted as exactly those.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from results import book
from ridersurvey.cli import main
from ridersurvey.data.codebook import load_codebook, normalise_label
from ridersurvey.data.ledger import (
    LEDGER_COLUMNS,
    Check,
    LedgerError,
    StatisticKind,
    ledger_schema,
    load_ledger,
    number_id,
    numbers,
    table1,
    table1_counts,
    table2,
    table2_codings,
    table3,
    value,
)

HERE = Path(__file__).resolve().parent
BOOK = load_codebook()
LEDGER = load_ledger()
NUMERIC = ["count", "percent", "mean", "sd", "coef", "p"]


def printed_number(text: str) -> str:
    """The numeric part of a printed entry: Unicode minus to '-', without %, stars or trailing words."""
    text = text.replace("−", "-")
    match = re.match(r"^-?\d+(\.\d+)?", text)
    assert match, f"no number in {text!r}"
    return match.group(0)


def t1_rows(statistic: str):
    return LEDGER[(LEDGER["location"] == "Table 1") & (LEDGER["statistic"] == statistic) & (LEDGER["variable"] != "")]


def test_ledger_shape_and_ids():
    assert list(LEDGER.columns) == LEDGER_COLUMNS
    assert LEDGER["id"].is_unique
    assert len(numbers(LEDGER)) == book.N_NUMBERS
    assert set(LEDGER["statistic"]) <= {
        "count",
        "percent",
        "mean",
        "sd",
        "coef",
        "p",
        "coding",
        "headline",
        "bound",
        "claim",
        "significant",
        "not significant",
    }
    assert set(LEDGER["check"]) <= set(Check)


def test_ids_encode_variable_code_and_statistic():
    short = {"count": "count", "percent": "pct", "mean": "mean", "sd": "sd", "coef": "coef", "p": "p"}
    for entry in LEDGER.itertuples(index=False):
        number = number_id(entry.id)
        if entry.location == "Table 1" and entry.variable:
            assert number == f"t1.{entry.variable}.{entry.code}.{short[entry.statistic]}"
        elif entry.location == "Table 2" and entry.statistic == "coding":
            assert number == f"t2.{entry.variable}.coding.{entry.code}"
        elif entry.location in ("Table 2", "Table 3"):
            assert number == f"t{entry.location[-1]}.{entry.variable}.{short[entry.statistic]}"


@pytest.mark.parametrize("statistic", NUMERIC)
def test_value_matches_printed_text_at_printed_decimals(statistic):
    rows = LEDGER[LEDGER["statistic"] == statistic]
    assert len(rows)
    for entry in rows.itertuples(index=False):
        number = printed_number(entry.printed)
        digits = len(number.split(".")[1]) if "." in number else 0
        assert digits == entry.decimals, entry.id
        assert float(number) == pytest.approx(entry.value, abs=1e-12), entry.id


def test_every_table_variable_is_in_the_codebook():
    for location in ("Table 1", "Table 2", "Table 3"):
        names = set(LEDGER.loc[(LEDGER["location"] == location) & (LEDGER["variable"] != ""), "variable"])
        assert names <= set(BOOK.names), location
    assert set(t1_rows("count")["variable"]) == set(BOOK.names)
    assert set(table2().index) == set(BOOK.names)
    assert set(table3().index) == set(BOOK.predictors)
    assert len(table3()) == value("s7p.n_factors") == len(BOOK.predictors)


def test_table1_has_exactly_the_codebook_options():
    counted = {(e.variable, int(e.code)) for e in t1_rows("count").itertuples()}
    pct = {(e.variable, int(e.code)) for e in t1_rows("percent").itertuples()}
    expected = {(v.name, c) for v in BOOK.variables for c in v.codes}
    assert counted == pct == expected


@pytest.mark.parametrize("variable", BOOK.names)
def test_table1_counts_sum_to_the_total(variable):
    total = value("t1.total.count")
    assert sum(table1_counts()[variable].values()) == total == value("s6.valid")


@pytest.mark.parametrize("variable", BOOK.names)
def test_table1_percent_is_count_over_total(variable):
    total = value("t1.total.count")
    for entry in t1_rows("percent")[lambda f: f["variable"] == variable].itertuples():
        count = value(f"t1.{variable}.{entry.code}.count")
        assert round(100 * count / total, entry.decimals) == pytest.approx(entry.value), entry.id
    pct = t1_rows("percent")[lambda f: f["variable"] == variable]["value"].sum()
    assert pct == pytest.approx(value("t1.total.pct"))


def test_section6_sample_arithmetic():
    collected, excluded, valid = value("s6.collected"), value("s6.excluded"), value("s6.valid")
    assert collected - excluded == valid
    assert round(100 * valid / collected) == value("s6.recovery_rate")
    assert value("s8p.n") == valid == value("t1.total.count")


def test_table2_codings_match_the_codebook():
    codings = table2_codings()
    assert set(zip(codings["variable"], codings["code"].astype(int))) == {
        (v.name, c) for v in BOOK.variables for c in v.codes
    }
    for entry in codings.itertuples():
        label, printed_code = entry.printed.split(" = ")
        assert int(printed_code) == int(entry.code)
        assert BOOK[entry.variable].lookup()[normalise_label(label)] == int(entry.code), entry.printed
    coding_values = LEDGER[(LEDGER["location"] == "Table 2") & (LEDGER["statistic"] == "coding")]
    assert (coding_values["value"] == coding_values["code"].astype(float)).all()


def _moments(variable: str) -> tuple[float, float]:
    counts = table1_counts()[variable]
    x = np.repeat(list(counts), list(counts.values())).astype(float)
    return float(x.mean()), float(x.std(ddof=1))


@pytest.mark.parametrize("variable", BOOK.names)
def test_table2_sd_follows_from_table1(variable):
    _, sd = _moments(variable)
    entry = LEDGER.loc[f"t2.{variable}.sd"]
    assert round(sd, entry["decimals"]) == pytest.approx(entry["value"])


def test_table2_means_follow_from_table1_except_the_two_known_slips():
    mismatched = set()
    for variable in BOOK.names:
        mean, _ = _moments(variable)
        entry = LEDGER.loc[f"t2.{variable}.mean"]
        if not math.isclose(round(mean, entry["decimals"]), entry["value"]):
            mismatched.add(variable)
    assert mismatched == {"unwilling", "marital_status"}
    assert _moments("unwilling")[0] == pytest.approx(0.51)
    married, unmarried = value("t1.marital_status.2.count"), value("t1.marital_status.1.count")
    reversed_mean = (1 * married + 2 * unmarried) / (married + unmarried)
    assert round(reversed_mean, 2) == value("t2.marital_status.mean")


def test_table3_stars_follow_the_p_values():
    t3 = table3()
    expected = np.select([t3["p"] < 0.01, t3["p"] < 0.05], [2, 1], default=0)
    assert list(t3["stars"]) == list(expected)
    assert ((t3["p"] > 0) & (t3["p"] < 1)).all()


def test_prose_quotes_agree_with_the_tables_except_the_known_slip():
    for entry in LEDGER[LEDGER["id"].str.startswith("s7p.") & (LEDGER["statistic"] == "coef")].itertuples():
        table_value = value(f"t3.{entry.variable}.coef")
        if entry.variable == "policy_awareness":
            assert entry.value == pytest.approx(10 * table_value)
        else:
            assert entry.value == pytest.approx(table_value), entry.id
    quotes = LEDGER[LEDGER["id"].str.startswith("s6p.") & LEDGER["statistic"].isin(["percent", "count"])]
    for entry in quotes.itertuples():
        stat = "pct" if entry.statistic == "percent" else "count"
        assert entry.value == pytest.approx(value(f"t1.{entry.variable}.{entry.code}.{stat}")), entry.id
    for entry in LEDGER[LEDGER["statistic"] == "bound"].itertuples():
        if entry.id == "s8p.education.more_than":  # "little education", read as below university (codes 1-3)
            share = sum(value(f"t1.education.{c}.pct") for c in (1, 2, 3))
        else:
            share = value(f"t1.{entry.variable}.{int(entry.code)}.pct")
        assert share > entry.value if entry.check == "more_than" else share < entry.value, entry.id


def test_model_section_codes_willing_opposite_to_table2():
    willing_code = BOOK["unwilling"].lookup()[normalise_label("愿意")]
    assert value("s7p.outcome_definition") == 1 - willing_code


def test_table1_frame_agrees_with_ledger():
    t1 = table1()
    assert len(t1) == sum(len(v.codes) for v in BOOK.variables)
    for (variable, code), rec in t1.iterrows():
        assert rec["count"] == value(f"t1.{variable}.{code}.count")
        assert rec["percent"] == value(f"t1.{variable}.{code}.pct")


def test_most_of_sample_reads_every_use_of_the_phrase_by_one_rule():
    """Health's answer ties for first place, employment's and awareness's are the single most frequent."""
    from ridersurvey.data.ledger import most_of_sample, most_of_sample_ids

    uses = most_of_sample()
    assert list(uses.index) == ["health", "employment_duration", "policy_awareness"]
    assert all(LEDGER.loc[i, "check"] in ("mode_claim", "arithmetic") for i in most_of_sample_ids())
    for var, row in uses.iterrows():
        rows = t1_rows("count")
        item = {
            int(c): int(v)
            for c, v in zip(rows[rows["variable"] == var]["code"], rows[rows["variable"] == var]["value"])
        }
        ranked = sorted(item.values(), reverse=True)
        assert row["count"] == item[row["code"]]
        assert row["holds"] == (item[row["code"]] == ranked[0] > ranked[1])
        assert row["majority"] == (2 * item[row["code"]] > sum(item.values()))
    assert uses["holds"].tolist() == [False, True, True] and uses.loc["health", "tied_with"] == [3]
    assert uses["majority"].tolist() == [False, True, False]


def test_paper_positions_order_sections_and_tables_and_reject_unknown_places():
    from ridersurvey.data.ledger import paper_position

    assert paper_position("Section 2 (prose)") < paper_position("Section 6.1") < paper_position("Table 1")
    assert paper_position("Table 1") < paper_position("Section 6.2 (prose)") < paper_position("Table 2")
    assert paper_position("Section 8.1 (prose)") == (8, 1, 0)
    with pytest.raises(ValueError, match="Appendix"):
        paper_position("Appendix A")


def test_table3_as_printed_is_the_ledger_in_tablecheck_columns():
    from ridersurvey.data.ledger import table2, table3, table3_as_printed
    from tablecheck import parse_printed

    led = load_ledger()
    frame = table3_as_printed(led)
    t3, t2 = table3(led), table2(led)
    assert list(frame.columns) == ["term", "b", "p", "stars", "sd"] and list(frame["term"]) == list(t3.index)
    for _, row in frame.iterrows():
        assert parse_printed(row["b"]).value == pytest.approx(t3.loc[row["term"], "coef"])
        assert parse_printed(row["p"]).value == pytest.approx(t3.loc[row["term"], "p"])
        assert len(row["stars"]) == t3.loc[row["term"], "stars"]
        assert parse_printed(row["sd"]).value == pytest.approx(t2.loc[row["term"], "sd"])
        assert parse_printed(row["b"]).decimals == int(led.loc[f"t3.{row['term']}.coef", "decimals"])


# ---------------------------------------------------------------------------------------------- validation
def _corruptions():
    spec = importlib.util.spec_from_file_location("corruptions", HERE / "bad_inputs" / "ledger" / "corruptions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CORRUPT = _corruptions()
# name: the column the one line names and a fragment of it (the row comes from the corruption itself)
EXPECTED = {
    "duplicate_id": ("id", "duplicate id 's6.valid' (first on row 8)"),
    "id_grammar": ("id", "'S6 recovery rate' does not follow the grammar"),
    "unknown_location": ("location", "'Appendix B' is not a place in the paper"),
    "empty_quantity": ("quantity", "is empty"),
    "unknown_variable": ("variable", "unknown variable 'gender_identity'"),
    "negative_code": ("code", "-2 is not an option code"),
    "unknown_statistic": ("statistic", "unknown statistic kind 'stdev'; known: count, percent"),
    "value_not_a_number": ("value", "'3l' is not a number"),
    "missing_value": ("value", "is empty, but a count is a number"),
    "decimals_not_whole": ("decimals", "'2.5' is not a whole number"),
    "unknown_check": ("check", "unknown check 'guesswork'; known: arithmetic"),
    "unknown_finding": ("finding", "unknown finding 't2-gendre'"),
    "expression_names_unknown_id": ("expression", "names 's6.colected', which is not a number"),
    "further_check_differs": ("value", "0.03 differs from 0.003 on the number's row"),
    "further_check_without_number": ("id", "checks number 't3.health.q', which has no row of its own"),
    "further_check_names_another_check": ("check", "is 'p_value', but the id names the check 'arithmetic'"),
    "too_many_fields": (None, "has 14 fields but the header has 13"),
    "missing_column": (None, "the header must be id,location"),
    "missing_row": ("id", "the paper's tables lack the number(s) t2.gender.sd"),
    "unbalanced_quote": (None, "malformed CSV from this row on"),
}


def write_corrupted(name: str, tmp_path: Path) -> tuple[Path, int]:
    text, row = CORRUPT.corrupted(name)
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return path, row


def test_every_corruption_has_its_expected_line():
    assert set(EXPECTED) == set(CORRUPT.NAMES) - {"valid"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_corrupted_ledger_gives_one_line_naming_row_and_column(name, tmp_path):
    path, row = write_corrupted(name, tmp_path)
    column, fragment = EXPECTED[name]
    with pytest.raises(LedgerError) as info:
        load_ledger(path)
    (problem,) = info.value.problems
    assert str(info.value) == problem.message and "\n" not in problem.message
    where = f"{path}: row {row}" if row else f"{path}: column '{column}'"
    assert problem.message.startswith(where), problem.message
    assert (problem.row or 0, problem.column) == (row, column)
    if column and row:
        assert f", column '{column}': " in problem.message
    assert fragment in problem.message


def test_a_corrupted_ledger_through_the_command_line_is_one_line_and_exit_2(tmp_path, capsys):
    for name in ("unknown_statistic", "unbalanced_quote", "missing_row"):
        path, _ = write_corrupted(name, tmp_path)
        assert main(["audit", "--ledger", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith(f"{path}: ")
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "audit", "--ledger", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == err


def test_several_checks_of_one_printed_number(tmp_path):
    """A further check of a printed number loads, leaves the paper's tables as they are, and gets its own verdict."""
    from ridersurvey.audit.ledger_audit import run_audit

    path, _ = write_corrupted("valid", tmp_path)
    ledger = load_ledger(path)
    assert len(ledger) == len(LEDGER) + 1 and len(numbers(ledger)) == len(numbers(LEDGER))
    assert number_id(CORRUPT.FURTHER) == "t3.health.p"
    for table in (table1, table2, table3, table2_codings):
        assert table(ledger).equals(table(LEDGER)), table.__name__
    audit = run_audit(ledger=ledger)
    assert audit.loc[CORRUPT.FURTHER, "verdict"] == "consistent"
    assert audit.loc[CORRUPT.FURTHER, "finding"] == audit.loc["t3.health.p", "finding"]


def test_statistic_kinds_are_an_enum_and_the_schema_is_declared():
    assert set(LEDGER["statistic"]) <= {k.value for k in StatisticKind}
    assert list(ledger_schema().columns) == LEDGER_COLUMNS
