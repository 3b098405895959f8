"""Recomputed Tables 1–3 and the sample flow, checked against counts and moments computed independently."""

from __future__ import annotations

import statistics
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import load_ledger, table1_counts, table3
from ridersurvey.model import logit as model
from ridersurvey.presentation import tables

BOOK = load_codebook()


@pytest.fixture(scope="module")
def table1_frame() -> pd.DataFrame:
    """A 100-row frame whose every column has exactly Table 1's counts (rows need not be consistent)."""
    counts = table1_counts()
    frame = pd.DataFrame({var: np.repeat(list(c.keys()), list(c.values())) for var, c in counts.items()})
    frame.insert(0, "respondent_id", np.arange(1, len(frame) + 1))
    return frame


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return model.load_analysis_data()


def test_table1_counts_and_percents_are_recomputed_from_the_frame(data):
    t1 = tables.table1_comparison(data)
    assert len(t1) == sum(len(BOOK[v].options) for v in BOOK.names)
    for row in t1.itertuples():
        count = int((data[row.variable] == row.code).sum())
        assert row.count == count
        assert row.percent == pytest.approx(100 * count / len(data))
        assert row.option_en == BOOK[row.variable].label(row.code, "en")
        assert row.option_zh == BOOK[row.variable].label(row.code, "zh")
        assert row.count_published == table1_counts()[row.variable][row.code]
        assert row.count_diff == count - row.count_published


def test_table1_marks_exactly_the_options_that_differ(table1_frame):
    assert not tables.table1_comparison(table1_frame)["differs"].any()
    altered = table1_frame.copy()
    altered.loc[altered.index[altered["gender"] == 1][0], "gender"] = 2
    t1 = tables.table1_comparison(altered)
    flagged = t1[t1["differs"]]
    assert list(zip(flagged["variable"], flagged["code"])) == [("gender", 1), ("gender", 2)]
    assert flagged["count_diff"].tolist() == [-1, 1]


def test_table2_means_and_sds_match_the_standard_library(data):
    t2 = tables.table2_comparison(data)
    assert list(t2.index) == BOOK.names
    for var in BOOK.names:
        values = data[var].tolist()
        assert t2.loc[var, "mean"] == pytest.approx(statistics.fmean(values))
        assert t2.loc[var, "sd"] == pytest.approx(statistics.stdev(values))
    assert t2.loc["gender", "coding"] == "Male = 1; Female = 2"
    assert t2.loc["gender", "coding_zh"] == "男 = 1; 女 = 2"


def test_table2_flags_the_outcome_and_marital_means_for_table1_margins(table1_frame):
    t2 = tables.table2_comparison(table1_frame)
    assert t2.loc["unwilling", "mean"] == pytest.approx(0.51)
    assert t2.loc["marital_status", "mean"] == pytest.approx(1.59)
    assert t2.loc["unwilling", "flag"] == "mean"
    assert t2.loc["marital_status", "flag"] == "mean"
    assert (t2.drop(index=["unwilling", "marital_status"])["flag"] == "").all()
    assert t2["sd_agrees"].all()
    assert t2.loc["unwilling", "mean_diff"] == pytest.approx(0.51 - 0.59)


def test_table3_comparison_joins_our_wald_table_with_the_published_values(data):
    res = model.fit_logit(data)
    t3 = tables.table3_comparison(res)
    assert list(t3.index) == list(table3().index)
    ours = res.coefficients()
    for col in ["coef", "se", "z", "p", "odds_ratio", "or_ci_low", "or_ci_high"]:
        np.testing.assert_allclose(t3[col], ours.loc[t3.index, col])
    np.testing.assert_allclose(t3["coef_published"], table3()["coef"])
    np.testing.assert_allclose(t3["coef_diff"], res.params[t3.index] - table3()["coef"])
    expected_flag = [(round(res.params[v], 3) != pytest.approx(table3().loc[v, "coef"], abs=1e-9)) for v in t3.index]
    assert t3["flag"].str.contains("coef").tolist() == expected_flag


def test_exclusion_summary_from_a_stand_in_load_result():
    ok = tables.exclusion_summary(SimpleNamespace(n_collected=103, n_excluded=3, n_valid=100))
    assert ok["value"].tolist()[:3] == [103, 3, 100]
    assert ok.loc["share_valid", "value"] == pytest.approx(100 * 100 / 103)
    assert ok.loc["share_valid", "published"] == 97
    assert ok["agrees"].all()
    off = tables.exclusion_summary(SimpleNamespace(n_collected=104, n_excluded=4, n_valid=100))
    assert off["agrees"].tolist() == [False, False, True, False]


