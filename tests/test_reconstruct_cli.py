"""Tests of the reconstruction's output files, replay, ensemble runner and command line.

The search's own correctness is tested in test_reconstruct.py; here the searches are tiny (a fixed proposal
budget) and what is checked is what happens to their results: the raw export and the cleaning step, byte
identity, provenance, parallel and distributed ensembles, exit codes, and the committed data files.
"""

import dataclasses
import hashlib
import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ridersurvey import reconstruct as R
from ridersurvey.cli import build_parser, clean_command, main
from ridersurvey.io import load_responses
from ridersurvey.paths import DATA_DIR

TINY = R.Schedule(proposals_per_cycle=20_000, chunk=10_000, beam_width=2, beam_candidates=2, beam_depth=1)
BUDGET = 20_000
SEED = 7
PREDICTORS = [
    "gender",
    "hukou",
    "age_group",
    "marital_status",
    "education",
    "health",
    "employment_duration",
    "policy_awareness",
    "publicity",
]
NAMES = ["unwilling", *PREDICTORS]
# Table 1 as printed (transcribed here independently of ridersurvey.published)
COUNTS = {
    "unwilling": {1: 51, 0: 49},
    "gender": {1: 69, 2: 31},
    "hukou": {1: 61, 2: 39},
    "age_group": {1: 21, 2: 64, 3: 15},
    "marital_status": {1: 41, 2: 59},
    "education": {1: 6, 2: 32, 3: 45, 4: 16, 5: 1},
    "health": {1: 8, 2: 29, 3: 29, 4: 22, 5: 12},
    "employment_duration": {1: 49, 2: 51},
    "policy_awareness": {1: 18, 2: 28, 3: 24, 4: 20, 5: 10},
    "publicity": {1: 24, 2: 28, 3: 31, 4: 13, 5: 4},
}


def tiny(seed=SEED):
    return R.reconstruct(seed, max_seconds=1e9, schedule=TINY, max_proposals=BUDGET)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(frame):
    """The multiset of response rows (order-free comparison of two data sets)."""
    return sorted(map(tuple, frame[NAMES].astype(int).to_numpy().tolist()))


