"""The checks: each takes printed numbers and says whether any values inside their rounding intervals satisfy
its rule.

A check is :data:`~tablecheck.verdicts.Verdict.INCONSISTENT` only when no values inside the intervals satisfy
it. Every check is a function from :class:`~tablecheck.printed.Printed` numbers to a
:class:`~tablecheck.verdicts.Finding`; :data:`REGISTRY` maps each :class:`~tablecheck.verdicts.Check` to its
function. The intervals are exact: each rule is monotone in each number, or (the CI against b and SE) a
linear feasibility problem in ``(b, SE)`` solved at the vertices of its region.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tablecheck import floors, granularity, messages
from tablecheck.messages import count, interval, lower_bound, num, reason, upper_bound
from tablecheck.precision import overlaps
from tablecheck.printed import Printed, exact
from tablecheck.verdicts import Check, Finding, Verdict

CONSISTENT, INCONSISTENT, UNVERIFIABLE = Verdict.CONSISTENT, Verdict.INCONSISTENT, Verdict.UNVERIFIABLE
INF = math.inf


@dataclass(frozen=True)
class Legend:
    """A star legend: ``thresholds[k - 1]`` is the p below which a coefficient earns ``k`` stars.

    Attributes
    ----------
    thresholds : tuple of float
        Strictly decreasing.
    """

    thresholds: tuple[float, ...] = (0.05, 0.01, 0.001)

    def stars(self, p: float) -> int:
        """Stars that p-value ``p`` earns: how many thresholds it is strictly below."""
        return sum(p < t for t in self.thresholds)

    def __str__(self) -> str:
        return ", ".join(f"{'*' * (k + 1)} p < {t:g}" for k, t in enumerate(self.thresholds))


def parse_legend(text: str) -> Legend:
    """Read a legend such as ``"*=0.05,**=0.01,***=0.001"``.

    Parameters
    ----------
    text : str

    Returns
    -------
    Legend

    Raises
    ------
    ValueError
        When an entry is not ``stars=threshold``, the star counts are not 1, 2, ... or the thresholds do not
        decrease.
    """
    pairs: dict[int, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not key or set(key) != {"*"}:
            raise ValueError(messages.text("checks.legend_entry", part=part))
        pairs[len(key)] = float(value)
    if sorted(pairs) != list(range(1, len(pairs) + 1)):
        raise ValueError(messages.text("checks.legend_gaps", text=text))
    thresholds = tuple(pairs[k] for k in sorted(pairs))
    if any(a <= b for a, b in zip(thresholds, thresholds[1:])):
        raise ValueError(messages.text("checks.legend_order", text=text))
    return Legend(thresholds)


# ------------------------------------------------------------------------------------------- intervals


def _iv(x: Printed, low: float = -INF, high: float = INF) -> tuple[float, float]:
    return x.clipped(low, high)


def _abs_iv(iv: tuple[float, float]) -> tuple[float, float]:
    lo, hi = iv
    if lo <= 0 <= hi:
        return 0.0, max(-lo, hi)
    return min(abs(lo), abs(hi)), max(abs(lo), abs(hi))


def _log(x: float) -> float:
    return -INF if x <= 0 else math.log(x)


def _exp_iv(iv: tuple[float, float]) -> tuple[float, float]:
    return math.exp(iv[0]) if iv[0] > -INF else 0.0, math.exp(iv[1]) if iv[1] < INF else INF


def b_interval(b: Printed | None, odds_ratio: Printed | None) -> tuple[float, float]:
    """The interval of b: from b as printed, else the log of the OR's interval.

    Parameters
    ----------
    b, odds_ratio : Printed or None

    Returns
    -------
    tuple of float
    """
    if b is not None:
        return _iv(b)
    if odds_ratio is None:
        raise ValueError(messages.text("checks.b_or_odds_needed"))
    lo, hi = _iv(odds_ratio, 0.0)
    return _log(lo), _log(hi)


def p_range_from_z(z_abs: tuple[float, float]) -> tuple[float, float]:
    """Two-sided normal p-values of every |z| in an interval."""
    return floors.p_from_z(z_abs[1]), floors.p_from_z(z_abs[0])


def ratio_interval(b_iv: tuple[float, float], se_iv: tuple[float, float]) -> tuple[float, float]:
    """Every |b| / SE over the box of b and SE (SE > 0)."""
    ab = _abs_iv(b_iv)
    lo = ab[0] / se_iv[1] if se_iv[1] > 0 else INF
    hi = ab[1] / se_iv[0] if se_iv[0] > 0 else INF
    return lo, hi


def _feasible_ci(
    b_iv: tuple[float, float], d_iv: tuple[float, float], low_iv: tuple[float, float], high_iv: tuple[float, float]
) -> bool:
    """Whether some b in ``b_iv`` and d in ``d_iv`` give ``b - d`` in ``low_iv`` and ``b + d`` in ``high_iv``.

    For fixed d, b must lie in ``[max(B0, L0 + d, U0 - d), min(B1, L1 + d, U1 - d)]``; the width of that range is
    concave in d, so its maximum over ``d_iv`` lies at an end or where two of the six lines cross.
    """
    lines_lo = [(b_iv[0], 0), (low_iv[0], 1), (high_iv[0], -1)]
    lines_hi = [(b_iv[1], 0), (low_iv[1], 1), (high_iv[1], -1)]
    lines = [(a, k) for a, k in lines_lo + lines_hi if math.isfinite(a)]
    candidates = {d_iv[0], d_iv[1]}
    for i, (a1, k1) in enumerate(lines):
        for a2, k2 in lines[i + 1 :]:
            if k1 != k2:
                candidates.add((a2 - a1) / (k1 - k2))
    scale = max(1.0, *(abs(a) for a, _ in lines))
    for d in candidates:
        if not (d_iv[0] <= d <= d_iv[1]) or not math.isfinite(d):
            continue
        low = max(a + k * d for a, k in lines_lo)
        high = min(a + k * d for a, k in lines_hi)
        if low <= high + 1e-9 * scale:
            return True
    return False


def _say(
    term: str,
    check: Check,
    verdict: Verdict,
    fields: Mapping[str, object],
    values: dict[str, float] | None = None,
    variant: str | None = None,
) -> Finding:
    return Finding(term, check, verdict, reason(check, verdict, fields, variant), values or {})


# ------------------------------------------------------------------------------------------- table checks


def check_or_vs_b(term: str, b: Printed, odds_ratio: Printed) -> Finding:
    """The OR against exp(b).

    Parameters
    ----------
    term : str
    b, odds_ratio : Printed

    Returns
    -------
    Finding
    """
    exp_b = _exp_iv(_iv(b))
    or_iv = _iv(odds_ratio, 0.0)
    fields = {"b": b, "odds_ratio": odds_ratio, "exp_b": interval(*exp_b), "or_iv": interval(*or_iv)}
    values = {"exp_b_low": exp_b[0], "exp_b_high": exp_b[1]}
    if overlaps(exp_b, or_iv):
        return _say(term, Check.OR_VS_B, CONSISTENT, fields, values=values)
    flipped = _exp_iv((-_iv(b)[1], -_iv(b)[0]))
    variant = "sign" if overlaps(flipped, or_iv) else None
    return _say(term, Check.OR_VS_B, INCONSISTENT, fields, values=values, variant=variant)


def check_ci_vs_b_se(
    term: str,
    b: Printed | None,
    se: Printed,
    ci_low: Printed,
    ci_high: Printed,
    level: float = 0.95,
    odds_ratio: Printed | None = None,
) -> Finding:
    """The CI limits against ``exp(b -/+ z SE)`` at the stated level (b from the OR's log when b is not printed).

    Parameters
    ----------
    term : str
    b : Printed or None
    se, ci_low, ci_high : Printed
        SE of b and the CI limits of the OR.
    level : float
        The CI's confidence level.
    odds_ratio : Printed, optional
        Used for b when b is not printed.

    Returns
    -------
    Finding
    """
    zc = floors.critical_z(level)
    b_iv = b_interval(b, odds_ratio)
    se_iv = _iv(se, 0.0)
    d_iv = (zc * se_iv[0], zc * se_iv[1])
    lo_ci, hi_ci = _iv(ci_low, 0.0), _iv(ci_high, 0.0)
    log_lo, log_hi = (_log(lo_ci[0]), _log(lo_ci[1])), (_log(hi_ci[0]), _log(hi_ci[1]))
    low_iv = _exp_iv((b_iv[0] - d_iv[1], b_iv[1] - d_iv[0]))
    high_iv = _exp_iv((b_iv[0] + d_iv[0], b_iv[1] + d_iv[1]))
    fields = {
        "zc": f"{zc:.3f}",
        "b": b if b is not None else f"log({odds_ratio})",
        "se": se,
        "ci": f"{ci_low}-{ci_high}",
        "low_iv": interval(*low_iv),
        "high_iv": interval(*high_iv),
    }
    values = {"low_min": low_iv[0], "low_max": low_iv[1], "high_min": high_iv[0], "high_max": high_iv[1]}
    if _feasible_ci(b_iv, d_iv, log_lo, log_hi):
        return _say(term, Check.CI_VS_B_SE, CONSISTENT, fields, values=values)
    flipped = _feasible_ci((-b_iv[1], -b_iv[0]), d_iv, log_lo, log_hi)
    variant = "sign" if flipped else None
    return _say(term, Check.CI_VS_B_SE, INCONSISTENT, fields, values=values, variant=variant)


def check_ci_contains_or(
    term: str, odds_ratio: Printed | None, ci_low: Printed, ci_high: Printed, b: Printed | None = None
) -> Finding:
    """The CI contains its OR (or exp(b) when the OR is not printed).

    Parameters
    ----------
    term : str
    odds_ratio : Printed or None
    ci_low, ci_high : Printed
    b : Printed, optional

    Returns
    -------
    Finding
    """
    or_iv = _iv(odds_ratio, 0.0) if odds_ratio is not None else _exp_iv(b_interval(b, None))
    lo_ci, hi_ci = _iv(ci_low, 0.0), _iv(ci_high, 0.0)
    inside = overlaps(or_iv, (lo_ci[0], hi_ci[1]))
    fields = {
        "ci": f"{ci_low}-{ci_high}",
        "odds_ratio": odds_ratio if odds_ratio is not None else f"exp({b})",
        "or_iv": interval(*or_iv),
    }
    verdict = CONSISTENT if inside else INCONSISTENT
    return _say(term, Check.CI_CONTAINS_OR, verdict, fields)


def check_z_vs_b_se(
    term: str, b: Printed, se: Printed, z: Printed | None = None, wald: Printed | None = None
) -> Finding:
    """The printed z (or Wald chi-square, z squared) against b / SE.

    Parameters
    ----------
    term : str
    b, se : Printed
    z : Printed, optional
    wald : Printed, optional
        Used when z is not printed.

    Returns
    -------
    Finding
    """
    b_iv, se_iv = _iv(b), _iv(se, 0.0)
    ratio = ratio_interval(b_iv, se_iv)
    if z is not None:
        z_abs, stat, shown = _abs_iv(_iv(z)), "z", z
    elif wald is not None:
        w = _iv(wald, 0.0)
        z_abs, stat, shown = (math.sqrt(w[0]), math.sqrt(w[1])), "sqrt(Wald)", wald
    else:
        raise ValueError(messages.text("checks.z_or_wald_needed"))
    fields = {"b": b, "se": se, "z": shown, "stat": stat, "ratio_iv": interval(*ratio), "z_iv": interval(*z_abs)}
    values = {"ratio_min": ratio[0], "ratio_max": ratio[1]}
    if z is not None:
        z_iv = _iv(z)
        if (z_iv[1] < 0 < b_iv[0]) or (b_iv[1] < 0 < z_iv[0]):
            return _say(term, Check.Z_VS_B_SE, INCONSISTENT, fields, values=values, variant="sign")
    verdict = CONSISTENT if overlaps(ratio, z_abs) else INCONSISTENT
    return _say(term, Check.Z_VS_B_SE, verdict, fields, values=values)


def z_source(
    z: Printed | None, wald: Printed | None, b: Printed | None, se: Printed | None
) -> tuple[tuple[float, float], str] | None:
    """The |z| interval a row prints: from z, else the Wald statistic, else b / SE; None if none is printed."""
    if z is not None:
        return _abs_iv(_iv(z)), "z"
    if wald is not None:
        w = _iv(wald, 0.0)
        return (math.sqrt(w[0]), math.sqrt(w[1])), "Wald"
    if b is not None and se is not None:
        return ratio_interval(_iv(b), _iv(se, 0.0)), "b/SE"
    return None


def check_p_vs_z(term: str, p: Printed, z_abs: tuple[float, float], source: str = "z") -> Finding:
    """The p-value against the two-sided normal p of |z|.

    Parameters
    ----------
    term : str
    p : Printed
    z_abs : tuple of float
        The |z| interval (:func:`z_source`).
    source : str
        Where |z| comes from, for the reason.

    Returns
    -------
    Finding
    """
    p_iv = _iv(p, 0.0, 1.0)
    p_range = p_range_from_z(z_abs)
    verdict = CONSISTENT if overlaps(p_range, p_iv) else INCONSISTENT
    fields = {
        "z_iv": interval(*z_abs),
        "source": source,
        "p_range": interval(*p_range),
        "p": p,
        "p_iv": interval(*p_iv),
    }
    values = {"p_min": p_range[0], "p_max": p_range[1]}
    return _say(term, Check.P_VS_Z, verdict, fields, values=values)


def check_stars_vs_p(
    term: str, stars: int, p_iv: tuple[float, float], legend: Legend = Legend(), source: str = "p"
) -> Finding:
    """Printed stars against the stars the p-value earns under the legend.

    Parameters
    ----------
    term : str
    stars : int
        Stars printed.
    p_iv : tuple of float
        The p interval: printed p, or from |z| (:func:`p_range_from_z`).
    legend : Legend
    source : str
        Where p comes from, for the reason.

    Returns
    -------
    Finding
    """
    fewest, most = legend.stars(p_iv[1]), legend.stars(p_iv[0])
    expected = str(fewest) if fewest == most else f"{fewest}-{most}"
    fields = {"p_iv": interval(*p_iv), "source": source, "expected": expected, "legend": legend, "stars": stars}
    values = {"stars_min": float(fewest), "stars_max": float(most)}
    if stars > len(legend.thresholds):
        fields["most"] = len(legend.thresholds)
        return _say(term, Check.STARS_VS_P, INCONSISTENT, fields, values=values, variant="undefined")
    verdict = CONSISTENT if fewest <= stars <= most else INCONSISTENT
    return _say(term, Check.STARS_VS_P, verdict, fields, values=values)


def check_se_vs_floor(term: str, se: Printed, sd: Printed, n: int) -> Finding:
    """The printed SE against the smallest SE any data set allows (:func:`tablecheck.floors.se_floor`).

    Parameters
    ----------
    term : str
    se, sd : Printed
        The SE of b and the predictor's SD (:func:`tablecheck.printed.exact` for an SD from a frequency table).
    n : int

    Returns
    -------
    Finding
    """
    floor = floors.se_floor(_iv(sd, 0.0)[1], n)
    verdict = CONSISTENT if _iv(se, 0.0)[1] >= floor * (1 - 1e-9) else INCONSISTENT
    fields = {"se": se, "sd": sd, "n": n, "floor": lower_bound(floor)}
    return _say(term, Check.SE_VS_FLOOR, verdict, fields, values={"se_floor": floor})


def check_p_vs_b(term: str, b: Printed, p: Printed, sd: Printed | None, n: int | None) -> Finding:
    """The p-value against the smallest p any data set gives the printed b (the SE floor's consequence).

    Reports the smallest SE any data set allows, the largest |z|, the smallest p, the |b| the printed p needs
    and the n that would rescue the pair, each under the floor's scope (:mod:`tablecheck.floors`).

    Parameters
    ----------
    term : str
    b, p : Printed
    sd : Printed or None
        The predictor's SD; :func:`tablecheck.printed.exact` of :func:`tablecheck.floors.sd_from_counts` for a
        frequency table.
    n : int or None

    Returns
    -------
    Finding
        Unverifiable when the SD or n is missing.
    """
    if sd is None or n is None:
        return _say(term, Check.P_VS_B, UNVERIFIABLE, {"b": b, "p": p})
    b_top = _abs_iv(_iv(b))[1]
    sd_top = _iv(sd, 0.0)[1]
    p_top = _iv(p, 0.0, 1.0)[1]
    floor = floors.se_floor(sd_top, n)
    zmax = floors.max_abs_z(b_top, sd_top, n)
    pmin = floors.p_floor_exact(b_top, sd_top, n)
    b_needed = floors.b_needed_exact(p_top, sd_top, n)
    n_needed = floors.n_needed_exact(p_top, b_top, sd_top)
    values = {"se_floor": floor, "z_max": zmax, "p_floor": pmin, "b_needed": b_needed, "n_needed": float(n_needed)}
    verdict = CONSISTENT if floors.p_attainable_exact(p_top, b_top, sd_top, n) else INCONSISTENT
    fields = {
        "b": b,
        "p": p,
        "sd": sd,
        "n": n,
        "floor": lower_bound(floor),
        "zmax": upper_bound(zmax),
        "pmin": lower_bound(pmin),
        "b_needed": lower_bound(b_needed),
        "n_needed": count(n_needed),
    }
    return _say(term, Check.P_VS_B, verdict, fields, values=values)


# ------------------------------------------------------------------------------------------- granularity


def check_grim(term: str, mean: Printed, n: int) -> Finding:
    """GRIM: can a mean of ``n`` whole numbers print as ``mean``?

    Parameters
    ----------
    term : str
    mean : Printed
    n : int

    Returns
    -------
    Finding
        Unverifiable when ``n >= 10**decimals`` (every mean is attainable).
    """
    g = granularity.grim(mean.value, n, mean.decimals)
    fields = {"n": n, "mean": mean, "mean_iv": interval(*_iv(mean)), "decimals": mean.decimals}
    if not g["informative"]:
        return _say(term, Check.GRIM, UNVERIFIABLE, fields)
    verdict = CONSISTENT if g["consistent"] else INCONSISTENT
    fields["totals"] = ", ".join(map(str, g["totals"]))
    return _say(term, Check.GRIM, verdict, fields)


def check_grimmer(term: str, mean: Printed, sd: Printed, n: int, lo: int, hi: int) -> Finding:
    """GRIMMER-style: can whole numbers on ``[lo, hi]`` with this mean have an SD that prints as ``sd``?

    Parameters
    ----------
    term : str
    mean, sd : Printed
    n, lo, hi : int

    Returns
    -------
    Finding
        ``values["share"]``: the fraction of nearby printable SDs that are attainable.
    """
    g = granularity.grimmer(mean.value, sd.value, n, lo, hi, mean.decimals, sd.decimals)
    verdict = CONSISTENT if g["consistent"] else INCONSISTENT
    fields = {"mean": mean, "sd": sd, "n": n, "lo": lo, "hi": hi}
    return _say(term, Check.GRIMMER, verdict, fields, values={"share": g["share"]})


def check_debit(term: str, mean: Printed, sd: Printed, n: int, low_code: int = 0) -> Finding:
    """DEBIT: a two-category variable's SD is fixed by its mean.

    Parameters
    ----------
    term : str
    mean, sd : Printed
    n : int
    low_code : int
        Code of the lower category.

    Returns
    -------
    Finding
    """
    d = granularity.debit(mean.value, sd.value, n, mean.decimals, sd.decimals, low_code)
    verdict = CONSISTENT if d["consistent"] else INCONSISTENT
    fields = {"mean": mean, "sd": sd, "n": n, "expected": num(d["expected_sd"])}
    return _say(term, Check.DEBIT, verdict, fields, values={"expected_sd": d["expected_sd"]})


def check_count_vs_percent(term: str, count: int, n: int, percent: Printed) -> Finding:
    """A count against its printed percentage of ``n``.

    Parameters
    ----------
    term : str
    count, n : int
    percent : Printed

    Returns
    -------
    Finding
    """
    computed = 100.0 * count / n
    verdict = CONSISTENT if overlaps((computed, computed), _iv(percent)) else INCONSISTENT
    fits = granularity.counts_for_percent(percent.value, n, percent.decimals)
    fields = {
        "count": count,
        "n": n,
        "percent": percent,
        "computed": num(computed),
        "fits": ", ".join(map(str, fits)) or "none",
    }
    return _say(term, Check.COUNT_VS_PERCENT, verdict, fields)


#: Every check and the function that performs it.
REGISTRY: dict[Check, Callable[..., Finding]] = {
    Check.OR_VS_B: check_or_vs_b,
    Check.CI_VS_B_SE: check_ci_vs_b_se,
    Check.CI_CONTAINS_OR: check_ci_contains_or,
    Check.Z_VS_B_SE: check_z_vs_b_se,
    Check.P_VS_Z: check_p_vs_z,
    Check.STARS_VS_P: check_stars_vs_p,
    Check.SE_VS_FLOOR: check_se_vs_floor,
    Check.P_VS_B: check_p_vs_b,
    Check.GRIM: check_grim,
    Check.GRIMMER: check_grimmer,
    Check.DEBIT: check_debit,
    Check.COUNT_VS_PERCENT: check_count_vs_percent,
}


def sd_exact_from_counts(counts: Iterable[tuple[float, float]]) -> Printed:
    """The SD of a predictor given by its frequency table, as an exact number for :func:`check_p_vs_b`.

    Parameters
    ----------
    counts : iterable of (value, count)

    Returns
    -------
    Printed
    """
    return exact(floors.sd_from_counts(dict(counts)))
