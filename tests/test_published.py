"""The published-numbers ledger is internally consistent, so a transcription slip would show up here.

Each check recomputes a printed number from other printed numbers (or from the codebook) rather than
comparing the ledger with itself; the paper's own known inconsistencies are asserted as exactly those.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from ridersurvey.codebook import load_codebook, normalise_label
from ridersurvey.published import (
    LEDGER_COLUMNS,
    load_ledger,
    table1,
    table1_counts,
    table2,
    table2_codings,
    table3,
    value,
)

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
    assert len(LEDGER) == 185
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
    assert set(LEDGER["check"]) <= set(__import__("ridersurvey.audit", fromlist=["CHECKS"]).CHECKS)


def test_ids_encode_variable_code_and_statistic():
    short = {"count": "count", "percent": "pct", "mean": "mean", "sd": "sd", "coef": "coef", "p": "p"}
    for entry in LEDGER.itertuples(index=False):
        if entry.location == "Table 1" and entry.variable:
            assert entry.id == f"t1.{entry.variable}.{entry.code}.{short[entry.statistic]}"
        elif entry.location == "Table 2" and entry.statistic == "coding":
            assert entry.id == f"t2.{entry.variable}.coding.{entry.code}"
        elif entry.location in ("Table 2", "Table 3"):
            assert entry.id == f"t{entry.location[-1]}.{entry.variable}.{short[entry.statistic]}"


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
    from ridersurvey.published import MOST_OF_SAMPLE, most_of_sample

    uses = most_of_sample()
    assert list(uses.index) == ["health", "employment_duration", "policy_awareness"]
    assert all(LEDGER.loc[i, "check"] in ("mode_claim", "arithmetic") for i in MOST_OF_SAMPLE)
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
    from ridersurvey.published import paper_position

    assert paper_position("Section 2 (prose)") < paper_position("Section 6.1") < paper_position("Table 1")
    assert paper_position("Table 1") < paper_position("Section 6.2 (prose)") < paper_position("Table 2")
    assert paper_position("Section 8.1 (prose)") == (8, 1, 0)
    with pytest.raises(ValueError, match="Appendix"):
        paper_position("Appendix A")


def test_table3_as_printed_is_the_ledger_in_tablecheck_columns():
    from ridersurvey.published import table2, table3, table3_as_printed
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
