"""The robustness chapter's tables and facts."""

from __future__ import annotations

import math

import pytest

from recon_oracles import envelope_frame
from ridersurvey.model import codings, firth
from ridersurvey.model.logit import fit_logit, load_analysis_data
from ridersurvey.presentation.chapters import robustness
from ridersurvey.robustness import bootstrap
from ridersurvey.robustness import finding_robustness as rb


def test_robustness_tables():
    data = load_analysis_data()
    firth_fit = firth.firth_estimates(data)
    bt = bootstrap.bootstrap_intervals(bootstrap.bootstrap(data, n_boot=200))
    coding = codings.coding_lr_test(data)
    members = rb.exact_members(rb.load_ensemble())
    names = set()
    for table in (
        robustness.verdicts_table("c", "tbl-rb-a"),
        robustness.power_table("c", "tbl-rb-b"),
        robustness.firth_table(firth_fit, "c", "tbl-rb-c"),
        robustness.bootstrap_table(bt, "c", "tbl-rb-d"),
        robustness.coding_table(data, coding, "c", "tbl-rb-e"),
        robustness.codings_table(data, "c", "tbl-rb-f"),
        robustness.spread_table(members, fit_logit(data), "c", "tbl-rb-g"),
    ):
        assert table.caption == "c" and len(table.body)
        names.add(table.name)
    assert len(names) == 7
    rows = robustness.coding_table(data, coding, "c", "tbl-x").body["Model"].tolist()
    assert rows[0] == "Linear codes as in the paper" and "merged" in rows[1]
    # the verdicts table leaves the printed pairs to the audit's Table 3 read alone
    verdicts = robustness.verdicts_table("c", "tbl-x").body.set_index("Finding")
    assert "b (paper)" not in verdicts.columns
    assert verdicts.loc["Health", "Power for OR 2 per step, at the printed SE"] == "–"


def test_verdict_results_count_the_printed_pairs():
    from ridersurvey.data.ledger import load_ledger

    ledger = load_ledger()
    p = {v: float(ledger.loc[f"t3.{v}.p", "value"]) for v in ("gender", "education", "health", "hukou")}
    v = robustness.verdict_results()
    assert v.n_significant == "five" and v.n_nulls == "four" and (p["gender"] < 0.05) and (p["hukou"] > 0.05)
    assert v.uninterpretable == "policy awareness and health" and v.odds_ratio == "2" and v.inverse == "0.5"
    assert (
        v.as_printed == "education, marital status and gender"
        and v.n_informative == "none"
        and v.informative_verb == "rules"
    )


def test_power_results_name_the_two_category_predictors():
    pw = robustness.power_results()
    assert pw.binary == "gender, hukou, marital status and employment duration" and pw.reps == "1,000"
    _, _, need = robustness.power()
    at2 = need.xs(2.0, level="odds_ratio").loc[["gender", "hukou", "marital_status", "employment_duration"]]
    assert pw.binary_power_min == f"{100 * at2['power_at_100'].min():.0f}%"
    assert pw.binary_n_max == f"{int(at2['n_for_target'].max()):,}"


def test_power_results_give_the_wald_power_at_the_printed_standard_errors_of_the_two_category_predictors():
    from scipy import stats

    # Table 3's printed b and p (Wu 2023), each at both ends of its rounding interval: SE = |b| / z(p)
    printed = {
        "gender": (1.166, 0.032),
        "hukou": (0.886, 0.105),
        "marital_status": (1.296, 0.009),
        "employment_duration": (-0.106, 0.845),
    }
    z = stats.norm.ppf(0.975)

    def wald_power(se):
        return stats.norm.cdf(math.log(2) / se - z) + stats.norm.cdf(-math.log(2) / se - z)

    ses = [(abs(b) + s * 0.0005) / stats.norm.isf((p + s * 0.0005) / 2) for b, p in printed.values() for s in (-1, 1)]
    pw = robustness.power_results()
    assert pw.binary_printed_min == f"{100 * min(map(wald_power, ses)):.0f}%"
    assert pw.binary_printed_max == f"{100 * max(map(wald_power, ses)):.0f}%"


