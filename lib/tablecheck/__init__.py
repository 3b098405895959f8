"""tablecheck: check the printed numbers of a regression table against each other at their printed precision.

Every printed number stands for its rounding interval; a check is inconsistent only when no values inside the
intervals satisfy it. Modules: :mod:`~tablecheck.precision` (rounding intervals), :mod:`~tablecheck.printed`
(reading a printed number), :mod:`~tablecheck.floors` (b, SE, z, p and the SE floor of a logit slope),
:mod:`~tablecheck.granularity` (GRIM, GRIMMER, DEBIT, percentages), :mod:`~tablecheck.checks` (the checks and
their registry), :mod:`~tablecheck.table` (a CSV table, row by row), :mod:`~tablecheck.messages` (the reasons'
templates), :mod:`~tablecheck.cli` (``python -m tablecheck``).
"""

from tablecheck.checks import REGISTRY, Legend, parse_legend
from tablecheck.printed import Printed, exact, parse_printed, printed
from tablecheck.table import Row, Settings, TableError, check_table, read_table
from tablecheck.verdicts import Check, Finding, Verdict

__all__ = [
    "REGISTRY",
    "Check",
    "Finding",
    "Legend",
    "Printed",
    "Row",
    "Settings",
    "TableError",
    "Verdict",
    "check_table",
    "exact",
    "parse_legend",
    "parse_printed",
    "printed",
    "read_table",
]
