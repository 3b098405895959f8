"""The reproduction audit on known answers: consistent inputs pass, each kind of planted error is flagged."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import ROOT
from oracles import newton_logit
from ridersurvey import audit as A
from ridersurvey.cli import audit_command
from ridersurvey.codebook import load_codebook
from ridersurvey.published import load_ledger, table1_counts

PERMUTED_SEED = 20231010


# ------------------------------------------------------------------------------------------ helpers


def permuted_table1_data(seed: int = PERMUTED_SEED) -> pd.DataFrame:
    """Independent columns with exactly Table 1's marginals (built here, not read from the data file)."""
    rng = np.random.default_rng(seed)
    counts = table1_counts()
    book = load_codebook()
    cols = {"respondent_id": np.arange(1, 101)}
    for var in book.names:
        col = np.repeat(list(counts[var]), list(counts[var].values()))
        cols[var] = rng.permutation(col)
    return pd.DataFrame(cols)[book.columns]


def consistent_ledger(data: pd.DataFrame) -> pd.DataFrame:
    """The real ledger with its known errors repaired and Table 3 replaced by an independent fit of ``data``."""
    led = load_ledger().copy()
    led.loc["t2.unwilling.mean", "value"] = 0.51
    led.loc["t2.marital_status.mean", "value"] = 1.59
    led.loc["s7p.outcome_definition", "value"] = 0.0
    led.loc["s6p.health.2.count", "quantity"] = "Count fairly poor health"
    preds = load_codebook().predictors
    x = np.column_stack([np.ones(len(data)), data[preds].to_numpy(float)])
    beta, cov, _ = newton_logit(x, data["unwilling"].to_numpy(float))
    se = np.sqrt(np.diag(cov))
    for j, var in enumerate(preds, start=1):
        b, p = round(float(beta[j]), 3), round(float(2 * stats.norm.sf(abs(beta[j] / se[j]))), 3)
        stars = "**" if p < 0.01 else "*" if p < 0.05 else ""
        led.loc[f"t3.{var}.coef", ["value", "printed"]] = [b, f"{b:.3f}"]
        led.loc[f"t3.{var}.p", ["value", "printed"]] = [p, f"{p:.3f}{stars}"]
        if f"s7p.{var}.coef" in led.index:
            led.loc[f"s7p.{var}.coef", "value"] = round(b, int(led.loc[f"s7p.{var}.coef", "decimals"]))
    return led


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = permuted_table1_data()
    return data, consistent_ledger(data)


@pytest.fixture(scope="module")
def real_audit() -> pd.DataFrame:
    return A.run_audit()


# ------------------------------------------------------------------------------------------ arithmetic


def test_agrees_uses_printed_decimals():
    assert A.agrees(97, 100 * 100 / 103, 0)
    assert A.agrees(33.3, 100 / 3, 1) and not A.agrees(33.4, 100 / 3, 1)
    assert A.agrees(0.51, 0.51, 2) and not A.agrees(0.59, 0.51, 2)
    assert not A.agrees(1.0, float("nan"), 2)


def test_percent_and_count_checks():
    assert A.check_percent(49.00, 49, 100, 2).verdict == "reproduced"
    assert A.check_percent(48.00, 49, 100, 2).verdict == "discrepant"  # planted wrong percentage
    assert A.check_percent(97, 100, 103, 0).verdict == "reproduced"
    assert A.check_percent(97.1, 100, 103, 1).verdict == "reproduced"
    assert A.check_percent(97.0, 100, 103, 1).verdict == "discrepant"
    assert A.check_count(31, [69], 100).verdict == "reproduced"
    bad = A.check_count(32, [69], 100)  # planted: counts sum to 101
    assert bad.verdict == "discrepant" and bad.computed == 31 and "101" in bad.reason


def test_total_and_arithmetic_checks():
    assert A.check_total(100, {"a": 100, "b": 100}, 0, "counts").verdict == "reproduced"
    assert A.check_total(100, {"a": 100, "b": 99}, 0, "counts").verdict == "discrepant"
    assert A.check_arithmetic(100, 103 - 3, 0, "collected − excluded").verdict == "reproduced"
    assert A.check_arithmetic(101, 103 - 3, 0, "collected − excluded").verdict == "discrepant"


