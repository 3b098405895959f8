"""Tests of ridersurvey.reconstruction.alternative: the reading that keeps the two impossible p-values."""

import math

import pytest
from scipy.stats import norm

from recon_oracles import PREDICTORS, TABLE3, meets_table3, statsmodels_fit
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.reconstruction import alternative as A
from ridersurvey.reconstruction.outputs import load_provenance


@pytest.fixture(scope="module")
def provs():
    return load_provenance(), A.load_alternative_provenance()


def test_committed_alternative_keeps_the_two_printed_p_values_and_records_its_misses(provs):
    import pandas as pd

    _, alt = provs
    data = pd.read_csv(DATA_DIR / "alternative" / "riders_survey.csv", comment="#")
    res = statsmodels_fit(data)
    for var in A.FREE:
        assert round(res.pvalues[var], 3) == TABLE3.loc[var, "p"]

    def miss(got, printed):  # rounds to the printed value and lies within 0.9 of the rounding half-width
        return round(got, 3) != printed or abs(got - printed) > 0.9 * 0.0005

    missed = set()
    for var in PREDICTORS:
        if var not in A.FREE and miss(res.params[var], TABLE3.loc[var, "coef"]):
            missed.add(f"{var}: coef")
        if miss(res.pvalues[var], TABLE3.loc[var, "p"]):
            missed.add(f"{var}: p")
    assert missed == {f.rsplit(" ", 3)[0] for f in alt["failures"]}
    assert alt["success"] == (not missed)


def test_committed_alternative_keeps_the_printed_p_values(provs):
    import pandas as pd

    _, alt = provs
    data = pd.read_csv(DATA_DIR / "alternative" / "riders_survey.csv", comment="#")
    assert meets_table3(data, free=A.FREE)
    res = statsmodels_fit(data)
    for var in A.FREE:
        assert round(res.pvalues[var], 3) == TABLE3.loc[var, "p"]
        assert round(res.params[var], 3) != TABLE3.loc[var, "coef"]
    assert alt["free_coefficients"] == list(A.FREE) and alt["unattainable"] == [] and alt["success"]


def test_comparison(provs):
    main, alt = provs
    table = A.comparison(main, alt)
    assert list(table.index) == PREDICTORS
    assert table["free"].sum() == 2
    for var in PREDICTORS:
        assert table.loc[var, "b_printed"] == TABLE3.loc[var, "coef"]
        assert table.loc[var, "b_alt"] == pytest.approx(alt["achieved"][var]["coef"])
    missed = {f.split(":")[0] for f in alt["failures"] if ": coef" in f}
    fixed = table[~table["free"] & ~table.index.isin(missed)]
    assert len(fixed) == 7 - len(missed) and (fixed["b_alt"].round(3) == fixed["b_printed"]).all()


def test_readings(provs):
    _, alt = provs
    table = A.readings(alt)
    assert set(table.index) == set(A.FREE)
    for var, row in table.iterrows():
        b, se = alt["achieved"][var]["coef"], alt["achieved"][var]["se"]
        assert row["odds_ratio"] == pytest.approx(math.exp(b))
        assert row["or_low"] == pytest.approx(math.exp(b - 1.959963984540054 * se))
        # unwilling = 1: a positive coefficient means less willing per code step
        assert row["direction"] == (-1 if b > 0 else 1)
        # the smallest |b| the printed p allows: |z| at the top of p's interval times the SE floor at the SD's top
        sd = {"health": 1.150, "policy_awareness": 1.248}[var] + 0.0005
        z = norm.isf((TABLE3.loc[var, "p"] + 0.0005) / 2)
        assert row["b_needed"] == pytest.approx(z * 2 / (sd * math.sqrt(99)))


def test_relative_size():
    assert A.relative_size(0.634, -0.011) == (False, "58")
    assert A.relative_size(0.73, 0.111) == (True, "6.6")
    assert A.relative_size(-0.2, -0.1) == (True, "2.0")
    with pytest.raises(ValueError, match="zero"):
        A.relative_size(0.1, 0.0)


def test_readings_give_floors_and_no_sign(provs):
    from ridersurvey.audit.precision import format_floor

    _, alt = provs
    floors = A.readings(alt)["b_needed"]
    assert [format_floor(floors[v]) for v in A.FREE] == ["0.510", "0.438"]


@pytest.fixture(scope="module")
def signs():
    return A.load_sign_search()