def failure_keys(messages):
    """'gender: coef 1.16 vs 1.166' -> ('gender', 'coef'): which requirement, not its printed digits."""
    return sorted(tuple(m.split(" ")[:2]) for m in messages)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The same tiny reconstruction searched and written twice, into two directories."""
    dirs = []
    for name in ("a", "b"):
        rec = tiny()
        out = tmp_path_factory.mktemp(name)
        prov = R.write_outputs(rec, out, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY)
        dirs.append((rec, out, prov))
    return dirs


# ---------------------------------------------------------------------------------------------- raw file
def test_raw_responses_structure():
    data = tiny().data
    raw = R.raw_responses(data, 11)
    assert len(raw) == 103
    assert raw["respondent_id"].tolist() == list(range(1, 104))
    gaps = raw[NAMES].isna().sum(axis=1)
    assert sorted(gaps.value_counts().to_dict().items()) == [(0, 100), (1, 3)]
    assert rows(raw[gaps == 0]) == rows(data)
    for var in NAMES:  # the incomplete responses' answers are codes of the item
        assert set(raw[var].dropna().astype(int)) <= set(COUNTS[var])
    again = R.raw_responses(data, 11)
    pd.testing.assert_frame_equal(raw, again)
    other = R.raw_responses(data, 12)
    assert not raw.equals(other)


def test_files_written(outputs):
    _, out, prov = outputs[0]
    for rel in ("raw/responses.csv", "riders_survey.csv", "provenance.json"):
        assert (out / rel).is_file(), rel
    raw = (out / "raw" / "responses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + "序号,".encode())
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert len(header) == 11 and not any(h in NAMES for h in header)  # question texts, not variable names


def test_cleaning_103_to_100(outputs):
    rec, out, prov = outputs[0]
    result = load_responses(out / "raw" / "responses.csv")
    assert (result.n_collected, result.n_excluded, result.n_valid) == (103, 3, 100)
    assert prov["cleaning"]["n_collected"] == 103 and prov["cleaning"]["n_valid"] == 100
    assert len(prov["cleaning"]["exclusions"]) == 3
    coded = pd.read_csv(out / "riders_survey.csv")
    assert rows(coded) == rows(rec.data)
    # ids are the raw file's: 1..103 without the three excluded respondents
    excluded = {e["respondent_id"] for e in prov["cleaning"]["exclusions"]}
    assert coded["respondent_id"].tolist() == [i for i in range(1, 104) if i not in excluded]
    for var, counts in COUNTS.items():
        assert coded[var].value_counts().to_dict() == counts
        assert prov["achieved_counts"][var] == {str(k): v for k, v in counts.items()}


def test_clean_command_reproduces_coded_file(outputs, tmp_path, capsys):
    _, out, _ = outputs[0]
    target = tmp_path / "cleaned.csv"
    assert main(["clean", str(out / "raw" / "responses.csv"), "-o", str(target)]) == 0
    assert target.read_bytes() == (out / "riders_survey.csv").read_bytes()
    assert "excluded: 3" in capsys.readouterr().out


def test_same_seed_byte_identical(outputs):
    (_, a, pa), (_, b, pb) = outputs
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert pa["files"] == pb["files"]


def test_provenance_file(outputs):
    rec, out, prov = outputs[0]
    text = (out / "provenance.json").read_text(encoding="utf-8")
    on_disk = json.loads(text)
    assert text == json.dumps(on_disk, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert on_disk == json.loads(json.dumps(prov))
    assert on_disk["files"]["raw/responses.csv"]["sha256"] == sha(out / "raw" / "responses.csv")
    assert on_disk["files"]["riders_survey.csv"]["sha256"] == sha(out / "riders_survey.csv")
    assert on_disk["seed"] == SEED
    assert on_disk["budget"]["max_proposals"] == BUDGET
    assert on_disk["budget"]["replay_max_proposals"] == rec.proposals
    assert on_disk["budget"]["schedule"]["chunk"] == TINY.chunk
    # a tiny budget does not meet the targets, and the record says so
    assert on_disk["success"] is False and on_disk["failures"]
    assert on_disk["failures"] == rec.failures


# ---------------------------------------------------------------------------------------------- tables
def fake_prov():
    return {
        "tolerance": {"aimed_half_width": 0.00045},
        "targets": {
            "gender": {"coef": 1.166, "p": 0.032, "p_targeted": True, "counts": {"1": 69, "2": 31}},
            "health": {"coef": 0.111, "p": 0.003, "p_targeted": False, "counts": {"1": 60, "2": 40}},
            "unwilling": {"counts": {"0": 49, "1": 51}},
        },
        "achieved": {
            "const": {"coef": 0.0, "se": 1.0, "p": 1.0},
            "gender": {"coef": 1.16644, "se": 0.5, "p": 0.03246},
            "health": {"coef": 0.1106, "se": 0.2, "p": 0.003},
        },
        "achieved_counts": {
            "gender": {"1": 69, "2": 31},
            "health": {"1": 61, "2": 39},
            "unwilling": {"0": 49, "1": 51},
        },
    }


def test_provenance_table_met_rules():
    table = R.provenance_table(fake_prov()).set_index(["variable", "statistic"])
    assert table.index.tolist() == [("gender", "coef"), ("gender", "p"), ("health", "coef"), ("health", "p")]
    # 1.16644: within 0.00045 of 1.166 and rounds to it
    assert bool(table.loc[("gender", "coef"), "met"]) is True
    # 0.03246 rounds to 0.032 but lies 0.00046 away: outside the aimed tolerance
    assert bool(table.loc[("gender", "p"), "met"]) is False
    assert bool(table.loc[("health", "coef"), "met"]) is True
    # an unattainable p is never 'met', even if the number happened to agree
    assert bool(table.loc[("health", "p"), "targeted"]) is False
    assert bool(table.loc[("health", "p"), "met"]) is False
    assert table.loc[("gender", "p"), "achieved"] == 0.03246


def test_counts_table():
    table = R.counts_table(fake_prov()).set_index(["variable", "code"])
    assert len(table) == 6
    assert table["met"].to_dict() == {
        ("gender", 1): True,
        ("gender", 2): True,
        ("health", 1): False,
        ("health", 2): False,
        ("unwilling", 0): True,
        ("unwilling", 1): True,
    }
    assert table.loc[("health", 1), "achieved"] == 61


def test_summary_lines_report_failures_and_unattainable(outputs):
    _, _, prov = outputs[0]
    text = "\n".join(R.summary_lines(prov))
    assert "NOT successful" in text
    assert f"{len(prov['failures'])} requirement(s) unmet" in text
    assert "unattainable: policy_awareness" in text and "unattainable: health" in text
    assert "103 responses, 3 excluded, 100 valid" in text


# ---------------------------------------------------------------------------------------------- replay
def test_time_limited_run_replays_from_provenance(tmp_path):
    """A run cut off by the clock is replayed exactly by the recorded proposal count."""
    rec = R.reconstruct(5, max_seconds=0.0, schedule=TINY)
    prov = R.write_outputs(rec, tmp_path / "first", max_seconds=0.0, schedule=TINY)
    assert prov["budget"]["replay_max_proposals"] == rec.proposals > 0
    again = R.regenerate(json.loads((tmp_path / "first" / "provenance.json").read_text()), tmp_path / "second")
    pd.testing.assert_frame_equal(rec.data, again.data)
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (tmp_path / "first" / rel).read_bytes() == (tmp_path / "second" / rel).read_bytes()


# ---------------------------------------------------------------------------------------------- ensemble
K = 3


@pytest.fixture(scope="module")
def serial():
    return R.run_ensemble(K, 42, jobs=1, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False)


def test_ensemble_seeds():
    expected = [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(42).spawn(K)]
    assert R.ensemble_seeds(K, 42) == expected
    assert len(set(expected)) == K


def test_ensemble_rows(serial):
    assert serial["seed"].tolist() == R.ensemble_seeds(K, 42)
    assert list(serial.columns[:3]) == ["seed", "success", "n_failures"]
    assert list(serial.columns[-2:]) == ["proposals", "wall_seconds"]
    for term in ["const", *PREDICTORS]:
        assert {f"coef_{term}", f"se_{term}", f"p_{term}"} <= set(serial.columns)
    assert {f"ame_{v}" for v in PREDICTORS} <= set(serial.columns)
    assert {"mcfadden_r2", "nagelkerke_r2", "hl_p", "auc", "accuracy"} <= set(serial.columns)
    # an independent fit of the first member's data
    rec = R.reconstruct(int(serial.loc[0, "seed"]), max_seconds=1e9, schedule=TINY, max_proposals=BUDGET)
    res = sm.Logit(rec.data["unwilling"].astype(float), sm.add_constant(rec.data[PREDICTORS].astype(float))).fit(disp=0)
    for term in ["const", *PREDICTORS]:
        assert serial.loc[0, f"coef_{term}"] == pytest.approx(res.params[term], abs=1e-8)
        assert serial.loc[0, f"se_{term}"] == pytest.approx(res.bse[term], rel=1e-6)
    assert serial.loc[0, "mcfadden_r2"] == pytest.approx(res.prsquared, rel=1e-6)
    assert bool(serial.loc[0, "success"]) is rec.success
    assert serial.loc[0, "n_failures"] == len(rec.failures)
    assert (serial["proposals"] == BUDGET).all()


def test_ensemble_parallel_equals_serial(serial):
    parallel = R.run_ensemble(K, 42, jobs=2, max_seconds=1e9, max_proposals=BUDGET, schedule=TINY, progress=False)
    pd.testing.assert_frame_equal(serial.drop(columns="wall_seconds"), parallel.drop(columns="wall_seconds"))


def test_ensemble_on_dask_cluster_equals_joblib(serial):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        on_dask = R.run_ensemble(
            K,
            42,
            scheduler=cluster.scheduler_address,
            max_seconds=1e9,
            max_proposals=BUDGET,
            schedule=TINY,
            progress=True,
        )
    pd.testing.assert_frame_equal(serial.drop(columns="wall_seconds"), on_dask.drop(columns="wall_seconds"))


# ---------------------------------------------------------------------------------------------- CLI
def cli_args(*argv, **extra):
    ns = build_parser().parse_args(["reconstruct", *argv])
    for key, value in extra.items():
        setattr(ns, key, value)
    return ns


def test_cli_refuses_file_as_out(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "reconstruct", "--out", str(target)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "not a directory" in proc.stderr
    assert target.read_text() == "x\n"
    assert main(["reconstruct"]) == 2


def test_cli_single_run_exit_1_when_targets_missed(tmp_path, capsys):
    out = tmp_path / "nested" / "data"
    code = R.cli_main(
        cli_args("--seed", str(SEED), "--out", str(out), "--max-seconds", "1e9", max_proposals=BUDGET, schedule=TINY)
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "NOT successful" in printed and "proposals/s" in printed
    prov = R.load_provenance(out / "provenance.json")
    assert prov["success"] is False
    assert (out / "raw" / "responses.csv").is_file() and (out / "riders_survey.csv").is_file()


def test_cli_single_run_exit_0_on_success(tmp_path, monkeypatch, capsys):
    """The exit code follows the search's verdict: a run that met its targets exits 0."""
    rec = tiny()
    achieved = R.fit_logit(rec.data)
    # targets this data set meets: its own coefficients and p-values
    targets = R.Targets(counts=rec.targets.counts, table3=achieved.loc[PREDICTORS, ["coef", "p"]])
    failures = R.verify(rec.data, targets)
    assert failures == []
    met = dataclasses.replace(
        rec,
        targets=targets,
        achieved=achieved,
        unattainable=R.unattainable_targets(targets),
        success=True,
        failures=failures,
    )
    monkeypatch.setattr(R, "reconstruct", lambda *a, **k: met)
    assert R.cli_main(cli_args("--out", str(tmp_path))) == 0
    assert "success: every attainable target met" in capsys.readouterr().out
    assert R.load_provenance(tmp_path / "provenance.json")["success"] is True