# ------------------------------------------------------------------------------------------ Table 2


def test_moments_from_counts_match_numpy_on_expanded_data():
    counts = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    x = np.repeat(list(counts), list(counts.values())).astype(float)
    m = A.moments_from_counts(counts)
    assert m["mean"] == pytest.approx(x.mean()) and m["sd"] == pytest.approx(x.std(ddof=1))
    assert m["sd_ddof0"] == pytest.approx(x.std(ddof=0))
    rev = A.moments_from_counts(counts, {c: 6 - c for c in counts})
    assert rev["mean"] == pytest.approx(6 - x.mean()) and rev["sd"] == pytest.approx(x.std(ddof=1))


def test_candidate_codings():
    binary = A.candidate_codings([1, 2], {1: "未婚", 2: "已婚"})
    assert list(binary.values()) == [{1: 1, 2: 2}, {1: 2, 2: 1}, {1: 0, 2: 1}, {1: 1, 2: 0}]
    assert any("已婚 = 1, 未婚 = 2" in name for name in binary)
    assert len(A.candidate_codings([0, 1])) == 2  # 0/1 codings coincide with stated and reversed
    assert len(A.candidate_codings([1, 2, 3, 4, 5])) == 2


def test_table2_mean_consistent_and_planted_errors():
    counts = {1: 6, 2: 32, 3: 45, 4: 16, 5: 1}
    assert A.check_table2_mean(2.74, counts).verdict == "reproduced"
    wrong = A.check_table2_mean(2.84, counts)  # planted wrong mean
    assert wrong.verdict == "discrepant" and wrong.computed == pytest.approx(2.74)
    reversed_ = A.check_table2_mean(6 - 2.74, counts)  # planted reversed coding
    assert reversed_.verdict == "discrepant" and "reversed" in reversed_.reason


def test_table2_outcome_mean_is_a_typo_not_a_recoding():
    v = A.check_table2_mean(0.59, {0: 49, 1: 51}, 2, {0: "有意愿", 1: "没有意愿"}, published_sd=0.502)
    assert v.verdict == "discrepant" and v.computed == pytest.approx(0.51)
    assert "no recoding" in v.reason and "59 of 100" in v.reason and "typo" in v.reason


def test_table2_marital_mean_fits_reversed_coding():
    v = A.check_table2_mean(1.41, {1: 41, 2: 59}, 2, {1: "未婚", 2: "已婚"})
    assert v.verdict == "discrepant" and "已婚 = 1, 未婚 = 2" in v.reason


def test_table2_sd_ddof1_ddof0_and_wrong():
    counts = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    x = np.repeat(list(counts), list(counts.values())).astype(float)
    ok = A.check_table2_sd(round(x.std(ddof=1), 3), counts)
    assert ok.verdict == "reproduced" and "ddof = 1" in ok.reason
    pop = A.check_table2_sd(round(x.std(ddof=0), 3), counts)
    assert pop.verdict == "reproduced" and "ddof = 0" in pop.reason
    assert A.check_table2_sd(1.250, counts).verdict == "discrepant"


def test_table2_sd_reports_debit_for_the_printed_outcome_pair():
    v = A.check_table2_sd(0.502, {0: 49, 1: 51}, 3, published_mean=0.59)
    assert v.verdict == "reproduced" and "DEBIT" in v.reason
    assert "DEBIT" not in A.check_table2_sd(0.502, {0: 49, 1: 51}, 3, published_mean=0.51).reason


def test_coding_check():
    labels = {1: "未婚", 2: "已婚"}
    assert A.check_coding(1, 1, {1: 41, 2: 59}, 1.59, 2, labels).verdict == "reproduced"
    planted = A.check_coding(1, 1, {1: 41, 2: 59}, 1.41, 2, labels)  # mean implies the reverse
    assert planted.verdict == "discrepant" and planted.computed == 2
    assert A.check_coding(0, 0, {0: 49, 1: 51}, 0.59, 2).verdict == "unverifiable"


