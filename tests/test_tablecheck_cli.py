"""``python -m tablecheck``: the command-line contract, including bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tablecheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROY = ROOT / "data" / "tablecheck" / "roy2022_public.csv"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_output_lists_findings_and_counts_them(capsys):
    assert main([str(ROY), "--stars", "*=0.05,**=0.01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["term", "check", "verdict", "detail"]
    assert out[-1] == "10 rows, 60 findings: 58 consistent, 2 inconsistent, 0 unverifiable"
    assert any(line.startswith("Rumours") and "or-vs-b" in line and "inconsistent" in line for line in out)


def test_json_output_is_a_list_of_findings(capsys):
    assert main([str(ROY), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"term", "check", "verdict", "detail"} <= set(records[0])
    assert {r["verdict"] for r in records} <= {"consistent", "inconsistent", "unverifiable"}


def test_exit_zero_whatever_the_verdicts(tmp_path, capsys):
    path = _write(tmp_path, "term,b,or\nx,0.5,3.0\n")
    assert main([path]) == 0
    assert "inconsistent" in capsys.readouterr().out


def test_n_and_level_options_reach_the_checks(tmp_path, capsys):
    path = _write(tmp_path, "term,b,p,sd\nx,\u22120.011,0.006,1.248\n")
    assert main([path, "--n", "100", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["check"] == "p-vs-b" and record["verdict"] == "inconsistent" and "n = 100" in record["detail"]


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        ("term,b,p\nx,0.1,abc\n", [], "row 1, column 'p'"),
        ("term,b,xyz\nx,0.1,2\n", [], "header, column 'xyz'"),
        ("term,b,p\nx,0.1,0.2\ny,0.2,2\n", [], "row 2, column 'p'"),
        ("term,b,p\nx,0.1,0.2\n", ["--stars", "*=0.01,**=0.05"], "thresholds must decrease"),
        ("term,b,p\nx,0.1,0.2\n", ["--level", "95"], "--level"),
        ("term,b,p\nx,0.1,0.2\n", ["--n", "1"], "--n"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, text, args, expected):
    path = _write(tmp_path, text)
    assert main([path, *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and expected in captured.err


def test_missing_file_and_undecodable_bytes_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "absent.csv")]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"term,b\nx,\xff\xfe\n")
    assert main([str(bad)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_module_entry_point_has_no_traceback(tmp_path):
    path = _write(tmp_path, "term,b,se\nx,0.1,oops\n")
    done = subprocess.run([sys.executable, "-m", "tablecheck", path], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"tablecheck: {path}: row 1, column 'se': 'oops' is not a number"]
    assert "Traceback" not in done.stderr
    ok = subprocess.run([sys.executable, "-m", "tablecheck", str(ROY)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "Rumours" in ok.stdout


def test_text_output_speaks_the_catalogs_language_and_keeps_its_columns_aligned(capsys, monkeypatch):
    from tablecheck.cli import _width

    monkeypatch.setenv("TABLECHECK_LANG", "zh_CN")
    assert main([str(ROY), "--stars", "*=0.05,**=0.01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["项", "检查", "判定", "详情"]
    assert out[-1] == "10 行，60 条结论：一致 58 条，不一致 2 条，无法核验 0 条"
    starts = set()
    for line in out[:-2]:
        verdict = next(word for word in ("判定", "不一致", "一致") if f"  {word}  " in line)
        starts.add(_width(line[: line.index(f"  {verdict}  ")]))  # where the verdict column begins, on screen
    assert len(starts) == 1
