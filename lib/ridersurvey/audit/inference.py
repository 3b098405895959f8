"""Table 3 without the reconstruction: what the printed coefficients and p-values imply on their own.

For each predictor the paper prints a coefficient ``b`` and a two-sided p-value. If the p-value is the
model-based Wald test of that coefficient (the paper does not say, but it is what binary-logit output
prints beside B), then ``|z| = Phi^-1(1 - p/2)`` and the standard error is ``SE = |b| / |z|``. Both printed
numbers are rounded, so every derived quantity is an interval: the smallest and largest value over all
``(b, p)`` in the rounding box of the printed pair. Every function here uses only the printed numbers
(Table 3 and Table 2's SDs) and ``n``; nothing depends on respondent-level data.

The intervals are exact for the box: ``|z|`` is decreasing in ``p``; ``SE`` is increasing in ``|b|`` and
decreasing in ``|z|``; the odds ratio is increasing in ``b``; each confidence limit ``b -/+ c SE`` is
monotone in ``b`` and in ``|z|`` separately (for a fixed sign of ``b``), so its extremes lie at the corners.
"""

from __future__ import annotations

import math

import pandas as pd

from ridersurvey.audit.precision import format_floor, half_width, p_floor, rounding_interval, se_floor
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.ledger import load_ledger, table2, table3
from tablecheck.floors import b_needed_exact, critical_z, z_from_p

#: Two-sided 95% normal quantile.
Z95 = critical_z(0.95)


def _corners(b_box: tuple[float, float], z_box: tuple[float, float], f) -> tuple[float, float]:
    values = [f(b, z) for b in b_box for z in z_box]
    return float(min(values)), float(max(values))


def printed_pair(
    b: float, p: float, sd: float, n: int, coef_decimals: int = 3, p_decimals: int = 3, sd_decimals: int = 3
) -> dict[str, float | bool]:
    """Everything a printed (b, p) pair implies, as intervals over the pair's rounding box.

    Parameters
    ----------
    b, p : float
        The printed coefficient and two-sided p-value.
    sd : float
        The printed SD of the predictor (Table 2).
    n : int
        Number of cases.
    coef_decimals, p_decimals, sd_decimals : int
        Decimals printed.

    Returns
    -------
    dict
        ``z``, ``se``, ``odds_ratio``, ``ci_low``, ``ci_high`` (point values from the printed numbers) and
        ``*_min``/``*_max`` for each over the box; ``se_floor`` (the smallest floor any SD that prints as
        ``sd`` allows), ``clears_floor`` (some point of the box has ``SE >= floor``), ``p_floor`` (the smallest
        p the printed b allows, :func:`ridersurvey.audit.precision.p_floor`), ``b_needed`` (the smallest |b| the
        printed p needs: ``|z|`` at the top of p's interval times the floor) and ``b_needed_ratio`` (the smallest
        factor by which that exceeds the printed |b|: ``b_needed`` over the top of |b|'s rounding interval).
    """
    b_lo, b_hi = rounding_interval(b, coef_decimals)
    p_lo, p_hi = rounding_interval(p, p_decimals)
    z_box = (z_from_p(p_hi), z_from_p(max(p_lo, 0.0)))
    abs_box = (abs(b) - half_width(coef_decimals), abs(b) + half_width(coef_decimals))
    z = z_from_p(p)
    se = abs(b) / z
    se_box = (max(abs_box[0], 0.0) / z_box[1], abs_box[1] / z_box[0])

    def ci(sign: float):
        return lambda bb, zz: bb + sign * Z95 * abs(bb) / zz

    ci_low = _corners((b_lo, b_hi), z_box, ci(-1))
    ci_high = _corners((b_lo, b_hi), z_box, ci(+1))
    floor = se_floor(sd + half_width(sd_decimals), n)
    return {
        "b": b,
        "p": p,
        "z": z,
        "z_min": z_box[0],
        "z_max": z_box[1],
        "se": se,
        "se_min": se_box[0],
        "se_max": se_box[1],
        "odds_ratio": math.exp(b),
        "odds_ratio_min": math.exp(b_lo),
        "odds_ratio_max": math.exp(b_hi),
        "ci_low": math.exp(b - Z95 * se),
        "ci_low_min": math.exp(ci_low[0]),
        "ci_low_max": math.exp(ci_low[1]),
        "ci_high": math.exp(b + Z95 * se),
        "ci_high_min": math.exp(ci_high[0]),
        "ci_high_max": math.exp(ci_high[1]),
        "se_floor": floor,
        "clears_floor": bool(se_box[1] >= floor),
        "p_floor": p_floor(b, sd, n, coef_decimals, sd_decimals),
        "b_needed": b_needed_exact(p_hi, sd + half_width(sd_decimals), n),
        "b_needed_ratio": b_needed_exact(p_hi, sd + half_width(sd_decimals), n) / abs_box[1],
    }


