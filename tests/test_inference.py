"""Table 3 without the reconstruction, against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from ridersurvey.audit import inference as I


def test_z_from_p_inverts_the_two_sided_normal_p():
    for z in (0.1955, 1.0, 2.9677, 5.0):
        assert I.z_from_p(2 * stats.norm.sf(z)) == pytest.approx(z, rel=1e-9)
    assert I.z_from_p(0.0) == math.inf


def test_gender_by_hand():
    row = I.printed_pair(1.166, 0.032, 0.465, 100)
    z = stats.norm.ppf(1 - 0.032 / 2)
    assert row["z"] == pytest.approx(z) and row["se"] == pytest.approx(1.166 / z)
    # the box: |b| in [1.1655, 1.1665], p in [0.0315, 0.0325]
    z_lo, z_hi = stats.norm.ppf(1 - 0.0325 / 2), stats.norm.ppf(1 - 0.0315 / 2)
    assert (row["z_min"], row["z_max"]) == pytest.approx((z_lo, z_hi))
    assert (row["se_min"], row["se_max"]) == pytest.approx((1.1655 / z_hi, 1.1665 / z_lo))
    assert row["odds_ratio"] == pytest.approx(math.exp(1.166))
    assert (row["odds_ratio_min"], row["odds_ratio_max"]) == pytest.approx((math.exp(1.1655), math.exp(1.1665)))
    assert row["ci_low"] == pytest.approx(math.exp(1.166 - 1.959963984540054 * 1.166 / z))
    # brute force over a fine grid of the box: the corners give the extremes
    bs, ps = np.linspace(1.1655, 1.1665, 41), np.linspace(0.0315, 0.0325, 41)
    lows = [math.exp(b - 1.959963984540054 * b / stats.norm.ppf(1 - p / 2)) for b in bs for p in ps]
    highs = [math.exp(b + 1.959963984540054 * b / stats.norm.ppf(1 - p / 2)) for b in bs for p in ps]
    assert (row["ci_low_min"], row["ci_low_max"]) == pytest.approx((min(lows), max(lows)), rel=1e-9)
    assert (row["ci_high_min"], row["ci_high_max"]) == pytest.approx((min(highs), max(highs)), rel=1e-9)
    assert row["se_floor"] == pytest.approx(2 / (0.4655 * math.sqrt(99)))
    assert row["clears_floor"]


def test_health_pair_cannot_stand_and_says_what_each_number_needs():
    row = I.printed_pair(0.111, 0.003, 1.150, 100)
    floor = 2 / (1.1505 * math.sqrt(99))
    assert row["se_floor"] == pytest.approx(floor)
    assert row["se_max"] == pytest.approx(0.1115 / stats.norm.ppf(1 - 0.0035 / 2)) and row["se_max"] < floor
    assert not row["clears_floor"]
    assert row["b_needed"] == pytest.approx(stats.norm.ppf(1 - 0.0035 / 2) * floor)
    assert row["b_needed"] == pytest.approx(0.510, abs=5e-4)
    assert row["p_floor"] == pytest.approx(2 * stats.norm.sf(0.1115 * 1.1505 * math.sqrt(99) / 2))


def test_negative_coefficients_keep_their_sign_in_the_intervals():
    row = I.printed_pair(-1.132, 0.002, 0.836, 100)
    assert row["ci_high_max"] < 1 and row["odds_ratio_max"] < 1
    assert row["ci_low_min"] <= row["ci_low"] <= row["ci_low_max"] <= row["ci_high_min"] <= row["ci_high"]


def test_table3_from_print_flags_exactly_the_two_pairs():
    frame = I.table3_from_print()
    assert list(frame.index)[:2] == ["policy_awareness", "publicity"]  # the paper's row order
    assert I.inconsistent_pairs() == ["policy_awareness", "health"]
    assert frame.loc["policy_awareness", "b_needed"] == pytest.approx(0.438, abs=5e-4)
    assert frame["significant"].sum() == 5
    assert (frame["se_min"] <= frame["se"]).all() and (frame["se"] <= frame["se_max"]).all()


def test_wald_power_by_hand():
    from ridersurvey.audit.inference import wald_power

    # SE 0.4 and OR 2: δ/SE = 1.7329, so power = Φ(−0.2270) + Φ(−3.6929) = 0.4102 + 0.0001
    assert wald_power(0.4, 2.0) == pytest.approx(0.41033, abs=2e-4)
    assert wald_power(0.4, 0.5) == pytest.approx(wald_power(0.4, 2.0))
    assert wald_power(1e9, 2.0) == pytest.approx(0.05)
