"""tablecheck.verdicts: findings carry enums and serialise to plain data."""

from __future__ import annotations

import json

from tablecheck.verdicts import Check, Finding, Verdict


def test_verdicts_are_the_three_of_the_contract():
    assert [v.value for v in Verdict] == ["consistent", "inconsistent", "unverifiable"]


def test_a_finding_serialises_with_term_check_verdict_and_detail():
    f = Finding("age", Check.P_VS_B, Verdict.INCONSISTENT, "p >= 0.89", {"p_floor": 0.89})
    record = json.loads(json.dumps(f.to_dict()))
    assert record == {
        "term": "age",
        "check": "p-vs-b",
        "verdict": "inconsistent",
        "detail": "p >= 0.89",
        "values": {"p_floor": 0.89},
    }


def test_infinite_values_serialise_as_null():
    f = Finding("x", Check.P_VS_B, Verdict.INCONSISTENT, "d", {"n_needed": float("inf")})
    assert json.loads(json.dumps(f.to_dict(), allow_nan=False))["values"] == {"n_needed": None}
