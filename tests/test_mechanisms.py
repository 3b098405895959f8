"""Error mechanisms: each candidate explanation tested against hand computation or brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ridersurvey import messages
from ridersurvey.audit import mechanisms as M
from ridersurvey.data.ledger import load_ledger


def floor_by_hand(b: float, sd: float, b_decimals: int = 3) -> float:
    top = abs(b) + 0.5 * 10.0**-b_decimals
    return 2 * stats.norm.sf(top * (sd + 0.0005) * math.sqrt(99) / 2)


def test_the_texts_awareness_coefficient_is_also_inconsistent_with_its_p():
    slips = M.decimal_slips()
    text = slips[slips["mechanism"].str.contains(messages.text("mechanisms.slips.quoted"), regex=False)].iloc[0]
    assert text["variable"] == "policy_awareness" and text["b"] == pytest.approx(-0.11)
    assert text["p_floor"] == pytest.approx(floor_by_hand(-0.11, 1.248, 2))  # −0.11 ± 0.005
    assert text["p_floor"] > 0.47 and text["verdict"] == "ruled out"
    tenfold = slips[(slips["variable"] == "policy_awareness") & slips["mechanism"].str.contains("× 10:")].iloc[0]
    assert tenfold["p_floor"] == pytest.approx(floor_by_hand(-0.11, 1.248, 3)) and tenfold["p_floor"] > 0.49
    health = slips[(slips["variable"] == "health") & slips["mechanism"].str.contains("× 10:")].iloc[0]
    assert health["verdict"] == "possible" and "twice" in health["test"]


def test_no_assignment_of_p_values_to_rows_lets_every_pair_stand():
    matrix = M.attainability_matrix()
    led = load_ledger()
    rows = list(matrix.index)
    # by hand: printed p_j can stand beside b_i if p_j + 0.0005 >= floor(b_i, SD_i)
    for i in rows:
        floor = floor_by_hand(led.loc[f"t3.{i}.coef", "value"], led.loc[f"t2.{i}.sd", "value"])
        for j in rows:
            assert matrix.loc[i, j] == (led.loc[f"t3.{j}.p", "value"] + 0.0005 >= floor)
    assert not matrix.loc["policy_awareness"].any()  # no printed p is >= 0.943
    assert set(matrix.columns[matrix.loc["health"]]) == {"employment_duration", "age_group"}
    assert M.consistent_assignments(matrix) == []
    table = M.misplaced_p_values()
    assert (table.iloc[-1]["verdict"], table.iloc[0]["verdict"]) == ("ruled out", "ruled out")
    assert "362,880" in table.iloc[-1]["test"]


def test_assignments_are_counted_exhaustively_on_a_small_case():
    ok = pd.DataFrame([[1, 1, 0], [0, 1, 1], [1, 0, 1]], index=list("abc"), columns=list("abc")).astype(bool)
    found = M.consistent_assignments(ok)
    brute = [p for p in itertools.permutations("abc") if all(ok.loc[r, c] for r, c in zip("abc", p, strict=True))]
    assert sorted(found) == sorted(brute) and len(found) == 2


def test_pearson_chi2_over_every_table_matches_scipy_on_samples():
    rows = [8, 29, 29, 22, 12]
    ps = M.pearson_chi2_p_values(rows, 49)
    # the number of tables: coefficient of t^49 in prod (1 + t + ... + t^r)
    poly = np.array([1])
    for r in rows:
        poly = np.convolve(poly, np.ones(r + 1, dtype=int))
    assert len(ps) == poly[49]
    rng = np.random.default_rng(0)
    for _ in range(5):
        first = rng.multivariate_hypergeometric(rows, 49)
        table = np.column_stack([first, np.array(rows) - first])
        p = stats.chi2_contingency(table, correction=False)[1]
        assert np.isclose(ps, p, rtol=1e-9).any()
    assert ps.min() < 1e-6 and ps.max() > 0.99


def test_other_tests_are_possible_under_the_published_frequencies():
    table = M.other_tests()
    chi2 = table[table["mechanism"].str.contains("Pearson")]
    assert list(chi2["verdict"]) == ["possible", "possible"] and (chi2["n_matching"] > 0).all()


def test_marital_coding_follows_questionnaire_order():
    table = M.marital_coding()
    assert table.iloc[0]["verdict"] == "fits" and "1.41 = the printed mean" in table.iloc[0]["test"]
    assert "(59 × 1 + 41 × 2) / 100" in table.iloc[0]["test"]


def test_outcome_mean_is_the_married_share_not_the_willing_share():
    table = M.outcome_mean()
    assert list(table["verdict"]) == ["ruled out", "possible", "possible"]
    assert "the share willing is 0.49" in table.iloc[0]["test"]
    test = table.iloc[1]["test"]
    assert "married (0.59)" in test and "gender" not in test
    # Independent: SD of a 0/1 item with share s at n = 100, divisor n - 1.
    assert "(0.502)" in test and "(0.494)" in test
    assert round((0.51 * 0.49 * 100 / 99) ** 0.5, 3) == 0.502 and round((0.59 * 0.41 * 100 / 99) ** 0.5, 3) == 0.494
    assert "differ in one digit" in table.iloc[2]["test"]


def test_every_reading_follows_table2s_outcome_coding():
    readings = M.outcome_coding()
    assert len(readings) == 5 and readings["follows_table2"].all() and not readings["follows_model_section"].any()
    assert M.reading_direction(1.166, True) == -1 and M.reading_direction(1.166, False) == 1
    table = M.outcome_definition()
    assert list(table["verdict"]) == ["fits", "possible"]


def test_readings_are_quoted_from_the_paper():
    readings = M.load_readings()
    assert set(readings.index) == {"gender", "marital_status", "education", "health", "policy_awareness"}
    assert readings.loc["health", "quote_zh"] == "越健康的骑手参保意愿越弱"
    assert set(readings["direction"]) == {-1, 1}


def test_all_mechanisms_have_a_verdict_and_the_arithmetic():
    table = M.all_mechanisms()
    assert list(table.columns) == M.MECHANISM_COLUMNS
    assert set(table["verdict"]) <= {"fits", "possible", "ruled out"}
    assert table["test"].str.len().gt(20).all()
