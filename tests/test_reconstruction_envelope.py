"""Tests of ridersurvey.reconstruction.envelope: directed searches, witnesses and the envelope table."""

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from recon_oracles import meets_table3
from ridersurvey.data.paths import DATA_DIR
from ridersurvey.model.logit import load_analysis_data
from ridersurvey.reconstruction import envelope as EV
from ridersurvey.reconstruction import kernel as K
from ridersurvey.reconstruction.ensemble import exact_members, load_ensemble
from ridersurvey.reconstruction.outputs import NOTICE_KEY, decode, fingerprint
from ridersurvey.reconstruction.unpublished import CATALOGUE, evaluate, objective_value, objectives

SMALL = dataclasses.replace(EV.EnvelopeSettings(), rounds=2, patience=2, push_proposals=100_000, ascent_steps=2)


def test_every_objective_has_a_kernel_objective():
    for o in objectives():
        kind, par, sign = EV.kernel_objective(o)
        assert kind in range(13) and sign in (-1, 1) and par.shape == (4,)
    assert EV.kernel_objective("firth_p_education")[2] == 1  # b < 0: a larger (less negative) z, a larger p
    assert EV.kernel_objective("chi2_p_health")[:1] == (K.CHI2,)
    with pytest.raises(ValueError):
        EV.kernel_objective("nonsense")


@pytest.mark.slow
def test_directed_search_moves_its_statistic_and_keeps_the_targets():
    start = load_analysis_data()
    res = EV.directed_search("corr_gender__hukou", 1, 11, start, SMALL)
    assert res.value >= res.start_value and res.landed >= 1
    assert meets_table3(res.witness)
    assert res.value == pytest.approx(np.corrcoef(res.witness["gender"], res.witness["hukou"])[0, 1])
    low = EV.directed_search("corr_gender__hukou", -1, 11, start, SMALL)
    assert low.value <= low.start_value


@pytest.fixture(scope="module")
def records():
    return EV.load_searches()


def test_committed_envelope_covers_the_catalogue(records):
    assert {(r["objective"], r["direction"]) for r in records} == {(o, d) for o in objectives() for d in (-1, 1)}
    env = EV.load_envelope()
    assert list(env["statistic"]) == [s.name for s in CATALOGUE]
    assert (env["min"] <= env["max"]).all()
    for r in records:
        assert r["fingerprint"] == fingerprint(decode(r["witness"]))
        assert r["direction"] * (r["value"] - r["start_value"]) >= 0


def test_searches_are_rewritten_byte_for_byte_as_strict_json_with_their_notice(records, tmp_path):
    """The writer gives the committed file again; a statistic that could not be computed is null on disk, NaN
    when read; every line opens with the notice that its data sets are reconstructed."""
    EV.write_envelope(records, tmp_path, EV.load_meta())
    committed = DATA_DIR / "envelope" / EV.SEARCHES_FILE
    assert (tmp_path / EV.SEARCHES_FILE).read_bytes() == committed.read_bytes()
    lines = committed.read_text(encoding="utf-8").splitlines()
    nulls = 0
    for line, rec in zip(lines, records, strict=True):
        on_disk = json.loads(line, parse_constant=lambda name: pytest.fail(f"bare {name}"))
        assert list(on_disk)[0] == NOTICE_KEY and "NOT THE SURVEY'S ANSWERS" in on_disk[NOTICE_KEY]
        assert NOTICE_KEY not in rec
        for name, value in on_disk["statistics"].items():
            assert (value is None) == math.isnan(rec["statistics"][name]), name
            nulls += value is None
    assert nulls > 0


def test_committed_witnesses_meet_every_target_and_give_their_extremes(records):
    env = EV.load_envelope().set_index("statistic")
    for r in records[::9]:
        data = decode(r["witness"])
        assert meets_table3(data), r["objective"]
        assert objective_value(data, r["objective"]) == pytest.approx(r["value"], rel=1e-6, abs=1e-9)
    for name in ("se_health", "auc", "corr_gender__hukou"):
        lo = env.loc[name, "min_witness"].rsplit(":", 1)
        rec = next(r for r in records if r["objective"] == lo[0] and r["direction"] == (1 if lo[1] == "max" else -1))
        assert evaluate(decode(rec["witness"]))[name] == pytest.approx(env.loc[name, "min"], rel=1e-5)


def test_a_witness_regenerates_from_its_seed(records):
    """The cheapest committed witness is searched again from its start, seed and settings, and refitted."""
    improved = (r for r in records if r["best_round"] >= 0)
    rec = min(improved, key=lambda r: r["seconds"] / r["rounds"] * (r["best_round"] + 1))
    witness = EV.regenerate_witness(rec)
    assert fingerprint(witness) == rec["fingerprint"]
    assert meets_table3(witness)
    assert objective_value(witness, rec["objective"]) == pytest.approx(rec["value"], rel=1e-9, abs=1e-12)


@pytest.mark.slow
def test_small_envelope_on_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    start = load_analysis_data()
    members = pd.DataFrame([{"seed": 0, "data": EV.encode(start), **evaluate(start, ("fit", "corr"))}])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        records = EV.run_envelope(5, members, ["auc"], SMALL, scheduler=cluster.scheduler_address, progress=False,
                                  checkpoint=tmp_path / "s.jsonl")  # fmt: skip
    assert [r["direction"] for r in records] == [-1, 1]
    assert records[0]["value"] <= records[0]["start_value"] and records[1]["value"] >= records[1]["start_value"]
    assert len((tmp_path / "s.jsonl").read_text().splitlines()) == 2
    local = EV.run_envelope(5, members, ["auc"], SMALL, jobs=1, progress=False)
    assert [r["fingerprint"] for r in local] == [r["fingerprint"] for r in records]


def test_envelope_table(records):
    table = EV.envelope_table()
    assert list(table["statistic"]) == [s.name for s in CATALOGUE]
    assert (table["min"] <= table["committed"] + 1e-9).all() and (table["committed"] <= table["max"] + 1e-9).all()
    assert (table["min"] <= table["ensemble_min"] + 1e-9).all() and (table["ensemble_max"] <= table["max"] + 1e-9).all()
    assert table.attrs["n_ensemble"] == len(exact_members(load_ensemble()))
    row = table.set_index("statistic").loc["se_gender"]
    assert row["pinned"] == (row["max"] - row["min"] < 10**-3)


def test_statistic_bounds_read_the_envelope_and_derive_cox_snell_from_lr():
    import math

    table = EV.envelope_table().set_index("statistic")
    assert EV.statistic_bounds("auc") == (table.loc["auc", "min"], table.loc["auc", "max"])
    n = len(load_analysis_data())
    lo, hi = EV.statistic_bounds("cox_snell_r2")
    assert lo == pytest.approx(1 - math.exp(-table.loc["lr_chi2", "min"] / n))
    assert hi == pytest.approx(1 - math.exp(-table.loc["lr_chi2", "max"] / n))
    assert EV.statistic_bounds("not_a_statistic") is None