def test_cli_ensemble(tmp_path, capsys, serial):
    code = R.cli_main(
        cli_args(
            "--seed",
            "42",
            "--ensemble",
            str(K),
            "--out",
            str(tmp_path),
            "--max-seconds",
            "1e9",
            max_proposals=BUDGET,
            schedule=TINY,
        )
    )
    assert code == 0
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert len(summary) == K and summary["seed"].tolist() == serial["seed"].tolist()
    pd.testing.assert_frame_equal(
        summary.drop(columns="wall_seconds"),
        pd.read_csv(io.StringIO(serial.to_csv(index=False, float_format="%.6g"))).drop(columns="wall_seconds"),
    )
    meta = json.loads((tmp_path / "ensemble.json").read_text())
    assert meta["k"] == K and meta["base_seed"] == 42 and meta["seeds"] == R.ensemble_seeds(K, 42)
    assert meta["n_success"] == int(serial["success"].sum())
    assert meta["jobs"] == 1 and meta["scheduler"] is None
    assert "ensemble of 3 reconstructions" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------- committed data
@pytest.fixture(scope="module")
def committed():
    path = DATA_DIR / "provenance.json"
    assert path.is_file(), f"{path} is missing: run `python -m ridersurvey reconstruct --seed N --out data`"
    return R.load_provenance(path)


