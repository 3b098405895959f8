"""Tests of the reconstruction search (ridersurvey.reconstruct).

The published numbers are transcribed here independently of ridersurvey.published, as a cross-check.
"""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm

from ridersurvey import reconstruct as R

COUNTS = {
    "unwilling": {1: 51, 0: 49},
    "gender": {1: 69, 2: 31},
    "hukou": {1: 61, 2: 39},
    "age_group": {1: 21, 2: 64, 3: 15},
    "marital_status": {1: 41, 2: 59},
    "education": {1: 6, 2: 32, 3: 45, 4: 16, 5: 1},
    "health": {1: 8, 2: 29, 3: 29, 4: 22, 5: 12},
    "employment_duration": {1: 49, 2: 51},
    "policy_awareness": {1: 18, 2: 28, 3: 24, 4: 20, 5: 10},
    "publicity": {1: 24, 2: 28, 3: 31, 4: 13, 5: 4},
}
TABLE3 = pd.DataFrame(
    {
        "coef": [-0.011, -0.217, -0.106, 0.111, -1.132, 1.296, -0.092, 0.886, 1.166],
        "p": [0.006, 0.407, 0.845, 0.003, 0.002, 0.009, 0.845, 0.105, 0.032],
    },
    index=[
        "policy_awareness",
        "publicity",
        "employment_duration",
        "health",
        "education",
        "marital_status",
        "age_group",
        "hukou",
        "gender",
    ],
)
PREDICTORS = [
    "gender",
    "hukou",
    "age_group",
    "marital_status",
    "education",
    "health",
    "employment_duration",
    "policy_awareness",
    "publicity",
]
SEED = 1


def column(var):
    return np.repeat(list(COUNTS[var]), list(COUNTS[var].values()))


def test_predictor_order_and_published_source_agree_with_transcription():
    assert list(R.PREDICTORS) == PREDICTORS
    t = R.targets_from_published()
    assert {v: dict(c) for v, c in t.counts.items() if v in COUNTS} == COUNTS
    pd.testing.assert_frame_equal(t.table3.loc[TABLE3.index, ["coef", "p"]], TABLE3, check_names=False)


def test_floors_closed_form():
    for var in PREDICTORS:
        sd = np.std(column(var), ddof=1)
        assert R.se_floor(sd, 100) == pytest.approx(2 / (sd * math.sqrt(99)))


def test_statsmodels_se_never_below_floor():
    """Brute force: random datasets with the published marginals (independent, and made collinear by
    sorting some columns together) never give a statsmodels SE below the floor."""
    rng = np.random.default_rng(0)
    floors = {v: R.se_floor(np.std(column(v), ddof=1), 100) for v in PREDICTORS}
    checked = 0
    for rep in range(150):
        cols = {v: rng.permutation(column(v)) for v in PREDICTORS}
        if rep % 3 == 1:  # correlate a random subset of columns with the first
            key = np.argsort(cols["gender"] + rng.normal(0, 0.7, 100))
            for v in rng.choice(PREDICTORS, 4, replace=False):
                cols[v] = np.sort(cols[v])[np.argsort(key)]
        X = pd.DataFrame(cols)[PREDICTORS].astype(float)
        y = rng.permutation(column("unwilling")).astype(float)
        if rep % 3 == 2:  # outcome driven by the predictors (spreads the weights)
            eta = X.values @ rng.normal(0, 1.0, 9)
            y = np.zeros(100)
            y[np.argsort(eta + rng.logistic(size=100))[-51:]] = 1.0
        try:
            res = sm.Logit(y, sm.add_constant(X)).fit(disp=0, maxiter=100)
        except Exception:
            continue
        for v in PREDICTORS:
            assert res.bse[v] >= floors[v] * (1 - 1e-9), (rep, v, res.bse[v], floors[v])
        checked += 1
    assert checked > 100


