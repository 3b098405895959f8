"""Riley et al.'s (2020) sample-size criteria against the pmsampsize example and a hand computation."""

from __future__ import annotations

import math

import pytest

from ridersurvey.robustness import sample_size as S


def test_riley_formulas_against_the_pmsampsize_example():
    r = S.riley_sample_size(24, 0.288, 0.174)
    assert math.ceil(r["criterion_1"]) == 623
    assert math.ceil(r["criterion_2"]) == 662
    assert math.ceil(r["criterion_3"]) == 221


def test_riley_by_hand_for_this_study():
    phi = 0.51
    max_r2 = 1 - math.exp(2 * (phi * math.log(phi) + (1 - phi) * math.log(1 - phi)))
    r2 = 0.15 * max_r2
    n1 = 9 / ((0.9 - 1) * math.log(1 - r2 / 0.9))
    s2 = r2 / (r2 + 0.05 * max_r2)
    n2 = 9 / ((s2 - 1) * math.log(1 - r2 / s2))
    n3 = (1.96 / 0.05) ** 2 * phi * (1 - phi)
    d = S.design_adequacy(100, 49, 9, r2_cs=None, prevalence=phi)
    row = d.iloc[0]
    assert row["r2_cs"] == pytest.approx(r2) and row["epv"] == pytest.approx(49 / 9)
    assert row["n_criterion_1"] == math.ceil(n1) and row["n_criterion_2"] == math.ceil(n2)
    assert row["n_criterion_3"] == math.ceil(n3) == 385
    assert row["n_required"] == max(math.ceil(n1), math.ceil(n2), math.ceil(n3))
    assert S.expected_shrinkage(math.ceil(n1), 9, r2) == pytest.approx(0.9, abs=1e-3)
    assert len(S.design_adequacy(r2_cs=0.2)) == 2


def test_criterion_1_break_even_against_a_bisection():
    """The R² at which n = 100 meets criterion 1 with nine slopes, against a bisection on the criterion itself."""
    phi, n, p, s = 0.51, 100, 9, 0.9

    def n_needed(r2: float) -> float:  # Riley et al.'s criterion 1, written out again
        return p / ((s - 1) * math.log(1 - r2 / s))

    lo, hi = 1e-9, s - 1e-9  # n_needed falls as R² rises
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if n_needed(mid) > n else (lo, mid)
    max_r2 = 1 - (phi**phi * (1 - phi) ** (1 - phi)) ** 2
    got = S.criterion_1_break_even(n, p, phi)
    assert got["r2_cs"] == pytest.approx(lo, abs=1e-9)
    assert got["r2_nagelkerke"] == pytest.approx(lo / max_r2, abs=1e-9)
    assert round(got["r2_cs"], 3) == 0.534 and round(got["r2_nagelkerke"], 2) == 0.71  # the referee's values
    assert S.expected_shrinkage(n, p, got["r2_cs"]) == pytest.approx(s, abs=1e-6)
    assert S.riley_sample_size(p, got["r2_cs"], phi)["criterion_1"] == pytest.approx(n)
