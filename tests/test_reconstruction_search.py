"""Tests of ridersurvey.reconstruction.search: the search meets every target, deterministically."""

import dataclasses
import json
import math

import pandas as pd
import pytest

from recon_oracles import COUNTS, TABLE3, UNATTAINABLE, meets_table3, statsmodels_fit
from ridersurvey.reconstruction import search as S
from ridersurvey.reconstruction.targets import targets_from_published

FAST_SEED = 12  # a seed whose first cycle succeeds
TINY = dataclasses.replace(S.Schedule(), proposals_per_cycle=100_000, chunk=50_000, reheats=0)


@pytest.fixture(scope="module")
def rec():
    return S.reconstruct(FAST_SEED, max_seconds=math.inf)


def test_reconstruction_meets_every_requirement(rec):
    assert rec.success, rec.failures
    assert list(rec.data.columns) == ["respondent_id", *COUNTS]
    assert rec.data["respondent_id"].tolist() == list(range(1, 101))
    assert meets_table3(rec.data)
    assert {u["variable"] for u in rec.unattainable} == UNATTAINABLE
    assert rec.anneal_proposals <= rec.proposals


def test_same_seed_same_data(rec):
    again = S.reconstruct(FAST_SEED, max_seconds=math.inf)
    pd.testing.assert_frame_equal(rec.data, again.data)
    assert again.proposals == rec.proposals


def test_short_runs_are_deterministic_and_keep_marginals():
    a = S.reconstruct(3, max_seconds=1e9, schedule=TINY, max_proposals=150_000)
    b = S.reconstruct(3, max_seconds=1e9, schedule=TINY, max_proposals=150_000)
    assert a.proposals == b.proposals and a.proposals >= 150_000
    pd.testing.assert_frame_equal(a.data, b.data)
    for var, counts in COUNTS.items():
        assert a.data[var].value_counts().to_dict() == counts


def test_verify_names_unmet_requirements(rec):
    data = rec.data.copy()
    data.loc[0, "gender"] = 3 - data.loc[0, "gender"]  # one rider's code flipped: Table 1's counts change
    problems = S.verify(data, targets_from_published())
    assert any(p.startswith("gender: counts") for p in problems)
    assert S.verify(rec.data, targets_from_published()) == []


def test_within_is_the_printed_precision_rule_with_the_margin():
    assert S.within(0.032, 0.03244, 0.9) and not S.within(0.032, 0.03246, 0.9)
    assert S.within(0.032, 0.03249, 1.0)  # the closed rounding interval of ridersurvey.audit.precision
    assert not S.within(0.032, 0.03251, 1.0)


def test_schedules_round_trip_and_legacy_records():
    sch = S.Schedule()
    assert S.Schedule.from_dict(json.loads(json.dumps(sch.to_dict()))) == sch
    old = {k: v for k, v in S.LEGACY_SCHEDULE.to_dict().items() if k not in ("final_step", "endgame", "reheats")}
    assert S.Schedule.from_dict(old) == S.LEGACY_SCHEDULE
    with pytest.raises(ValueError, match="final step"):
        S.reconstruct(1, schedule=dataclasses.replace(sch, final_step="magic"))


def test_alternative_targets_search_frees_the_two_coefficients():
    """A short search for the alternative targets keeps the marginals and scores the freed p-values."""
    t = targets_from_published(free=("health", "policy_awareness"))
    rec = S.reconstruct(2, max_seconds=1e9, targets=t, schedule=TINY, max_proposals=100_000)
    assert rec.unattainable == []
    assert not any(f.startswith(("health: coef", "policy_awareness: coef")) for f in rec.failures)
    res = statsmodels_fit(rec.data)
    assert res.params["health"] > 0 > res.params["policy_awareness"]  # started at the printed signs
    assert TABLE3.loc["health", "coef"] > 0
