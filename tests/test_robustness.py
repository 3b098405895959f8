"""Robustness module: every number checked against an independent computation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import optimize, stats
from scipy.special import expit

from oracles import firth_by_hand, firth_penalised_loglik
from ridersurvey import robustness as rb
from ridersurvey.model import load_analysis_data
from ridersurvey.paths import DATA_DIR
from ridersurvey.published import table3

PRED = rb.predictors()


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return load_analysis_data()


@pytest.fixture(scope="module")
def toy() -> pd.DataFrame:
    """A simulated data set with the survey's shape, so tests do not depend on the committed data."""
    rng = np.random.default_rng(7)
    marg = rb.published_marginals()
    frame = pd.DataFrame({v: rng.choice(marg[v][0], size=100, p=marg[v][1]).astype(int) for v in PRED})
    eta = -1.0 + 0.8 * frame["gender"] - 0.6 * frame["education"] + 0.3 * frame["health"]
    frame["unwilling"] = (rng.random(100) < expit(eta)).astype(int)
    return frame


# ---------------------------------------------------------------- Firth


def test_firth_estimates_match_hand_written_newton(toy):
    X, _ = rb.design(toy)
    y = toy["unwilling"].to_numpy(float)
    table = rb.firth_table(toy)
    np.testing.assert_allclose(table["coef_firth"].to_numpy(), firth_by_hand(X, y), atol=1e-6)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_firth_is_finite_under_separation():
    x = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], dtype=float)
    y = (x >= 3).astype(int)
    frame = pd.DataFrame({"x": x.astype(int), "unwilling": y})
    table = rb.firth_table(frame, ["x"])
    X = np.column_stack([np.ones_like(x), x])
    np.testing.assert_allclose(table["coef_firth"].to_numpy(), firth_by_hand(X, y.astype(float)), atol=1e-6)
    assert np.isfinite(table["coef_firth"]).all()


def test_firth_lr_p_values_match_constrained_penalised_fits(toy):
    X, names = rb.design(toy)
    y = toy["unwilling"].to_numpy(float)
    table = rb.firth_table(toy)
    full = firth_penalised_loglik(X, y, firth_by_hand(X, y))
    for var in ("gender", "policy_awareness"):
        j = names.index(var)
        constrained = firth_penalised_loglik(X, y, firth_by_hand(X, y, fixed=j))
        p = stats.chi2.sf(2 * (full - constrained), 1)
        assert table.loc[var, "p_firth_lr"] == pytest.approx(p, rel=1e-4, abs=1e-8)


def test_firth_profile_interval_has_the_chi2_drop(toy):
    """At a profile-likelihood bound, the constrained penalised log-likelihood is 1.92 below the maximum."""
    X, names = rb.design(toy)
    y = toy["unwilling"].to_numpy(float)
    table = rb.firth_table(toy)
    full = firth_penalised_loglik(X, y, firth_by_hand(X, y))
    j = names.index("education")
    bound = table.loc["education", "ci_high_firth"]

    def neg(b):
        beta = np.insert(b, j, bound)
        return -firth_penalised_loglik(X, y, beta)

    start = np.delete(firth_by_hand(X, y), j)
    res = optimize.minimize(neg, start, method="BFGS", options={"gtol": 1e-9})
    assert full - (-res.fun) == pytest.approx(stats.chi2.ppf(0.95, 1) / 2, abs=1e-3)


def test_firth_table_ml_columns_are_statsmodels(toy):
    table = rb.firth_table(toy)
    res = sm.Logit(toy["unwilling"], sm.add_constant(toy[PRED].astype(float))).fit(disp=0)
    np.testing.assert_allclose(table["coef_ml"], res.params, rtol=1e-7)
    np.testing.assert_allclose(table["p_ml"], res.pvalues, rtol=1e-6)
    assert (table.loc[PRED, "coef_firth"].abs() < table.loc[PRED, "coef_ml"].abs()).mean() > 0.5