def test_firth_results_recompute_the_shrinkage():
    fit = firth.firth_estimates(load_analysis_data())
    slopes = fit.drop(index="const")
    shrink = 1 - slopes["coef_firth"] / slopes["coef_ml"]
    f = robustness.firth_results(fit)
    towards = shrink[shrink > 0]
    assert f.shrink_min == f"{100 * towards.min():.1f}%" and f.shrink_max == f"{100 * towards.max():.1f}%"
    assert f.away == "employment duration" and f.away_by == f"{-100 * shrink.min():.1f}%"
    assert f.se_ratio_min == f"{(slopes['se_firth'] / slopes['se_ml']).min():.2f}"
    assert f.away_verb == ("moves" if (shrink <= 0).sum() == 1 else "move")


def test_firth_results_say_when_ml_and_firth_agree_on_significance():
    fit = firth.firth_estimates(load_analysis_data())
    slopes = fit.drop(index="const")
    ml = set(slopes.index[slopes["p_ml"] < 0.05])
    plr = set(slopes.index[slopes["p_firth_lr"] < 0.05])
    f = robustness.firth_results(fit)
    assert f.same_significance == str(ml == plr)
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    if ml == plr:
        assert f.sig_firth_text == f"the same {words[len(ml)]}"
    else:
        assert f.sig_firth_text == f.sig_firth
    assert f.sig_firth.count(",") + f.sig_firth.count(" and ") == len(plr) - 1


def test_members_results_count_searches_and_walks():
    members = rb.exact_members(rb.load_ensemble())
    m = robustness.members_results(members)
    assert int(m.n.replace(",", "")) == int(m.n_search.replace(",", "")) + int(m.n_walk.replace(",", ""))
    assert int(m.n.replace(",", "")) == members["fingerprint"].nunique()


def test_coding_results_compare_aic_without_words():
    coding = codings.coding_lr_test(load_analysis_data())
    c = robustness.coding_results(coding)
    assert c.aic_linear == f"{coding['aic_linear']:.2f}" and c.separation in ("yes", "no")
    assert c.merged.startswith("education: 1 into 2 (")


def test_envelope_counts_table_counts_each_group():
    body = robustness.envelope_counts_table(envelope_frame(), "c", "tbl-x").body.set_index("Group")
    assert body.loc["Standard errors"].tolist() == ["3", "1", "1", "1"]
    assert body.loc["Fit measures", "Open"] == "1" and body.loc["Cross-table cells", "Statistics"] == "1"
    assert body.loc["χ² statistics", "Statistics"] == "0"


def test_envelope_facts_count_what_is_open():
    import pandas as pd

    from ridersurvey.data.paths import DATA_DIR
    from ridersurvey.reconstruction.unpublished import CATALOGUE

    table = rb.envelope()
    e = robustness.envelope_results(table)
    env = pd.read_csv(DATA_DIR / "envelope" / "envelope.csv").set_index("statistic")
    decimals = {s.name: s.decimals for s in CATALOGUE}
    standing = ("gender", "hukou", "age_group", "marital_status", "education", "employment_duration", "publicity")
    implied = {f"{k}_{v}" for k in ("se", "z") for v in standing}
    is_open = {
        name: env.loc[name, "max"] - env.loc[name, "min"] >= 10.0 ** -decimals[name] and name not in implied
        for name in env.index
    }
    assert e.n_open == f"{sum(is_open.values()):,}"
    model = [s.name for s in CATALOGUE if s.group not in ("correlations", "cross-table cells")]
    assert e.n_model_open == f"{sum(is_open[n] for n in model):,}"
    assert e.auc == f"[{env.loc['auc', 'min']:.3f}, {env.loc['auc', 'max']:.3f}]"
    lines = (DATA_DIR / "envelope" / "searches.jsonl").read_text().splitlines()
    assert e.n_searches == f"{len(lines):,}"
    assert e.n_implied == "14" or e.n_implied == "fourteen"


