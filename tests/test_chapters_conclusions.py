"""The conclusions chapter's results objects and tables."""

from __future__ import annotations

import math

from scipy import stats

from ridersurvey.presentation.chapters import conclusions as chapter


def test_findings_results():
    f = chapter.findings_results()
    assert (f.n_significant, f.n_as_printed, f.n_pairs) == ("five", "three", "two")
    assert f.as_printed == "education, marital status and gender" and f.pairs == "policy awareness and health"
    assert f.not_ruled_out == "perceived publicity, employment duration, age group and hukou"
    assert f.rule_odds_ratio == "2" and f.n_smaller_class == "49" and f.n_valid == "100"


def test_finding_reads_the_printed_pair():
    g = chapter.finding("gender")
    assert g.b == "1.166" and g.p == "0.032"
    assert g.odds_ratio == f"{math.exp(1.166):.2f}"
    # the interval's lower limit at the box corner that makes it smallest: b = 1.1655, p = 0.0325
    se = 1.1655 / stats.norm.isf(0.0325 / 2)
    assert g.ci.startswith(f"[{math.floor(100 * math.exp(1.1655 - 1.959963984540054 * se)) / 100:.2f}")
    h = chapter.finding("health")
    assert h.floor == "0.523" and h.power == "–"


def test_coding_and_awareness_results(result):
    c = chapter.coding_results(result)
    assert (c.marital_mean_printed, c.marital_mean_stated) == ("1.41", "1.59")
    assert c.outcome_verdict == "discrepant"
    a = chapter.awareness_results(result)
    assert a.text_floor == "0.475" and a.health_verdict == "inconsistent pair"


def test_power_results():
    p = chapter.power_results()
    assert " for perceived publicity, " in p.at_printed_se and p.simulated.startswith("perceived publicity (")
    assert p.end_to_end == "16" and p.n_codes_max == "five" and p.reps == "1,000"
    assert (p.printed_low, p.printed_high) == ("24%", "76%")  # hukou 24.4%, publicity 75.6% at the printed SEs


def test_sampling_and_design_results():
    s = chapter.sampling_results()
    assert (s.n_collected, s.n_valid, s.recovery_rate) == ("103", "100", "97%")
    d = chapter.design_results()
    assert d.epv == f"{49 / 9:.1f}" and d.n == "100"


def test_tables(result):
    body = chapter.findings_table("c", "tbl-conclusions-findings").body.set_index("Predictor")
    assert body.loc["Health", "Verdict"] == "uninterpretable as published"
    assert body.loc["Gender", "Significant as printed"] == "yes"
    assert len(chapter.basis_table(result, "c", "tbl-conclusions-audit").body) == 12