# ---------------------------------------------------------------- bootstrap


def test_batch_fitter_matches_statsmodels_on_resamples(toy):
    boot = rb.bootstrap(toy, n_boot=4, seed=11)
    X, _ = rb.design(toy)
    y = toy["unwilling"].to_numpy(float)
    fit = rb.batch_logit(X, y, boot.counts)
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
    fit = rb.batch_logit(X, y)
    for b in range(3):
        res = sm.Logit(y[b], X[b]).fit(disp=0)
        np.testing.assert_allclose(fit.beta[b], res.params, rtol=1e-6)
        np.testing.assert_allclose(fit.se[b], res.bse, rtol=1e-6)
    assert fit.converged.all()


def test_batch_fitter_flags_separation():
    x = np.arange(10, dtype=float)
    X = np.column_stack([np.ones(10), x])
    y = np.stack([(x > 4.5).astype(float), (np.arange(10) % 2).astype(float)])
    fit = rb.batch_logit(X, y)
    assert fit.converged.tolist() == [False, True]


def test_bootstrap_counts_and_excludes_separated_resamples():
    x = np.array([1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4], dtype=int)
    y = np.array([0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1], dtype=int)
    frame = pd.DataFrame({"x": x, "unwilling": y})
    boot = rb.bootstrap(frame, n_boot=300, seed=5, cols=["x"])
    s = boot.summary
    assert s["n_valid"] + s["n_failed"] == 300
    assert s["n_separated"] > 0
    assert s["n_separated"] + s["n_nonconverged_other"] == s["n_failed"]
    from firthmodels import detect_separation

    for b in np.flatnonzero(boot.separated)[:5]:
        rows = np.repeat(np.arange(len(x)), boot.counts[b].astype(int))
        assert detect_separation(x[rows, None].astype(float), y[rows]).separation
    table = rb.bootstrap_table(boot)
    valid = boot.replicates[boot.valid, 1]
    assert table.loc["x", "ci_high"] == pytest.approx(np.percentile(valid, 97.5))


def test_bootstrap_is_seeded_and_resamples_cases(toy):
    a = rb.bootstrap(toy, n_boot=50, seed=1)
    b = rb.bootstrap(toy, n_boot=50, seed=1)
    c = rb.bootstrap(toy, n_boot=50, seed=2)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    assert not np.allclose(a.replicates, c.replicates)
    assert (a.counts.sum(axis=1) == len(toy)).all()
    idx = np.random.default_rng(1).integers(0, len(toy), size=(50, len(toy)))
    np.testing.assert_array_equal(a.counts[0], np.bincount(idx[0], minlength=len(toy)))


def test_bootstrap_table_is_percentiles_and_exponentiated(toy):
    boot = rb.bootstrap(toy, n_boot=400, seed=3)
    table = rb.bootstrap_table(boot, level=0.9)
    reps = boot.replicates[boot.valid]
    np.testing.assert_allclose(table["ci_low"], np.percentile(reps, 5, axis=0))
    np.testing.assert_allclose(table["ci_high"], np.percentile(reps, 95, axis=0))
    np.testing.assert_allclose(table["or_low"], np.exp(table["ci_low"]))
    res = sm.Logit(toy["unwilling"], sm.add_constant(toy[PRED].astype(float))).fit(disp=0)
    np.testing.assert_allclose(table["coef"], res.params, rtol=1e-7)
    assert table["excludes_zero"].tolist() == ((table["ci_low"] > 0) | (table["ci_high"] < 0)).tolist()


def test_full_bootstrap_records_its_resamples_and_seed(data):
    """The book's bootstrap (2,000 resamples); its run time is benchmarked in benchmarks/bench_bootstrap.py."""
    boot = rb.bootstrap(data, n_boot=2000)
    assert boot.summary["n_boot"] == 2000 and boot.summary["seed"] == rb.BOOTSTRAP_SEED


