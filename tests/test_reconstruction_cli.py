"""Tests of ``ridersurvey reconstruct`` (the reconstruct parts of ridersurvey.cli): arguments, exit codes, files."""

import dataclasses
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from ridersurvey.cli import build_parser, main, reconstruct_command
from ridersurvey.reconstruction import outputs as O
from ridersurvey.reconstruction import search as S
from ridersurvey.reconstruction.ensemble import ensemble_seeds

TINY = dataclasses.replace(S.Schedule(), proposals_per_cycle=20_000, chunk=10_000, reheats=0)
BUDGET = 20_000


def cli_args(*argv, **extra):
    ns = build_parser().parse_args(["reconstruct", *argv])
    for key, value in extra.items():
        setattr(ns, key, value)
    return ns


def test_refuses_file_as_out_and_missing_out(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "ridersurvey", "reconstruct", "--out", str(target)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "not a directory" in proc.stderr
    assert target.read_text() == "x\n"
    assert main(["reconstruct"]) == 2


def test_refuses_unknown_free_and_objectives(tmp_path, capsys):
    assert main(["reconstruct", "--out", str(tmp_path), "--free", "income"]) == 2
    assert "--free takes predictors" in capsys.readouterr().err
    assert main(["reconstruct", "--out", str(tmp_path), "--envelope", "--objectives", "magic"]) == 2
    assert "unknown objectives" in capsys.readouterr().err


def test_single_run_exit_1_when_targets_missed(tmp_path, capsys):
    out = tmp_path / "nested" / "data"
    code = reconstruct_command(
        cli_args("--seed", "7", "--out", str(out), "--max-seconds", "1e9", max_proposals=BUDGET, schedule=TINY)
    )
    assert code == 1
    printed = capsys.readouterr().out
    assert "NOT successful" in printed and "proposals/s" in printed
    assert O.load_provenance(out / "provenance.json")["success"] is False


def test_replay_regenerates_a_record(tmp_path, capsys):
    first = tmp_path / "first"
    reconstruct_command(cli_args("--seed", "7", "--out", str(first), max_proposals=BUDGET, schedule=TINY))
    second = tmp_path / "second"
    reconstruct_command(cli_args("--replay", str(first / "provenance.json"), "--out", str(second)))
    for rel in ("raw/responses.csv", "riders_survey.csv"):
        assert (first / rel).read_bytes() == (second / rel).read_bytes()
    assert main(["reconstruct", "--replay", str(tmp_path / "none.json"), "--out", str(tmp_path / "x")]) == 2


@pytest.mark.slow
def test_single_run_exit_0_on_success(tmp_path, capsys):
    code = reconstruct_command(cli_args("--seed", "12", "--out", str(tmp_path), "--max-seconds", "1e9"))
    assert code == 0
    assert "success: every attainable target met" in capsys.readouterr().out
    assert O.load_provenance(tmp_path / "provenance.json")["success"] is True


@pytest.mark.slow
def test_ensemble_with_walks(tmp_path, capsys):
    code = reconstruct_command(
        cli_args("--seed", "42", "--ensemble", "2", "--walks", "1", "--out", str(tmp_path), "--max-seconds", "1e9")
    )
    assert code == 0
    summary = pd.read_csv(tmp_path / "summary.csv", comment="#")
    meta = json.loads((tmp_path / "ensemble.json").read_text())
    assert summary["method"].tolist() == ["search", "search", "walk", "walk"]
    assert summary["seed"].tolist()[:2] == ensemble_seeds(2, 42)
    assert meta["n_success"] == int(summary["success"].sum()) == 4
    assert meta["n_distinct_exact"] == 4 and meta["walks_per_member"] == 1
    csv = pd.read_csv(io.StringIO((tmp_path / "summary.csv").read_text()), comment="#")
    assert csv.equals(summary)
    assert "ensemble of 4 reconstructions" in capsys.readouterr().out