def test_sign_search_file_is_strict_json_and_says_what_its_data_are():
    import json

    text = (DATA_DIR / "alternative" / A.SIGN_SEARCH_FILE).read_text(encoding="utf-8")
    record = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    assert "reconstructed" in record["note"].lower()


def test_every_witness_refits_to_its_record_and_meets_every_target(signs):
    from ridersurvey.reconstruction.outputs import decode

    witnesses = [s for s in signs["searches"] if s["success"]]
    assert {(v, s["signs_found"][v]) for s in witnesses for v in A.FREE} == {
        (v, sign) for v in A.FREE for sign in (1, -1)
    }, "the stored witnesses no longer show both signs of both freed coefficients"
    for s in witnesses:
        data = decode(s["data"])
        assert meets_table3(data, free=A.FREE)
        res = statsmodels_fit(data)
        for var in ("const", *PREDICTORS):
            assert res.params[var] == pytest.approx(s["achieved"][var]["coef"], abs=1e-6)
            assert res.pvalues[var] == pytest.approx(s["achieved"][var]["p"], abs=1e-8)
        assert s["signs_found"] == {v: int(math.copysign(1, res.params[v])) for v in A.FREE}
    for s in signs["searches"]:
        assert (s["data"] is None) == (not s["success"])


def test_attainable_signs_report_combinations_from_refitted_signs():
    def search(seed, start, ended, success):
        achieved = {v: {"coef": 0.5 * ended[v], "p": 0.004, "se": 0.2} for v in A.FREE}
        # signs_found deliberately disagrees with the refitted coefficients: the table must read the latter
        return {"seed": seed, "start_signs": start, "signs_found": start, "success": success,
                "achieved": achieved, "cpu_seconds": 10.0}  # fmt: skip

    record = {"searches": [
        search(5, {"health": -1, "policy_awareness": -1}, {"health": 1, "policy_awareness": -1}, True),
        search(6, {"health": -1, "policy_awareness": 1}, {"health": -1, "policy_awareness": 1}, False),
        search(7, {"health": -1, "policy_awareness": -1}, {"health": -1, "policy_awareness": -1}, False),
    ]}  # fmt: skip
    achieved = {"health": {"coef": 0.7, "p": 0.003}, "policy_awareness": {"coef": 0.6, "p": 0.006}}
    committed = {"success": True, "seed": 1, "achieved": achieved}
    table = A.attainable_signs(record, committed)
    assert list(table.index) == [tuple(p[v] for v in A.FREE) for p in A.sign_patterns()]
    # the committed search started at the printed signs (health +, awareness −) and ended at (+, +)
    assert table.loc[(1, 1), "found"] and table.loc[(1, 1), "witness_seed"] == -1
    assert table.loc[(1, 1), "b_health"] == 0.7 and table.loc[(1, 1), "b_policy_awareness"] == 0.6
    assert table.loc[(1, 1), "searches"] == 0
    assert table.loc[(1, -1), "searches"] == 1 and table.loc[(1, -1), "failed"] == 0
    # seed 5 started at (−, −) and its refitted coefficients are (+, −)
    assert table.loc[(1, -1), "found"] and table.loc[(1, -1), "witness_seed"] == 5
    assert table.loc[(1, -1), "b_health"] == 0.5 and table.loc[(1, -1), "b_policy_awareness"] == -0.5
    assert table.loc[(-1, -1), "searches"] == 2 and table.loc[(-1, -1), "failed"] == 1
    assert table.loc[(-1, 1), "searches"] == 1 and table.loc[(-1, 1), "failed"] == 1
    # failed searches are witnesses to nothing, whatever they ended at
    for combo in [(-1, -1), (-1, 1)]:
        assert not table.loc[combo, "found"] and math.isnan(table.loc[combo, "b_health"])
    assert table["searches"].sum() == len(record["searches"]) + 1


def test_sign_patterns_cover_every_combination_printed_first():
    patterns = A.sign_patterns()
    assert patterns[0] == {"health": 1, "policy_awareness": -1}
    assert len(patterns) == 4 and len({tuple(p.values()) for p in patterns}) == 4


@pytest.mark.replay
def test_a_witness_replays_from_its_seed_and_start(signs):
    witness = next(s for s in signs["searches"] if s["success"])
    again = A.sign_search(witness["start_signs"], witness["seed"], max_proposals=witness["proposals"])
    assert again["data"] == witness["data"] and again["proposals"] == witness["proposals"]
