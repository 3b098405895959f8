"""The book's rules for printed precision and for the SE and p-value floors, against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from ridersurvey.audit import precision as P


def test_agreement_is_the_closed_rounding_interval():
    assert P.agrees(97, 100 * 100 / 103, 0)
    assert P.agrees(33.3, 100 / 3, 1) and not P.agrees(33.4, 100 / 3, 1)
    assert P.agrees(0.51, 0.51, 2) and not P.agrees(0.59, 0.51, 2)
    # an exact half agrees either way: 0.0125 prints as 0.012 or 0.013 depending on the rounding rule
    assert P.agrees(0.012, 0.0125, 3) and P.agrees(0.013, 0.0125, 3)
    assert not P.agrees(0.012, 0.01251, 3)
    assert not P.agrees(1.0, float("nan"), 2) and not P.agrees(None, 1.0, 2)
    assert P.rounding_interval(0.406, 3) == pytest.approx((0.4055, 0.4065))
    assert P.half_width(0) == 0.5 and P.half_width(3) == pytest.approx(0.0005)


def test_se_floor_is_never_beaten_by_statsmodels():
    rng = np.random.default_rng(5)
    n = 100
    for _ in range(20):
        x = np.column_stack([rng.integers(1, 6, n), rng.integers(1, 3, n), rng.normal(size=n) * 2])
        coef = rng.normal(scale=0.3, size=3)
        eta = (x - x.mean(axis=0)) @ coef
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
        res = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
        assert res.mle_retvals["converged"]
        for j in range(3):
            assert res.bse[j + 1] >= P.se_floor(x[:, j].std(ddof=1), n) * (1 - 1e-9)


def test_se_floor_is_attained_with_quarter_weights_and_orthogonal_columns():
    # every (x1, x2) cell is half ones, so the MLE is all zeros and every weight is 1/4; x2 has the same
    # distribution within both x1 groups, so x1 is orthogonal to x2 after centring
    cells = [(1.0, 1.0, 26), (1.0, 5.0, 24), (2.0, 1.0, 26), (2.0, 5.0, 24)]
    x1 = np.concatenate([np.full(k, a) for a, _, k in cells])
    x2 = np.concatenate([np.full(k, b) for _, b, k in cells])
    y = np.concatenate([np.r_[np.ones(k // 2), np.zeros(k // 2)] for _, _, k in cells])
    res = sm.Logit(y, sm.add_constant(np.column_stack([x1, x2]))).fit(disp=0)
    assert np.allclose(res.params, 0, atol=1e-8)
    assert res.bse[1] == pytest.approx(P.se_floor(x1.std(ddof=1), 100), rel=1e-6)


def test_likelihood_ratio_statistic_obeys_the_same_bound_as_wald():
    """LR for dropping x_j is at most (|b_j| / SE_floor)^2, as the module docstring proves."""
    rng = np.random.default_rng(11)
    n = 100
    worst = 0.0
    for _ in range(40):
        x = np.column_stack([rng.integers(1, 6, n), rng.integers(1, 3, n), rng.integers(1, 4, n)]).astype(float)
        x[:, 2] = np.where(rng.uniform(size=n) < 0.5, x[:, 0] // 2 + 1, x[:, 2])  # some collinearity
        eta = -0.5 + x @ rng.normal(scale=0.6, size=3)
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
        full = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
        for j in range(3):
            reduced = sm.Logit(y, sm.add_constant(np.delete(x, j, axis=1))).fit(disp=0)
            lr = 2 * (full.llf - reduced.llf)
            bound = P.max_abs_z(full.params[j + 1], x[:, j].std(ddof=1), n) ** 2
            assert lr <= bound * (1 + 1e-9)
            assert full.tvalues[j + 1] ** 2 <= bound * (1 + 1e-9)
            worst = max(worst, lr / bound)
    assert worst > 0.3  # the bound is not vacuous on these data


def test_p_floor_by_hand_for_the_two_printed_pairs():
    n = 100
    # awareness: b = -0.011 (top of interval 0.0115), SD 1.248 (top 1.2485)
    z = 0.0115 * 1.2485 * math.sqrt(99) / 2
    assert P.p_floor(-0.011, 1.248, n) == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    assert P.p_floor_exact(-0.011, 1.248, n) == pytest.approx(2 * stats.norm.sf(0.011 * 1.248 * math.sqrt(99) / 2))
    # health: b = 0.111 (top 0.1115), SD 1.150 (top 1.1505)
    z = 0.1115 * 1.1505 * math.sqrt(99) / 2
    assert P.p_floor(0.111, 1.150, n) == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    assert P.format_floor(P.p_floor(0.111, 1.150, n)) == "0.523"
    assert P.format_floor(P.p_floor(-0.011, 1.248, n)) == "0.943"
    assert not P.p_attainable(0.003, 0.111, 1.150, n) and not P.p_attainable(0.006, -0.011, 1.248, n)
    assert P.p_attainable(0.406, -0.217, 1.114, n)


def test_bounds_are_rounded_outward_for_display():
    assert P.format_floor(0.52399) == "0.523" and P.format_floor(0.523) == "0.523"
    assert P.format_ceiling(0.52301) == "0.524" and P.format_ceiling(0.523) == "0.523"
    assert P.format_floor(0.0049, 2) == "0.00"


def test_n_needed_is_where_the_pair_first_becomes_attainable():
    # health: |b| 0.1115, SD 1.1505, p 0.0035; by hand: n - 1 >= (2 z / (|b| s))^2
    z = stats.norm.isf(0.0035 / 2)
    by_hand = math.ceil(1 + (2 * z / (0.1115 * 1.1505)) ** 2)
    n = P.n_needed(0.003, 0.111, 1.150)
    assert n == by_hand
    assert P.p_attainable(0.003, 0.111, 1.150, n) and not P.p_attainable(0.003, 0.111, 1.150, n - 1)
    n = P.n_needed(0.006, -0.011, 1.248)
    assert P.p_attainable(0.006, -0.011, 1.248, n) and not P.p_attainable(0.006, -0.011, 1.248, n - 1)
    assert n > 100_000
    assert P.n_needed(0.406, -0.217, 1.114) <= 100


def test_p_floors_that_would_print_as_zero_say_below():
    assert P.format_p_floor(0.00004) == "below 0.001"
    assert P.format_p_floor(0.0019) == "0.001"
    assert P.format_p_floor(0.5234) == "0.523"
    assert P.format_p_floor(0.004, 2) == "below 0.01"


def test_counts_print_as_integers():
    assert P.integer(29.0) == "29" and P.integer(-3) == "\u22123" and P.integer(86274) == "86,274"
    with pytest.raises(ValueError):
        P.integer(2.5)


def test_p_values_never_print_as_zero():
    assert P.p_value(0.006) == "0.006" and P.p_value(0.0005) == "0.001"
    assert P.p_value(0.00049) == "< 0.001" and P.p_value(0.0) == "< 0.001"
    assert P.p_value(0.0449, 2) == "0.04" and P.p_value(0.004, 2) == "< 0.01"


def test_p_values_never_print_as_one():
    assert P.p_value(0.9994) == "0.999" and P.p_value(0.9995) == "> 0.999" and P.p_value(1.0) == "> 0.999"
    assert P.p_value(0.996, 2) == "> 0.99" and P.p_interval(0.0001, 1.0) == "[< 0.001, > 0.999]"


def test_intervals_and_percentages_have_one_style():
    assert P.interval(0.123, 3.4) == "[0.12, 3.40]" and P.interval(-1, 1, 1) == "[\u22121.0, 1.0]"
    assert P.interval(0.308, 2.624) == "[0.31, 2.62]"
    assert P.percent(71.0) == "71.0%" and P.percent(float("nan")) == "\u2013%"


@pytest.mark.parametrize(
    ("share", "decimals", "shown"),
    [
        (998 / 1000, 0, "99.8%"),
        (999 / 1000, 1, "99.9%"),
        (9999 / 10000, 1, "99.99%"),
        (2 / 1000, 0, "0.2%"),
        (2 / 10000, 1, "0.02%"),
        (1 / 3, 0, "33%"),
        (0.995, 0, "99.5%"),
        (0.994, 0, "99%"),
        (0.005, 0, "0.5%"),
        (1.0, 0, "100%"),
        (0.0, 1, "0.0%"),
    ],
)
def test_a_share_strictly_inside_never_prints_as_an_end(share, decimals, shown):
    assert P.percent(100 * share, decimals) == shown


def test_percent_keeps_shares_off_the_ends_at_every_count():
    for reps in (10, 1000, 20000):
        for k in range(1, reps):
            text = P.percent(100 * k / reps, 0)
            value = float(text.rstrip("%"))
            assert 0 < value < 100, (k, reps, text)


def test_p_intervals_print_each_end_as_a_p_value():
    assert P.p_interval(0.0002, 0.9951) == "[< 0.001, 0.995]"
    assert P.p_interval(0.0004, 0.0006) == "[< 0.001, 0.001]"
    assert P.p_interval(0.25, 0.5, 2) == "[0.25, 0.50]"
