"""The reconstruction appendix's facts and tables (ridersurvey.chapters.reconstruction), against independent
computations on the committed files."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from scipy.stats import norm

from recon_oracles import COUNTS, TABLE3, statsmodels_fit
from ridersurvey.chapters import reconstruction as chapter
from ridersurvey.paths import DATA_DIR


@pytest.fixture(scope="module")
def facts():
    return chapter.facts()


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(DATA_DIR / "riders_survey.csv")


def test_counts_table_is_table1_and_the_data(data):
    body = chapter.counts_table().body.set_index("Variable")
    assert body.loc["Education", "Table 1 counts"] == " / ".join(str(COUNTS["education"][c]) for c in range(1, 6))
    counts = data["health"].value_counts().sort_index()
    assert body.loc["Health", "Reconstruction"] == " / ".join(str(int(n)) for n in counts)
    assert set(body["Equal"]) == {"yes"}


def test_targets_table_is_the_committed_fit(data):
    res = statsmodels_fit(data)
    body = chapter.targets_table().body
    gender = body[body["Predictor"] == "Gender"].set_index("Statistic")
    assert gender.loc["b", "Reconstruction"] == f"{res.params['gender']:.5f}"
    assert gender.loc["p", "Table 3"] == f"{TABLE3.loc['gender', 'p']:.3f}"
    health = body[body["Predictor"] == "Health"].set_index("Statistic")
    assert health.loc["p", "Targeted"] == "no (unattainable)" and health.loc["p", "Met"] == "no"


def test_floors_table_is_the_bound_of_the_appendix():
    body = chapter.floors_table().body.set_index("Predictor")
    codes = [c for c, k in COUNTS["health"].items() for _ in range(k)]
    sd = pd.Series(codes).std(ddof=1)
    assert body.loc["Health", "SE floor"] == f"{2 / (sd * math.sqrt(99)):.3f}"
    z = abs(TABLE3.loc["health", "coef"]) * sd * math.sqrt(99) / 2
    assert body.loc["Health", "Largest z"] == f"{z:.3f}"
    assert body.loc["Health", "Attainable"] == "no" and body.loc["Gender", "Attainable"] == "yes"
    assert float(body.loc["Health", "p floor"]) == pytest.approx(2 * norm.sf(z), abs=0.01)  # Table 2's SD


def test_facts_of_the_targets_and_the_flow(facts):
    prov = json.loads((DATA_DIR / "provenance.json").read_text())
    assert facts.seed == str(prov["seed"]) and facts.n == "100"
    assert (facts.k, facts.p_targeted, facts.n_unattainable) == ("9", "7", "two")
    assert facts.unattainable_names == "health and policy awareness"
    assert (facts.collected, facts.excluded, facts.valid) == ("103", "three", "100")
    assert facts.paper_excluded == "3"


def test_facts_of_the_ensemble_count_distinct_exact_members(facts):
    ens = pd.read_csv(DATA_DIR / "ensemble" / "summary.csv", dtype={"data": str, "fingerprint": str})
    exact = ens[ens["success"].astype(bool)]
    assert facts.ens_members == f"{len(ens):,}"
    assert facts.ens_exact == f"{exact['data'].nunique():,}"
    distinct = exact.drop_duplicates("data")
    assert facts.ens_walk_exact == f"{int((distinct['method'] == 'walk').sum()):,}"


def test_facts_of_the_envelope_count_its_searches(facts):
    lines = (DATA_DIR / "envelope" / "searches.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert facts.env_searches == f"{len(records):,}"
    assert facts.env_cpu_hours == f"{sum(r['seconds'] for r in records) / 3600:.2f}"
    assert facts.env_improved == f"{sum(r['best_round'] >= 0 for r in records):,}"


def test_facts_of_the_other_reading_are_its_fit(facts):
    alt = pd.read_csv(DATA_DIR / "alternative" / "riders_survey.csv")
    res = statsmodels_fit(alt)
    assert facts.alt_b_health == f"{res.params['health']:.3f}".replace("-", "\u2212")
    assert facts.alt_p_policy_awareness == f"{res.pvalues['policy_awareness']:.4f}"
    assert facts.alt_or_health == f"{math.exp(res.params['health']):.2f}"
    ratio = res.params["policy_awareness"] / TABLE3.loc["policy_awareness", "coef"]
    assert facts.alt_ratio_policy_awareness == f"{ratio:.1f}".replace("-", "\u2212")
