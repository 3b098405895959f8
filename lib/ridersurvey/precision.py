"""Printed precision and the floors it implies: the book's one home for these rules.

Three rules live here and nowhere else:

* **Agreement at the printed precision.** A printed number stands for every value that rounds to it, the
  closed interval ``[v - h, v + h]`` with ``h`` half a unit in the last printed place; a computed value
  agrees when it lies in that interval (so either way at an exact half).
* **The standard-error floor of a logit slope.** With an intercept in the model and ``n`` cases,
  ``Var(b_j) = [(X'WX)^-1]_jj = 1 / RSS_w(x_j)``, the inverse of the weighted residual sum of squares of
  ``x_j`` on the other columns. That is at most its weighted sum of squares about the weighted mean, which
  minimises ``sum_i w_i (x_ij - c)^2`` over ``c``, so it is at most ``sum_i w_i (x_ij - xbar_j)^2``; and every
  logistic weight ``w_i = p_i (1 - p_i)`` is at most 1/4. Hence ``Var(b_j) >= 4 / ((n - 1) s_j^2)`` and
  ``SE_j >= 2 / (s_j sqrt(n - 1))``.
* **The p-value floor.** For a slope ``b`` the Wald statistic obeys ``|z| <= |b| / SE_floor``. The
  likelihood-ratio statistic for dropping the same term obeys the same bound, ``LR <= (|b| / SE_floor)^2``:
  moving from the estimate along ``d = -b (e_j - xbar_j e_0)`` (slope to zero, intercept re-centred) costs at
  most ``(1/2)(1/4) b^2 sum_i (x_ij - xbar_j)^2`` in log-likelihood, since the curvature ``sum_i w_i (d'x_i)^2``
  is at most a quarter of ``sum_i (d'x_i)^2``, and the restricted maximum is at least as high as that point.
  So both two-sided p-values are at least ``2 Phi(-|b| / SE_floor)``. The bound covers model-based Wald and
  likelihood-ratio tests of one linearly entered predictor in a logit with an intercept, fitted by
  (unpenalised) maximum likelihood to the ``n`` cases (the LR argument needs a zero score at the estimate).
  It does not cover robust (sandwich) standard errors, score (Lagrange-multiplier) tests, exact tests, a
  penalised fit, a linear probability model, a different number of cases (:func:`n_needed` gives the fewest
  cases with which a printed pair could stand), or other tests of the item (a chi-square test of its
  categories against the outcome, a joint test of the item entered as categories).

When the floor is applied to *printed* numbers it is taken conservatively: the coefficient at the top of
its rounding interval in absolute value and the SD at the top of its interval, which gives the smallest
floor any numbers that print this way can have. Floors are shown rounded *down* (:func:`format_floor`), so
that the shown number is itself a valid bound.
"""

from __future__ import annotations

import math

#: Relative slack that absorbs binary floating-point error in values such as 0.51 or 97.09.
_REL_SLACK = 1e-9
_ABS_SLACK = 1e-12


def half_width(decimals: int) -> float:
    """Half a unit in the last printed place: ``0.5 * 10**-decimals``.

    Parameters
    ----------
    decimals : int
        Number of decimals printed (0 for integers).

    Returns
    -------
    float
    """
    return 0.5 * 10.0 ** (-decimals)


def rounding_interval(printed: float, decimals: int) -> tuple[float, float]:
    """The closed interval of values that print as ``printed`` at ``decimals`` places.

    Parameters
    ----------
    printed : float
        The value as printed.
    decimals : int
        Decimals printed.

    Returns
    -------
    tuple of float
        ``(printed - h, printed + h)``.
    """
    h = half_width(decimals)
    return printed - h, printed + h


def agrees(published: float | None, computed: float | None, decimals: int) -> bool:
    """Whether ``computed`` lies in the rounding interval of the printed ``published`` value.

    Parameters
    ----------
    published : float
        The printed value.
    computed : float
        A value computed by the book.
    decimals : int
        Decimals printed.

    Returns
    -------
    bool
        False when either value is missing or NaN.
    """
    if computed is None or published is None or math.isnan(computed) or math.isnan(published):
        return False
    return abs(published - computed) <= half_width(decimals) * (1 + _REL_SLACK) + _ABS_SLACK


def se_floor(sd: float, n: int) -> float:
    """Smallest model-based standard error a logit slope can have (see the module docstring).

    Parameters
    ----------
    sd : float
        Sample standard deviation (ddof = 1) of the predictor.
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
        The predictor's sample SD.
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
    from scipy import stats

    return float(2.0 * stats.norm.sf(max_abs_z(b, sd, n)))


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
    """Whether some data set could print p-value ``p`` beside slope ``b`` (model-based Wald or LR test).

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
        True when the top of p's rounding interval reaches :func:`p_floor`.
    """
    return p + half_width(p_decimals) >= p_floor(b, sd, n, coef_decimals, sd_decimals)


def n_needed(p: float, b: float, sd: float, p_decimals: int = 3, coef_decimals: int = 3, sd_decimals: int = 3) -> int:
    """Fewest cases with which a printed (b, p) pair could stand, all else as printed.

    The inverse of :func:`p_attainable` in ``n``: the smallest ``n`` with
    ``2 Phi(-|b| s sqrt(n - 1) / 2) <= p`` for ``|b|``, ``s`` and ``p`` at the favourable ends of their
    rounding intervals. It answers whether a different number of cases, which the floor does not cover,
    could rescue the pair.

    Parameters
    ----------
    p, b, sd : float
        The printed p-value, slope and predictor SD.
    p_decimals, coef_decimals, sd_decimals : int
        Decimals printed.

    Returns
    -------
    int
    """
    from scipy import stats

    z = float(stats.norm.isf((p + half_width(p_decimals)) / 2.0))
    slope = (abs(b) + half_width(coef_decimals)) * (sd + half_width(sd_decimals))
    return max(2, math.ceil(1.0 + (2.0 * z / slope) ** 2 * (1 - _REL_SLACK)))


def format_floor(x: float, decimals: int = 3) -> str:
    """A lower bound for display: rounded down, so the shown number is still a bound.

    Parameters
    ----------
    x : float
        The bound.
    decimals : int
        Decimals to show.

    Returns
    -------
    str
    """
    scale = 10.0**decimals
    return f"{math.floor(x * scale + abs(x * scale) * _REL_SLACK) / scale + 0.0:.{decimals}f}"


def format_p_floor(p: float, decimals: int = 3) -> str:
    """A lower bound on a p-value for display: :func:`format_floor`, or "below 0.001" (at three decimals) when
    that would print as zero, since "p ≥ 0.000" says nothing.

    Parameters
    ----------
    p : float
        The bound.
    decimals : int
        Decimals to show.

    Returns
    -------
    str
    """
    if math.floor(p * 10.0**decimals) == 0:
        return f"below {10.0**-decimals:.{decimals}f}"
    return format_floor(p, decimals)


def format_ceiling(x: float, decimals: int = 3) -> str:
    """An upper bound for display: rounded up, so the shown number is still a bound.

    Parameters
    ----------
    x : float
        The bound.
    decimals : int
        Decimals to show.

    Returns
    -------
    str
    """
    scale = 10.0**decimals
    return f"{math.ceil(x * scale - abs(x * scale) * _REL_SLACK) / scale + 0.0:.{decimals}f}"
