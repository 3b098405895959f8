"""Printed precision: every printed number stands for the closed interval of values that round to it.

A number printed with ``d`` decimals stands for ``[v - h, v + h]`` with ``h = 0.5 * 10**-d``, half a unit in the
last printed place; a value agrees with it when it lies in that interval (so either way at an exact half). Bounds
shown to a reader are rounded outward (:func:`format_floor`, :func:`format_ceiling`), so that the shown number is
itself a bound.
"""

from __future__ import annotations

import math

from tablecheck.messages import text

#: Relative slack that absorbs binary floating-point error in values such as 0.51 or 97.09.
REL_SLACK = 1e-9
#: Absolute slack for the same purpose near zero.
ABS_SLACK = 1e-12


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
        A computed value.
    decimals : int
        Decimals printed.

    Returns
    -------
    bool
        False when either value is missing or NaN.
    """
    if computed is None or published is None or math.isnan(computed) or math.isnan(published):
        return False
    return abs(published - computed) <= half_width(decimals) * (1 + REL_SLACK) + ABS_SLACK


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two closed intervals share a point, up to floating-point slack.

    Parameters
    ----------
    a, b : tuple of float
        ``(low, high)`` each.

    Returns
    -------
    bool
    """
    slack = REL_SLACK * max(1.0, *(abs(x) for x in (*a, *b) if math.isfinite(x))) + ABS_SLACK
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


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
    return f"{math.floor(x * scale + abs(x * scale) * REL_SLACK) / scale + 0.0:.{decimals}f}"


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
        return text("precision.below", bound=f"{10.0**-decimals:.{decimals}f}")
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
    return f"{math.ceil(x * scale - abs(x * scale) * REL_SLACK) / scale + 0.0:.{decimals}f}"
