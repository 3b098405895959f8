"""Granularity: summaries of whole-number answers must be attainable by whole numbers.

GRIM (Brown & Heathers 2017) asks whether a mean of ``n`` integers can round to the printed mean; a
GRIMMER-style exhaustive search (Heathers et al. 2018's question, answered by enumerating category counts)
asks whether integers on a bounded scale with that mean can have an SD that rounds to the printed SD; DEBIT
(Heathers & Brown 2019) asks whether a two-category variable's SD, which its mean fixes, can round to the
printed SD; and a printed percentage must be ``100 * count / n`` for a whole count.
"""

from __future__ import annotations

import math
from functools import lru_cache

from tablecheck.precision import ABS_SLACK, half_width


def grim(mean: float, n: int, decimals: int = 2) -> dict:
    """GRIM test: is a mean of ``n`` integers able to round to ``mean``?

    Parameters
    ----------
    mean : float
        The printed mean.
    n : int
        Number of cases.
    decimals : int
        Decimals printed.

    Returns
    -------
    dict
        ``consistent``, ``totals`` (the integer sums that round to the mean) and ``informative``: with
        ``n >= 10**decimals`` every printed mean is attainable and the test cannot fail.
    """
    half = half_width(decimals)
    lo = math.ceil((mean - half) * n - 1e-9)
    hi = math.floor((mean + half) * n + 1e-9)
    totals = list(range(lo, hi + 1))
    return {"consistent": bool(totals), "totals": totals, "informative": n < 10**decimals}


@lru_cache(maxsize=64)
def attainable_sums_of_squares(n: int, lo: int, hi: int, total: int) -> frozenset[int]:
    """Every sum of squares attainable by ``n`` integers in ``[lo, hi]`` summing to ``total``.

    Enumerates the category counts of all but the two highest scale points; the last two are then fixed by
    the number of cases and the total. Exact; practical for scales of up to six points at n in the hundreds.

    Parameters
    ----------
    n, lo, hi, total : int

    Returns
    -------
    frozenset of int
    """
    import numpy as np  # only the exhaustive searches need it; the command line starts without it

    values = list(range(lo, hi + 1))
    if len(values) == 1:
        return frozenset({n * lo * lo}) if total == n * lo else frozenset()
    free = values[:-2]
    a, b = values[-2], values[-1]
    if free:
        grids = np.stack(np.meshgrid(*[np.arange(n + 1)] * len(free), indexing="ij"), -1).reshape(-1, len(free))
        grids = grids[grids.sum(axis=1) <= n]
    else:
        grids = np.zeros((1, 0), dtype=int)
    fv = np.array(free, dtype=np.int64)
    rest_n = n - grids.sum(axis=1)
    rest_t = total - grids @ fv
    cb = rest_t - a * rest_n  # b - a == 1
    ca = rest_n - cb
    ok = (cb >= 0) & (ca >= 0)
    q = grids[ok] @ (fv**2) + ca[ok] * a * a + cb[ok] * b * b
    return frozenset(int(x) for x in np.unique(q))


def grimmer(
    mean: float, sd: float, n: int, lo: int, hi: int, mean_decimals: int = 2, sd_decimals: int = 3, window: float = 0.05
) -> dict:
    """GRIMMER-style check: can integer data on ``[lo, hi]`` with this mean have an SD that rounds to ``sd``?

    Exhaustive over category counts (a complete SPRITE search).

    Parameters
    ----------
    mean, sd : float
        The printed mean and SD (ddof = 1).
    n : int
        Number of cases.
    lo, hi : int
        The lowest and highest answer the scale allows.
    mean_decimals, sd_decimals : int
        Decimals printed.
    window : float
        Half-width of the band of printable SDs around ``sd`` over which ``share`` is taken.

    Returns
    -------
    dict
        ``consistent`` and ``share``: the fraction of SDs printable at ``sd_decimals`` within ``window`` of
        ``sd`` that some such data set attains (near 1 the test cannot catch an error, near 0 it almost always
        would).
    """
    import numpy as np

    half = half_width(sd_decimals)
    step = 10.0 ** (-sd_decimals)
    attainable: set[float] = set()
    for total in grim(mean, n, mean_decimals)["totals"]:
        if not lo * n <= total <= hi * n:
            continue
        qs = np.array(sorted(attainable_sums_of_squares(n, lo, hi, total)), dtype=float)
        sds = np.sqrt(np.maximum(qs - total**2 / n, 0.0) / (n - 1))
        attainable.update(np.round(sds, sd_decimals).tolist())
        attainable.update(np.round(sds + half * 1e-9, sd_decimals).tolist())
    k = int(round(window / step))
    grid = {round(sd + i * step, sd_decimals) for i in range(-k, k + 1) if sd + i * step >= 0}
    consistent = round(sd, sd_decimals) in attainable
    return {"consistent": bool(consistent), "share": len(grid & attainable) / len(grid)}


def debit(mean: float, sd: float, n: int, mean_decimals: int = 2, sd_decimals: int = 3, low_code: int = 0) -> dict:
    """DEBIT: the SD of a two-category variable is fixed by its mean, ``sd = sqrt(p (1 - p) n / (n - 1))``.

    Parameters
    ----------
    mean, sd : float
        The printed mean and SD (ddof = 1).
    n : int
        Number of cases.
    mean_decimals, sd_decimals : int
        Decimals printed.
    low_code : int
        The value of the lower category (0 for 0/1 coding, 1 for 1/2 coding).

    Returns
    -------
    dict
        ``consistent`` (some mean in the mean's rounding interval gives an SD in the SD's interval) and
        ``expected_sd`` (the SD at the printed mean).
    """
    half_m = half_width(mean_decimals)
    half_s = half_width(sd_decimals)

    def sd_of(p: float) -> float:
        return math.sqrt(max(p * (1 - p), 0.0) * n / (n - 1))

    p_lo = min(max(mean - half_m - low_code, 0.0), 1.0)
    p_hi = min(max(mean + half_m - low_code, 0.0), 1.0)
    candidates = [sd_of(p_lo), sd_of(p_hi)] + ([sd_of(0.5)] if p_lo <= 0.5 <= p_hi else [])
    lo_sd, hi_sd = min(candidates), max(candidates)
    consistent = hi_sd >= sd - half_s - ABS_SLACK and lo_sd <= sd + half_s + ABS_SLACK
    return {"consistent": bool(consistent), "expected_sd": sd_of(mean - low_code)}


def counts_for_percent(percent: float, n: int, decimals: int = 1) -> list[int]:
    """Every whole count out of ``n`` whose percentage rounds to the printed ``percent``.

    Parameters
    ----------
    percent : float
        The printed percentage.
    n : int
        The base of the percentage.
    decimals : int
        Decimals printed.

    Returns
    -------
    list of int
        Empty when no count fits.
    """
    half = half_width(decimals)
    lo = math.ceil((percent - half) * n / 100.0 - 1e-9)
    hi = math.floor((percent + half) * n / 100.0 + 1e-9)
    return [k for k in range(max(lo, 0), min(hi, n) + 1)]
