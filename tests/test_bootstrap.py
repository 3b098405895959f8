"""The batch logit fitter and the case-resampling bootstrap, against statsmodels and direct simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit

from ridersurvey.data.codebook import load_codebook
from ridersurvey.model.batch_logit import batch_logit
from ridersurvey.model.logit import design_matrix
from ridersurvey.robustness import bootstrap as B

PRED = load_codebook().predictors


def test_batch_fitter_matches_statsmodels_on_resamples(toy):
    boot = B.bootstrap(toy, n_boot=4, seed=11)
    X = design_matrix(toy)
    y = toy["unwilling"].to_numpy(float)
    fit = batch_logit(X, y, boot.counts)
    for b in range(4):
        rows = np.repeat(np.arange(len(toy)), boot.counts[b].astype(int))
        res = sm.Logit(y[rows], X[rows]).fit(disp=0, method="newton", maxiter=100)
        np.testing.assert_allclose(boot.replicates[b], res.params, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(fit.se[b], res.bse, rtol=1e-6)
        assert fit.loglik[b] == pytest.approx(res.llf, rel=1e-9)


def test_batch_fitter_with_per_model_designs_matches_statsmodels():
    rng = np.random.default_rng(3)
    X = np.concatenate([np.ones((3, 80, 1)), rng.normal(size=(3, 80, 2))], axis=2)
    y = (rng.random((3, 80)) < expit(X @ np.array([0.2, 1.0, -0.5]))).astype(float)
    fit = batch_logit(X, y)
    for b in range(3):
        res = sm.Logit(y[b], X[b]).fit(disp=0)
        np.testing.assert_allclose(fit.beta[b], res.params, rtol=1e-6)
        np.testing.assert_allclose(fit.se[b], res.bse, rtol=1e-6)
    assert fit.converged.all()


def test_batch_fitter_flags_separation():
    x = np.arange(10, dtype=float)
    X = np.column_stack([np.ones(10), x])
    y = np.stack([(x > 4.5).astype(float), (np.arange(10) % 2).astype(float)])
    fit = batch_logit(X, y)
    assert fit.converged.tolist() == [False, True]


def test_bootstrap_counts_and_excludes_separated_resamples():
    x = np.array([1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4], dtype=int)
    y = np.array([0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1], dtype=int)
    frame = pd.DataFrame({"x": x, "unwilling": y})
    boot = B.bootstrap(frame, n_boot=300, seed=5, cols=["x"])
    s = boot.summary
    assert s["n_valid"] + s["n_failed"] == 300
    assert s["n_separated"] > 0
    assert s["n_separated"] + s["n_nonconverged_other"] == s["n_failed"]
    from firthmodels import detect_separation

    for b in np.flatnonzero(boot.separated)[:5]:
        rows = np.repeat(np.arange(len(x)), boot.counts[b].astype(int))
        assert detect_separation(x[rows, None].astype(float), y[rows]).separation
    table = B.bootstrap_intervals(boot)
    valid = boot.replicates[boot.valid, 1]
    assert table.loc["x", "ci_high"] == pytest.approx(np.percentile(valid, 97.5))


def test_bootstrap_is_seeded_and_resamples_cases(toy):
    a = B.bootstrap(toy, n_boot=50, seed=1)
    b = B.bootstrap(toy, n_boot=50, seed=1)
    c = B.bootstrap(toy, n_boot=50, seed=2)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert not np.allclose(a.replicates, c.replicates)
    assert (a.counts.sum(axis=1) == len(toy)).all()
    idx = np.random.default_rng(1).integers(0, len(toy), size=(50, len(toy)))
    np.testing.assert_array_equal(a.counts[0], np.bincount(idx[0], minlength=len(toy)))


def test_bootstrap_table_is_percentiles_and_exponentiated(toy):
    boot = B.bootstrap(toy, n_boot=400, seed=3)
    table = B.bootstrap_intervals(boot, level=0.9)
    reps = boot.replicates[boot.valid]
    np.testing.assert_allclose(table["ci_low"], np.percentile(reps, 5, axis=0))
    np.testing.assert_allclose(table["ci_high"], np.percentile(reps, 95, axis=0))
    np.testing.assert_allclose(table["or_low"], np.exp(table["ci_low"]))
    res = sm.Logit(toy["unwilling"], sm.add_constant(toy[PRED].astype(float))).fit(disp=0)
    np.testing.assert_allclose(table["coef"], res.params, rtol=1e-7)
    excludes = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    clear = table["side"] != "at 0 within Monte Carlo error"
    assert (table.loc[clear, "side"] == np.where(excludes[clear], "excludes 0", "covers 0")).all()


def test_quantile_mcse_matches_the_spread_of_repeated_quantiles():
    rng = np.random.default_rng(11)
    draws = rng.standard_normal((300, 2000))
    spread = np.quantile(draws, 0.025, axis=1).std(ddof=1)
    estimates = np.array([B.quantile_mcse(d, 0.025) for d in draws[:60]])
    assert np.median(estimates) == pytest.approx(spread, rel=0.2)
    # the normal-theory value sqrt(q(1-q)/B) / phi(z_q)
    theory = np.sqrt(0.025 * 0.975 / 2000) / stats.norm.pdf(stats.norm.ppf(0.025))
    assert spread == pytest.approx(theory, rel=0.15)


def test_a_limit_within_monte_carlo_error_of_zero_is_not_decided():
    rng = np.random.default_rng(2)
    reps = np.column_stack([rng.normal(1.96 * 0.5, 0.5, 2000), rng.normal(3, 0.5, 2000), rng.normal(0, 0.5, 2000)])
    result = B.BootstrapResult(
        names=["a", "b", "c"],
        estimate=reps.mean(axis=0),
        replicates=reps,
        valid=np.ones(2000, bool),
        separated=np.zeros(2000, bool),
        counts=np.zeros((2000, 1)),
        seed=0,
        n_boot=2000,
    )
    side = B.bootstrap_intervals(result)["side"]
    assert side.tolist() == ["at 0 within Monte Carlo error", "excludes 0", "covers 0"]


def test_full_bootstrap_uses_the_recorded_seed(data):
    boot = B.bootstrap(data, n_boot=200)
    assert boot.summary["n_boot"] == 200 and boot.summary["seed"] == B.BOOTSTRAP_SEED


def test_spread_over_runs_recovers_the_known_error_of_an_sd_under_heavy_tails():
    # replicates from a contaminated normal, 0.95 N(0, 1) + 0.05 N(0, 25): kurtosis known in closed form
    rng = np.random.default_rng(5)
    runs, size, eps, tau = 400, 2000, 0.05, 5.0
    wide = rng.random((runs, size)) < eps
    draws = rng.standard_normal((runs, size)) * np.where(wide, tau, 1.0)
    var = 1 - eps + eps * tau**2
    kurt = 3 * (1 - eps + eps * tau**4) / var**2
    known = np.sqrt(var * (kurt - 1) / (4 * size))
    ses = draws.std(axis=1, ddof=1)[:, None]
    assert B.repeat_se_spread(ses)[0] == pytest.approx(known, rel=0.15)
    normal_theory = np.sqrt(var) / np.sqrt(2 * (size - 1))
    assert normal_theory < known / 2


def test_repeat_se_runs_are_bootstraps_seeded_apart_from_the_book(toy):
    X = design_matrix(toy)
    y = toy["unwilling"].to_numpy(float)
    runs = B.repeat_se(toy, n_boot=30, repeats=2, seed=7)
    assert list(runs.columns) == ["const", *PRED, "n_valid"]
    for r in range(2):
        idx = np.random.default_rng([7, r + 1]).integers(0, len(toy), size=(30, len(toy)))
        fits = [sm.Logit(y[i], X[i]).fit(disp=0, method="newton", maxiter=100) for i in idx]
        assert all(f.mle_retvals["converged"] for f in fits) and runs.loc[r, "n_valid"] == 30
        expected = np.array([f.params for f in fits]).std(axis=0, ddof=1)
        np.testing.assert_allclose(runs.loc[r, ["const", *PRED]].to_numpy(float), expected, rtol=1e-6)
    spread = B.repeat_se_spread(runs)
    np.testing.assert_allclose(spread, runs.drop(columns="n_valid").to_numpy().std(axis=0, ddof=1))


def test_stored_runs_replay_and_belong_to_the_analysis_file(data, tmp_path):
    runs, meta = B.load_se_repeats(data)
    assert len(runs) == meta["repeats"] and (runs["n_valid"] <= meta["n_boot"]).all()
    again = B.repeat_se(data, n_boot=meta["n_boot"], repeats=2, seed=meta["seed"])
    np.testing.assert_allclose(again.drop(columns="n_valid"), runs.iloc[:2].drop(columns="n_valid"), rtol=1e-8)
    with pytest.raises(RuntimeError, match="another data set"):
        B.load_se_repeats(data.assign(gender=data["gender"][::-1].to_numpy()))


def test_the_table_takes_the_se_error_from_the_runs_not_from_a_formula(toy):
    boot = B.bootstrap(toy, n_boot=100, seed=3)
    assert B.bootstrap_intervals(boot)["boot_se_mcse"].isna().all()
    spread = pd.Series(np.arange(len(boot.names), dtype=float), index=boot.names[::-1])
    table = B.bootstrap_intervals(boot, se_mcse=spread)
    np.testing.assert_array_equal(table["boot_se_mcse"], spread.reindex(boot.names))
