"""What a check says: its :class:`Verdict`, the :class:`Check` that said it, and a :class:`Finding` with its reason."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """The outcome of one check on one row."""

    #: some values inside the printed numbers' rounding intervals satisfy the rule: the numbers do not contradict
    #: each other at printed precision (a necessary condition, not a proof that they are right or came from one fit)
    CONSISTENT = "consistent"
    #: no values inside the intervals satisfy it: rounding cannot explain the printed numbers
    INCONSISTENT = "inconsistent"
    #: the rule applies but the table lacks what it needs, or the rule cannot fail on these numbers
    UNVERIFIABLE = "unverifiable"


class Check(StrEnum):
    """Every rule the package knows; :data:`tablecheck.checks.REGISTRY` maps each to its function."""

    OR_VS_B = "or-vs-b"
    CI_VS_B_SE = "ci-vs-b-se"
    CI_CONTAINS_OR = "ci-contains-or"
    Z_VS_B_SE = "z-vs-b-se"
    P_VS_Z = "p-vs-z"
    STARS_VS_P = "stars-vs-p"
    SE_VS_FLOOR = "se-vs-floor"
    P_VS_B = "p-vs-b"
    GRIM = "grim"
    GRIMMER = "grimmer"
    DEBIT = "debit"
    COUNT_VS_PERCENT = "count-vs-percent"


@dataclass(frozen=True)
class Finding:
    """One check on one row.

    Attributes
    ----------
    term : str
        The row's term (predictor) as printed.
    check : Check
    verdict : Verdict
    detail : str
        One line that states the numbers behind the verdict.
    values : dict
        The numbers the check computed, by name (bounds of intervals, floors), for programs and tables.
    """

    term: str
    check: Check
    verdict: Verdict
    detail: str
    values: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The finding as plain JSON-ready data: term, check, verdict, detail and values (infinity as null)."""
        return {
            "term": self.term,
            "check": self.check.value,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "values": {k: (v if math.isfinite(v) else None) for k, v in self.values.items()},
        }