def test_unattainable_set_and_numbers():
    t = R.targets_from_published()
    un = R.unattainable_targets(t)
    assert {u["variable"] for u in un} == {"policy_awareness", "health"}
    for u in un:
        var = u["variable"]
        sd = np.std(column(var), ddof=1)
        se_fl = 2 / (sd * math.sqrt(99))
        # the audit's floor: printed b and Table 2's printed SD, both at the top of their rounding intervals
        sd_printed = {"policy_awareness": 1.248, "health": 1.150}[var]
        p_fl = 2 * norm.sf((abs(TABLE3.loc[var, "coef"]) + 0.0005) * (sd_printed + 0.0005) * math.sqrt(99) / 2)
        assert u["sd"] == pytest.approx(sd)
        assert u["se_floor"] == pytest.approx(se_fl)
        assert u["p_floor"] == pytest.approx(p_fl)
        assert u["p_floor"] > TABLE3.loc[var, "p"] + 0.0005
        assert u["published"] == TABLE3.loc[var, "p"]
    # and every other published p is above its floor
    for var in set(PREDICTORS) - {"policy_awareness", "health"}:
        sd = np.std(column(var), ddof=1)
        assert 2 * norm.sf(abs(TABLE3.loc[var, "coef"]) * sd * math.sqrt(99) / 2) < TABLE3.loc[var, "p"]
    # spot values: policy awareness p >= 0.943, health p >= 0.523
    by = {u["variable"]: u for u in un}
    assert by["policy_awareness"]["p_floor"] == pytest.approx(0.94306, abs=1e-4)
    assert by["health"]["p_floor"] == pytest.approx(0.52335, abs=1e-4)


def independent_check(df):
    """Every requirement, checked from the transcribed constants only."""
    assert list(df.columns) == ["respondent_id", "unwilling", *PREDICTORS]
    assert df["respondent_id"].tolist() == list(range(1, 101))
    for var, counts in COUNTS.items():
        assert df[var].value_counts().to_dict() == counts, var
    res = sm.Logit(df["unwilling"].astype(float), sm.add_constant(df[PREDICTORS].astype(float))).fit(disp=0)
    for var in PREDICTORS:
        assert round(res.params[var], 3) == TABLE3.loc[var, "coef"], (var, res.params[var])
        if var not in ("policy_awareness", "health"):
            assert round(res.pvalues[var], 3) == TABLE3.loc[var, "p"], (var, res.pvalues[var])


@pytest.fixture(scope="module")
def rec():
    """The committed reconstruction's seed, searched again with no time limit (the path is deterministic)."""
    return R.reconstruct(SEED, max_seconds=math.inf)


@pytest.mark.slow
def test_reconstruction_meets_every_requirement(rec):
    assert rec.success, rec.failures
    independent_check(rec.data)
    prov = R.provenance(rec)
    assert prov["success"] is True and prov["seed"] == SEED
    assert {u["variable"] for u in prov["unattainable"]} == {"policy_awareness", "health"}


@pytest.mark.slow
def test_reconstruction_is_the_committed_dataset(rec):
    """Same seed, same data: the search's result equals the committed analysis file row for row."""
    from ridersurvey.paths import DATA_DIR

    committed = pd.read_csv(DATA_DIR / "riders_survey.csv").drop(columns="respondent_id")
    cols = list(committed.columns)
    ours = rec.data.drop(columns="respondent_id")[cols]
    key = lambda df: df.sort_values(cols, kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(key(ours), key(committed), check_dtype=False)


def test_short_runs_are_deterministic():
    """Same seed, same proposal budget -> identical frames (holds regardless of success)."""
    sch = R.Schedule(proposals_per_cycle=200_000, chunk=100_000, beam_width=2, beam_candidates=2, beam_depth=1)
    a = R.reconstruct(3, max_seconds=1e9, schedule=sch, max_proposals=300_000)
    b = R.reconstruct(3, max_seconds=1e9, schedule=sch, max_proposals=300_000)
    assert a.proposals == b.proposals and a.proposals >= 300_000
    pd.testing.assert_frame_equal(a.data, b.data)


def test_frame_shape_and_marginals_always_hold():
    rec = R.reconstruct(
        5,
        max_seconds=1e9,
        schedule=R.Schedule(proposals_per_cycle=100_000, chunk=50_000, beam_depth=1, beam_width=2, beam_candidates=2),
        max_proposals=100_000,
    )
    for var, counts in COUNTS.items():
        assert rec.data[var].value_counts().to_dict() == counts
    prov = R.provenance(rec)
    assert set(prov) >= {
        "seed",
        "ridersurvey_version",
        "targets",
        "achieved",
        "unattainable",
        "proposals",
        "proposals_per_second",
        "wall_seconds",
        "success",
    }
    import json

    json.dumps(prov)
