"""The summary's results objects: each number behind a problem, from the printed numbers."""

from __future__ import annotations

import math
from statistics import NormalDist

from ridersurvey import messages
from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.presentation.chapters import summary


def test_pairs():
    he = summary.pair_results("health")
    assert (he.sd, he.se_floor, he.p_floor, he.b_needed) == ("1.150", "0.174", "0.523", "0.510")
    aw = summary.pair_results("policy_awareness")
    assert aw.se_floor == "0.160"


def test_counts():
    c = summary.counts_results(run_audit())
    assert (c.married, c.unmarried, c.marital_mean_stated) == ("59", "41", "1.59")
    assert c.outcome_mean_counts == "0.51" and c.n_follow_model == "none"
    # DEBIT: a 0/1 variable with mean 0.59 over n = 100 has SD sqrt(p(1 - p) n / (n - 1))
    assert c.outcome_debit_sd == f"{math.sqrt(0.59 * 0.41 * 100 / 99):.3f}"
    assert c.coherent == "education, marital status and gender"


def test_awareness_text_and_design():
    t = summary.awareness_text_results()
    assert (t.text_b, t.ratio, t.text_floor) == ("−0.11", "10", "0.475")
    # the same −0.11 read to three decimals: |b| ≤ 0.1105, SD ≤ 1.2485, n = 100: p ≥ 2(1 − Φ(|b| SD √99 / 2))
    assert t.tenfold_b == "−0.110"
    assert t.tenfold_floor == f"{2 * (1 - NormalDist().cdf(0.1105 * 1.2485 * math.sqrt(99) / 2)):.3f}" == "0.492"
    big = summary.largest_slip_results("health")
    assert big.b == "11.100" and big.odds_ratio == f"{round(math.exp(11.1), -3):,.0f}" == "66,000"
    d = summary.design_results()
    assert d.events == "49" and d.epv == f"{49 / 9:.1f}"


def test_mechanisms_follow_the_verdicts():
    m = summary.mechanism_results()
    assert "b × 100" in m.policy_awareness_open and "its p-value belongs to another row" in m.policy_awareness_closed
    assert m.health_closed == "none" and m.shuffle == "ruled out"


def test_mechanisms_are_found_in_every_language(monkeypatch):
    english = summary.mechanism_results()
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "zh_CN")
    chinese = summary.mechanism_results()
    for var in ("policy_awareness", "health"):
        assert str(getattr(chinese, f"{var}_open")).count("“") == str(getattr(english, f"{var}_open")).count("“") > 0
    assert str(chinese.policy_awareness_closed).count("“") == str(english.policy_awareness_closed).count("“") == 3


def test_printed_quotes_are_as_printed():
    q = summary.printed("t3.health.p", "s6.recovery_rate")
    assert q.t3_health_p == "0.003**" and q.s6_recovery_rate == "97%"
