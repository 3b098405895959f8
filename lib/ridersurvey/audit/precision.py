"""Printed precision and the floors it implies, for this book: the rules live in :mod:`tablecheck`.

Agreement at the printed precision comes from :mod:`tablecheck.precision`; the standard-error and p-value floors
of a logit slope, with their proof and scope, from :mod:`tablecheck.floors`. This module names them for the
book's modules, which import them from here.
"""

from __future__ import annotations

import math

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


__all__ = [
    "MINUS",
    "agrees",
    "fixed",
    "format_ceiling",
    "format_floor",
    "format_p_floor",
    "half_width",
    "max_abs_z",
    "n_needed",
    "p_attainable",
    "p_floor",
    "p_floor_exact",
    "rounding_interval",
    "se_floor",
]