# ---------------------------------------------------------------- specification


def test_merge_sparse_moves_edge_categories_inwards():
    s = pd.Series([1] * 6 + [2] * 32 + [3] * 45 + [4] * 16 + [5])
    merged, merges = rb.merge_sparse(s)
    assert merges == [(5, 4, 1)]
    assert merged.value_counts().to_dict() == {3: 45, 2: 32, 4: 17, 1: 6}
    low, merges = rb.merge_sparse(pd.Series([1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]))
    assert merges == [(1, 2, 1)] and set(low) == {2, 3}


def test_merge_sparse_merges_categories_with_an_empty_outcome_cell():
    s = pd.Series([1] * 8 + [2] * 20 + [3] * 20)
    y = pd.Series([0] * 8 + [0, 1] * 10 + [1, 0] * 10)
    merged, merges = rb.merge_sparse(s, outcome=y)
    assert merges == [(1, 2, 8)]
    assert pd.crosstab(merged, y).min().min() > 0
    assert rb.merge_sparse(s)[1] == []


def test_categorical_lr_test_matches_formula_api():
    rng = np.random.default_rng(12)
    marg = rb.published_marginals()
    frame = pd.DataFrame({v: rng.choice(marg[v][0], size=400, p=marg[v][1]).astype(int) for v in PRED})
    eta = 0.5 - 0.5 * frame["education"] + 0.4 * (frame["health"] == 3)
    frame["unwilling"] = (rng.random(400) < expit(eta)).astype(int)
    out = rb.coding_lr_test(frame)
    assert out["converged"] and not out["separation"]
    _, linear, _, merges = rb.categorical_frame(frame)
    assert ("education", 5, 4, int((frame["education"] == 5).sum())) in merges
    formula = "unwilling ~ " + " + ".join(f"C({v})" if v in rb.ORDINAL else v for v in PRED)
    cat = smf.logit(formula, data=linear).fit(disp=0)
    lin = smf.logit("unwilling ~ " + " + ".join(PRED), data=linear).fit(disp=0)
    assert out["llf_categorical"] == pytest.approx(cat.llf, rel=1e-8)
    assert out["llf_linear"] == pytest.approx(lin.llf, rel=1e-8)
    assert out["df"] == cat.df_model - lin.df_model
    assert out["p"] == pytest.approx(stats.chi2.sf(2 * (cat.llf - lin.llf), out["df"]), rel=1e-6)
    assert out["lr"] >= 0
    assert all(linear[v].value_counts().min() >= 5 for v in rb.ORDINAL)