def wald_power(se: float, odds_ratio: float, alpha: float = 0.05) -> float:
    """Power of the two-sided Wald test at ``alpha`` when the true log odds ratio is ``log(odds_ratio)`` and the
    estimate is normal with standard error ``se``: Φ(δ/SE − z) + Φ(−δ/SE − z), δ = |log OR|, z = Φ⁻¹(1 − α/2).

    Applied to the SE a printed (b, p) pair implies, this is the design's power with the paper's own precision
    (the SE as estimated, taken as known), with no reconstruction involved.

    Parameters
    ----------
    se : float
    odds_ratio : float
    alpha : float

    Returns
    -------
    float
    """
    from scipy import stats

    z = stats.norm.isf(alpha / 2)
    d = abs(math.log(odds_ratio)) / se
    return float(stats.norm.cdf(d - z) + stats.norm.cdf(-d - z))


def format_factor_floor(ratio: float) -> str:
    """A factor shown as a lower bound ("at least ... times"): rounded down, to a whole number from 10 up and
    to one decimal below, so the shown number is still a bound (e.g. ``b_needed_ratio``).

    Parameters
    ----------
    ratio : float

    Returns
    -------
    str
    """
    return format_floor(ratio, 0 if ratio >= 10 else 1)


def table3_from_print(ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`printed_pair` for every row of Table 3, in the paper's row order.

    Parameters
    ----------
    ledger : DataFrame, optional
        The published-numbers ledger (default: the project's).

    Returns
    -------
    DataFrame
        One row per predictor (index ``variable``), the keys of :func:`printed_pair` as columns, plus
        ``stars`` (as printed) and ``significant`` (printed p < 0.05).
    """
    ledger = load_ledger() if ledger is None else ledger
    t3 = table3(ledger)
    sds = table2(ledger)["sd"]
    n = int(ledger.loc[ids.N, "value"])
    rows = []
    for var in t3.index:
        row = printed_pair(
            float(t3.loc[var, "coef"]),
            float(t3.loc[var, "p"]),
            float(sds[var]),
            n,
            int(ledger.loc[ids.coef(var), "decimals"]),
            int(ledger.loc[ids.p_value(var), "decimals"]),
            int(ledger.loc[ids.sd(var), "decimals"]),
        )
        rows.append({"variable": var, **row, "stars": int(t3.loc[var, "stars"])})
    out = pd.DataFrame(rows).set_index("variable")
    out["significant"] = out["p"] < 0.05
    return out


def inconsistent_pairs(ledger: pd.DataFrame | None = None) -> list[str]:
    """Predictors whose printed (b, p) pair no data set can produce (the implied SE is below the floor).

    Parameters
    ----------
    ledger : DataFrame, optional

    Returns
    -------
    list of str
        In the paper's row order.
    """
    frame = table3_from_print(ledger)
    return [v for v in frame.index if not frame.loc[v, "clears_floor"]]
