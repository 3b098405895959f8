"""Printed precision and the floors it implies, for this book: the rules live in :mod:`tablecheck`.

Agreement at the printed precision comes from :mod:`tablecheck.precision`; the standard-error and p-value floors
of a logit slope, with their proof and scope, from :mod:`tablecheck.floors`. This module names them for the
book's modules, which import them from here.
"""

from __future__ import annotations

from tablecheck.floors import max_abs_z, n_needed, p_attainable, p_floor, p_floor_exact, se_floor
from tablecheck.precision import (
    agrees,
    format_ceiling,
    format_floor,
    format_p_floor,
    half_width,
    rounding_interval,
)

__all__ = [
    "agrees",
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
