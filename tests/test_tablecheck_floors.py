"""tablecheck.floors: normal-theory links and the SE and p floors, against formulas and statsmodels refits."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from tablecheck import floors as F


def test_normal_links_match_scipy():
    assert F.critical_z(0.95) == pytest.approx(stats.norm.ppf(0.975), rel=1e-15)
    assert F.critical_z(0.90) == pytest.approx(1.6448536269514722)
    for p in (0.5, 0.05, 0.003, 1e-8):
        assert F.z_from_p(p) == pytest.approx(stats.norm.isf(p / 2))
        assert F.p_from_z(F.z_from_p(p)) == pytest.approx(p)
    assert F.p_from_z(-1.959963984540054) == pytest.approx(0.05)
    assert F.z_from_p(0.0) == math.inf and F.z_from_p(1.0) == 0.0


def test_sd_from_a_frequency_table_is_the_sample_sd():
    counts = {1: 12, 2: 30, 3: 41, 4: 17}
    values = np.repeat(list(counts), list(counts.values()))
    assert F.sd_from_counts(counts) == pytest.approx(values.std(ddof=1))


def test_se_floor_and_p_floor_formulas():
    sd, n, b = 0.5, 101, 0.3
    assert F.se_floor(sd, n) == pytest.approx(2 / (0.5 * 10))
    assert F.max_abs_z(b, sd, n) == pytest.approx(0.3 / 0.4)
    assert F.p_floor_exact(b, sd, n) == pytest.approx(2 * stats.norm.sf(0.75))
    # printed numbers: |b| and SD at the top of their intervals
    assert F.p_floor(-0.3, 0.5, n, 1, 1) == pytest.approx(2 * stats.norm.sf(0.35 * 0.55 * 10 / 2))
    assert F.p_attainable(0.46, 0.3, 0.5, n, 2, 1, 1) is (0.465 >= F.p_floor(0.3, 0.5, n, 1, 1))


def test_an_sd_with_denominator_n_gives_the_root_n_floor():
    x = np.repeat([0.0, 1.0], [31, 69])
    n = x.size
    sd_n, sd_n1 = x.std(ddof=0), x.std(ddof=1)
    # Wu's gender SD 0.465 is the n - 1 form: sqrt(0.31 * 0.69 * 100 / 99) = 0.4648...
    assert round(sd_n1, 3) == 0.465 and round(sd_n, 3) == 0.462
    assert F.se_floor(sd_n1, n) == pytest.approx(2 / np.sqrt(((x - x.mean()) ** 2).sum()))
    assert F.se_floor(sd_n * math.sqrt(n / (n - 1)), n) == pytest.approx(2 / (sd_n * math.sqrt(n)))
    # the n - 1 formula fed an SD with denominator n would overstate the floor
    assert F.se_floor(sd_n, n) > F.se_floor(sd_n1, n)


def test_b_needed_and_n_needed_are_the_smallest_that_reach_the_p():
    p, sd, n = 0.006, 1.248, 100
    b = F.b_needed_exact(p, sd, n)
    assert F.p_floor_exact(b, sd, n) == pytest.approx(p)
    assert F.p_floor_exact(b * 0.999, sd, n) > p
    needed = F.n_needed_exact(p, 0.0115, sd)
    m = np.arange(2, 10**6)
    smallest = int(m[np.argmax(2 * stats.norm.sf(0.0115 * sd * np.sqrt(m - 1) / 2) <= p)])
    assert needed == smallest
    assert F.n_needed_exact(0.01, 0.0, 1.0) == math.inf
    assert F.n_needed(0.006, -0.011, 1.248) == F.n_needed_exact(0.0065, 0.0115, 1.2485)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_wald_or_lr_p_beats_the_floor_in_refits(seed):
    rng = np.random.default_rng(seed)
    n = 80
    for _ in range(10):
        x = np.column_stack([rng.integers(1, 6, n), rng.integers(0, 2, n)])
        eta = (x - x.mean(axis=0)) @ rng.normal(scale=0.8, size=2)
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
        full = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
        for j in range(2):
            sd = x[:, j].std(ddof=1)
            assert full.bse[j + 1] >= F.se_floor(sd, n) * (1 - 1e-9)
            floor = F.p_floor_exact(full.params[j + 1], sd, n)
            assert full.pvalues[j + 1] >= floor * (1 - 1e-9)
            reduced = sm.Logit(y, sm.add_constant(np.delete(x, j, axis=1))).fit(disp=0)
            lr_p = stats.chi2.sf(2 * (full.llf - reduced.llf), 1)
            assert lr_p >= floor * (1 - 1e-6)
