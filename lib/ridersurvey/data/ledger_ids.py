"""The ids of the ledger's printed numbers, built from typed parts instead of spelled out.

A number's id (``t3.gender.p``) is its place in the paper (:class:`Place`), the codebook variable or the named
quantity it is about, the option code where one applies and the statistic (:class:`Part`). Code reaches a
ledger entry through the constructors here (:func:`table1`, :func:`table2`, :func:`coding`, :func:`table3`,
:func:`quoted`, :func:`section62`) or the named numbers (:data:`N`, :data:`VALID`, ...), never through an id
typed as text: a misspelt part or name fails at type-check or import, and a variable the codebook does not
know fails when the id is built, before any lookup. :class:`NumberId` is a ``str``, so it indexes the ledger
and the audit frame as it is.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from ridersurvey import messages
from ridersurvey.data.codebook import load_codebook

#: The id of a printed number: lowercase words joined by dots (``t1.gender.1.count``, ``s6.valid``).
ID_GRAMMAR = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"


class Place(StrEnum):
    """Where in the paper a number is printed: the first part of its id (``p`` marks a section's prose)."""

    SECTION1 = "s1"
    SECTION2_PROSE = "s2p"
    SECTION4_PROSE = "s4p"
    SECTION6 = "s6"
    SECTION6_PROSE = "s6p"
    SECTION7_PROSE = "s7p"
    SECTION8_PROSE = "s8p"
    TABLE1 = "t1"
    TABLE2 = "t2"
    TABLE3 = "t3"


class Part(StrEnum):
    """The statistic a number's id ends with."""

    COUNT = "count"
    PCT = "pct"
    MEAN = "mean"
    SD = "sd"
    CODING = "coding"
    COEF = "coef"
    P = "p"


class NumberId(str):
    """The id of one printed number; built by this module's constructors, used wherever a ledger id is."""

    __slots__ = ()


def _id(place: Place, *parts: str | int) -> NumberId:
    text = ".".join([place.value, *(str(p) for p in parts)])
    if re.fullmatch(ID_GRAMMAR, text) is None:
        raise ValueError(messages.text("ledger_ids.grammar", id=text, grammar=ID_GRAMMAR))
    return NumberId(text)


def _variable(name: str) -> str:
    if name not in load_codebook().names:
        raise ValueError(messages.text("ledger_ids.unknown_variable", name=name, names=load_codebook().names))
    return name


def table1(variable: str, code: int, part: Literal[Part.COUNT, Part.PCT]) -> NumberId:
    """Table 1's count or percentage of one answer (``t1.gender.1.count``)."""
    return _id(Place.TABLE1, _variable(variable), int(code), part)


def table2(variable: str, part: Literal[Part.MEAN, Part.SD]) -> NumberId:
    """Table 2's mean or SD of one variable (``t2.gender.mean``)."""
    return _id(Place.TABLE2, _variable(variable), part)


def mean(variable: str) -> NumberId:
    """Table 2's mean of one variable (``t2.gender.mean``)."""
    return table2(variable, Part.MEAN)


def sd(variable: str) -> NumberId:
    """Table 2's SD of one variable (``t2.gender.sd``)."""
    return table2(variable, Part.SD)


def coding(variable: str, code: int) -> NumberId:
    """Table 2's printed code of one answer (``t2.gender.coding.1``)."""
    return _id(Place.TABLE2, _variable(variable), Part.CODING, int(code))


def table3(variable: str, part: Literal[Part.COEF, Part.P]) -> NumberId:
    """Table 3's coefficient or p-value of one predictor (``t3.gender.p``)."""
    return _id(Place.TABLE3, _variable(variable), part)


def coef(variable: str) -> NumberId:
    """Table 3's coefficient of one predictor (``t3.gender.coef``)."""
    return table3(variable, Part.COEF)


def p_value(variable: str) -> NumberId:
    """Table 3's p-value of one predictor (``t3.gender.p``)."""
    return table3(variable, Part.P)


def quoted(variable: str) -> NumberId:
    """A coefficient Section 7.2's prose quotes (``s7p.gender.coef``)."""
    return _id(Place.SECTION7_PROSE, _variable(variable), Part.COEF)


def section62(variable: str, code: int, part: Literal[Part.COUNT, Part.PCT]) -> NumberId:
    """A count or percentage of one answer that Section 6.2's prose prints (``s6p.health.2.count``)."""
    return _id(Place.SECTION6_PROSE, _variable(variable), int(code), part)


#: Table 1's total: the valid responses the tables are computed on.
N = _id(Place.TABLE1, "total", Part.COUNT)
#: Section 6.1's questionnaires collected, excluded and valid, and the recovery rate.
COLLECTED = _id(Place.SECTION6, "collected")
EXCLUDED = _id(Place.SECTION6, "excluded")
VALID = _id(Place.SECTION6, "valid")
RECOVERY_RATE = _id(Place.SECTION6, "recovery_rate")
#: Section 1's growth figures quoted from another report.
PROVIDERS_GROWTH = _id(Place.SECTION1, "providers_growth")
EXPECTED_GROWTH = _id(Place.SECTION1, "expected_growth")
#: Section 7.2's value of Z for a willing rider.
OUTCOME_DEFINITION = _id(Place.SECTION7_PROSE, "outcome_definition")
#: Method claims the paper makes without a statistic that could check them.
INDICATOR_SYSTEM = _id(Place.SECTION2_PROSE, "indicator_system")
DIFFERENCE_ANALYSIS = _id(Place.SECTION4_PROSE, "difference_analysis")
RELIABILITY_VALIDITY = _id(Place.SECTION6_PROSE, "reliability_validity")

#: Every named number above (a test checks each is in the ledger).
NAMED = (
    N,
    COLLECTED,
    EXCLUDED,
    VALID,
    RECOVERY_RATE,
    PROVIDERS_GROWTH,
    EXPECTED_GROWTH,
    OUTCOME_DEFINITION,
    INDICATOR_SYSTEM,
    DIFFERENCE_ANALYSIS,
    RELIABILITY_VALIDITY,
)
