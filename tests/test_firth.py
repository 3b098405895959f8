"""Firth's penalised logit against a hand-written iteration and constrained penalised fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

from oracles import hand_firth, penalised_loglik
from ridersurvey.data.codebook import load_codebook
from ridersurvey.model import firth as F
from ridersurvey.model.logit import design_matrix

PRED = load_codebook().predictors


def test_firth_estimates_match_hand_written_newton(toy):
    X = design_matrix(toy)
    y = toy["unwilling"].to_numpy(float)
    table = F.firth_estimates(toy)
    np.testing.assert_allclose(table["coef_firth"].to_numpy(), hand_firth(X, y), atol=1e-6)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_firth_is_finite_under_separation():
    x = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], dtype=float)
    y = (x >= 3).astype(int)
    frame = pd.DataFrame({"x": x.astype(int), "unwilling": y})
    table = F.firth_estimates(frame, ["x"])
    X = np.column_stack([np.ones_like(x), x])
    np.testing.assert_allclose(table["coef_firth"].to_numpy(), hand_firth(X, y.astype(float)), atol=1e-6)
    assert np.isfinite(table["coef_firth"]).all()


def test_firth_lr_p_values_match_constrained_penalised_fits(toy):
    X = design_matrix(toy)
    y = toy["unwilling"].to_numpy(float)
    table = F.firth_estimates(toy)
    full = penalised_loglik(X, y, hand_firth(X, y))
    for var in ("gender", "policy_awareness"):
        j = ["const", *PRED].index(var)
        constrained = penalised_loglik(X, y, hand_firth(X, y, fixed=j))
        p = stats.chi2.sf(2 * (full - constrained), 1)
        assert table.loc[var, "p_firth_lr"] == pytest.approx(p, rel=1e-4, abs=1e-8)


def test_firth_profile_interval_has_the_chi2_drop(toy):
    """At a profile-likelihood bound, the constrained penalised log-likelihood is 1.92 below the maximum."""
    X = design_matrix(toy)
    y = toy["unwilling"].to_numpy(float)
    table = F.firth_estimates(toy)
    full = penalised_loglik(X, y, hand_firth(X, y))
    j = ["const", *PRED].index("education")
    bound = table.loc["education", "ci_high_firth"]

    def neg(b):
        beta = np.insert(b, j, bound)
        return -penalised_loglik(X, y, beta)

    start = np.delete(hand_firth(X, y), j)
    res = optimize.minimize(neg, start, method="BFGS", options={"gtol": 1e-9})
    assert full - (-res.fun) == pytest.approx(stats.chi2.ppf(0.95, 1) / 2, abs=1e-3)


def test_firth_table_ml_columns_are_statsmodels(toy):
    table = F.firth_estimates(toy)
    res = sm.Logit(toy["unwilling"], sm.add_constant(toy[PRED].astype(float))).fit(disp=0)
    np.testing.assert_allclose(table["coef_ml"], res.params, rtol=1e-7)
    np.testing.assert_allclose(table["p_ml"], res.pvalues, rtol=1e-6)
    assert (table.loc[PRED, "coef_firth"].abs() < table.loc[PRED, "coef_ml"].abs()).mean() > 0.5