# ------------------------------------------------------------------------------------------ granularity


def test_grim_known_cases():
    assert not A.grim(5.19, 28, 2)["consistent"]  # 145/28 = 5.18, 146/28 = 5.21
    assert A.grim(5.18, 28, 2)["consistent"] and A.grim(5.18, 28, 2)["informative"]
    rng = np.random.default_rng(1)
    for m in rng.uniform(0, 5, 50).round(2):
        r = A.grim(float(m), 100, 2)
        assert r["consistent"] and not r["informative"]


def test_attainable_sums_of_squares_match_brute_force():
    n, lo, hi = 7, 1, 4
    brute: dict[int, set[int]] = {}
    for combo in itertools.combinations_with_replacement(range(lo, hi + 1), n):
        brute.setdefault(sum(combo), set()).add(sum(v * v for v in combo))
    for total, qs in brute.items():
        assert A.attainable_sums_of_squares(n, lo, hi, total) == qs


def test_grimmer_passes_real_data_and_flags_parity_violation():
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.integers(1, 6, size=100)
        assert A.grimmer(round(x.mean(), 2), round(x.std(ddof=1), 3), 100, 1, 5)["consistent"]
    # mean 3.01 needs Σx = 301 (odd), so Σx² must be odd; SD 1.146 needs Σx² = 1036 (even)
    planted = A.grimmer(3.01, 1.146, 100, 1, 5)
    assert not planted["consistent"] and planted["share"] < 0.2
    assert A.grimmer(3.01, 1.150, 100, 1, 5)["consistent"]


def test_debit():
    rng = np.random.default_rng(4)
    for _ in range(10):
        x = rng.integers(0, 2, size=100)
        assert A.debit(round(x.mean(), 2), round(x.std(ddof=1), 3), 100)["consistent"]
    bad = A.debit(0.59, 0.502, 100)  # planted: SD of 0.51, mean of 0.59
    assert not bad["consistent"]
    assert bad["expected_sd"] == pytest.approx(math.sqrt(0.59 * 0.41 * 100 / 99))
    assert A.debit(1.41, 0.494, 100, low_code=1)["consistent"]


def test_granularity_audit_covers_table2():
    g = A.granularity_audit()
    assert list(g.index) == load_codebook().names
    assert g["grim"].all() and not g["grim_informative"].any()
    assert not g.loc["unwilling", "debit"] and g.loc["gender", "debit"] and g.loc["marital_status", "debit"]
    assert g.loc["education", "grimmer"] and 0 < g.loc["education", "grimmer_share"] < 0.5


# ------------------------------------------------------------------------------------------ Table 3


def test_p_value_check():
    impossible = A.check_p_value(0.006, -0.011, 1.248, 100, 3, stars=2)
    assert impossible.verdict == "impossible" and impossible.computed > 0.9
    assert A.check_p_value(0.407, -0.217, 1.114, 100, 3, 0, refit_p=0.4071).verdict == "reproduced"
    assert A.check_p_value(0.407, -0.217, 1.114, 100, 3, 0, refit_p=0.35).verdict == "discrepant"
    stars_wrong = A.check_p_value(0.032, 1.166, 0.465, 100, 3, stars=2, refit_p=0.032)
    assert stars_wrong.verdict == "discrepant" and "star" in stars_wrong.reason
    assert A.check_p_value(0.5, 0.2, 1.0, 100, 3).verdict == "unverifiable"
    assert A.check_coefficient(-0.217, -0.2174, 3).verdict == "reproduced"
    assert A.check_coefficient(-0.217, -0.2186, 3).verdict == "discrepant"


# ------------------------------------------------------------------------------------------ prose


def test_prose_checks():
    assert A.check_prose_number(1.166, 1.166, 3, "Table 3").verdict == "reproduced"
    slip = A.check_prose_number(-0.11, -0.011, 2, "Table 3")  # planted prose/table mismatch
    assert slip.verdict == "discrepant" and "ten times" in slip.reason
    assert A.check_prose_number(69, 69.00, 0, "Table 1").verdict == "reproduced"