def test_committed_files_match_provenance_hashes(committed):
    for rel, info in committed["files"].items():
        assert sha(DATA_DIR / rel) == info["sha256"], rel
    assert set(committed["files"]) == {"raw/responses.csv", "riders_survey.csv"}


def test_committed_coded_file_is_cleaned_raw_file(committed, tmp_path, capsys):
    target = tmp_path / "cleaned.csv"
    assert clean_command(DATA_DIR / "raw" / "responses.csv", target) == 0
    assert target.read_bytes() == (DATA_DIR / "riders_survey.csv").read_bytes()
    result = load_responses(DATA_DIR / "raw" / "responses.csv")
    assert (result.n_collected, result.n_excluded, result.n_valid) == (103, 3, 100)


def test_committed_data_achieve_what_provenance_records(committed):
    data = pd.read_csv(DATA_DIR / "riders_survey.csv")
    for var, counts in COUNTS.items():
        assert data[var].value_counts().to_dict() == counts, var
    res = sm.Logit(data["unwilling"].astype(float), sm.add_constant(data[PREDICTORS].astype(float))).fit(disp=0)
    for term in ["const", *PREDICTORS]:
        assert res.params[term] == pytest.approx(committed["achieved"][term]["coef"], abs=1e-7), term
        assert res.pvalues[term] == pytest.approx(committed["achieved"][term]["p"], abs=1e-7), term
    targets = R.targets_from_published()
    problems = R.verify(data, targets, committed["tolerance"]["margin"])
    assert failure_keys(problems) == failure_keys(committed["failures"])
    assert committed["success"] is (not problems)
    table = R.provenance_table(committed)
    for rec in table.itertuples():
        value = res.params[rec.variable] if rec.statistic == "coef" else res.pvalues[rec.variable]
        agrees = bool(
            abs(value - rec.published) <= committed["tolerance"]["aimed_half_width"]
            and round(float(value), 3) == round(rec.published, 3)
        )
        assert rec.met is (agrees and rec.targeted), (rec.variable, rec.statistic)


@pytest.mark.slow
def test_committed_data_regenerate_from_seed(committed, tmp_path):
    """The recorded seed, schedule and budget give the committed files again, byte for byte."""
    R.regenerate(committed, tmp_path)
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (tmp_path / rel).read_bytes() == (DATA_DIR / rel).read_bytes(), rel
    assert json.loads((tmp_path / "provenance.json").read_text())["files"] == committed["files"]