def test_published_sample_flow_is_the_ledgers_section_6_1():
    flow = tables.published_sample_flow()
    ledger = load_ledger()
    assert flow["published"].tolist() == [
        ledger.loc[i, "value"] for i in ("s6.collected", "s6.excluded", "s6.valid", "s6.recovery_rate")
    ]


def test_markdown_is_a_pipe_table_of_the_cells_as_given():
    shown = pd.DataFrame({"B": ["\u22120.123", "1.000"], "ok": ["yes", ""], "name": ["a", "b"]})
    md = tables.to_markdown(shown).splitlines()
    assert md[0].replace(" ", "") == "|B|ok|name|"
    assert "\u22120.123" in md[2] and "yes" in md[2]
    assert len(md) == 4


def test_markdown_cells_show_free_text_literally():
    assert tables.escape_markdown("0.006**") == r"0.006\*\*"
    assert tables.escape_markdown("|z| ≤ 0.07, $x$ [a]") == r"\|z\| ≤ 0.07, \$x\$ \[a\]"
    frame = pd.DataFrame({"printed": ["0.032*", "a|b"], "reason": ["|z| ≤ 1", "`code`"]})
    shown = frame.assign(printed=[tables.escape_markdown(v) for v in frame["printed"]])
    assert shown["printed"].tolist() == [r"0.032\*", r"a\|b"]
    md = tables.to_markdown(shown).splitlines()
    assert [row.count("|") - row.count(r"\|") for row in md] == [3, 3, 3, 3]
    assert r"\|z\| ≤ 1" in md[2] and "`code`" in md[3] and r"a\|b" in md[3]


def test_table2_table_is_numbered_and_shows_every_variable(data):
    table = tables.table2_table(data, "Table 2 of the paper recomputed.", "tbl-table2")
    t2 = tables.table2_comparison(data)
    markdown = table.to_markdown()
    assert markdown.startswith(":::{table} Table 2 of the paper recomputed") and ":name: tbl-table2" in markdown
    assert list(table.body.columns) == [
        "Variable",
        "Coding",
        "编码 (as printed)",
        "Mean",
        "SD",
        "Mean (paper)",
        "SD (paper)",
        "Disagrees",
    ]
    assert len(table.body) == len(t2) == len(BOOK.names)
    assert table.body["Variable"].iloc[list(t2.index).index("unwilling")] == "Not willing to join (outcome)"
    for row, var in zip(table.body.itertuples(index=False), t2.index, strict=True):
        assert row[3] == f"{statistics.fmean(data[var]):.2f}"
        assert row[4] == f"{statistics.stdev(data[var]):.3f}"
    assert '<table class="ridersurvey-table" id="tbl-table2"><caption>Table 2 of the paper' in table.to_html()


def test_table2_facts_quote_the_moments_at_the_printed_precision(table1_frame):
    facts = tables.table2_facts(table1_frame)
    unwilling, marital = table1_frame["unwilling"], table1_frame["marital_status"]
    printed = load_ledger()
    assert facts.n_rows == "ten" and facts.n_disagree == "two" and facts.n_predictors == "nine"
    assert facts.mean_unwilling == f"{statistics.fmean(unwilling):.2f}"
    assert facts.sd_unwilling == f"{statistics.stdev(unwilling):.3f}"
    assert facts.mean_unwilling_printed == f"{printed.loc['t2.unwilling.mean', 'value']:.2f}"
    assert facts.mean_marital == f"{statistics.fmean(marital):.2f}"
    assert facts.mean_marital_reversed == f"{statistics.fmean(3 - marital):.2f}"  # codes 1 and 2 swapped
    assert facts.coef_education_printed == f"{table3().loc['education', 'coef']:.3f}".replace("-", "\u2212")
    assert facts.z_willing_code == "1"
    assert repr(facts.mean_unwilling) == str(facts.mean_unwilling)  # shows without quotes


@pytest.fixture(scope="module")
def cleaned():
    from ridersurvey.data.paths import DATA_DIR
    from ridersurvey.data.readers import load_responses

    return load_responses(DATA_DIR / "raw" / "responses.csv")


def test_sample_flow_and_table1_tables(data, cleaned):
    flow = tables.sample_flow_table(cleaned, "c", "tbl-sample-flow")
    assert flow.name == "tbl-sample-flow"
    assert list(flow.body.columns) == ["Step", "Cleaning step", "Paper (Section 6.1)", "Matches (by construction)"]
    assert flow.body["Cleaning step"].tolist()[:3] == [str(cleaned.n_collected), str(cleaned.n_excluded), "100"]
    assert set(flow.body["Matches (by construction)"]) <= {"yes", ""}
    t1 = tables.table1_table(data, "c", "tbl-table1")
    assert t1.name == "tbl-table1" and len(t1.body) == sum(len(BOOK[v].options) for v in BOOK.names)
    labels = [label for label in t1.body["Item"] if label]
    assert labels == [BOOK[v].label_en for v in BOOK.names]  # each item named once, on its first row


