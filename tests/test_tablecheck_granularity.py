"""tablecheck.granularity: GRIM, GRIMMER, DEBIT and counts for percentages, against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np

from tablecheck import granularity as G


def test_grim_agrees_with_enumerating_every_sum():
    n = 17
    for mean in (1.00, 1.06, 1.08, 2.35, 2.36, 3.47):
        brute = any(abs(t / n - mean) <= 0.005 + 1e-12 for t in range(0, 5 * n + 1))
        assert G.grim(mean, n, 2)["consistent"] == brute
    assert not G.grim(1.08, 17, 2)["consistent"]  # 18/17 = 1.0588, 19/17 = 1.1176
    # rounding edge: 1.5 / 2 ... 35/20 = 1.75 exactly prints as 1.75 and as 1.8 at one decimal
    assert G.grim(1.8, 20, 1)["consistent"] and G.grim(1.7, 20, 1)["consistent"]
    assert G.grim(1.06, 100, 2)["consistent"] and not G.grim(1.06, 100, 2)["informative"]


def test_attainable_sums_of_squares_match_brute_force():
    n, lo, hi = 6, 1, 4
    for total in (9, 14, 20):
        brute = {
            sum(v * v for v in combo)
            for combo in itertools.combinations_with_replacement(range(lo, hi + 1), n)
            if sum(combo) == total
        }
        assert G.attainable_sums_of_squares(n, lo, hi, total) == frozenset(brute)


def test_grimmer_clears_a_real_sample_and_catches_an_impossible_sd():
    data = np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 1, 2, 4])
    mean, sd = round(data.mean(), 2), round(data.std(ddof=1), 3)
    assert G.grimmer(mean, sd, len(data), 1, 5)["consistent"]
    # on a 1-5 scale the SD of 12 answers with mean 3.00 cannot exceed sqrt(12 * 4 / 11)
    assert not G.grimmer(3.00, 2.5, 12, 1, 5)["consistent"]


def test_debit_fixes_a_binary_sd_by_its_mean():
    n = 100
    for mean in (0.30, 0.51, 1.62):
        low = 1 if mean > 1 else 0
        p = mean - low
        sd = math.sqrt(p * (1 - p) * n / (n - 1))
        assert G.debit(mean, round(sd, 3), n, low_code=low)["consistent"]
    assert not G.debit(0.30, 0.502, 100)["consistent"]
    # rounding edge: mean 0.30 stands for [0.295, 0.305], whose SDs reach 0.4628
    top = math.sqrt(0.305 * 0.695 * 100 / 99)
    assert G.debit(0.30, round(top, 3), 100)["consistent"]
    assert not G.debit(0.30, round(top, 3) + 0.002, 100)["consistent"]


def test_counts_for_a_percentage_are_every_count_that_rounds_to_it():
    for n in (37, 100, 461):
        for pct in (12.3, 50.0, 88.1):
            brute = [k for k in range(n + 1) if abs(100 * k / n - pct) <= 0.05 + 1e-9]
            assert G.counts_for_percent(pct, n, 1) == brute