def test_mode_claim():
    health = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    tie = A.check_mode_claim(29, health, 2, 0, {c: str(c) for c in health})
    assert tie.verdict == "discrepant" and "ties" in tie.reason
    assert A.check_mode_claim(28, {1: 18, 2: 28, 3: 24}, 2, 0).verdict == "reproduced"
    assert A.check_mode_claim(24, {1: 18, 2: 28, 3: 24}, 3, 0).verdict == "discrepant"


def test_outcome_definition():
    readings = [("gender", 1.166, "women less willing", -1), ("education", -1.132, "educated more willing", +1)]
    bad = A.check_outcome_definition(1, 0, readings)
    assert bad.verdict == "discrepant" and "2 of 2" in bad.reason and "0 of 2" in bad.reason
    assert A.check_outcome_definition(0, 0, readings).verdict == "reproduced"
    assert A.reading_direction(1.166, True) == -1 and A.reading_direction(1.166, False) == 1


def test_external_check():
    assert A.check_external(8.3, 8.3, 1).verdict == "reproduced"
    assert A.check_external(8.3, 8.1, 1).verdict == "unverifiable"
    assert A.check_external(8.3, None, 1).verdict == "unverifiable"


# ------------------------------------------------------------------------------------------ design adequacy


def test_riley_formulas_against_the_pmsampsize_example():
    r = A.riley_sample_size(24, 0.288, 0.174)
    assert math.ceil(r["criterion_1"]) == 623
    assert math.ceil(r["criterion_2"]) == 662
    assert math.ceil(r["criterion_3"]) == 221


def test_riley_by_hand_for_this_study():
    phi = 0.51
    max_r2 = 1 - math.exp(2 * (phi * math.log(phi) + (1 - phi) * math.log(1 - phi)))
    r2 = 0.15 * max_r2
    n1 = 9 / ((0.9 - 1) * math.log(1 - r2 / 0.9))
    s2 = r2 / (r2 + 0.05 * max_r2)
    n2 = 9 / ((s2 - 1) * math.log(1 - r2 / s2))
    n3 = (1.96 / 0.05) ** 2 * phi * (1 - phi)
    d = A.design_adequacy(100, 49, 9, r2_cs=None, prevalence=phi)
    row = d.iloc[0]
    assert row["r2_cs"] == pytest.approx(r2) and row["epv"] == pytest.approx(49 / 9)
    assert row["n_criterion_1"] == math.ceil(n1) and row["n_criterion_2"] == math.ceil(n2)
    assert row["n_criterion_3"] == math.ceil(n3) == 385
    assert row["n_required"] == max(math.ceil(n1), math.ceil(n2), math.ceil(n3))
    assert A.expected_shrinkage(math.ceil(n1), 9, r2) == pytest.approx(0.9, abs=1e-3)
    assert len(A.design_adequacy(r2_cs=0.2)) == 2


def test_cox_snell_r2_by_hand(synthetic):
    data, _ = synthetic
    preds = load_codebook().predictors
    y = data["unwilling"].to_numpy(float)
    _, _, ll = newton_logit(np.column_stack([np.ones(100), data[preds].to_numpy(float)]), y)
    ll0 = float(np.sum(y * np.log(y.mean()) + (1 - y) * np.log(1 - y.mean())))
    expected = 1 - (math.exp(ll0) / math.exp(ll)) ** (2 / 100)
    assert A.refit(data)["r2_cs"] == pytest.approx(expected, rel=1e-6)


# ------------------------------------------------------------------------------------------ the whole audit


def test_a_consistent_ledger_passes_everything(synthetic):
    data, led = synthetic
    out = A.run_audit(data, led)
    bad = out[~out["verdict"].isin(["reproduced"])]
    assert bad.empty, bad[["verdict", "reason"]].to_string()


