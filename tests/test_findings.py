"""The findings judged from the printed numbers: verdicts and Holm's adjustment, against hand computations."""

from __future__ import annotations

import pandas as pd
import pytest

from results import book
from ridersurvey.audit import findings
from ridersurvey.audit.inference import table3_from_print

#: Table 3's printed p-values: the seven pairs that can stand and the two that cannot (tests/results/book.py).
COHERENT_P, CANNOT_STAND_P = book.COHERENT_P, book.CANNOT_STAND_P


def _holm_by_hand(p: dict[str, float]) -> dict[str, float]:
    """Holm's step-down adjusted p-values: sort ascending, multiply the i-th smallest (from 0) by m - i, carry the
    running maximum forward and cap at 1."""
    order = sorted(p, key=p.get)
    m, running, out = len(order), 0.0, {}
    for i, name in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[name]))
        out[name] = running
    return out


def test_holm_matches_a_hand_computation():
    p = {"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5}
    result = findings.holm(pd.Series(p))
    hand = _holm_by_hand(p)
    for name in p:
        assert result.loc[name, "p_holm"] == pytest.approx(hand[name])
    assert result["rejected"].tolist() == [hand[n] < 0.05 for n in p]


def test_only_education_stays_below_five_percent_over_nine_if_the_coefficients_are_right():
    result = findings.coefficients_right_holm()
    family = {**COHERENT_P, **book.P_FLOORS}
    assert result["p"].to_dict() == pytest.approx(family, abs=5e-4)
    assert result["p_is_bound"].to_dict() == {name: name in book.P_FLOORS for name in family}
    assert result["p_holm"].to_dict() == pytest.approx(book.HOLM_COEFFICIENTS_RIGHT)
    assert result["p_holm"].to_dict() == pytest.approx(_holm_by_hand(family), abs=1e-9)
    assert result.index[result["rejected"]].tolist() == ["education"]


def test_coefficients_right_holm_marks_adjusted_values_that_depend_on_the_bounded_p():
    # with floors below the coherent p-values the adjusted values move when the bounded p rises
    printed = table3_from_print().copy()
    printed.loc[~printed["clears_floor"], "p_floor"] = 0.001
    result = findings.coefficients_right_holm(printed)
    assert result.loc["education", "p_holm_is_bound"] and result.loc["gender", "p_holm_is_bound"]
    assert not findings.coefficients_right_holm()["p_holm_is_bound"].any()


def test_education_health_and_awareness_stay_below_five_percent_over_all_nine_printed_p_values():
    printed = {**COHERENT_P, **CANNOT_STAND_P}
    result = findings.table3_holm()
    assert result["p"].to_dict() == pytest.approx(printed)
    hand = _holm_by_hand(printed)
    assert result["p_holm"].to_dict() == pytest.approx(hand)
    for name, adjusted in book.HOLM_ALL.items():
        assert result.loc[name, "p_holm"] == pytest.approx(adjusted)
    assert sorted(result.index[result["rejected"]]) == ["education", "health", "policy_awareness"]


def test_finding_verdicts_cover_table3_in_order():
    from ridersurvey.data.ledger import table3
    from ridersurvey.robustness.finding_robustness import finding_verdicts

    verdicts = finding_verdicts()
    assert verdicts.index.tolist() == table3().index.tolist()
    assert verdicts.loc["health", "verdict"] == "uninterpretable as published"
    assert verdicts.loc["education", "verdict"] == "reported significant, pair attainable"
