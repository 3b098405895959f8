"""GRIM, GRIMMER-style and DEBIT tests against brute force and known cases."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from ridersurvey.audit import granularity as G
from ridersurvey.data.codebook import load_codebook


def test_grim_known_cases():
    assert not G.grim(5.19, 28, 2)["consistent"]  # 145/28 = 5.18, 146/28 = 5.21
    assert G.grim(5.18, 28, 2)["consistent"] and G.grim(5.18, 28, 2)["informative"]
    rng = np.random.default_rng(1)
    for m in rng.uniform(0, 5, 50).round(2):
        r = G.grim(float(m), 100, 2)
        assert r["consistent"] and not r["informative"]


def test_attainable_sums_of_squares_match_brute_force():
    n, lo, hi = 7, 1, 4
    brute: dict[int, set[int]] = {}
    for combo in itertools.combinations_with_replacement(range(lo, hi + 1), n):
        brute.setdefault(sum(combo), set()).add(sum(v * v for v in combo))
    for total, qs in brute.items():
        assert G.attainable_sums_of_squares(n, lo, hi, total) == qs


def test_grimmer_passes_real_data_and_flags_parity_violation():
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.integers(1, 6, size=100)
        assert G.grimmer(round(x.mean(), 2), round(x.std(ddof=1), 3), 100, 1, 5)["consistent"]
    # mean 3.01 needs Σx = 301 (odd), so Σx² must be odd; SD 1.146 needs Σx² = 1036 (even)
    planted = G.grimmer(3.01, 1.146, 100, 1, 5)
    assert not planted["consistent"] and planted["share"] < 0.2
    assert G.grimmer(3.01, 1.150, 100, 1, 5)["consistent"]


def test_debit():
    rng = np.random.default_rng(4)
    for _ in range(10):
        x = rng.integers(0, 2, size=100)
        assert G.debit(round(x.mean(), 2), round(x.std(ddof=1), 3), 100)["consistent"]
    bad = G.debit(0.59, 0.502, 100)  # planted: SD of 0.51, mean of 0.59
    assert not bad["consistent"]
    assert bad["expected_sd"] == pytest.approx(math.sqrt(0.59 * 0.41 * 100 / 99))
    assert G.debit(1.41, 0.494, 100, low_code=1)["consistent"]


def test_granularity_audit_covers_table2():
    g = G.granularity_audit()
    assert list(g.index) == load_codebook().names
    assert g["grim"].all() and not g["grim_informative"].any()
    assert not g.loc["unwilling", "debit"] and g.loc["gender", "debit"] and g.loc["marital_status", "debit"]
    assert g.loc["education", "grimmer"] and 0 < g.loc["education", "grimmer_share"] < 0.5