def test_reversed_outcome_flips_every_sign_exactly(toy):
    table = rb.reverse_outcome(toy)
    np.testing.assert_allclose(table["coef_willing"], -table["coef_unwilling"], rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(table["se_willing"], table["se_unwilling"], rtol=1e-7)


def test_reversed_marital_coding_flips_only_its_coefficient(toy):
    table = rb.reverse_marital(toy)
    b = table.loc["marital_status", "coef_stated"]
    assert table.loc["marital_status", "coef_reversed"] == pytest.approx(-b, rel=1e-7)
    others = [v for v in PRED if v != "marital_status"]
    np.testing.assert_allclose(table.loc[others, "coef_reversed"], table.loc[others, "coef_stated"], rtol=1e-7)
    assert table.loc["const", "coef_reversed"] == pytest.approx(table.loc["const", "coef_stated"] + 3 * b, rel=1e-7)
    assert table.attrs["mean_reversed"] == pytest.approx(3 - toy["marital_status"].mean())


# ---------------------------------------------------------------- ensemble


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    """A synthetic ensemble summary with known shares of significant, same-sign estimates."""
    rng = np.random.default_rng(0)
    rows = 200
    frame = pd.DataFrame({"seed": np.arange(rows)})
    paper = table3()
    for var in ["const", *PRED]:
        sign = np.sign(paper.loc[var, "coef"]) if var in paper.index else 1.0
        frame[f"coef_{var}"] = sign * rng.uniform(0.1, 1, rows)
        frame[f"se_{var}"] = rng.uniform(0.2, 0.5, rows)
        frame[f"p_{var}"] = rng.uniform(0.06, 0.9, rows)
    frame.loc[:149, "p_gender"] = 0.01  # 75% significant, paper's sign
    frame.loc[:9, "coef_gender"] *= -1  # ...but 10 of those with the wrong sign
    frame["p_education"] = 0.001  # significant everywhere
    frame.loc[:3, "p_hukou"] = 0.02  # paper: not significant; 4 reconstructions disagree
    for stat in ("mcfadden_r2", "nagelkerke_r2", "hl_p", "auc", "accuracy"):
        frame[stat] = rng.uniform(0, 1, rows)
    for var in PRED:
        frame[f"ame_{var}"] = rng.normal(size=rows)
    return frame


def test_ensemble_spread_is_min_quantiles_max(summary):
    spread = rb.ensemble_spread(summary)
    assert "seed" not in spread.index
    assert spread.loc["auc", "min"] == summary["auc"].min()
    assert spread.loc["auc", "max"] == summary["auc"].max()
    assert spread.loc["se_health", "q50"] == pytest.approx(np.median(summary["se_health"]))
    assert spread.loc["hl_p", "q05"] == pytest.approx(np.percentile(summary["hl_p"], 5))
    assert (spread["n"] == len(summary)).all()


def test_conclusions_across_reconstructions_counts_shares(summary):
    c = rb.conclusions_across_reconstructions(summary)
    assert c.loc["gender", "share_significant"] == pytest.approx(0.75)
    assert c.loc["gender", "share_sig_same_sign"] == pytest.approx(0.70)
    assert c.loc["gender", "share_conclusion_holds"] == pytest.approx(0.70)
    assert not c.loc["gender", "holds_in_all"]
    assert c.loc["education", "holds_in_all"]
    assert c.loc["hukou", "share_conclusion_holds"] == pytest.approx(0.98)
    assert c.loc["publicity", "holds_in_all"]
    assert c.loc["health", "share_conclusion_holds"] == 0.0


# ---------------------------------------------------------------- power


def test_intercept_gives_the_event_rate_by_monte_carlo():
    coefs = table3()["coef"].reindex(PRED)
    a = rb.intercept_for_event_rate(coefs)
    marg = rb.published_marginals()
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.choice(marg[v][0], size=400_000, p=marg[v][1]) for v in PRED])
    assert expit(a + X @ coefs.to_numpy()).mean() == pytest.approx(0.51, abs=0.002)


def test_power_is_alpha_under_the_null_and_high_for_a_large_effect():
    coefs = pd.Series(0.0, index=PRED)
    coefs["education"] = -1.5
    out = rb.simulate_power(100, reps=600, seed=1, coefs=coefs).set_index("variable")
    null = out.drop(index="education")["power"]
    assert abs(null.mean() - 0.05) < 0.015
    assert out.loc["education", "power"] > 0.95
    again = rb.simulate_power(100, reps=600, seed=1, coefs=coefs)
    np.testing.assert_array_equal(again["power"], out["power"].to_numpy())


def test_n_for_power_reads_the_grid():
    curve = pd.DataFrame(
        {"n": [100, 200, 300] * 2, "variable": ["a"] * 3 + ["b"] * 3, "power": [0.5, 0.81, 0.9, 0.1, 0.2, 0.3]}
    )
    out = rb.n_for_power(curve)
    assert out.loc["a", "n_for_target"] == 200 and out.loc["a", "n_label"] == "200"
    assert np.isnan(out.loc["b", "n_for_target"]) and out.loc["b", "n_label"] == "> 300"
    assert out.loc["a", "power_at_100"] == 0.5


