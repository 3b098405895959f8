"""The audit's pure checks on known answers: consistent inputs pass, each kind of planted error is flagged."""

from __future__ import annotations

import numpy as np
import pytest

from ridersurvey.audit import checks as C


def test_verdicts_are_graded_and_validated():
    assert C.VERDICTS[0] == "inconsistent-pair" and C.VERDICTS[-1] == "consistent"
    assert "reproduced" not in C.VERDICTS
    with pytest.raises(ValueError, match="unknown verdict"):
        C.Verdict("reproduced", 1.0, "")


def test_arithmetic_check_names_decimal_slips():
    assert C.check_arithmetic(100, 103 - 3, 0, "103 − 3").verdict == "consistent"
    rate = C.check_arithmetic(97, 100 * 100 / 103, 0, "100 × 100 / 103")
    assert rate.verdict == "consistent" and rate.reason == f"100 × 100 / 103 = {1e4 / 103:.2f}, printed as 97"
    assert C.check_arithmetic(100, 103 - 3, 0, "103 − 3").reason == "103 − 3 = 100"
    assert C.check_arithmetic(97.0, 100 * 100 / 103, 1, "100 × 100 / 103").verdict == "discrepant"
    slip = C.check_arithmetic(-0.11, -0.011, 2, C.Quoted("Table 3 prints −0.011 (t3.x.coef)"))
    assert slip.verdict == "discrepant" and "ten times" in slip.reason and "−0.11" in slip.reason
    assert "a tenth" in C.check_arithmetic(0.011, 0.11, 3, "x").reason


def test_more_than_claims():
    assert C.check_more_than(50, 59.0, "Table 1 prints 59.00").verdict == "consistent"
    assert C.check_more_than(50, 50.0, "Table 1 prints 50.00").verdict == "discrepant"


def test_counts_are_matched_by_construction_when_they_sum_to_n():
    ok = C.check_count(31, [69], 100)
    assert ok.verdict == "matched-by-construction" and "construction" in ok.reason
    bad = C.check_count(32, [69], 100)  # planted: counts sum to 101
    assert bad.verdict == "discrepant" and bad.computed == 31 and "101" in bad.reason


def test_total_check():
    assert C.check_total(100, {"a": 100, "b": 100}, 0, "counts").verdict == "consistent"
    assert C.check_total(100, {"a": 100, "b": 99}, 0, "counts").verdict == "discrepant"


def test_moments_from_counts_match_numpy_on_expanded_data():
    counts = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    x = np.repeat(list(counts), list(counts.values())).astype(float)
    m = C.moments_from_counts(counts)
    assert m["mean"] == pytest.approx(x.mean()) and m["sd"] == pytest.approx(x.std(ddof=1))
    assert m["sd_ddof0"] == pytest.approx(x.std(ddof=0))
    rev = C.moments_from_counts(counts, {c: 6 - c for c in counts})
    assert rev["mean"] == pytest.approx(6 - x.mean()) and rev["sd"] == pytest.approx(x.std(ddof=1))


def test_candidate_codings():
    binary = C.candidate_codings([1, 2], {1: "未婚", 2: "已婚"})
    assert list(binary.values()) == [{1: 1, 2: 2}, {1: 2, 2: 1}, {1: 0, 2: 1}, {1: 1, 2: 0}]
    assert any("已婚 = 1, 未婚 = 2" in name for name in binary)
    assert len(C.candidate_codings([0, 1])) == 2
    assert len(C.candidate_codings([1, 2, 3, 4, 5])) == 2


def test_table2_mean_consistent_and_planted_errors():
    counts = {1: 6, 2: 32, 3: 45, 4: 16, 5: 1}
    assert C.check_table2_mean(2.74, counts).verdict == "consistent"
    wrong = C.check_table2_mean(2.84, counts)
    assert wrong.verdict == "discrepant" and wrong.computed == pytest.approx(2.74)
    reversed_ = C.check_table2_mean(6 - 2.74, counts)
    assert reversed_.verdict == "discrepant" and "reversed" in reversed_.reason


def test_table2_outcome_mean_is_a_typo_not_a_recoding():
    v = C.check_table2_mean(0.59, {0: 49, 1: 51}, 2, {0: "有意愿", 1: "没有意愿"}, published_sd=0.502)
    assert v.verdict == "discrepant" and v.computed == pytest.approx(0.51)
    assert "no recoding" in v.reason and "59 of 100" in v.reason and "typo" in v.reason


def test_table2_marital_mean_fits_reversed_coding():
    v = C.check_table2_mean(1.41, {1: 41, 2: 59}, 2, {1: "未婚", 2: "已婚"})
    assert v.verdict == "discrepant" and "已婚 = 1, 未婚 = 2" in v.reason


