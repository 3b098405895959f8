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
    members = rb.exact_members(rb.load_ensemble())
    note = rb.members_note(members)
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


def _envelope_frame():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "statistic": ["se_a", "se_b", "se_c", "auc", "n_x"],
            "label": ["A", "B", "C", "AUC", "X = 1, unwilling"],
            "group": ["standard errors", "standard errors", "standard errors", "fit measures", "cross-table cells"],
            "decimals": [3, 3, 3, 3, 0],
            "min": [0.4, 0.5, 0.30, 0.7, 10.0],
            "max": [0.6, 0.5004, 0.32, 0.85, 14.0],
            "committed": [0.5, 0.5002, 0.31, 0.77, 12.0],
            "ensemble_min": [0.45, 0.5001, 0.305, 0.74, 11.0],
            "ensemble_max": [0.55, 0.5003, 0.315, 0.8, 13.0],
            "implied_min": [float("nan"), float("nan"), 0.29871, float("nan"), float("nan")],
            "implied_max": [float("nan"), float("nan"), 0.32009, float("nan"), float("nan")],
        }
    )
    frame["pinned"] = frame["max"] - frame["min"] < 10.0 ** -frame["decimals"]
    frame["state"] = ["open", "narrow so far", robustness.IMPLIED, "open", "open"]
    frame.attrs["n_ensemble"] = 7
    return frame


def test_envelope_table_shows_each_range_at_its_precision():
    body = robustness.envelope_table(_envelope_frame()).body
    assert body["Statistic"].tolist() == ["A", "B", "C", "AUC"]  # the model's groups only
    assert body["Group"].tolist() == ["Standard errors", "", "", "Fit measures"]
    # an implied range is an exact bound: rounded outward, one decimal more than the statistic
    assert body.set_index("Statistic").loc["C", "At the printed precision"] == (
        "implied by the printed b and p: [0.2987, 0.3201]"
    )
    row = body.set_index("Statistic").loc["A"]
    assert row["Envelope (at least this wide)"] == "[0.400, 0.600]" and row["The book's reconstruction"] == "0.500"
    assert row["Exact ensemble (7)"] == "[0.450, 0.550]" and row["At the printed precision"] == "open"
    assert body.set_index("Statistic").loc["B", "At the printed precision"] == "narrow so far"
    cells = robustness.envelope_table(_envelope_frame(), robustness.DATA_GROUPS, "tbl-x").body
    assert (
        cells["Envelope (at least this wide)"].tolist() == ["[10, 14]"]
        and cells["The book's reconstruction"][0] == "12"
    )


def test_envelope_facts_count_what_is_open():
    import pandas as pd

    from ridersurvey.paths import DATA_DIR
    from ridersurvey.reconstruction.unpublished import CATALOGUE

    table = robustness.envelope()
    e = robustness.envelope_facts(table)
    env = pd.read_csv(DATA_DIR / "envelope" / "envelope.csv").set_index("statistic")
    decimals = {s.name: s.decimals for s in CATALOGUE}
    standing = ("gender", "hukou", "age_group", "marital_status", "education", "employment_duration", "publicity")
    implied = {f"{k}_{v}" for k in ("se", "z") for v in standing}
    is_open = {
        name: env.loc[name, "max"] - env.loc[name, "min"] >= 10.0 ** -decimals[name] and name not in implied
        for name in env.index
    }
    assert e.n_open == f"{sum(is_open.values()):,}"
    se = [s.name for s in CATALOGUE if s.group == "standard errors"]
    from ridersurvey.report import count_words

    assert e.se_n == "ten" and e.se_open == count_words(sum(is_open[n] for n in se), zero="none")
    assert e.auc == f"[{env.loc['auc', 'min']:.3f}, {env.loc['auc', 'max']:.3f}]"
    lines = (DATA_DIR / "envelope" / "searches.jsonl").read_text().splitlines()
    assert e.n_searches == f"{len(lines):,}"
    assert e.n_implied == "14" or e.n_implied == "fourteen"


def test_implied_ranges_follow_from_the_printed_b_and_p_by_hand():
    from scipy import stats

    table = robustness.envelope().set_index("statistic")
    # gender: b = 1.166 (rounding [1.1655, 1.1665]), p = 0.032 ([0.0315, 0.0325])
    z_lo, z_hi = stats.norm.isf(0.0325 / 2), stats.norm.isf(0.0315 / 2)
    assert table.loc["se_gender", "implied_min"] == pytest.approx(1.1655 / z_hi, rel=1e-6)
    assert table.loc["se_gender", "implied_max"] == pytest.approx(1.1665 / z_lo, rel=1e-6)
    assert table.loc["z_gender", "implied_min"] == pytest.approx(z_lo, rel=1e-6)
    # education's b is negative, so its z is too
    assert table.loc["z_education", "implied_max"] < 0
    assert table.loc["se_health", "state"] == "open" and table.loc["se_const", "state"] == "open"


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


def test_envelope_range_reads_the_envelope_and_derives_cox_snell_from_lr():
    import math

    table = robustness.envelope().set_index("statistic")
    lo, hi = table.loc["auc", ["min", "max"]]
    assert robustness.envelope_range("auc", 3) == f"[{lo:.3f}, {hi:.3f}]"
    lr_lo, lr_hi = table.loc["lr_chi2", ["min", "max"]]
    cs = (1 - math.exp(-lr_lo / 100), 1 - math.exp(-lr_hi / 100))
    assert robustness.envelope_range("cox_snell_r2", 3) == f"[{cs[0]:.3f}, {cs[1]:.3f}]"
    assert robustness.envelope_range("hl_p", 3).startswith("[< 0.001")
    assert robustness.envelope_range("not_a_statistic", 3) == ""


def test_power_text_bounds_a_power_of_one_by_the_rule_of_three():
    from ridersurvey.power import power_text

    assert power_text(0.931, 0.008015, 1000) == "93% ± 0.8"
    assert power_text(1.0, 0.0, 1000) == "> 99.7%"
    assert power_text(0.0, 0.0, 1000) == "< 0.3%"


def test_bootstrap_se_facts_read_the_stored_runs():
    import json
    import math

    import numpy as np
    import pandas as pd

    from ridersurvey.paths import DATA_DIR

    data = load_analysis_data()
    boot = bootstrap.bootstrap(data, n_boot=200)
    runs = pd.read_csv(DATA_DIR / "robustness" / "bootstrap_se_repeats.csv", index_col=0)
    meta = json.loads((DATA_DIR / "robustness" / "bootstrap_se_repeats.json").read_text())
    spread = runs.drop(columns="n_valid").std(ddof=1)
    bt = bootstrap.bootstrap_table(boot, se_mcse=spread)
    f = robustness.bootstrap_se_facts(bt, runs, meta)
    ratio = np.array([spread[t] / (bt.loc[t, "boot_se"] / math.sqrt(2 * 1999)) for t in bt.index])
    assert f.ratio == f"{ratio.min():.1f} to {ratio.max():.1f}"
    assert f.runs == f"{len(runs)}" and f.failed == f"{int(2000 * len(runs) - runs['n_valid'].sum())}"
