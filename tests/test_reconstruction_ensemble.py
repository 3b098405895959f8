"""Tests of ridersurvey.reconstruction.ensemble and .tasks: seeds, rows, walks, local and Dask runs, resuming,
and the committed ensemble."""

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from recon_oracles import PREDICTORS, meets_table3, statsmodels_fit
from ridersurvey.reconstruction import ensemble as E
from ridersurvey.reconstruction import search as S
from ridersurvey.reconstruction.outputs import NOTICE_KEY, decode, fingerprint
from ridersurvey.reconstruction.tasks import run_tasks

TINY = dataclasses.replace(S.Schedule(), proposals_per_cycle=20_000, chunk=10_000, reheats=0)
BUDGET = 20_000
K = 3


def square(x):
    return x * x


def test_run_tasks_orders_results_and_reports_each():
    seen = []
    out = run_tasks(square, [(i,) for i in range(5)], jobs=2, progress=False, on_result=lambda i, r: seen.append(i))
    assert out == [0, 1, 4, 9, 16] and sorted(seen) == list(range(5))


@pytest.fixture(scope="module")
def serial():
    return E.run_ensemble(K, 42, jobs=1, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False)


def test_ensemble_seeds():
    expected = [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(42).spawn(K)]
    assert E.ensemble_seeds(K, 42) == expected
    assert E.ensemble_seeds(K + 2, 42)[:K] == expected  # a longer ensemble extends a shorter one


def test_ensemble_rows(serial):
    assert serial["seed"].tolist() == E.ensemble_seeds(K, 42)
    assert list(serial.columns[:6]) == list(E.ID_COLUMNS)
    assert list(serial.columns[-4:]) == list(E.SEARCH_COLUMNS)
    assert (serial["method"] == "search").all()
    for term in ["const", *PREDICTORS]:
        assert {f"coef_{term}", f"se_{term}", f"p_{term}", f"z_{term}"} <= set(serial.columns)
    rec = S.reconstruct(int(serial.loc[0, "seed"]), max_seconds=1e9, schedule=TINY, max_proposals=BUDGET)
    res = statsmodels_fit(rec.data)
    for term in ["const", *PREDICTORS]:
        assert serial.loc[0, f"coef_{term}"] == pytest.approx(res.params[term], abs=1e-8)
        assert serial.loc[0, f"se_{term}"] == pytest.approx(res.bse[term], rel=1e-6)
    assert serial.loc[0, "fingerprint"] == fingerprint(rec.data) == fingerprint(decode(serial.loc[0, "data"]))
    assert (serial["proposals"] >= BUDGET).all()


def test_ensemble_parallel_equals_serial(serial):
    parallel = E.run_ensemble(K, 42, jobs=2, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False)
    pd.testing.assert_frame_equal(serial.drop(columns="wall_seconds"), parallel.drop(columns="wall_seconds"))


def test_ensemble_on_dask_cluster_equals_joblib(serial):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        on_dask = E.run_ensemble(
            K, 42, scheduler=cluster.scheduler_address, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY,
            progress=False,
        )  # fmt: skip
    pd.testing.assert_frame_equal(serial.drop(columns="wall_seconds"), on_dask.drop(columns="wall_seconds"))


def test_checkpoint_resumes(serial, tmp_path):
    path = tmp_path / "m.jsonl"
    first = E.run_ensemble(2, 42, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False,
                           checkpoint=path)  # fmt: skip
    assert len(path.read_text().splitlines()) == 2
    again = E.run_ensemble(K, 42, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False,
                           checkpoint=path)  # fmt: skip
    assert len(path.read_text().splitlines()) == K  # only the third member was searched
    pd.testing.assert_frame_equal(again.iloc[:2].drop(columns="wall_seconds"), first.drop(columns="wall_seconds"))
    pd.testing.assert_frame_equal(again.drop(columns="wall_seconds"), serial.drop(columns="wall_seconds"))


def test_checkpoint_lines_are_strict_json_with_the_notice_first(tmp_path):
    """A checkpoint row says its data are reconstructed, writes a NaN statistic as null and reads it back as NaN;
    an identification column's null stays None."""
    path = tmp_path / "m.jsonl"
    row = {"seed": 5, "method": "search", "base_seed": None, "firth_p_health": math.nan, "auc": 0.75, "data": "01"}
    E._appender({}, path)(0, row)
    line = path.read_text(encoding="utf-8")
    on_disk = json.loads(line, parse_constant=lambda name: pytest.fail(f"bare {name}"))
    assert list(on_disk)[0] == NOTICE_KEY and "NOT THE SURVEY'S ANSWERS" in on_disk[NOTICE_KEY]
    assert on_disk["firth_p_health"] is None and list(on_disk)[1:] == list(row)
    back = E._read_checkpoint(path)[5]
    assert list(back) == list(row) and back["base_seed"] is None and math.isnan(back["firth_p_health"])


def test_summary_opens_with_its_notice(tmp_path):
    summary = E.load_ensemble().head(3)
    E.write_ensemble(summary, tmp_path, E.load_meta())
    lines = (tmp_path / E.SUMMARY_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# RECONSTRUCTED DATA - NOT THE SURVEY'S ANSWERS.")
    assert E.load_ensemble(tmp_path / E.SUMMARY_FILE)["data"].tolist() == summary["data"].tolist()


# ---------------------------------------------------------------------------------------------- committed ensemble
@pytest.fixture(scope="module")
def committed():
    return E.load_ensemble(), E.load_meta()


def test_committed_ensemble_has_500_distinct_exact_members(committed):
    summary, meta = committed
    exact = E.exact_members(summary)
    assert len(exact) >= 500 and exact["fingerprint"].is_unique
    assert meta["n_distinct_exact"] == len(exact) and meta["n_members"] == len(summary)
    assert set(summary["method"]) <= {"search", "walk"}
    searches = summary[summary["method"] == "search"]
    assert searches["seed"].tolist() == E.ensemble_seeds(meta["k"], meta["base_seed"])
    walks = summary[summary["method"] == "walk"]
    assert set(walks["base_seed"].astype(int)) <= set(searches["seed"])


def test_committed_members_meet_every_target(committed):
    """Every exact member's data (stored in the summary) meets Table 1 and Table 3, checked independently."""
    summary, _ = committed
    exact = E.exact_members(summary)
    for code in exact["data"].iloc[:: max(1, len(exact) // 40)]:
        assert meets_table3(decode(code))


@pytest.mark.replay
def test_committed_members_regenerate_from_their_seeds(committed):
    summary, meta = committed
    schedule = S.Schedule.from_dict(meta["schedule"])
    first = summary[summary["method"] == "search"].iloc[0]
    rec = E.regenerate_member(int(first["seed"]), schedule)
    assert rec.success and fingerprint(rec.data) == first["fingerprint"]
    walked = summary[(summary["method"] == "walk") & (summary["base_seed"] == first["seed"])].iloc[0]
    data, _ = E.walk(rec.data, int(walked["seed"]), E.WalkSettings(**meta["walk"]))
    assert fingerprint(data) == walked["fingerprint"]
    for col in ("coef_health", "se_health", "auc", "corr_gender__hukou"):
        assert summary.loc[walked.name, col] == pytest.approx(walked[col])
    assert math.isfinite(float(walked["firth_p_health"]))
