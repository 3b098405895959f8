"""The reconstruction appendix's facts and tables (ridersurvey.presentation.chapters.reconstruction), against
independent computations on the committed files."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from scipy.stats import norm

from recon_oracles import COUNTS, TABLE3, envelope_frame, statsmodels_fit
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.presentation.chapters import reconstruction as chapter
from ridersurvey.reconstruction import alternative as A
from ridersurvey.reconstruction import envelope as EV
from ridersurvey.reconstruction.outputs import load_provenance
from ridersurvey.robustness.finding_robustness import DATA_GROUPS, IMPLIED, MODEL_GROUPS


@pytest.fixture(scope="module")
def floors():
    return chapter.floor_results()


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(DATA_DIR / "riders_survey.csv", comment="#")


def test_counts_table_is_table1_and_the_data(data):
    body = chapter.counts_table("c", "tbl-x").body.set_index("Variable")
    assert body.loc["Education", "Table 1 counts"] == " / ".join(str(COUNTS["education"][c]) for c in range(1, 6))
    counts = data["health"].value_counts().sort_index()
    assert body.loc["Health", "Reconstruction"] == " / ".join(str(int(n)) for n in counts)
    assert set(body["Equal"]) == {"yes"}


def test_targets_table_is_the_committed_fit(data):
    res = statsmodels_fit(data)
    body = chapter.targets_table("c", "tbl-x").body
    gender = body[body["Predictor"] == "Gender"].set_index("Statistic")
    assert gender.loc["b", "Reconstruction"] == f"{res.params['gender']:.5f}"
    assert gender.loc["p", "Table 3"] == f"{TABLE3.loc['gender', 'p']:.3f}"
    health = body[body["Predictor"] == "Health"].set_index("Statistic")
    assert health.loc["p", "Targeted"] == "no (unattainable)" and health.loc["p", "Met"] == "no"


def test_floors_table_is_the_bound_at_the_top_of_the_rounding_intervals():
    body = chapter.floors_table("c", "tbl-x").body.set_index("Predictor")
    sd_top, b_top = 1.150 + 0.0005, 0.111 + 0.0005  # Table 2's SD and Table 3's |b| for health, at their tops
    se = 2 / (sd_top * math.sqrt(99))
    z = b_top / se
    assert body.loc["Health", "SD (Table 2)"] == "1.150"
    assert body.loc["Health", "SE floor"] == f"{math.floor(se * 1000) / 1000:.3f}" == "0.174"
    assert body.loc["Health", "Largest |z|"] == f"{math.ceil(z * 1000) / 1000:.3f}"
    assert body.loc["Health", "p floor"] == f"{math.floor(2 * norm.sf(z) * 1000) / 1000:.3f}"
    assert body.loc["Policy awareness", "SE floor"] == "0.160"
    assert body.loc["Education", "p floor"] == "below 0.001"
    assert body.loc["Health", "Attainable"] == "no" and body.loc["Gender", "Attainable"] == "yes"
    assert list(body.index[:1]) == ["Policy awareness"]  # the paper's row order


def test_floors_agree_with_the_search_targets_on_attainability():
    from ridersurvey.reconstruction.targets import targets_from_published

    att = targets_from_published().attainability()["attainable"]
    assert chapter.floors()["attainable"].to_dict() == att.to_dict()


def test_facts_of_the_floors_are_the_table_and_the_audit(floors):
    facts = floors
    assert (facts.se_floor_health, facts.se_floor_policy_awareness) == ("0.174", "0.160")
    assert (facts.b_top_policy_awareness, facts.sd_top_policy_awareness) == ("0.0115", "1.2485")
    assert facts.p_floor_policy_awareness == "0.943"
    z = 0.0115 * 1.2485 * math.sqrt(99) / 2
    assert facts.z_max_policy_awareness == f"{math.ceil(z * 1000) / 1000:.3f}"


def test_unreproduced_table2_is_the_outcome_and_marital_means(data):
    facts = chapter.unreproduced_results()
    missed = chapter.unreproduced_table2()
    assert set(missed.index) == {"t2.unwilling.mean", "t2.marital_status.mean"}
    assert missed.loc["t2.unwilling.mean", "data"] == pytest.approx((data["unwilling"] == 1).mean())
    assert missed.loc["t2.marital_status.mean", "data"] == pytest.approx(data["marital_status"].mean())
    assert (facts.mean_printed_unwilling, facts.mean_data_unwilling) == ("0.59", "0.51")
    assert (facts.mean_printed_marital_status, facts.mean_data_marital_status) == ("1.41", "1.59")
    assert (facts.t2_checked, facts.t2_agree, facts.t2_missed) == ("20", "18", "two")


def test_returned_walks_end_at_their_own_base_member():
    ens = pd.read_csv(DATA_DIR / "ensemble" / "summary.csv", dtype={"data": str, "fingerprint": str}, comment="#")
    base = {int(s): d for s, d in zip(ens["seed"], ens["data"], strict=True)}
    walks = ens[(ens["method"] == "walk") & ens["success"].astype(bool)]
    back = sum(base[int(b)] == d for b, d in zip(walks["base_seed"], walks["data"], strict=True))
    assert chapter.returned_walks(ens) == back
    exact = ens[ens["success"].astype(bool)]
    assert back == len(exact) - exact["data"].nunique()  # every duplicate is a walk back at its start
    from ridersurvey.presentation.report import count_words

    assert chapter.ensemble_results().returned == count_words(back)


def test_facts_of_the_targets_and_the_flow():
    prov = json.loads((DATA_DIR / "provenance.json").read_text())
    targets, search, raw = chapter.targets_results(), chapter.search_results(), chapter.raw_results()
    assert search.seed == str(prov["seed"]) and targets.n == "100"
    assert search.proposals == f"{prov['proposals']:,}"
    assert (targets.k, targets.p_targeted, targets.n_unattainable) == ("9", "7", "two")
    assert targets.unattainable_names == "health and policy awareness"
    assert prov["success"] and (targets.coef_share, targets.p_share) == ("all nine", "all seven")
    assert targets.cells_share == f"all {sum(len(v['counts']) for v in prov['targets'].values())}"
    assert search.k == "10"  # nine predictors and the intercept
    assert (raw.collected, raw.excluded, raw.valid) == ("103", "three", "100")
    assert raw.paper_excluded == "3"


def test_targets_results_state_success_only_when_recorded():
    from ridersurvey.reconstruction.outputs import load_provenance

    failed = load_provenance() | {"success": False, "failures": ["gender: coef 1.2 vs 1.166"]}
    with pytest.raises(ValueError, match="unmet targets"):
        chapter.targets_results(failed)


def test_facts_of_the_ensemble_count_distinct_exact_members():
    facts = chapter.ensemble_results()
    ens = pd.read_csv(DATA_DIR / "ensemble" / "summary.csv", dtype={"data": str, "fingerprint": str}, comment="#")
    exact = ens[ens["success"].astype(bool)]
    assert facts.members == f"{len(ens):,}"
    assert facts.exact == f"{exact['data'].nunique():,}"
    distinct = exact.drop_duplicates("data")
    assert facts.walk_exact == f"{int((distinct['method'] == 'walk').sum()):,}"


def test_facts_of_the_envelope_count_its_searches():
    facts = chapter.envelope_results()
    lines = (DATA_DIR / "envelope" / "searches.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert facts.searches == f"{len(records):,}"
    assert facts.cpu_hours == f"{sum(r['seconds'] for r in records) / 3600:.2f}"
    assert facts.improved == f"{sum(r['best_round'] >= 0 for r in records):,}"
    objectives = {r["objective"] for r in records}
    assert facts.searched_share == f"all {len(objectives)}"
    assert facts.mech_rows == "four"  # two tests (Pearson χ², joint LR) for each of the two impossible pairs
    printed = {"health": 0.003, "policy_awareness": 0.006}
    found = sum(
        any(abs(r["statistics"][f"{test}_{var}"] - p) <= 0.0005 for r in records)
        for test in ("chi2_p", "joint_p")
        for var, p in printed.items()
    )
    shares = ["none of the four", "one of the four", "two of the four", "three of the four", "all four"]
    assert (facts.mech_found, facts.mech_not_found) == (shares[found], shares[4 - found])


def test_facts_of_the_other_reading_are_its_fit():
    facts = chapter.alternative_results()
    alt = pd.read_csv(DATA_DIR / "alternative" / "riders_survey.csv", comment="#")
    res = statsmodels_fit(alt)
    assert facts.b_health == f"{res.params['health']:.3f}".replace("-", "\u2212")
    assert facts.p_policy_awareness == f"{res.pvalues['policy_awareness']:.4f}"
    assert facts.or_health == f"{math.exp(res.params['health']):.2f}"
    ratio = abs(res.params["policy_awareness"] / TABLE3.loc["policy_awareness", "coef"])
    assert facts.sign_policy_awareness == "opposite sign" and facts.ratio_policy_awareness == f"{round(ratio)}"
    ratio = res.params["health"] / TABLE3.loc["health", "coef"]
    assert facts.sign_health == "the same sign" and facts.ratio_health == f"{ratio:.1f}"
    assert (facts.floor_health, facts.floor_policy_awareness) == ("0.510", "0.438")


def test_envelope_cost_facts_come_from_its_metadata():
    import json

    from ridersurvey.data.paths import DATA_DIR
    from ridersurvey.presentation.chapters import reconstruction as chapter

    meta = json.loads((DATA_DIR / "envelope" / "envelope.json").read_text())
    f = chapter.envelope_results()
    timed = [run for run in meta["runs"] if run.get("wall_seconds")][-1]
    assert (f.timed_searches, f.timed_jobs) == (f"{timed['searches']:,}", f"{timed['jobs']:,}")
    assert f.timed_seconds == f"{round(timed['wall_seconds']):,}"
    assert int(f.timed_searches) + int(f.untimed_searches) == sum(
        1 for _ in (DATA_DIR / "envelope" / "searches.jsonl").open()
    )
    assert f.untimed_searches == "48" and f.untimed_jobs == "two"
    assert f.one_worker_minutes == str(round(meta["cost_estimate"]["one_worker_wall_seconds_all_searches"] / 60))


def test_envelope_catalogue_shows_each_range_at_its_precision():
    rows = chapter._envelope_rows(envelope_frame(), MODEL_GROUPS)
    assert rows["label"].tolist() == ["A", "B", "C", "AUC"]  # the model's groups only
    assert rows["group"].tolist() == ["standard errors", "standard errors", "standard errors", "fit measures"]
    # an implied range is an exact bound: rounded outward, one decimal more than the statistic
    by = rows.set_index("label")
    assert by.loc["C", "state"] == IMPLIED and by.loc["C", "implied"] == "[0.2987, 0.3201]"
    assert by.loc["A", "envelope"] == "[0.400, 0.600]" and by.loc["A", "book"] == "0.500"
    assert by.loc["A", "ensemble"] == "[0.450, 0.550]" and by.loc["A", "implied"] == ""
    cells = chapter._envelope_rows(envelope_frame(), DATA_GROUPS)
    assert cells["envelope"].tolist() == ["[10, 14]"] and cells["book"].tolist() == ["12"]
    table = chapter.envelope_catalogue(envelope_frame(), "c", "tbl-x")
    assert "tbl-x" in table._repr_markdown_()


def test_sign_search_facts_name_found_combinations_and_inner_bounds():
    def search(seed, start, ended, success, cpu):
        achieved = {v: {"coef": 0.5 * ended[v], "p": 0.004, "se": 0.2} for v in ("health", "policy_awareness")}
        return {"seed": seed, "start_signs": start, "signs_found": ended, "success": success,
                "achieved": achieved, "cpu_seconds": cpu}  # fmt: skip

    record = {
        "searches": [
            search(5, {"health": -1, "policy_awareness": -1}, {"health": 1, "policy_awareness": -1}, True, 90.0),
            search(6, {"health": -1, "policy_awareness": 1}, {"health": -1, "policy_awareness": 1}, False, 30.0),
        ]
    }
    achieved = {"health": {"coef": 0.7, "p": 0.003}, "policy_awareness": {"coef": 0.6, "p": 0.006}}
    f = chapter.sign_search_facts(record, {"success": True, "seed": 1, "achieved": achieved})
    assert f.searches == "two" and f.seeds == "5 and 6" and f.cpu == "2.0"
    assert f.failed == "one" and f.combinations == "four" and f.n_found == "two"
    assert f.found == "(+, \u2212) (seed 5) and (+, +) (committed)"
    assert f.not_found == "(\u2212, +) and (\u2212, \u2212)"
    record["searches"][1]["success"] = True
    record["searches"].append(
        search(7, {"health": 1, "policy_awareness": 1}, {"health": -1, "policy_awareness": -1}, True, 6.0)
    )
    f = chapter.sign_search_facts(record, {"success": True, "seed": 1, "achieved": achieved})
    assert f.not_found == "none" and f.n_found == "four" and f.failed == "zero"


def test_readings_table_states_floors_not_signs():
    alt = A.load_alternative_provenance()
    table = chapter.alternative_readings_table(alt, "c", "tbl-rc-x")
    assert (table.caption, table.name) == ("c", "tbl-rc-x")
    body = table.body.set_index("Predictor")
    assert body.loc["Health", "What the printed p-value fixes"] == "|b| ≥ 0.510; sign not fixed"
    assert body.loc["Policy awareness", "What the printed p-value fixes"] == "|b| ≥ 0.438; sign not fixed"
    assert (body != "").all().all()
    assert body.loc["Policy awareness", "This data set: a higher code is"] == (
        "less willing" if alt["achieved"]["policy_awareness"]["coef"] > 0 else "more willing"
    )
    assert "Reading stands" not in body.columns


def test_signs_table_shows_each_combination_once():
    record = A.load_sign_search()
    committed = A.load_alternative_provenance()
    body = chapter.signs_table(record, committed, "c", "tbl-x").body
    assert len(body) == 4
    succeeded = [s for s in record["searches"] if s["success"]]
    ended = {tuple(int(math.copysign(1, s["achieved"][v]["coef"])) for v in A.FREE) for s in succeeded}
    ended.add(tuple(int(math.copysign(1, committed["achieved"][v]["coef"])) for v in A.FREE))
    assert (body["Data set meeting every target"] != "not found").sum() == len(ended)
    assert body["Of which failed"].astype(int).sum() == sum(not s["success"] for s in record["searches"])


def test_mechanism_table_prints_p_ranges_as_p_values():
    from ridersurvey.presentation.report import p_interval

    records = EV.load_searches()
    frame = EV.mechanism_results(records)
    body = chapter.mechanism_table(records, "c", "tbl-rc-x").body
    column = body.iloc[:, 3]
    assert column.tolist() == [p_interval(lo, hi) for lo, hi in zip(frame["min"], frame["max"], strict=True)]
    assert not column.str.contains("1.000|0.000").any()


def test_comparison_table_prints_the_three_fits_side_by_side():
    main, alt = load_provenance(), A.load_alternative_provenance()
    body = chapter.comparison_table(main, alt, "c", "tbl-x").body.set_index("Predictor")
    assert len(body) == len(A.comparison(main, alt))
    assert body.loc["Health (freed)", "b (Table 3)"] == f"{TABLE3.loc['health', 'coef']:.3f}"
    for column, key in [("b (other reading)", "coef"), ("SE (other reading)", "se"), ("p (other reading)", "p")]:
        assert body.loc["Health (freed)", column] == f"{alt['achieved']['health'][key]:.4f}".replace("-", "\u2212")
