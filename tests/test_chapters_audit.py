"""The audit chapter's tables and facts, checked against independent computations from the ledger."""

from __future__ import annotations

import math

from scipy import stats

from results import book
from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.presentation import report as r
from ridersurvey.presentation.chapters import audit as chapter


def test_results_quote_the_ledger_and_the_floors(result):
    text, coding, pair = chapter.text_results(), chapter.coding_results(result), chapter.pair_results(result)
    assert text.n == "100" and text.collected == "103" and text.valid_share == "97.1%"
    assert coding.outcome_mean_printed == "0.59" and coding.outcome_mean_counts == "0.51"
    assert coding.marital_mean_stated == "1.59" and coding.marital_mean_printed == "1.41"
    floor = 2 * stats.norm.sf(0.1115 * 1.1505 * math.sqrt(99) / 2)
    assert pair.he_p_floor == f"{math.floor(floor * 1000) / 1000:.3f}"
    assert pair.he_se_floor == f"{math.floor(2000 / (1.1505 * math.sqrt(99))) / 1000:.3f}"  # rounded down
    assert text.aw_text_b == "\u22120.11" and text.aw_ratio_text == "10"
    assert chapter.scorecard_results(result).n_inconsistent_pair == "two"
    assert chapter.ledger_results(result).n_findings == str(book.N_FINDINGS)
    for results in (text, coding, pair, chapter.granularity_results(), chapter.design_results()):
        assert all(isinstance(v, r.Text) for v in results.as_dict().values())


def test_scorecard_table_counts_findings(result):
    body = chapter.scorecard_table(result, "c", "tbl-audit-scorecard").body
    assert list(body.columns) == [
        "Verdict",
        "Findings",
        "of which identities",
        "of which other checks",
        "Ledger entries",
    ]
    assert body["Findings"].astype(int).sum() == book.N_FINDINGS
    assert body["Ledger entries"].astype(int).sum() == len(result)


def test_table3_alone_table_is_the_inference_in_the_papers_order():
    table = chapter.table3_alone_table("c", "tbl-audit-table3-alone")
    assert table.name == "tbl-audit-table3-alone"
    body = table.body
    assert body["Predictor"].tolist()[:2] == ["Policy awareness", "Perceived publicity"]
    assert body.set_index("Predictor").loc["Health", "SE clears the floor"] == "no"
    gender = body.set_index("Predictor").loc["Gender"]
    low, high = math.exp(1.1655), math.exp(1.1665)
    assert gender["Odds ratio"] == f"[{math.floor(low * 1000) / 1000:.3f}, {math.ceil(high * 1000) / 1000:.3f}]"
    assert gender["95% CI of the odds ratio"] == "[1.10, 9.36]"


def test_every_audit_table_renders(result):
    tables = [
        chapter.readings_table("c", "tbl-audit-a"),
        chapter.mechanisms_table("c", "tbl-audit-b"),
        chapter.granularity_table("c", "tbl-audit-c"),
        chapter.sample_size_table("c", "tbl-audit-d"),
        chapter.findings_table(result, "c", "tbl-audit-e"),
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
    view = chapter.full_audit_table(result, "c", "tbl-audit-table")
    html = view._repr_html_() if hasattr(view, "_repr_html_") else str(view)
    assert "tbl-audit-table" in (view._repr_markdown_() if hasattr(view, "_repr_markdown_") else html)
    md = view._repr_markdown_()
    assert md.count("\n|") >= len(result)  # every row in the print copy


def test_findings_table_puts_the_most_serious_first(result):
    body = chapter.findings_table(result, "c", "tbl-x").body
    assert body["Verdict"].iloc[0] == "inconsistent pair" and body["Verdict"].iloc[-1] == "consistent"


def test_needed_coefficient_is_a_lower_bound_on_the_factor(result):
    facts = chapter.pair_results(result)
    """'At least ... times': the |b| the printed p needs over the top of the printed |b|'s rounding interval."""
    for key, b, p, sd in (("aw", 0.011, 0.006, 1.248), ("he", 0.111, 0.003, 1.150)):
        floor = 2 / ((sd + 0.0005) * math.sqrt(99))  # the SE floor, SD at the top of its interval
        factor = stats.norm.isf((p + 0.0005) / 2) * floor / (b + 0.0005)
        decimals = 0 if factor >= 10 else 1
        assert getattr(facts, f"{key}_ratio") == f"{math.floor(factor * 10**decimals) / 10**decimals:.{decimals}f}"
    assert facts.aw_ratio == "38" and facts.he_ratio == "4.5"
    consequence = chapter.findings_table(run_audit(), "c", "tbl-x").body["What it changes"]
    assert consequence.str.contains("at least 38 times", regex=False).any()


def test_sample_size_facts_and_table_state_the_assumption_and_the_break_even():
    facts = chapter.design_results()
    assert facts.nagelkerke_default == "0.15" and facts.shrinkage_at_n == "0.58"
    assert facts.break_even_r2_cs == "0.534" and facts.break_even_nagelkerke == "0.71"
    body = chapter.sample_size_table("c", "tbl-x").body.set_index("Quantity")
    assert body["Value"].iloc[-1] == "0.71 (0.534)" and body["Condition"].iloc[-1] == "criterion 1 at n = 100"
    assert body.loc["Anticipated R²: Cox–Snell (Nagelkerke)", "Value"] == f"{facts.r2_default} (0.15)"
    needed = [int(body.loc[f"n, criterion {k}", "Value"].replace(",", "")) for k in (1, 2, 3)]
    assert body.loc["n required", "Value"] == f"{max(needed):,}"


def test_most_of_sample_facts_follow_one_rule():
    facts = chapter.text_results()
    assert (facts.mos_health, facts.mos_employment_duration, facts.mos_policy_awareness) == ("29", "51", "28")
    assert facts.mos_holds == "employment duration and policy awareness" and facts.mos_fails == "health"
    assert facts.mos_majority == "employment duration" and facts.mos_majority_pct == "51%"


def test_granularity_names_the_outcome_as_coded_and_states_the_window():
    facts = chapter.granularity_results()
    table = chapter.granularity_table("c", "tbl-x")
    assert table.body["Variable"].iloc[0] == "Not willing to join (outcome)"
    assert table.body["Mean"].iloc[0] == "0.59"
    assert facts.grimmer_window == "±0.05" and facts.grimmer_fail == "not willing to join"
