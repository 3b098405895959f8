"""The message catalog: every reason a check can give, as a template filled with the check's numbers.

Keys are ``(check, verdict)`` or ``(check, verdict, variant)``; :func:`reason` fills a template. Numbers are
passed already formatted (:func:`num`, :func:`interval`), so each template reads as one line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from tablecheck.verdicts import Check, Verdict

C, X, U = Verdict.CONSISTENT, Verdict.INCONSISTENT, Verdict.UNVERIFIABLE

#: The scope of the SE and p floors, stated in every finding that uses them.
FLOOR_SCOPE = (
    "model-based Wald or LR test, one linearly entered predictor, logit with intercept, ML fit to n cases, "
    "SD with denominator n - 1"
)

CATALOG: dict[tuple, str] = {
    (Check.OR_VS_B, C): "exp(b) for b = {b} lies in {exp_b}, which meets OR = {odds_ratio} {or_iv}",
    (Check.OR_VS_B, X): "exp(b) for b = {b} lies in {exp_b}; OR = {odds_ratio} needs {or_iv}",
    (Check.OR_VS_B, X, "sign"): (
        "exp(b) for b = {b} lies in {exp_b}; OR = {odds_ratio} needs {or_iv}, which exp(-b) meets: a sign is flipped"
    ),
    (Check.CI_VS_B_SE, C): (
        "exp(b -/+ {zc} x SE) with b = {b}, SE = {se} gives limits in {low_iv} and {high_iv}; the printed CI {ci} fits"
    ),
    (Check.CI_VS_B_SE, X): (
        "exp(b -/+ {zc} x SE) with b = {b}, SE = {se} gives limits in {low_iv} and {high_iv}; "
        "no b and SE in their rounding intervals give the printed CI {ci}"
    ),
    (Check.CI_VS_B_SE, X, "sign"): (
        "exp(b -/+ {zc} x SE) with b = {b}, SE = {se} gives limits in {low_iv} and {high_iv}; "
        "the printed CI {ci} fits -b instead: a sign is flipped"
    ),
    (Check.CI_CONTAINS_OR, C): "the CI {ci} contains the OR {odds_ratio}",
    (Check.CI_CONTAINS_OR, X): "the CI {ci} does not contain the OR {odds_ratio} {or_iv}",
    (Check.Z_VS_B_SE, C): "|b|/SE for b = {b}, SE = {se} lies in {ratio_iv}, which meets |{stat}| {z_iv}",
    (Check.Z_VS_B_SE, X): "|b|/SE for b = {b}, SE = {se} lies in {ratio_iv}; |{stat}| = {z} needs {z_iv}",
    (Check.Z_VS_B_SE, X, "sign"): "b = {b} and z = {z} have opposite signs",
    (Check.P_VS_Z, C): "two-sided normal p for |z| in {z_iv} (from {source}) lies in {p_range}, which meets p = {p}",
    (Check.P_VS_Z, X): "two-sided normal p for |z| in {z_iv} (from {source}) lies in {p_range}; p = {p} needs {p_iv}",
    (Check.STARS_VS_P, C): "p in {p_iv} (from {source}) earns {expected} star(s) under {legend}; {stars} printed",
    (Check.STARS_VS_P, X): "p in {p_iv} (from {source}) earns {expected} star(s) under {legend}; {stars} printed",
    (Check.STARS_VS_P, X, "undefined"): "{stars} star(s) printed but the legend {legend} defines at most {most}",
    (Check.SE_VS_FLOOR, C): (
        "SE = {se} is at or above the floor {floor} that SD = {sd} and n = {n} allow: not ruled out by the floor "
        "({scope})"
    ),
    (Check.SE_VS_FLOOR, X): "SE = {se} is below the floor {floor} that SD = {sd} and n = {n} allow ({scope})",
    (Check.P_VS_B, C): (
        "with b = {b}, SD = {sd}, n = {n}: SE >= {floor}, |z| <= {zmax}, p >= {pmin}; "
        "p = {p} is not ruled out by the floor ({scope})"
    ),
    (Check.P_VS_B, X): (
        "with b = {b}, SD = {sd}, n = {n}: SE >= {floor}, |z| <= {zmax}, p >= {pmin} for any data, not p = {p}; "
        "that p needs |b| >= {b_needed} or n >= {n_needed} ({scope})"
    ),
    (Check.P_VS_B, U): "b = {b} and p = {p} printed, but the SE floor needs the predictor's SD and n",
    (Check.GRIM, C): "{n} whole numbers can have mean {mean}: sums {totals}",
    (Check.GRIM, X): "no sum of {n} whole numbers gives a mean in {mean_iv}",
    (Check.GRIM, U): "with n = {n}, every mean printed to {decimals} decimals is attainable",
    (Check.GRIMMER, C): "whole numbers on [{lo}, {hi}] with mean {mean} and n = {n} can have SD {sd}",
    (Check.GRIMMER, X): "no whole numbers on [{lo}, {hi}] with mean {mean} and n = {n} have an SD that prints as {sd}",
    (Check.DEBIT, C): "a two-category variable with mean {mean} and n = {n} has SD {expected}; {sd} printed",
    (Check.DEBIT, X): "a two-category variable with mean {mean} and n = {n} has SD {expected}, not {sd}",
    (Check.COUNT_VS_PERCENT, C): "100 x {count} / {n} = {computed} prints as {percent}",
    (Check.COUNT_VS_PERCENT, X): "100 x {count} / {n} = {computed}, not {percent}; counts that print so: {fits}",
}

#: The line after the findings in text output.
SUMMARY = "{rows} rows, {findings} findings: {counts}"


def num(x: float) -> str:
    """A computed number for a reason: five significant digits, 'inf' for infinity."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.5g}"


def _significant(x: float, direction: int) -> str:
    if x == 0 or not math.isfinite(x):
        return num(x)
    scale = 10.0 ** (4 - math.floor(math.log10(abs(x))))
    scaled = x * scale
    slack = abs(scaled) * 1e-12
    rounded = math.floor(scaled + slack) if direction < 0 else math.ceil(scaled - slack)
    return num(rounded / scale)


def lower_bound(x: float) -> str:
    """A lower bound for a reason: five significant digits, rounded down, so the shown number is still a bound."""
    return _significant(x, -1)


def upper_bound(x: float) -> str:
    """An upper bound for a reason: five significant digits, rounded up."""
    return _significant(x, +1)


def count(x: float) -> str:
    """A whole number of cases, or 'no n' when none suffices."""
    return "no n" if math.isinf(x) else f"{int(x)}"


def interval(low: float, high: float) -> str:
    """A computed interval for a reason: ``[low, high]`` at five significant digits."""
    return f"[{num(low)}, {num(high)}]"


def reason(check: Check, verdict: Verdict, fields: Mapping[str, object], variant: str | None = None) -> str:
    """Fill the catalog's template for a check, verdict and optional variant.

    Parameters
    ----------
    check : Check
    verdict : Verdict
    fields : mapping
        The template's fields, formatted.
    variant : str, optional
        A named variant of the template (``"sign"``, ``"undefined"``).

    Returns
    -------
    str
    """
    key = (check, verdict, variant) if variant else (check, verdict)
    return CATALOG[key].format(scope=FLOOR_SCOPE, **fields)