def test_committed_power_file_regenerates_exactly(tmp_path):
    curve, meta = rb.load_power()
    assert meta["seed"] == rb.POWER_SEED and meta["reps"] >= 500
    fresh = rb.simulate_power(100, reps=meta["reps"], seed=meta["seed"])
    committed = curve[curve["n"] == 100].reset_index(drop=True)
    np.testing.assert_allclose(committed["power"], fresh["power"], atol=1e-9)
    stored = json.loads((DATA_DIR / "robustness" / "power.json").read_text())
    assert stored["grid"] == sorted(curve["n"].unique().tolist())


# ---------------------------------------------------------------- verdicts


def _evidence(**overrides) -> pd.DataFrame:
    base = {
        "paper_coef": 1.0,
        "paper_significant": True,
        "p_impossible": False,
        "coef_ml": 1.0,
        "p_ml": 0.01,
        "coef_firth": 0.9,
        "p_firth": 0.02,
        "boot_low": 0.2,
        "boot_high": 1.8,
        "share_significant": 1.0,
        "share_sig_same_sign": 1.0,
    }
    base.update(overrides)
    return pd.DataFrame([base], index=["x"])


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, "robust"),
        ({"share_sig_same_sign": 0.9}, "fragile"),
        ({"p_firth": 0.08}, "fragile"),
        ({"boot_low": -0.1}, "fragile"),
        ({"coef_ml": -1.0, "coef_firth": -0.9, "boot_low": -1.8, "boot_high": -0.2}, "fragile"),
        ({"p_impossible": True}, "not supported"),
        (
            {"p_ml": 0.4, "p_firth": 0.5, "boot_low": -0.5, "share_significant": 0.0, "share_sig_same_sign": 0.0},
            "not supported",
        ),
        (
            {"paper_significant": False, "p_ml": 0.4, "p_firth": 0.5, "boot_low": -0.5, "share_significant": 0.03},
            "robust",
        ),
        (
            {"paper_significant": False, "p_ml": 0.4, "p_firth": 0.5, "boot_low": -0.5, "share_significant": 0.2},
            "fragile",
        ),
        ({"paper_significant": False, "share_significant": 0.97}, "not supported"),
    ],
)
def test_finding_verdicts_follow_the_rule(overrides, expected):
    assert rb.finding_verdicts(_evidence(**overrides)).loc["x", "verdict"] == expected


def test_evidence_table_marks_the_unattainable_p_values(data, summary):
    firth = rb.firth_table(data)
    boot = rb.bootstrap_table(rb.bootstrap(data, n_boot=200))
    conclusions = rb.conclusions_across_reconstructions(summary)
    ev = rb.evidence_table(firth, boot, conclusions)
    assert set(ev.index[ev["p_impossible"]]) == {"health", "policy_awareness"}
    verdicts = rb.finding_verdicts(ev)
    assert (verdicts.loc[["health", "policy_awareness"], "verdict"] == "not supported").all()
    assert verdicts["verdict"].isin(["robust", "fragile", "not supported"]).all()


def test_near_reconstructions_keeps_exactly_the_members_within_tolerance():
    t3 = table3()
    base = {f"coef_{v}": t3.loc[v, "coef"] for v in t3.index}
    base.update({f"p_{v}": t3.loc[v, "p"] for v in t3.index})
    rows = [dict(base, seed=i) for i in range(4)]
    rows[1]["coef_gender"] += 0.0049  # inside
    rows[2]["coef_education"] -= 0.006  # outside
    rows[3]["p_publicity"] += 0.006  # outside (an attainable p-value)
    extra = dict(base, seed=4)
    extra["p_health"] = 0.6  # health's published p is unattainable: not checked
    summary = pd.DataFrame(rows + [extra])
    kept = rb.near_reconstructions(summary, tol=0.005)
    assert kept["seed"].tolist() == [0, 1, 4]
