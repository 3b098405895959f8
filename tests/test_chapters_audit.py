"""The audit chapter's tables and facts, checked against independent computations from the ledger."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from ridersurvey import report as r
from ridersurvey.audit import run_audit
from ridersurvey.chapters import audit as chapter


@pytest.fixture(scope="module")
def result():
    return run_audit()


@pytest.fixture(scope="module")
def facts(result):
    return chapter.facts(result)


def test_facts_quote_the_ledger_and_the_floors(facts):
    assert facts.n == "100" and facts.collected == "103" and facts.valid_share == "97.1%"
    assert facts.outcome_mean_printed == "0.59" and facts.outcome_mean_counts == "0.51"
    assert facts.marital_mean_stated == "1.59" and facts.marital_mean_printed == "1.41"
    floor = 2 * stats.norm.sf(0.1115 * 1.1505 * math.sqrt(99) / 2)
    assert facts.he_p_floor == f"{math.floor(floor * 1000) / 1000:.3f}"
    assert facts.he_se_floor == f"{math.floor(2000 / (1.1505 * math.sqrt(99))) / 1000:.3f}"  # rounded down
    assert facts.aw_text_b == "\u22120.11" and facts.aw_ratio_text == "10"
    assert facts.n_inconsistent_pair == "two" and facts.n_findings == "36"
    assert all(isinstance(v, r.Text) for v in facts.as_dict().values())


def test_scorecard_table_counts_findings(result):
    body = chapter.scorecard_table(result).body
    assert list(body.columns) == [
        "Verdict",
        "Findings",
        "of which identities",
        "of which other checks",
        "Ledger entries",
    ]
    assert body["Findings"].astype(int).sum() == 36 and body["Ledger entries"].astype(int).sum() == len(result)


def test_table3_alone_table_is_the_inference_in_the_papers_order():
    table = chapter.table3_alone_table()
    assert table.name == "tbl-audit-table3-alone"
    body = table.body
    assert body["Predictor"].tolist()[:2] == ["Policy awareness", "Perceived publicity"]
    assert body.set_index("Predictor").loc["Health", "Pair can stand"] == "no"
    gender = body.set_index("Predictor").loc["Gender"]
    assert gender["Odds ratio"] == f"{math.exp(1.1655):.3f}–{math.exp(1.1665):.3f}"


def test_every_audit_table_renders(result):
    tables = [
        chapter.readings_table(),
        chapter.mechanisms_table(),
        chapter.granularity_table(),
        chapter.sample_size_table(),
        chapter.findings_table(result),
    ]
    names = {t.name for t in tables}
    assert len(names) == len(tables) and all(n.startswith("tbl-audit-") for n in names)
    for t in tables:
        assert t.to_markdown().startswith(":::{table}") and "<table" in t.to_html()
    computed = [chapter._computed(row) for _, row in result.iterrows()]
    counts = [c for c, check in zip(computed, result["check"], strict=True) if check == "count"]
    assert counts and all("." not in c for c in counts)  # counts print as integers
    assert not any("-" in c for c in computed)  # one minus sign


def test_full_audit_table_opens_on_the_problems(result):
    view = chapter.full_audit_table(result)
    html = view._repr_html_() if hasattr(view, "_repr_html_") else str(view)
    assert "tbl-audit-table" in (view._repr_markdown_() if hasattr(view, "_repr_markdown_") else html)
    md = view._repr_markdown_()
    assert md.count("\n|") >= len(result)  # every row in the print copy


def test_findings_table_puts_the_most_serious_first(result):
    body = chapter.findings_table(result).body
    assert body["Verdict"].iloc[0] == "inconsistent pair" and body["Verdict"].iloc[-1] == "consistent"