def test_implied_ranges_follow_from_the_printed_b_and_p_by_hand():
    from scipy import stats

    table = rb.envelope().set_index("statistic")
    # gender: b = 1.166 (rounding [1.1655, 1.1665]), p = 0.032 ([0.0315, 0.0325])
    z_lo, z_hi = stats.norm.isf(0.0325 / 2), stats.norm.isf(0.0315 / 2)
    assert table.loc["se_gender", "implied_min"] == pytest.approx(1.1655 / z_hi, rel=1e-6)
    assert table.loc["se_gender", "implied_max"] == pytest.approx(1.1665 / z_lo, rel=1e-6)
    assert table.loc["z_gender", "implied_min"] == pytest.approx(z_lo, rel=1e-6)
    # education's b is negative, so its z is too
    assert table.loc["z_education", "implied_max"] < 0
    assert table.loc["se_health", "state"] == "open" and table.loc["se_const", "state"] == "open"


def test_power_metadata_records_every_assumption_the_chapter_states():
    from ridersurvey.robustness.power import EVENT_RATE, load_power

    _, meta = load_power()
    assert meta["reps"] == 1000 and meta["event_rate"] == EVENT_RATE and meta["alpha"] == 0.05
    assert "none on the other eight" in meta["effects"] and "Table 1 marginals" in meta["covariates"]


def test_envelope_range_reads_the_envelope_and_derives_cox_snell_from_lr():
    import math

    table = rb.envelope().set_index("statistic")
    lo, hi = table.loc["auc", ["min", "max"]]
    assert robustness.envelope_range("auc", 3) == f"[{lo:.3f}, {hi:.3f}]"
    lr_lo, lr_hi = table.loc["lr_chi2", ["min", "max"]]
    cs = (1 - math.exp(-lr_lo / 100), 1 - math.exp(-lr_hi / 100))
    assert robustness.envelope_range("cox_snell_r2", 3) == f"[{cs[0]:.3f}, {cs[1]:.3f}]"
    assert robustness.envelope_range("hl_p", 3).startswith("[< 0.001")
    assert robustness.envelope_range("not_a_statistic", 3) == ""


def test_envelope_of_a_wald_p_value_is_that_of_its_z(monkeypatch):
    import math

    import pandas as pd

    table = rb.envelope().set_index("statistic")
    wald_p = lambda z: math.erfc(abs(z) / math.sqrt(2))  # 2(1 - Φ(|z|))
    for var in ("health", "policy_awareness"):
        z_lo, z_hi = table.loc[f"z_{var}", ["min", "max"]]
        assert z_lo * z_hi > 0  # the envelope of z does not cross zero, so |z| is smallest at the end nearer it
        near, far = sorted((z_lo, z_hi), key=abs)
        assert robustness.envelope_range(f"p_{var}", 3) == f"[{wald_p(far):.3f}, {wald_p(near):.3f}]"
    crossing = pd.DataFrame({"min": [-0.5], "max": [1.0]}, index=pd.Index(["z_x"], name="statistic"))
    monkeypatch.setattr(robustness, "_envelope_cached", lambda: crossing)
    assert robustness.envelope_range("p_x", 3) == f"[{wald_p(1.0):.3f}, > 0.999]"  # z = 0 lies inside: p reaches 1


def test_power_text_bounds_a_power_of_one_by_the_rule_of_three():
    from ridersurvey.robustness.power import power_text

    assert power_text(0.931, 0.008015, 1000) == "93% ± 0.8"
    assert power_text(1.0, 0.0, 1000) == "> 99.7%"
    assert power_text(0.0, 0.0, 1000) == "< 0.3%"


def test_bootstrap_se_facts_read_the_stored_runs():
    import json
    import math

    import numpy as np
    import pandas as pd

    from ridersurvey.data.paths import DATA_DIR

    data = load_analysis_data()
    boot = bootstrap.bootstrap(data, n_boot=200)
    runs = pd.read_csv(DATA_DIR / "robustness" / "bootstrap_se_repeats.csv", index_col=0)
    meta = json.loads((DATA_DIR / "robustness" / "bootstrap_se_repeats.json").read_text())
    spread = runs.drop(columns="n_valid").std(ddof=1)
    bt = bootstrap.bootstrap_intervals(boot, se_mcse=spread)
    f = robustness.bootstrap_se_facts(bt, runs, meta)
    ratio = np.array([spread[t] / (bt.loc[t, "boot_se"] / math.sqrt(2 * 1999)) for t in bt.index])
    assert f.ratio == f"{ratio.min():.1f} to {ratio.max():.1f}"
    assert f.runs == f"{len(runs)}" and f.failed == f"{int(2000 * len(runs) - runs['n_valid'].sum())}"
