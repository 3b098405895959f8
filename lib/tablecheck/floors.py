"""Normal-theory links between b, SE, z and p, and the floors a logit slope's SE and p-value cannot pass.

* **The standard-error floor of a logit slope.** With an intercept in the model and ``n`` cases,
  ``Var(b_j) = [(X'WX)^-1]_jj = 1 / RSS_w(x_j)``, the inverse of the weighted residual sum of squares of
  ``x_j`` on the other columns. That is at most its weighted sum of squares about the weighted mean, which
  minimises ``sum_i w_i (x_ij - c)^2`` over ``c``, so it is at most ``sum_i w_i (x_ij - xbar_j)^2``; and every
  logistic weight ``w_i = p_i (1 - p_i)`` is at most 1/4. Hence ``Var(b_j) >= 4 / ((n - 1) s_j^2)`` and
  ``SE_j >= 2 / (s_j sqrt(n - 1))``, where ``s_j`` is the SD with denominator ``n - 1``,
  ``s_j^2 = sum_i (x_ij - xbar_j)^2 / (n - 1)``. An SD with denominator ``n``, ``t_j``, gives the same sum of
  squares as ``n t_j^2``, so the floor is ``2 / (t_j sqrt(n))``: pass ``t_j sqrt(n / (n - 1))`` as the SD.
* **The p-value floor.** For a slope ``b`` the Wald statistic obeys ``|z| <= |b| / SE_floor``. The
  likelihood-ratio statistic for dropping the same term obeys the same bound, ``LR <= (|b| / SE_floor)^2``:
  moving from the estimate along ``d = -b (e_j - xbar_j e_0)`` (slope to zero, intercept re-centred) costs at
  most ``(1/2)(1/4) b^2 sum_i (x_ij - xbar_j)^2`` in log-likelihood, since the curvature ``sum_i w_i (d'x_i)^2``
  is at most a quarter of ``sum_i (d'x_i)^2``, and the restricted maximum is at least as high as that point.
  So both two-sided p-values are at least ``2 Phi(-|b| / SE_floor)``.

**Scope.** The bound covers model-based Wald and likelihood-ratio tests of one linearly entered predictor in a
logit with an intercept, fitted by (unpenalised) maximum likelihood to the ``n`` cases (the LR argument needs a
zero score at the estimate), with the predictor's SD taken to have denominator ``n - 1`` (every function here
assumes it). A pair that passes is not ruled out by the floor, which is necessary for such data to exist, not
sufficient. It does not cover robust (sandwich) standard errors, score (Lagrange-multiplier)
tests, exact tests, a penalised fit, a linear probability model, a different number of cases (:func:`n_needed`
gives the fewest cases with which the floor allows a printed pair), or other tests of the item (a chi-square test of
its categories against the outcome, a joint test of the item entered as categories).

Applied to *printed* numbers the floor is taken conservatively: the coefficient at the top of its rounding
interval in absolute value and the SD at the top of its interval, which gives the smallest floor any numbers
that print this way can have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist

from tablecheck.precision import REL_SLACK, half_width

#: The standard normal (pure Python: the package imports no numerical library for these links).
_NORMAL = NormalDist()


def critical_z(level: float) -> float:
    """The two-sided normal quantile of a confidence level: 1.96 for 0.95.

    Parameters
    ----------
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    float
        ``Phi^-1(1/2 + level/2)``.
    """
    return _NORMAL.inv_cdf(0.5 + level / 2.0)


def z_from_p(p: float) -> float:
    """The |z| whose two-sided normal p-value is ``p`` (infinite for p <= 0, zero for p >= 1).

    Parameters
    ----------
    p : float

    Returns
    -------
    float
    """
    if p <= 0:
        return math.inf
    return -_NORMAL.inv_cdf(p / 2.0) if p < 1.0 else 0.0


def p_from_z(z: float) -> float:
    """The two-sided normal p-value of a statistic ``z``: ``2 Phi(-|z|)``.

    Parameters
    ----------
    z : float

    Returns
    -------
    float
    """
    return math.erfc(abs(z) / math.sqrt(2.0))


def sd_from_counts(counts: Mapping[float, float]) -> float:
    """Sample SD (ddof = 1) of a predictor given as a frequency table ``{value: count}``.

    Parameters
    ----------
    counts : mapping
        Each value the predictor takes and how many cases take it.

    Returns
    -------
    float
    """
    n = sum(counts.values())
    mean = sum(v * c for v, c in counts.items()) / n
    return math.sqrt(sum(c * (v - mean) ** 2 for v, c in counts.items()) / (n - 1))


def se_floor(sd: float, n: int) -> float:
    """Smallest model-based standard error a logit slope can have (see the module docstring).

    Parameters
    ----------
    sd : float
        Sample standard deviation of the predictor, with denominator n - 1 (ddof = 1); for an SD with
        denominator n, pass it times ``sqrt(n / (n - 1))``.
    n : int
        Number of cases.

    Returns
    -------
    float
        ``2 / (sd * sqrt(n - 1))``.
    """
    return 2.0 / (sd * math.sqrt(n - 1))


def max_abs_z(b: float, sd: float, n: int) -> float:
    """Largest Wald |z| (and square root of the largest LR statistic) a slope ``b`` can have.

    Parameters
    ----------
    b : float
        The slope.
    sd : float
        The predictor's sample SD (ddof = 1).
    n : int
        Number of cases.

    Returns
    -------
    float
        ``|b| / se_floor(sd, n)``.
    """
    return abs(b) / se_floor(sd, n)


def p_floor_exact(b: float, sd: float, n: int) -> float:
    """Smallest two-sided Wald or LR p-value for slope ``b`` exactly (no rounding intervals).

    Parameters
    ----------
    b, sd : float
        Slope and predictor SD, taken as exact.
    n : int
        Number of cases.

    Returns
    -------
    float
        ``2 * Phi(-max_abs_z(b, sd, n))``.
    """
    return p_from_z(max_abs_z(b, sd, n))


def p_floor(b: float, sd: float, n: int, coef_decimals: int = 3, sd_decimals: int = 3) -> float:
    """Smallest two-sided Wald or LR p-value any data can give a *printed* slope and SD.

    The slope is taken at the top of its rounding interval in absolute value and the SD at the top of
    its interval, which minimises the floor over everything that prints this way.

    Parameters
    ----------
    b, sd : float
        The printed slope and the printed SD of the predictor.
    n : int
        Number of cases.
    coef_decimals, sd_decimals : int
        Decimals printed for the slope and for the SD.

    Returns
    -------
    float
    """
    return p_floor_exact(abs(b) + half_width(coef_decimals), sd + half_width(sd_decimals), n)


def p_attainable(
    p: float, b: float, sd: float, n: int, p_decimals: int = 3, coef_decimals: int = 3, sd_decimals: int = 3
) -> bool:
    """Whether the floor allows p-value ``p`` beside slope ``b`` (model-based Wald or LR test).

    Parameters
    ----------
    p, b, sd : float
        The printed p-value, slope and predictor SD.
    n : int
        Number of cases.
    p_decimals, coef_decimals, sd_decimals : int
        Decimals printed.

    Returns
    -------
    bool
        True when the top of p's rounding interval reaches :func:`p_floor`: the pair is not ruled out by the
        floor (necessary for some data set to print it, not sufficient).
    """
    return p_attainable_exact(
        p + half_width(p_decimals), abs(b) + half_width(coef_decimals), sd + half_width(sd_decimals), n
    )


def p_attainable_exact(p: float, b: float, sd: float, n: int) -> bool:
    """Whether the floor allows a p-value as large as ``p`` beside slope ``b`` (all taken as exact): ``p >= p_floor``.

    Parameters
    ----------
    p : float
        The largest p-value the printed p stands for.
    b, sd : float
        The largest |b| and SD the printed numbers stand for.
    n : int

    Returns
    -------
    bool
    """
    return p >= p_floor_exact(b, sd, n)


def b_needed_exact(p: float, sd: float, n: int) -> float:
    """Smallest |b| with which a p-value as small as ``p`` is attainable: ``|z(p)| * se_floor(sd, n)``.

    Parameters
    ----------
    p : float
        The largest p-value the printed p stands for.
    sd : float
        The largest SD the printed SD stands for.
    n : int

    Returns
    -------
    float
    """
    return z_from_p(p) * se_floor(sd, n)


def n_needed_exact(p: float, b: float, sd: float) -> float:
    """Fewest cases with which the floor allows p-value ``p`` beside slope ``b`` (all taken as exact).

    The smallest ``n >= 2`` with ``2 Phi(-|b| s sqrt(n - 1) / 2) <= p``.

    Parameters
    ----------
    p, b, sd : float

    Returns
    -------
    float
        A whole number, or infinity when no number of cases suffices (b = 0 or p = 0).
    """
    z = z_from_p(p)
    slope = abs(b) * sd
    if slope == 0 or math.isinf(z):
        return math.inf
    return max(2, math.ceil(1.0 + (2.0 * z / slope) ** 2 * (1 - REL_SLACK)))


def n_needed(p: float, b: float, sd: float, p_decimals: int = 3, coef_decimals: int = 3, sd_decimals: int = 3) -> float:
    """Fewest cases with which the floor allows a printed (b, p) pair, all else as printed.

    The inverse of :func:`p_attainable` in ``n``, with ``|b|``, ``s`` and ``p`` at the favourable ends of their
    rounding intervals. It answers whether a different number of cases, which the floor does not cover, could
    rescue the pair.

    Parameters
    ----------
    p, b, sd : float
        The printed p-value, slope and predictor SD.
    p_decimals, coef_decimals, sd_decimals : int
        Decimals printed.

    Returns
    -------
    float
        As :func:`n_needed_exact`.
    """
    return n_needed_exact(p + half_width(p_decimals), abs(b) + half_width(coef_decimals), sd + half_width(sd_decimals))
