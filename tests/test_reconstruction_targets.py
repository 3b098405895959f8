"""Tests of ridersurvey.reconstruction.targets: what the search must reproduce, and what no data set can."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from recon_oracles import COUNTS, PREDICTORS, TABLE3, UNATTAINABLE, column
from ridersurvey.reconstruction import targets as T


def test_predictor_order_and_published_source_agree_with_transcription():
    assert list(T.PREDICTORS) == PREDICTORS
    t = T.targets_from_published()
    assert {v: dict(c) for v, c in t.counts.items() if v in COUNTS} == COUNTS
    pd.testing.assert_frame_equal(t.table3.loc[TABLE3.index, ["coef", "p"]], TABLE3, check_names=False)


def test_bad_targets_rejected():
    t = T.targets_from_published()
    with pytest.raises(ValueError, match="sum to"):
        T.Targets({**t.counts, "gender": {1: 60, 2: 31}}, t.table3)
    with pytest.raises(ValueError, match="lack"):
        T.Targets({k: v for k, v in t.counts.items() if k != "hukou"}, t.table3)
    with pytest.raises(ValueError, match="not predictors"):
        T.Targets(t.counts, t.table3, free=("income",))


def test_unattainable_set_and_numbers():
    t = T.targets_from_published()
    un = T.unattainable_targets(t)
    assert {u["variable"] for u in un} == UNATTAINABLE
    for u in un:
        var = u["variable"]
        sd = np.std(column(var), ddof=1)
        # the audit's floor: printed b and Table 2's printed SD, both at the top of their rounding intervals
        sd_printed = {"policy_awareness": 1.248, "health": 1.150}[var]
        p_fl = 2 * norm.sf((abs(TABLE3.loc[var, "coef"]) + 0.0005) * (sd_printed + 0.0005) * math.sqrt(99) / 2)
        assert u["sd"] == pytest.approx(sd)
        assert u["se_floor"] == pytest.approx(2 / (sd * math.sqrt(99)))
        assert u["p_floor"] == pytest.approx(p_fl)
        assert u["p_floor"] > TABLE3.loc[var, "p"] + 0.0005
    for var in set(PREDICTORS) - UNATTAINABLE:
        sd = np.std(column(var), ddof=1)
        assert 2 * norm.sf(abs(TABLE3.loc[var, "coef"]) * sd * math.sqrt(99) / 2) < TABLE3.loc[var, "p"]
    by = {u["variable"]: u for u in un}
    assert by["policy_awareness"]["p_floor"] == pytest.approx(0.94306, abs=1e-4)
    assert by["health"]["p_floor"] == pytest.approx(0.52335, abs=1e-4)


def test_target_arrays_windows():
    t = T.targets_from_published()
    a = T.target_arrays(t, margin=0.9)
    assert a.names[:9] == tuple(f"coef:{v}" for v in PREDICTORS)
    assert set(a.names[9:]) == {f"p:{v}" for v in set(PREDICTORS) - UNATTAINABLE}
    assert np.all(a.btol[1:] == pytest.approx(0.00045)) and a.legacy_btol[0] == 1.0
    for c, j in enumerate(a.zidx):
        var = PREDICTORS[j - 1]
        p = TABLE3.loc[var, "p"]
        # the |z| window maps onto p +- 0.00045 exactly
        assert 2 * norm.sf(a.zstar[c] - a.ztol[c]) == pytest.approx(p + 0.00045)
        assert 2 * norm.sf(a.zstar[c] + a.ztol[c]) == pytest.approx(p - 0.00045)
    assert not a.zfree.any()


def test_free_coefficients_swap_their_targets():
    t = T.targets_from_published(free=("health", "policy_awareness"))
    assert not t.coef_targeted("health") and t.p_targeted("health") and t.p_targeted("policy_awareness")
    assert T.unattainable_targets(t) == []
    a = T.target_arrays(t)
    assert "coef:health" not in a.names and "p:health" in a.names and "p:policy_awareness" in a.names
    j = PREDICTORS.index("health") + 1
    assert a.bstar[j] == pytest.approx(t.free_start("health")) and a.btol[j] == T.FREE_WINDOW
    assert a.zfree[list(a.zidx).index(j)] == 1.0
    assert t.with_free(()).free == ()


def test_free_signs_set_where_a_free_coefficient_starts():
    t = T.targets_from_published(free=("health", "policy_awareness"))
    assert t.free_start("health") > 0 > t.free_start("policy_awareness")  # the printed signs
    flipped = t.with_free_signs({"health": -1, "policy_awareness": 1})
    assert flipped.free_start("health") == pytest.approx(-t.free_start("health"))
    assert flipped.free_start("policy_awareness") == pytest.approx(-t.free_start("policy_awareness"))
    assert flipped.free == t.free and flipped.counts == t.counts
    with pytest.raises(ValueError, match="gender"):
        t.with_free_signs({"gender": 1})
    with pytest.raises(ValueError, match="health"):
        t.with_free_signs({"health": 0})