@pytest.mark.parametrize(
    "entry, value, expected",
    [
        ("t1.gender.1.pct", 68.00, "discrepant"),  # wrong percentage
        ("t1.gender.1.count", 70, "discrepant"),  # counts no longer sum to n
        ("t2.education.mean", 2.84, "discrepant"),  # wrong mean
        ("t2.hukou.mean", 1.61, "discrepant"),  # reversed coding
        ("t2.gender.sd", 0.470, "discrepant"),  # SD that violates DEBIT
        ("s7p.gender.coef", 11.66, "discrepant"),  # prose/table mismatch
        ("s6.recovery_rate", 95, "discrepant"),  # arithmetic
    ],
)
def test_planted_errors_are_flagged(synthetic, entry, value, expected):
    data, led = synthetic
    led = led.copy()
    led.loc[entry, "value"] = value
    out = A.run_audit(data, led)
    assert out.loc[entry, "verdict"] == expected
    if entry == "t2.gender.sd":
        assert "DEBIT" in out.loc[entry, "reason"]
    others = out.drop(index=[entry])
    assert (others["verdict"] == "reproduced").mean() > 0.9


def test_planted_impossible_p_value(synthetic):
    data, led = synthetic
    led = led.copy()
    led.loc["t3.health.coef", "value"] = 0.02
    led.loc["t3.health.p", ["value", "printed"]] = [0.001, "0.001**"]
    out = A.run_audit(data, led)
    assert out.loc["t3.health.p", "verdict"] == "impossible"


def test_audit_covers_every_ledger_entry(real_audit):
    ledger = load_ledger()
    assert list(real_audit["id"]) == list(ledger.index)
    assert set(real_audit["verdict"]) <= set(A.VERDICTS)
    assert real_audit["reason"].str.len().gt(0).all() and real_audit["check"].ne("none").all()
    assert A.scorecard(real_audit).sum() == len(ledger)


def test_known_problems_of_the_paper(real_audit):
    v = real_audit["verdict"]
    assert v["t2.unwilling.mean"] == "discrepant"
    assert v["t2.unwilling.sd"] == "reproduced"
    assert v["t2.marital_status.mean"] == "discrepant"
    assert v["t2.marital_status.coding.1"] == v["t2.marital_status.coding.2"] == "discrepant"
    assert v["t3.policy_awareness.p"] == v["t3.health.p"] == "impossible"
    assert v["s7p.policy_awareness.coef"] == "discrepant"
    assert v["s7p.outcome_definition"] == "discrepant"
    assert v["s6p.health.2.count"] == "discrepant" and v["s6p.policy_awareness.2.count"] == "reproduced"
    assert (v.filter(like="s1.") == "reproduced").all()
    assert (v.filter(like="t1.") == "reproduced").all()


def test_table3_verdicts_follow_an_independent_refit(real_audit):
    data = pd.read_csv(ROOT / "data" / "riders_survey.csv")
    preds = load_codebook().predictors
    x = np.column_stack([np.ones(len(data)), data[preds].to_numpy(float)])
    beta, _, _ = newton_logit(x, data["unwilling"].to_numpy(float))
    led = load_ledger()
    for j, var in enumerate(preds, start=1):
        pub = led.loc[f"t3.{var}.coef", "value"]
        expected = "reproduced" if abs(beta[j] - pub) <= 0.0005 + 1e-12 else "discrepant"
        assert real_audit.loc[f"t3.{var}.coef", "verdict"] == expected
        assert real_audit.loc[f"t3.{var}.coef", "computed"] == pytest.approx(beta[j], abs=1e-6)


def test_cli_table_prints_a_scorecard(capsys):
    assert audit_command(None, "table") == 0
    out = capsys.readouterr().out
    assert "verdict" in out.splitlines()[0] and out.strip().splitlines()[-1].startswith(f"{len(load_ledger())} entries")


def test_cli_json_covers_every_ledger_id():
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "audit", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [r["id"] for r in records] == list(load_ledger().index)
    for key in ("id", "location", "quantity", "published", "computed", "verdict", "reason"):
        assert all(key in r for r in records)
    assert any(r["computed"] is None for r in records)  # NaN became null


def test_findings_and_presentation(real_audit):
    f = A.findings(real_audit)
    assert set(f.index) == set(real_audit.index[real_audit["verdict"] != "reproduced"])
    assert f["consequence"].str.len().gt(0).all()
    assert A.scorecard(real_audit).sum() == len(real_audit)
