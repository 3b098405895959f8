"""Other codings: categories against linear codes, and reversed outcome and marital codings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from scipy.special import expit

from ridersurvey.data.codebook import load_codebook
from ridersurvey.model import codings
from ridersurvey.robustness.power import published_marginals

PRED = load_codebook().predictors


def test_merge_sparse_moves_edge_categories_inwards():
    s = pd.Series([1] * 6 + [2] * 32 + [3] * 45 + [4] * 16 + [5])
    merged, merges = codings.merge_sparse(s)
    assert merges == [(5, 4, 1)]
    assert merged.value_counts().to_dict() == {3: 45, 2: 32, 4: 17, 1: 6}
    low, merges = codings.merge_sparse(pd.Series([1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]))
    assert merges == [(1, 2, 1)] and set(low) == {2, 3}


def test_merge_sparse_merges_categories_with_an_empty_outcome_cell():
    s = pd.Series([1] * 8 + [2] * 20 + [3] * 20)
    y = pd.Series([0] * 8 + [0, 1] * 10 + [1, 0] * 10)
    merged, merges = codings.merge_sparse(s, outcome=y)
    assert merges == [(1, 2, 8)]
    assert pd.crosstab(merged, y).min().min() > 0
    assert codings.merge_sparse(s)[1] == []


def test_categorical_lr_test_matches_formula_api():
    rng = np.random.default_rng(12)
    marg = published_marginals()
    frame = pd.DataFrame({v: rng.choice(marg[v][0], size=400, p=marg[v][1]).astype(int) for v in PRED})
    eta = 0.5 - 0.5 * frame["education"] + 0.4 * (frame["health"] == 3)
    frame["unwilling"] = (rng.random(400) < expit(eta)).astype(int)
    out = codings.coding_lr_test(frame)
    assert out["converged"] and not out["separation"]
    _, linear, _, merges = codings.categorical_frame(frame)
    assert ("education", 5, 4, int((frame["education"] == 5).sum())) in merges
    formula = "unwilling ~ " + " + ".join(f"C({v})" if v in codings.ORDINAL else v for v in PRED)
    cat = smf.logit(formula, data=linear).fit(disp=0)
    lin = smf.logit("unwilling ~ " + " + ".join(PRED), data=linear).fit(disp=0)
    assert out["llf_categorical"] == pytest.approx(cat.llf, rel=1e-8)
    assert out["llf_linear"] == pytest.approx(lin.llf, rel=1e-8)
    assert out["df"] == cat.df_model - lin.df_model
    assert out["p"] == pytest.approx(stats.chi2.sf(2 * (cat.llf - lin.llf), out["df"]), rel=1e-6)
    assert out["lr"] >= 0
    assert all(linear[v].value_counts().min() >= 5 for v in codings.ORDINAL)


def test_reversed_outcome_flips_every_sign_exactly(toy):
    table = codings.reverse_outcome(toy)
    np.testing.assert_allclose(table["coef_willing"], -table["coef_unwilling"], rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(table["se_willing"], table["se_unwilling"], rtol=1e-7)


def test_reversed_marital_coding_flips_only_its_coefficient(toy):
    table = codings.reverse_marital(toy)
    b = table.loc["marital_status", "coef_stated"]
    assert table.loc["marital_status", "coef_reversed"] == pytest.approx(-b, rel=1e-7)
    others = [v for v in PRED if v != "marital_status"]
    np.testing.assert_allclose(table.loc[others, "coef_reversed"], table.loc[others, "coef_stated"], rtol=1e-7)
    assert table.loc["const", "coef_reversed"] == pytest.approx(table.loc["const", "coef_stated"] + 3 * b, rel=1e-7)
    assert table.attrs["mean_reversed"] == pytest.approx(3 - toy["marital_status"].mean())
