"""Printed precision and the floors it implies, for this book: the rules live in :mod:`tablecheck`.

Agreement at the printed precision comes from :mod:`tablecheck.precision`; the standard-error and p-value floors
of a logit slope, with their proof and scope, from :mod:`tablecheck.floors`. This module names them for the
book's modules, which import them from here.
"""

from __future__ import annotations

import math

from ridersurvey import messages
from tablecheck.floors import max_abs_z, n_needed, p_attainable, p_floor, p_floor_exact, se_floor
from tablecheck.precision import (
    agrees,
    format_ceiling,
    format_floor,
    format_p_floor,
    half_width,
    rounding_interval,
)

#: The minus sign of every number the book shows (U+2212, never a hyphen).
MINUS = "\u2212"


def fixed(x: float | None, decimals: int = 3, signed: bool = False) -> str:
    """A number at fixed decimals with a typographic minus sign: the book's one number formatter.

    Parameters
    ----------
    x : float or None
        The number; None or NaN prints as an en dash.
    decimals : int
        Decimals to show.
    signed : bool
        Show a plus sign on positive numbers.

    Returns
    -------
    str
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "\u2013"
    return (f"{x:+.{decimals}f}" if signed else f"{x:.{decimals}f}").replace("-", MINUS)


def integer(n: float) -> str:
    """A count as an integer ("29", never "29.0"; thousands separated by commas, "86,274").

    Parameters
    ----------
    n : float
        A whole number (a float that is integral is accepted).

    Returns
    -------
    str
    """
    if float(n) != round(float(n)):
        raise ValueError(messages.text("report.not_whole", n=n))
    return f"{int(round(float(n))):,}".replace("-", MINUS)


#: Most decimals :func:`percent` adds to keep a share strictly inside (0%, 100%) off both ends.
PERCENT_MAX_DECIMALS = 12


def percent(x: float, decimals: int = 1) -> str:
    """A percentage ("71.0%") that never rounds a share strictly between 0% and 100% onto either end.

    Such a share gains decimals until its printed value lies strictly between 0 and 100: 998 of 1,000 prints
    as "99.8%" at ``decimals=0``, never "100%", and 2 of 10,000 as "0.02%", never "0%". Exactly 0 and 100
    print with ``decimals``.

    Parameters
    ----------
    x : float
        Already in percent; NaN prints as an en dash.
    decimals : int
        Decimals to show, at least.

    Returns
    -------
    str
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return f"{fixed(x, decimals)}%"
    shown = decimals
    while 0 < x < 100 and float(f"{x:.{shown}f}") in (0.0, 100.0) and shown < PERCENT_MAX_DECIMALS:
        shown += 1
    return f"{fixed(x, shown)}%"


def p_value(p: float, decimals: int = 3) -> str:
    """A p-value: fixed decimals, or "< 0.001" (at three decimals) when it would print as zero and "> 0.999" when
    it would print as one.

    Parameters
    ----------
    p : float
    decimals : int

    Returns
    -------
    str
    """
    if p is None or math.isnan(p):
        return "\u2013"
    if round(p, decimals) == 0:
        return f"< {10.0**-decimals:.{decimals}f}"
    if round(p, decimals) == 1:
        return f"> {1 - 10.0**-decimals:.{decimals}f}"
    return fixed(p, decimals)


def interval(low: float, high: float, decimals: int = 2) -> str:
    """An interval in the house style, ``[low, high]``.

    Parameters
    ----------
    low, high : float
    decimals : int

    Returns
    -------
    str
    """
    return f"[{fixed(low, decimals)}, {fixed(high, decimals)}]"


def p_interval(low: float, high: float, decimals: int = 3) -> str:
    """A range of p-values, ``[low, high]``, each end printed as :func:`p_value` prints it ("< 0.001").

    Parameters
    ----------
    low, high : float
    decimals : int

    Returns
    -------
    str
    """
    return f"[{p_value(low, decimals)}, {p_value(high, decimals)}]"


__all__ = [
    "MINUS",
    "PERCENT_MAX_DECIMALS",
    "agrees",
    "fixed",
    "format_ceiling",
    "format_floor",
    "format_p_floor",
    "half_width",
    "integer",
    "interval",
    "max_abs_z",
    "n_needed",
    "p_interval",
    "p_value",
    "percent",
    "p_attainable",
    "p_floor",
    "p_floor_exact",
    "rounding_interval",
    "se_floor",
]
