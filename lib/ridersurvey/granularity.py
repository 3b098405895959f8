"""Granularity tests on Table 2's printed means and SDs: GRIM, a GRIMMER-style exhaustive search and DEBIT.

Summaries of integer answers must be attainable by integers. These tests use only the printed numbers and
the sample size; none depends on the book's (reconstructed) respondent-level data.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from ridersurvey.published import load_ledger


def grim(mean: float, n: int, decimals: int = 2) -> dict:
    """GRIM test: is a mean of ``n`` integers able to round to ``mean``? (Brown & Heathers 2017)

    Returns ``consistent``, the integer totals that round to the mean, and ``informative``: with
    ``n >= 10**decimals`` every printed mean is attainable and the test cannot fail.
    """
    half = 0.5 * 10.0 ** (-decimals)
    lo = math.ceil((mean - half) * n - 1e-9)
    hi = math.floor((mean + half) * n + 1e-9)
    totals = list(range(lo, hi + 1))
    return {"consistent": bool(totals), "totals": totals, "informative": n < 10**decimals}


@lru_cache(maxsize=64)
def attainable_sums_of_squares(n: int, lo: int, hi: int, total: int) -> frozenset[int]:
    """Every Σx² attainable by ``n`` integers in ``[lo, hi]`` summing to ``total`` (exhaustive over counts).

    Enumerates the category counts of all but the two highest scale points; the last two are then fixed by
    the number of respondents and the total. Exact for scales of up to six points at n in the hundreds.
    """
    values = list(range(lo, hi + 1))
    k = len(values)
    if k == 1:
        return frozenset({n * lo * lo}) if total == n * lo else frozenset()
    free = values[:-2]
    found: set[int] = set()
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
    found.update(int(x) for x in np.unique(q))
    return frozenset(found)


def grimmer(
    mean: float, sd: float, n: int, lo: int, hi: int, mean_decimals: int = 2, sd_decimals: int = 3, window: float = 0.05
) -> dict:
    """GRIMMER-style check: can integer data on ``[lo, hi]`` with this mean have an SD that rounds to ``sd``?

    Exhaustive over category counts (a complete SPRITE search; Heathers et al. 2018). ``share`` is the
    fraction of SDs printable at ``sd_decimals`` within ``window`` of ``sd`` that some such data set attains:
    near 1 the test cannot catch an error, near 0 it almost always would.
    """
    half = 0.5 * 10.0 ** (-sd_decimals)
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
    """DEBIT: the SD of a two-category variable is fixed by its mean, sd = sqrt(p(1-p)·n/(n-1)).

    ``low_code`` is the value of the lower category (0 for 0/1 coding, 1 for 1/2 coding). Accounts for the
    rounding of both the mean and the SD; returns ``consistent`` and the ``expected_sd`` at the printed mean.
    """
    half_m = 0.5 * 10.0 ** (-mean_decimals)
    half_s = 0.5 * 10.0 ** (-sd_decimals)

    def sd_of(p: float) -> float:
        return math.sqrt(max(p * (1 - p), 0.0) * n / (n - 1))

    p_lo = min(max(mean - half_m - low_code, 0.0), 1.0)
    p_hi = min(max(mean + half_m - low_code, 0.0), 1.0)
    candidates = [sd_of(p_lo), sd_of(p_hi)] + ([sd_of(0.5)] if p_lo <= 0.5 <= p_hi else [])
    lo_sd, hi_sd = min(candidates), max(candidates)
    consistent = hi_sd >= sd - half_s - 1e-12 and lo_sd <= sd + half_s + 1e-12
    return {"consistent": bool(consistent), "expected_sd": sd_of(mean - low_code)}


def granularity_audit(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """GRIM, GRIMMER-style and (two-category variables) DEBIT results for every Table 2 mean/SD pair."""
    from ridersurvey.published import table1_counts, table2

    ledger = load_ledger() if ledger is None else ledger
    counts = table1_counts(ledger)
    t2 = table2(ledger)
    n = int(ledger.loc["t1.total.count", "value"])
    rows = []
    for var in t2.index:
        mean, sd = float(t2.loc[var, "mean"]), float(t2.loc[var, "sd"])
        codes = sorted(counts[var])
        g = grim(mean, n, 2)
        gm = grimmer(mean, sd, n, codes[0], codes[-1], 2, 3)
        row = {
            "variable": var,
            "mean": mean,
            "sd": sd,
            "grim": g["consistent"],
            "grim_informative": g["informative"],
            "grimmer": gm["consistent"],
            "grimmer_share": gm["share"],
            "debit": None,
            "debit_sd": float("nan"),
        }
        if len(codes) == 2:
            d = debit(mean, sd, n, 2, 3, low_code=codes[0])
            row.update(debit=d["consistent"], debit_sd=d["expected_sd"])
        rows.append(row)
    return pd.DataFrame(rows).set_index("variable")
