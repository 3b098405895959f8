"""Finding verdicts from the printed numbers, and the reconstructions' extremes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import table3
from ridersurvey.robustness import finding_robustness as rb
from ridersurvey.robustness.power import load_power, n_for_power

PRED = load_codebook().predictors


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


def test_ensemble_spread_is_only_the_extremes(summary):
    spread = rb.ensemble_spread(summary)
    assert "seed" not in spread.index and list(spread.columns) == ["min", "max", "n"]
    assert spread.loc["auc", "min"] == summary["auc"].min()
    assert spread.loc["auc", "max"] == summary["auc"].max()
    assert (spread["n"] == len(summary)).all()


def _printed(**overrides) -> pd.DataFrame:
    base = {
        "b": 1.0,
        "p": 0.01,
        "ci_low_min": 1.2,
        "ci_low_max": 1.3,
        "ci_high_min": 6.0,
        "ci_high_max": 7.0,
        "clears_floor": True,
        "se_min": 0.30,
        "se_max": 0.32,
    }
    base.update(overrides)
    return pd.DataFrame([base], index=pd.Index(["x"], name="variable"))


def _power(power: float, mcse: float = 0.01) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([("x", 2.0)], names=["variable", "odds_ratio"])
    return pd.DataFrame({"power_at_100": [power], "mcse_at_100": [mcse]}, index=index)


@pytest.mark.parametrize(
    "overrides, power, expected",
    [
        ({}, 0.5, "reported significant, pair attainable"),
        ({"clears_floor": False}, 0.99, "uninterpretable as published"),
        ({"ci_low_min": 0.99}, 0.5, "borderline as printed"),
        # a null is informative only if its interval lies inside (1/2, 2); power does not enter the verdict
        ({"p": 0.4, "ci_low_min": 0.45, "ci_high_max": 1.6}, 0.99, "null, effect of this size not ruled out"),
        ({"p": 0.4, "ci_low_min": 0.7, "ci_high_max": 2.1}, 0.99, "null, effect of this size not ruled out"),
        ({"p": 0.4, "ci_low_min": 0.6, "ci_high_max": 1.6}, 0.10, "informative null"),
    ],
)
def test_finding_verdicts_follow_the_stated_rule(overrides, power, expected):
    assert rb.finding_verdicts(_printed(**overrides), _power(power)).loc["x", "verdict"] == expected


def test_finding_verdicts_on_the_paper_rest_on_printed_numbers_only():
    from ridersurvey.audit.inference import table3_from_print

    curve, _ = load_power()
    verdicts = rb.finding_verdicts(table3_from_print(), n_for_power(curve))
    assert (verdicts.loc[["health", "policy_awareness"], "verdict"] == "uninterpretable as published").all()
    assert "robust" not in set(verdicts["verdict"])
    assert verdicts.loc["publicity", "verdict"] == "null, effect of this size not ruled out"  # CI [0.48, 1.35]


def test_exact_members_are_the_distinct_successes_and_keep_their_method():
    frame = pd.DataFrame(
        {
            "seed": [1, 2, 3, 4, 5],
            "success": [True, True, False, True, True],
            "fingerprint": ["a", "b", "c", "a", "d"],
            "method": ["search", "search", "search", "walk", "walk"],
        }
    )
    members = rb.exact_members(frame)
    assert members["seed"].tolist() == [1, 2, 5]  # 3 missed a target, 4 repeats 1's data set
    assert members["method"].tolist() == ["search", "search", "walk"]
    committed = rb.load_ensemble()
    exact = committed[committed["success"].astype(bool)]
    assert len(rb.exact_members(committed)) == exact["fingerprint"].nunique()


def test_power_at_the_printed_se_is_the_normal_wald_power_over_the_se_interval():
    from ridersurvey.audit.inference import table3_from_print

    curve, _ = load_power()
    printed = table3_from_print()
    verdicts = rb.finding_verdicts(printed, n_for_power(curve))
    # hukou: b = 0.886, p = 0.105, so |z| = 1.621 and SE ≈ 0.547; by hand, power = Φ(ln 2 / SE − 1.96) + Φ(...)
    se = 0.886 / stats.norm.isf(0.105 / 2)
    d = math.log(2) / se
    by_hand = stats.norm.cdf(d - 1.959964) + stats.norm.cdf(-d - 1.959964)
    lo, hi = verdicts.loc["hukou", ["power_printed_min", "power_printed_max"]]
    assert lo <= by_hand <= hi and hi - lo < 0.01 and 0.24 < by_hand < 0.26
    assert verdicts.loc[["health", "policy_awareness"], "power_printed_min"].isna().all()
    one = rb.finding_verdicts(_printed(se_min=0.5, se_max=0.5), _power(0.5)).loc["x"]
    assert one["power_printed_min"] == pytest.approx(stats.norm.cdf(math.log(2) / 0.5 - 1.959964), abs=2e-3)


def test_the_chapters_verdict_rule_names_every_verdict():
    """The rule is written in the robustness chapter; each verdict the code can give is named there."""
    from conftest import ROOT
    from ridersurvey.audit.verdicts import FindingVerdict

    text = (ROOT / "chapters" / "robustness.md").read_text(encoding="utf-8")
    rule = text[text.index("Verdict rule") : text.index("```", text.index("Verdict rule"))]
    rule = " ".join(rule.split())
    assert all(f"*{verdict.value}*" in rule for verdict in FindingVerdict)