def test_table2_sd_ddof1_ddof0_and_wrong():
    counts = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    x = np.repeat(list(counts), list(counts.values())).astype(float)
    ok = C.check_table2_sd(round(x.std(ddof=1), 3), counts)
    assert ok.verdict == "consistent" and "ddof = 1" in ok.reason
    pop = C.check_table2_sd(round(x.std(ddof=0), 3), counts)
    assert pop.verdict == "consistent" and "ddof = 0" in pop.reason
    assert C.check_table2_sd(1.250, counts).verdict == "discrepant"


def test_table2_sd_reports_debit_for_the_printed_outcome_pair():
    v = C.check_table2_sd(0.502, {0: 49, 1: 51}, 3, published_mean=0.59)
    assert v.verdict == "consistent" and "DEBIT" in v.reason
    assert "DEBIT" not in C.check_table2_sd(0.502, {0: 49, 1: 51}, 3, published_mean=0.51).reason


def test_coding_check():
    labels = {1: "未婚", 2: "已婚"}
    assert C.check_coding(1, 1, {1: 41, 2: 59}, 1.59, 2, labels).verdict == "consistent"
    planted = C.check_coding(1, 1, {1: 41, 2: 59}, 1.41, 2, labels)
    assert planted.verdict == "discrepant" and planted.computed == 2
    assert C.check_coding(0, 0, {0: 49, 1: 51}, 0.59, 2).verdict == "unverifiable"


def test_p_value_check_grades_pairs_targets_and_stars():
    pair = C.check_p_value(0.006, -0.011, 1.248, 100, 3, stars=2)
    assert pair.verdict == "inconsistent-pair" and pair.computed == pytest.approx(0.9431, abs=1e-4)
    assert "Wald or LR" in pair.reason and "0.943" in pair.reason
    assert C.check_p_value(0.407, -0.217, 1.114, 100, 3, 0, refit_p=0.4071).verdict == "matched-by-construction"
    missed = C.check_p_value(0.407, -0.217, 1.114, 100, 3, 0, refit_p=0.35)
    assert missed.verdict == "unverifiable" and "missed" in missed.reason
    stars_wrong = C.check_p_value(0.032, 1.166, 0.465, 100, 3, stars=2, refit_p=0.032)
    assert stars_wrong.verdict == "discrepant" and "star" in stars_wrong.reason
    assert C.check_p_value(0.5, 0.2, 1.0, 100, 3).verdict == "unverifiable"
    assert [C.expected_stars(p) for p in (0.0004, 0.009, 0.032, 0.05)] == [3, 2, 1, 0]


def test_coefficient_check_is_never_a_verification():
    assert C.check_coefficient(-0.217, -0.2174, 3).verdict == "matched-by-construction"
    assert C.check_coefficient(-0.217, -0.2186, 3).verdict == "unverifiable"
    assert C.check_coefficient(0.111, 0.1113, 3, pair_attainable=False, p_floor_=0.523).verdict == "inconsistent-pair"
    assert C.check_coefficient(0.111, None, 3).verdict == "unverifiable"


def test_mode_claim():
    health = {1: 8, 2: 29, 3: 29, 4: 22, 5: 12}
    tie = C.check_mode_claim(29, health, 2, 0, {c: str(c) for c in health})
    assert tie.verdict == "discrepant" and "ties" in tie.reason
    assert C.check_mode_claim(28, {1: 18, 2: 28, 3: 24}, 2, 0).verdict == "consistent"
    assert C.check_mode_claim(24, {1: 18, 2: 28, 3: 24}, 3, 0).verdict == "discrepant"


def test_outcome_definition():
    follows = {"table2": 5, "model": 0, "readings": 5}
    bad = C.check_outcome_definition(1, 0, follows)
    assert (
        bad.verdict == "discrepant"
        and "5 readings of Table 3's coefficients: 5 follow" in bad.reason
        and "0 the model" in bad.reason
    )
    assert C.check_outcome_definition(0, 0, follows).verdict == "consistent"


def test_external_and_claims():
    assert C.check_external(8.3, 8.3, 1, "the SIC report").verdict == "corroborated"
    assert "SIC report" in C.check_external(8.3, 8.3, 1, "the SIC report").reason
    assert C.check_external(8.3, 8.1, 1).verdict == "unverifiable"
    assert C.check_external(8.3, None, 1).verdict == "unverifiable"
    assert C.check_claim("no statistic").verdict == "unverifiable"


def test_less_than_and_significance_lists():
    assert C.check_less_than(50, 21.0, "Table 1").verdict == "consistent"
    assert C.check_less_than(50, 50.0, "Table 1").verdict == "discrepant"
    p = {"a": 0.01, "b": 0.049, "c": 0.05, "d": 0.4}
    labels = {k: k.upper() for k in p}
    assert C.check_significance_list(["a", "b"], p, True, labels).verdict == "consistent"
    assert C.check_significance_list(["c", "d"], p, False, labels).verdict == "consistent"
    wrong = C.check_significance_list(["a", "c"], p, True, labels)
    assert wrong.verdict == "discrepant"
    assert wrong.reason == "named but not below 0.05: C; below 0.05 but not named: B"
