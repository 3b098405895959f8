"""The introduction, conclusions, robustness and summary chapters' tables and facts."""

from __future__ import annotations

import pytest

from ridersurvey import bootstrap, codings, firth
from ridersurvey import robustness as rb
from ridersurvey.audit import run_audit
from ridersurvey.chapters import conclusions, intro, robustness, summary
from ridersurvey.model import fit_logit, load_analysis_data


@pytest.fixture(scope="module")
def result():
    return run_audit()


def test_intro_headline_figures_come_from_the_scorecard(result):
    f = intro.facts(result)
    assert (f.n_findings, f.n_pairs, f.n_discrepant, f.n_unverifiable) == ("38", "two", "five", "three")
    assert f.pair_names == "policy awareness and health"
    table = intro.ledger_table()
    assert table.body.iloc[-1, -1] == str(len(result))


def test_conclusions(result):
    f = conclusions.facts(result)
    assert f.prose_aw_floor == "0.475" and f.floor_health == "0.523"
    assert f.not_ruled_out == "perceived publicity, employment duration, age group and hukou"
    assert f.null_power.startswith("perceived publicity (power")
    body = conclusions.findings_table().body.set_index("Predictor")
    assert body.loc["Health", "Verdict"] == "uninterpretable as published"
    assert len(conclusions.basis_table(result).body) == 12


def test_robustness_tables():
    data = load_analysis_data()
    firth_fit = firth.firth_table(data)
    boot = bootstrap.bootstrap(data, n_boot=200)
    bt = bootstrap.bootstrap_table(boot)
    coding = codings.coding_lr_test(data)
    summary_ = rb.load_ensemble()
    members, kind = rb.exact_or_near(summary_)
    note = rb.members_note(kind, len(members), len(summary_))
    f = robustness.facts(firth_fit, boot, bt, coding, members, note)
    assert f.binary_names == "gender, hukou, marital status and employment duration" and f.n_nulls == "four"
    assert "{" not in f.rule
    names = set()
    for table in (
        robustness.verdicts_table(),
        robustness.power_table(),
        robustness.firth_table(firth_fit),
        robustness.bootstrap_table(bt),
        robustness.coding_table(data, coding),
        robustness.codings_table(data),
        robustness.spread_table(members, note, fit_logit(data)),
    ):
        assert table.name.startswith("tbl-rb-") and len(table.body)
        names.add(table.name)
    assert len(names) == 7
    rows = robustness.coding_table(data, coding).body["Model"].tolist()
    assert rows[0] == "Linear codes as in the paper" and "merged" in rows[1]


def test_summary_ranks_the_problems(result):
    problems = summary.problems(result)
    assert problems["rank"].tolist() == list(range(1, len(problems) + 1))
    assert problems.iloc[0]["problem"].startswith("Two coefficient and p-value pairs")
    assert "0.523" in problems.iloc[0]["evidence"] and "健康状况" in problems.iloc[0]["quote"]
    text = summary.problems_text(result).data
    assert text.startswith("1. **") and text.count("\n") == len(problems)


def test_summary_mechanisms_sentence_follows_the_verdicts():
    import pandas as pd

    from ridersurvey import mechanisms

    text = summary.pair_mechanisms_text(mechanisms.all_mechanisms())
    awareness, health, shuffle = text.split("; ")
    assert "a p-value taken from another row is ruled out" in awareness
    assert "only b × 100" in awareness
    assert "a p-value taken from another row" in health and "ruled out" not in health
    assert shuffle == "a shuffle of the whole p column against the b column is ruled out."
    made_up = pd.DataFrame(
        {
            "problem": ["x: b = 1 with p = 0.1", "x: b = 1 with p = 0.1", "both inconsistent pairs"],
            "mechanism": ["decimal slip in b (b × 10)", "its p-value belongs to another row", "shuffle"],
            "verdict": ["ruled out", "possible", "possible"],
        }
    )
    assert summary.pair_mechanisms_text(made_up) == (
        "For x, a p-value taken from another row remains possible, while a decimal slip in b is ruled out; "
        "a shuffle of the whole p column against the b column is possible."
    )


def test_printed_power_text_shows_one_number_or_a_range():
    from ridersurvey.chapters.conclusions import printed_power_text

    assert printed_power_text(0.2449, 0.2501) == "24–25%"
    assert printed_power_text(0.251, 0.252) == "25%"
    assert printed_power_text(float("nan"), float("nan")) == "cannot stand"


def test_power_design_text_names_every_assumption():
    from ridersurvey.power import design_text, load_power

    _, meta = load_power()
    text = design_text(meta)
    assert "1,000 data sets" in text and "event rate 0.51" in text and "none on the other eight" in text
    assert "at the 5% level" in text
