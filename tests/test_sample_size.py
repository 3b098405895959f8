"""Riley et al.'s (2020) sample-size criteria against the pmsampsize example and a hand computation."""

from __future__ import annotations

import math

import pytest

from ridersurvey import sample_size as S


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
