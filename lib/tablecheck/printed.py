"""A number as a table prints it: its value, its decimals and whether it is a bound such as ``<0.001``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from tablecheck import messages
from tablecheck.precision import rounding_interval

#: Characters read as a leading minus: ASCII hyphen-minus, U+2212 MINUS SIGN, U+2013 EN DASH.
MINUS_SIGNS = ("-", "\u2212", "\u2013")


class Bound(StrEnum):
    """How a printed number bounds the value it stands for."""

    ROUNDED = "rounded"
    EXACT = "exact"
    BELOW = "below"
    ABOVE = "above"


@dataclass(frozen=True)
class Printed:
    """A printed number.

    Attributes
    ----------
    value : float
        The number as printed.
    decimals : int
        Decimals printed.
    bound : Bound
        ``ROUNDED`` for an ordinary number, ``BELOW`` for ``<v``, ``ABOVE`` for ``>v`` and ``EXACT`` for a value
        known exactly (an SD computed from a frequency table).
    text : str
        The text as printed (stripped).
    interval : tuple of float
        The closed interval of values the printed number stands for (a bound is open on one side); derived.
    """

    value: float
    decimals: int
    bound: Bound = Bound.ROUNDED
    text: str = ""

    interval: tuple[float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.bound is Bound.BELOW:
            interval = (-math.inf, self.value)
        elif self.bound is Bound.ABOVE:
            interval = (self.value, math.inf)
        elif self.bound is Bound.EXACT:
            interval = (self.value, self.value)
        else:
            interval = rounding_interval(self.value, self.decimals)
        object.__setattr__(self, "interval", interval)

    def clipped(self, low: float, high: float) -> tuple[float, float]:
        """:attr:`interval` clipped to ``[low, high]`` (a p-value to [0, 1], an SD to [0, inf))."""
        a, b = self.interval
        return max(a, low), min(b, high)

    def __str__(self) -> str:
        return self.text or f"{self.value:.{self.decimals}f}"


def exact(value: float) -> Printed:
    """A value known exactly, shown at four significant digits.

    Parameters
    ----------
    value : float

    Returns
    -------
    Printed
    """
    return Printed(float(value), 0, Bound.EXACT, f"{value:.4g}")


def printed(value: float, decimals: int) -> Printed:
    """A number printed with ``decimals`` decimals, from its value and its decimals (as a data file may store it).

    Parameters
    ----------
    value : float
    decimals : int

    Returns
    -------
    Printed
    """
    return Printed(float(value), int(decimals), Bound.ROUNDED, f"{value:.{int(decimals)}f}")


def parse_printed(text: str) -> Printed:
    """Read a printed number: ``0.357``, ``−1.2`` (U+2212 minus), ``<0.001``, ``< .001``, ``>0.99``, ``12``.

    Parameters
    ----------
    text : str
        The text of one cell.

    Returns
    -------
    Printed

    Raises
    ------
    ValueError
        When the text is not a number or a bound on one.
    """
    raw = text.strip()
    body = raw.replace(" ", "")
    bound = Bound.ROUNDED
    if body[:1] in ("<", "\u2264"):
        bound, body = Bound.BELOW, body[1:]
    elif body[:1] in (">", "\u2265"):
        bound, body = Bound.ABOVE, body[1:]
    if body[:1] in MINUS_SIGNS:
        body = "-" + body[1:]
    try:
        number = Decimal(body)
    except InvalidOperation:
        raise ValueError(messages.text("printed.not_number", raw=raw)) from None
    if not number.is_finite():
        raise ValueError(messages.text("printed.not_finite", raw=raw))
    exponent = number.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return Printed(float(number), decimals, bound, raw)
