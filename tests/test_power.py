"""Simulated power of the design, against direct simulation with statsmodels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import table3
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.robustness import power as PW

PRED = load_codebook().predictors


def test_intercept_gives_the_event_rate_by_monte_carlo():
    coefs = table3()["coef"].reindex(PRED)
    a = PW.intercept_for_event_rate(coefs)
    marg = PW.published_marginals()
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.choice(marg[v][0], size=400_000, p=marg[v][1]) for v in PRED])
    assert expit(a + X @ coefs.to_numpy()).mean() == pytest.approx(0.51, abs=0.002)


def test_power_for_a_stated_odds_ratio_by_direct_simulation():
    out = PW.simulate_power(100, 3.0, reps=400, seed=1).set_index("variable")
    assert list(out.index) == PRED
    assert out.loc["policy_awareness", "power"] > 0.95  # OR 3 per step on a five-point item
    np.testing.assert_allclose(out["mcse"], np.sqrt(out["power"] * (1 - out["power"]) / 400))
    again = PW.simulate_power(100, 3.0, reps=400, seed=1)
    np.testing.assert_array_equal(again["power"], out["power"].to_numpy())
    # an independent check for one predictor with statsmodels on freshly drawn data
    marg = PW.published_marginals()
    rng = np.random.default_rng(5)
    coefs = pd.Series(0.0, index=PRED)
    coefs["gender"] = np.log(3.0)
    a = PW.intercept_for_event_rate(coefs)
    rejections = 0
    for _ in range(300):
        X = pd.DataFrame({v: rng.choice(marg[v][0], size=100, p=marg[v][1]) for v in PRED})
        y = (rng.random(100) < expit(a + X @ coefs)).astype(float)
        rejections += sm.Logit(y, sm.add_constant(X)).fit(disp=0).pvalues["gender"] < 0.05
    direct = rejections / 300
    se = np.sqrt(direct * (1 - direct) / 300 + out.loc["gender", "mcse"] ** 2)
    assert abs(out.loc["gender", "power"] - direct) < 3 * se


def test_power_under_no_effect_is_alpha():
    out = PW.simulate_power(100, 1.0, reps=600, seed=2)
    assert abs(out["power"].mean() - 0.05) < 0.015


def test_n_for_power_reads_the_grid_and_flags_monte_carlo_ties():
    curve = pd.DataFrame(
        {
            "n": [100, 200, 300] * 2,
            "odds_ratio": [2.0] * 6,
            "variable": ["a"] * 3 + ["b"] * 3,
            "power": [0.5, 0.81, 0.9, 0.1, 0.2, 0.3],
            "mcse": [0.016, 0.012, 0.009, 0.009, 0.013, 0.014],
            "reps": [1000] * 6,
        }
    )
    out = PW.n_for_power(curve)
    assert out.loc[("a", 2.0), "n_for_target"] == 200 and out.loc[("a", 2.0), "n_label"] == "200"
    assert not out.loc[("a", 2.0), "clear"]  # 0.81 is within 2 MC errors of 0.8
    assert np.isnan(out.loc[("b", 2.0), "n_for_target"]) and out.loc[("b", 2.0), "n_label"] == "> 300"
    assert out.loc[("a", 2.0), "power_at_100"] == 0.5 and out.loc[("b", 2.0), "clear"]


def wald_power_from_information(var: str, odds_ratio: float, n: int, rate: float = 0.51) -> float:
    """Asymptotic power of the two-sided 5% Wald test, from the expected information of the nine-predictor
    logit over every combination of codes (independent covariates with Table 1's marginals)."""
    import itertools

    from scipy import optimize, stats

    marg = PW.published_marginals()
    X = np.array(list(itertools.product(*(marg[v][0] for v in PRED))))
    w = np.prod(np.array(list(itertools.product(*(marg[v][1] for v in PRED)))), axis=1)
    j, b = PRED.index(var), np.log(odds_ratio)
    a = optimize.brentq(lambda a: w @ expit(a + b * X[:, j]) - rate, -20, 20)
    p = expit(a + b * X[:, j])
    Z = np.column_stack([np.ones(len(X)), X])
    se = np.sqrt(np.linalg.inv((Z * (w * p * (1 - p))[:, None]).T @ Z)[j + 1, j + 1] / n)
    z = stats.norm.isf(0.025)
    return float(stats.norm.cdf(b / se - z) + stats.norm.cdf(-b / se - z))


#: Largest gap between the asymptotic Wald power and a 20,000-run simulation seen for the binary items at
#: n = 100 and OR 2 (0.6 percentage points), rounded up: the finite-sample allowance of the checks below.
FINITE_SAMPLE_ALLOWANCE = 0.01


@pytest.mark.parametrize("var", ["employment_duration", "gender"])
def test_simulated_power_of_a_binary_item_matches_the_wald_power_from_its_information(var):
    out = PW.simulate_power(100, 2.0, reps=4000, seed=3, variables=[var]).set_index("variable")
    assert list(out.index) == [var]
    gap = abs(out.loc[var, "power"] - wald_power_from_information(var, 2.0, 100))
    assert gap < 3 * out.loc[var, "mcse"] + FINITE_SAMPLE_ALLOWANCE


def test_committed_power_at_the_paper_n_matches_the_wald_power_from_information():
    curve, _ = PW.load_power()
    cells = curve[(curve["n"] == 100) & (curve["odds_ratio"] == 2.0)].set_index("variable")
    for var in ("gender", "hukou", "marital_status", "employment_duration"):
        gap = abs(cells.loc[var, "power"] - wald_power_from_information(var, 2.0, 100))
        assert gap < 3 * cells.loc[var, "mcse"] + FINITE_SAMPLE_ALLOWANCE, var


def test_committed_power_file_regenerates_exactly(tmp_path):
    curve, meta = PW.load_power()
    assert meta["seed"] == PW.POWER_SEED and meta["reps"] >= 500
    assert {int(n): r for n, r in meta["reps_at"].items()} == PW.POWER_REPS_AT
    assert sorted(curve["odds_ratio"].unique()) == list(PW.POWER_ODDS_RATIOS)
    at100 = curve[(curve["n"] == 100) & (curve["odds_ratio"] == 2.0)].set_index("variable")
    assert (at100["reps"] == meta["reps_at"]["100"]).all()
    assert (curve.loc[curve["n"] != 100, "reps"] == meta["reps"]).all()
    at150 = curve[(curve["n"] == 150) & (curve["odds_ratio"] == 1.5)].reset_index(drop=True)
    fresh = PW.simulate_power(150, 1.5, reps=meta["reps"], seed=meta["seed"])
    np.testing.assert_allclose(at150["power"], fresh["power"], atol=1e-9)
    stored = json.loads((DATA_DIR / "robustness" / "power.json").read_text())
    assert stored["grid"] == sorted(curve["n"].unique().tolist())


def test_printed_power_text_shows_one_number_or_a_range():
    from ridersurvey.robustness.power import printed_power_text

    assert printed_power_text(0.2449, 0.2501) == "24–25%"
    assert printed_power_text(0.251, 0.252) == "25%"
    assert printed_power_text(float("nan"), float("nan")) == "–"


@pytest.mark.replay
def test_committed_power_at_the_paper_n_replays_from_its_seed():
    curve, meta = PW.load_power()
    at100 = curve[(curve["n"] == 100) & (curve["odds_ratio"] == 2.0)].set_index("variable")
    var = "employment_duration"
    fresh = PW.simulate_power(100, 2.0, reps=int(at100.loc[var, "reps"]), seed=meta["seed"], variables=[var])
    assert fresh["power"].iloc[0] == pytest.approx(at100.loc[var, "power"], abs=1e-9)


@pytest.mark.parametrize(
    ("power", "reps", "shown"),
    [
        (0.931, 1000, "93% ± 0.8"),
        (0.998, 1000, "99.8% ± 0.1"),
        (0.9998, 20000, "99.98% ± 0.01"),
        (0.0002, 20000, "0.02% ± 0.01"),
        (0.39875, 20000, "40% ± 0.3"),
        (1.0, 1000, "> 99.7%"),
        (1.0, 20000, "> 99.98%"),
        (0.0, 1000, "< 0.3%"),
        (0.0, 20000, "< 0.02%"),
    ],
)
def test_power_text_never_shows_an_end_or_a_zero_error_for_a_share_inside(power, reps, shown):
    assert PW.power_text(power, float(np.sqrt(power * (1 - power) / reps)), reps) == shown