def test_sample_facts_match_counts_taken_directly(data, cleaned):
    facts = tables.sample_facts(data, cleaned)
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

    def said(n: int) -> str:
        return words[n] if n <= 10 else str(n)

    def pct(mask) -> str:
        return f"{100 * statistics.fmean(mask.astype(float)):.0f}%"

    assert facts.n_valid == str(len(data)) and facts.n_collected == str(cleaned.n_collected)
    assert facts.pct_male == pct(data["gender"] == 1)
    assert facts.pct_publicity_strong == pct(data["publicity"] >= 4)
    shares = [pct(data["health"] <= 2), pct(data["health"] == 3), pct(data["health"] >= 4)]
    assert [facts.pct_health_poor, facts.pct_health_average, facts.pct_health_good] == shares
    assert facts.mean_health == f"{statistics.fmean(data['health']):.2f}"
    assert facts.n_postgraduate == said(int((data["education"] == 5).sum()))
    assert facts.n_events == said(min(int(data["unwilling"].sum()), len(data) - int(data["unwilling"].sum())))
    assert facts.share_valid_exact == f"{100 * cleaned.n_valid / cleaned.n_collected:.1f}%"
    assert facts.n_items == said(len(BOOK.names)) and facts.n_predictors == said(len(BOOK.predictors))


def test_codebook_tables_and_facts():
    questionnaire = tables.questionnaire_table("c", "tbl-codebook")
    assert len(questionnaire.body) == sum(len(BOOK[v].options) for v in BOOK.names)
    assert [v for v in questionnaire.body["Variable"] if v] == BOOK.names
    printed = tables.printed_codings_table("c", "tbl-codebook-printed")
    assert printed.name == "tbl-codebook-printed" and [v for v in printed.body["Variable"] if v] == BOOK.names
    predictors = tables.predictors_table("c", "tbl-literature-predictors")
    assert predictors.body["Variable"].tolist() == BOOK.predictors
    facts = tables.codebook_facts()
    assert facts.n_items == "ten" and facts.n_options == str(len(questionnaire.body)) and facts.n_predictors == "nine"


def test_versions_table_starts_with_python():
    import platform

    versions = tables.versions_table("c", "tbl-environment-versions")
    assert versions.body.iloc[0].tolist() == ["python", platform.python_version()]
    assert versions.name == "tbl-environment-versions"


def test_every_differs_flag_is_the_audits_verdict():
    """A "Differs" flag in a comparison table marks exactly the printed numbers the audit finds problems with."""
    from ridersurvey.audit.ledger_audit import run_audit
    from ridersurvey.presentation.chapters.results import refit_table

    data = model.load_analysis_data()
    verdicts = run_audit(data)["verdict"]
    problem = {"discrepant", "inconsistent-pair"}
    t1 = tables.table1_comparison(data)
    for row in t1.itertuples():
        ids = [f"t1.{row.variable}.{row.code}.count", f"t1.{row.variable}.{row.code}.pct"]
        assert row.differs == any(verdicts[i] in problem for i in ids), ids
    t2 = tables.table2_comparison(data)
    for var, row in t2.iterrows():
        assert (not row["mean_agrees"]) == (verdicts[f"t2.{var}.mean"] in problem), var
        assert (not row["sd_agrees"]) == (verdicts[f"t2.{var}.sd"] in problem), var
    body = refit_table(model.fit_logit(data), run_audit(data), "caption", "tbl-x").body.set_index("Predictor")
    labels = {v: load_codebook()[v].label_en for v in load_codebook().predictors}
    for var in table3().index:
        shown = body.loc[labels[var]]
        assert shown["Audit: B"] == verdicts[f"t3.{var}.coef"].replace("-", " ")
        assert shown["Audit: p"] == verdicts[f"t3.{var}.p"].replace("-", " ")


def test_exclusions_and_code_ranges_tables(data, cleaned):
    exclusions = tables.exclusions_table(cleaned, "c", "tbl-exclusions")
    assert exclusions.name == "tbl-exclusions" and len(exclusions.body) == cleaned.n_excluded
    assert exclusions.body["Row of the export"].tolist() == [str(r) for r in cleaned.exclusions["row"]]
    ranges = tables.code_ranges_table(data, "c", "tbl-code-ranges")
    assert ranges.body["Variable"].tolist() == list(data.columns)
    for row in ranges.body.itertuples(index=False):
        column = data[row[0]]
        assert row[1:] == (str(column.count()), str(column.min()), str(column.max()))
