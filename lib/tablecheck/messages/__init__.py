"""The message catalog: every sentence the package returns, as a template kept in data (``en.toml``).

A check's reasons are keyed by check and verdict (:func:`reason_key`); :func:`reason` fills one. Numbers are
passed already formatted (:func:`num`, :func:`interval`), so each template reads as one line. The other
sentences (the command line's, the table reader's errors) are filled by :func:`text`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from tablecheck.catalog import Catalog
from tablecheck.verdicts import Check, Verdict

#: The package's message catalog: ``tablecheck/messages/<lang>.toml``, language from ``$TABLECHECK_LANG``.
CATALOG = Catalog(__name__, "TABLECHECK_LANG")


def text(key: str, /, **fields: object) -> str:
    """The catalog's template ``key`` in the current language, filled with ``fields``."""
    return CATALOG.text(key, **fields)


def reason_key(check: Check, verdict: Verdict, variant: str | None = None) -> str:
    """The catalog key of a check's reason: ``reasons.<check>.<verdict>``, ``_<variant>`` appended if given."""
    return f"reasons.{check.value}.{verdict.value}" + (f"_{variant}" if variant else "")


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
    return text(reason_key(check, verdict, variant), scope=text("floors.scope"), **fields)
