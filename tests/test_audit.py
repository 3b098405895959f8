"""The whole audit: checks chosen by the ledger, graded verdicts, findings, the scorecard and the CLI.

A consistent ledger (the real one with its known problems repaired and Table 3 replaced by an independent fit
of independent Table 1 columns) passes everything; each kind of planted error is flagged; the paper's own
problems come out as exactly the known ones.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import ROOT, set_number
from oracles import newton_logit, permuted_table1_data
from results import book
from ridersurvey.audit import ledger_audit as A
from ridersurvey.cli import audit_command
from ridersurvey.data import ledger_ids as ids
from ridersurvey.data.codebook import load_codebook
from ridersurvey.data.ledger import Check, load_ledger

GOOD = {"consistent", "matched-by-construction", "corroborated"}


def consistent_ledger(data: pd.DataFrame) -> pd.DataFrame:
    """The real ledger with its known errors repaired and Table 3 replaced by an independent fit of ``data``."""
    led = load_ledger().copy()
    set_number(led, ids.mean("unwilling"), value=0.51)
    set_number(led, ids.mean("marital_status"), value=1.59)
    set_number(led, ids.OUTCOME_DEFINITION, value=0.0)
    led.loc["s6p.health.2.count", "check"] = "arithmetic"
    led.loc["s6p.health.2.count", "expression"] = "t1.health.2.count"
    led.loc["s6p.health.2.pct", ["check", "expression"]] = ["arithmetic", "t1.health.2.pct"]
    led = led[led["check"] != "claim"]
    preds = load_codebook().predictors
    x = np.column_stack([np.ones(len(data)), data[preds].to_numpy(float)])
    beta, se, _ = newton_logit(data["unwilling"].to_numpy(float), x)
    for j, var in enumerate(preds, start=1):
        b, p = round(float(beta[j]), 3), round(float(2 * stats.norm.sf(abs(beta[j] / se[j]))), 3)
        stars = "**" if p < 0.01 else "*" if p < 0.05 else ""
        set_number(led, ids.coef(var), value=b, printed=f"{b:.3f}")
        set_number(led, ids.p_value(var), value=p, printed=f"{p:.3f}{stars}")
        if ids.quoted(var) in led.index:
            set_number(led, ids.quoted(var), value=round(b, int(led.loc[ids.quoted(var), "decimals"])))
    significant = [v for v in preds if led.loc[ids.p_value(v), "value"] < 0.05]
    for section in ("s7p", "s8p"):
        led.loc[f"{section}.significant", "expression"] = " ".join(significant)
        led.loc[f"{section}.not_significant", "expression"] = " ".join(v for v in preds if v not in significant)
    return led


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = permuted_table1_data()
    return data, consistent_ledger(data)


@pytest.fixture(scope="module")
def real_audit() -> pd.DataFrame:
    return A.run_audit()


def test_expressions_evaluate_over_ledger_ids():
    led = load_ledger()
    value, shown = A.evaluate("100 * t1.gender.1.count / t1.total.count", led)
    assert value == pytest.approx(69.0) and shown == "100 × 69 / 100"
    value, shown = A.evaluate("s6.collected - s6.valid", led)
    assert value == 3 and shown == "103 \u2212 100"
    value, shown = A.evaluate("t3.gender.coef", led)
    assert value == pytest.approx(1.166) and shown == "Table 3 prints 1.166 for logit coefficient of gender"
    with pytest.raises(KeyError, match="not in the ledger"):
        A.evaluate("t9.nothing.here", led)
    with pytest.raises(ValueError, match="only numbers"):
        A.evaluate("__import__('os')", led)


def test_every_ledger_check_is_known_and_an_unknown_one_is_named():
    led = load_ledger()
    assert set(led["check"]) <= set(A.REGISTRY)
    bad = led.copy()
    bad.loc["s6.valid", "check"] = "guesswork"
    with pytest.raises(ValueError, match="s6.valid.*'check'.*guesswork"):
        A.run_audit(ledger=bad)


def test_the_registry_declares_every_check_once_with_what_it_reads():
    assert list(A.REGISTRY) == list(Check)
    fields = set(A.Context.__dataclass_fields__)
    assert {c: sorted(e.reads - fields) for c, e in A.REGISTRY.items() if e.reads - fields} == {}
    assert A.IDENTITY_CHECKS == {c for c, e in A.REGISTRY.items() if e.identity}


def test_a_consistent_ledger_passes_everything(synthetic):
    data, led = synthetic
    out = A.run_audit(data, led)
    bad = out[~out["verdict"].isin(GOOD)]
    assert bad.empty, bad[["verdict", "reason"]].to_string()


@pytest.mark.parametrize(
    "entry, value, expected",
    [
        ("t1.gender.1.pct", 68.00, "discrepant"),  # wrong percentage
        ("t1.gender.1.count", 70, "discrepant"),  # counts no longer sum to n
        ("t2.education.mean", 2.84, "discrepant"),  # wrong mean
        ("t2.hukou.mean", 1.61, "discrepant"),  # reversed coding
        ("t2.gender.sd", 0.470, "discrepant"),  # SD that violates DEBIT
        ("s7p.gender.coef", 11.66, "discrepant"),  # prose/table mismatch
        ("s6.recovery_rate", 95, "discrepant"),  # arithmetic
        ("s6p.marital_status.2.more_than", 60, "discrepant"),  # "more than 60%" of 59%
    ],
)
def test_planted_errors_are_flagged(synthetic, entry, value, expected):
    data, led = synthetic
    led = led.copy()
    led.loc[entry, "value"] = value
    out = A.run_audit(data, led)
    assert out.loc[entry, "verdict"] == expected
    if entry == "t2.gender.sd":
        assert "DEBIT" in out.loc[entry, "reason"]
    others = out.drop(index=[entry])
    assert others["verdict"].isin(GOOD).mean() > 0.9


def test_planted_inconsistent_pair_flags_both_numbers(synthetic):
    data, led = synthetic
    led = led.copy()
    led.loc["t3.health.coef", "value"] = 0.02
    led.loc["t3.health.p", ["value", "printed"]] = [0.001, "0.001**"]
    out = A.run_audit(data, led)
    assert out.loc["t3.health.p", "verdict"] == out.loc["t3.health.coef", "verdict"] == "inconsistent-pair"
    assert A.findings(out).loc["t3-health", "verdict"] == "inconsistent-pair"


def test_audit_covers_every_ledger_entry(real_audit):
    ledger = load_ledger()
    assert list(real_audit["id"]) == list(ledger.index)
    assert set(real_audit["verdict"]) <= set(A.VERDICTS)
    assert real_audit["reason"].str.len().gt(0).all()
    assert list(real_audit["finding"]) == list(ledger["finding"])


def test_known_problems_of_the_paper(real_audit):
    v = real_audit["verdict"]
    assert v["t2.unwilling.mean"] == "discrepant" and v["t2.unwilling.sd"] == "consistent"
    assert v["t2.marital_status.mean"] == "discrepant"
    assert v["t2.marital_status.coding.1"] == v["t2.marital_status.coding.2"] == "discrepant"
    for var in ("policy_awareness", "health"):
        assert v[f"t3.{var}.p"] == v[f"t3.{var}.coef"] == "inconsistent-pair"
    assert v["s7p.policy_awareness.coef"] == "discrepant"
    assert v["s7p.outcome_definition"] == "discrepant"
    assert v["s6p.health.2.count"] == "discrepant" and v["s6p.policy_awareness.2.count"] == "consistent"
    assert (v.filter(like="s1.") == "corroborated").all()
    assert (
        v[[i for i in v.index if i.startswith("t1.") and i.endswith(".count") and "total" not in i]]
        == "matched-by-construction"
    ).all()
    assert (v[[i for i in v.index if i.startswith("t1.") and i.endswith(".pct")]] == "consistent").all()
    for claim in ("s6p.reliability_validity", "s4p.difference_analysis", "s2p.indicator_system"):
        assert v[claim] == "unverifiable"
    assert v["s6.recovery_rate"] == "consistent"
    assert "问卷回收率" in real_audit.loc["s6.recovery_rate", "quantity"]
    assert "reproduced" not in set(v)


def test_table3_coefficients_are_matched_by_construction_after_an_independent_refit(real_audit):
    data = pd.read_csv(ROOT / "data" / "riders_survey.csv", comment="#")
    preds = load_codebook().predictors
    x = np.column_stack([np.ones(len(data)), data[preds].to_numpy(float)])
    beta, se, _ = newton_logit(data["unwilling"].to_numpy(float), x)
    led = load_ledger()
    for j, var in enumerate(preds, start=1):
        pub = led.loc[f"t3.{var}.coef", "value"]
        row = real_audit.loc[f"t3.{var}.coef"]
        assert row["computed"] == pytest.approx(beta[j], abs=1e-6)
        if var in ("policy_awareness", "health"):
            assert row["verdict"] == "inconsistent-pair"
        else:
            hit = abs(beta[j] - pub) <= 0.0005 + 1e-12
            assert row["verdict"] == ("matched-by-construction" if hit else "unverifiable")


def test_findings_group_entries_and_take_the_most_serious_verdict(real_audit):
    f = A.findings(real_audit)
    assert f["entries"].sum() == len(real_audit) and f.index.is_unique
    marital = f.loc["t2-marital_status"]
    assert marital["verdict"] == "discrepant" and marital["entries"] == 4 and marital["kind"] == "identity"
    assert f.loc["t2-unwilling", "verdict"] == "discrepant"  # mean discrepant, SD consistent, codings unverifiable
    assert f.loc["t1-counts", "verdict"] == "matched-by-construction" and f.loc["t1-counts", "kind"] == "other"
    assert f.loc["t3-health", "verdict"] == "inconsistent-pair"
    assert (f.loc[f["verdict"].isin(GOOD), "consequence"] == "").all()
    assert f.loc[~f["verdict"].isin(GOOD), "consequence"].str.len().gt(0).all()


def test_consequences_quote_computed_numbers(real_audit):
    f = A.findings(real_audit)
    assert "at least 0.523" in f.loc["t3-health", "consequence"] and "|b| ≥ 0.510" in f.loc["t3-health", "consequence"]
    assert "at least 0.943" in f.loc["t3-policy_awareness", "consequence"]
    assert "59% rather than 51%" in f.loc["t2-unwilling", "consequence"]
    assert "10 times" in f.loc["s7p-awareness-quote", "consequence"]


def test_scorecard_counts_findings_and_keeps_identities_apart(real_audit):
    score = A.scorecard(real_audit)
    f = A.findings(real_audit)
    assert list(score.index) == list(A.VERDICTS)
    assert score["findings"].sum() == len(f) and score["entries"].sum() == len(real_audit)
    assert (score["identities"] + score["other"] == score["findings"]).all()
    assert score["findings"].to_dict() == book.FINDINGS_BY_VERDICT
    assert score.loc["inconsistent-pair", "entries"] == 4
    assert score.loc["matched-by-construction", "identities"] == 0
    marital_rows = real_audit[real_audit["finding"] == "t2-marital_status"]
    assert len(marital_rows) == 4  # four ledger rows, one finding


def test_cli_table_prints_a_scorecard_of_findings(capsys):
    assert audit_command() == 0
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    assert "verdict" in out.splitlines()[0] and last.startswith(f"{len(load_ledger())} entries")
    assert "findings" in last and "inconsistent-pair 2" in last


def test_cli_json_has_graded_verdicts_for_every_ledger_id():
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "audit", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [r["id"] for r in records] == list(load_ledger().index)
    for key in ("id", "location", "quantity", "published", "computed", "verdict", "reason", "finding"):
        assert all(key in r for r in records)
    by_id = {r["id"]: r for r in records}
    assert by_id["t3.health.p"]["verdict"] == by_id["t3.policy_awareness.coef"]["verdict"] == "inconsistent-pair"
    assert by_id["t3.gender.coef"]["verdict"] == "matched-by-construction"
    assert not any(r["verdict"] == "reproduced" for r in records)
    assert any(r["computed"] is None for r in records) and any(r["published"] is None for r in records)
    assert math.isfinite(by_id["t3.health.p"]["computed"])


# ------------------------------------------------------------------ the audit's verdicts are tablecheck's


def _tablecheck_findings(ledger: pd.DataFrame):
    import tablecheck
    from ridersurvey.data.ledger import table3_as_printed

    rows = tablecheck.read_table(table3_as_printed(ledger).to_csv(index=False).splitlines())
    n = int(ledger.loc["t1.total.count", "value"])
    return {(f.term, f.check): f.verdict for f in tablecheck.check_table(rows, tablecheck.Settings(n=n))}


def test_table3_verdicts_are_the_packages(real_audit):
    from tablecheck import Check, Verdict

    found = _tablecheck_findings(load_ledger())
    for var in load_codebook().predictors:
        pair = found[(var, Check.P_VS_B)] is Verdict.INCONSISTENT
        for stat in ("coef", "p"):
            assert (real_audit.loc[f"t3.{var}.{stat}", "verdict"] == "inconsistent-pair") == pair, (var, stat)
        stars_ok = found[(var, Check.STARS_VS_P)] is Verdict.CONSISTENT
        assert (real_audit.loc[f"t3.{var}.p", "verdict"] != "discrepant") == stars_ok, var
    assert sum(v is Verdict.INCONSISTENT for (_, c), v in found.items() if c is Check.P_VS_B) == 2


def test_table2_debit_notes_are_the_packages(real_audit):
    from ridersurvey.data.ledger import table1_counts
    from tablecheck import Verdict, printed
    from tablecheck.checks import check_debit

    led = load_ledger()
    n = int(led.loc["t1.total.count", "value"])
    seen = set()
    for var, counts in table1_counts(led).items():
        if len(counts) != 2:
            continue
        mean = printed(led.loc[f"t2.{var}.mean", "value"], int(led.loc[f"t2.{var}.mean", "decimals"]))
        sd = printed(led.loc[f"t2.{var}.sd", "value"], int(led.loc[f"t2.{var}.sd", "decimals"]))
        verdict = check_debit(var, mean, sd, n, low_code=min(counts)).verdict
        seen.add(verdict)
        assert ("DEBIT" in real_audit.loc[f"t2.{var}.sd", "reason"]) == (verdict is Verdict.INCONSISTENT), var
    assert seen == {Verdict.CONSISTENT, Verdict.INCONSISTENT}


@pytest.mark.slow
def test_table1_percentage_verdicts_are_the_packages():
    from tablecheck import Verdict, printed
    from tablecheck.checks import check_count_vs_percent

    led = load_ledger().copy()
    led.loc["t1.gender.1.pct", "value"] = 68.0  # planted: 69 of 100 printed as 68.00
    audit = A.run_audit(ledger=led)
    n = int(led.loc["t1.total.count", "value"])
    pct = led[(led["location"] == "Table 1") & (led["statistic"] == "percent") & led["code"].notna()]
    verdicts = set()
    for entry, row in pct.iterrows():
        count = int(led.loc[entry.replace(".pct", ".count"), "value"])
        verdict = check_count_vs_percent(entry, count, n, printed(row["value"], int(row["decimals"]))).verdict
        verdicts.add(verdict)
        assert (audit.loc[entry, "verdict"] == "consistent") == (verdict is Verdict.CONSISTENT), entry
    assert verdicts == {Verdict.CONSISTENT, Verdict.INCONSISTENT}


def test_a_quoted_number_agrees_without_an_equation_in_either_language(monkeypatch):
    from ridersurvey import messages
    from ridersurvey.audit.checks import Quoted, check_arithmetic

    led = load_ledger()
    for language, place in (("en", "Table 3 prints"), ("zh_CN", "原文表3")):
        monkeypatch.setenv(messages.LANGUAGE_VARIABLE, language)
        value, shown = A.evaluate("t3.gender.coef", led)
        assert isinstance(shown, Quoted) and place in shown
        reason = check_arithmetic(1.166, value, 3, shown).reason
        assert " = " not in reason and reason.startswith(shown)
    value, shown = A.evaluate("s6.collected - s6.valid", led)
    assert not isinstance(shown, Quoted)
