"""The audit's graded verdicts, declared once.

Every layer that stores, counts, sorts, colours or names a verdict uses :class:`AuditVerdict`. Its values are
the strings the ledger, ``ridersurvey audit --format json`` and the data files carry, so a verdict read from a
file compares equal to its member; :attr:`AuditVerdict.label` is the name a reader sees.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum

from ridersurvey import messages


class AuditVerdict(StrEnum):
    """A graded verdict on one published number, from the most to the least serious (declaration order)."""

    INCONSISTENT_PAIR = "inconsistent-pair"
    DISCREPANT = "discrepant"
    UNVERIFIABLE = "unverifiable"
    BY_CONSTRUCTION = "matched-by-construction"
    CORROBORATED = "corroborated"
    CONSISTENT = "consistent"

    @property
    def label(self) -> str:
        """The verdict as a reader sees it: the value with spaces for hyphens, in the catalog's language
        (:func:`ridersurvey.messages.label`)."""
        return messages.label(self.value.replace("-", " "))

    @property
    def rank(self) -> int:
        """Seriousness: 0 for the most serious verdict."""
        return list(AuditVerdict).index(self)


#: Every verdict, from the most to the least serious; a finding takes the most serious of its entries' verdicts.
VERDICTS: tuple[AuditVerdict, ...] = tuple(AuditVerdict)


class _VerdictNames(Mapping[str, str]):
    """Each verdict's value mapped to its name in the catalog's language when it is looked up."""

    def __getitem__(self, value: str) -> str:
        try:
            return AuditVerdict(value).label
        except ValueError:
            raise KeyError(value) from None

    def __iter__(self) -> Iterator[str]:
        return (v.value for v in AuditVerdict)

    def __len__(self) -> int:
        return len(AuditVerdict)


#: Each verdict's value mapped to its reader-facing name (:attr:`AuditVerdict.label`).
VERDICT_NAMES: Mapping[str, str] = _VerdictNames()


class FindingVerdict(StrEnum):
    """The verdict on one finding of the paper from its printed numbers alone
    (:func:`ridersurvey.robustness.finding_robustness.finding_verdicts`); the value is the name a reader sees."""

    UNINTERPRETABLE = "uninterpretable as published"
    BORDERLINE = "borderline as printed"
    PAIR_ATTAINABLE = "reported significant, pair attainable"
    INFORMATIVE_NULL = "informative null"
    NULL_NOT_RULED_OUT = "null, effect of this size not ruled out"

    @property
    def label(self) -> str:
        """The verdict as a reader sees it, in the catalog's language (:func:`ridersurvey.messages.label`)."""
        return messages.label(self.value)
