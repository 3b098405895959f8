"""ARCHITECTURE.md's recipe "add a check", followed in a scratch copy of the project.

A new check of this paper (DEBIT on Table 2's gender SD, a second check of an already-printed number) needs
its function (``audit/checks.py``), its :class:`~ridersurvey.data.ledger.Check` member (``data/ledger.py``),
its registry entry (``audit/ledger_audit.py``), a ledger row ``t2.gender.sd:debit`` and its own test; nothing
else changes. The scratch copy then passes its own test and the existing tests that read the ledger and the
audit, unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

#: The check's function, appended to ``audit/checks.py``; its member goes at the end of ``Check``.
FUNCTION = '''

def check_debit(mean: float, sd: float, n: int, mean_decimals: int, sd_decimals: int, low_code: int) -> Verdict:
    """A two-category variable's printed SD against the SD its printed mean fixes (DEBIT)."""
    d = debit(mean, sd, n, mean_decimals, sd_decimals, low_code=low_code)
    return Verdict(CONSISTENT if d["consistent"] else DISCREPANT, d["expected_sd"], "DEBIT")
'''
MEMBER = '    SIGNIFICANCE_LIST = "significance_list"\n'

#: The audit's adapter and registry entry, added to ``audit/ledger_audit.py``.
ADAPTER = """def _debit(row: pd.Series, ctx: Context) -> Verdict:
    var = row["variable"]
    mean = ctx.ledger.loc[ids.mean(var)]
    low, decimals = min(ctx.counts[var]), (int(mean["decimals"]), int(row["decimals"]))
    return check_debit(float(mean["value"]), float(row["value"]), ctx.n, *decimals, low)


"""
ENTRY = '    Check.SIGNIFICANCE_LIST: _entry(_significance_list, "ledger", identity=True),\n'

#: Its own test, in the scratch copy's tests/: the function against the formula, and the audit's verdict.
OWN_TEST = """
import math

from ridersurvey.audit.ledger_audit import run_audit
from ridersurvey.audit.checks import check_debit


def test_debit_against_the_formula():
    p = 1.31 - 1
    assert round(math.sqrt(p * (1 - p) * 100 / 99), 3) == 0.465
    assert check_debit(1.31, 0.465, 100, 2, 3, 1).verdict == "consistent"
    assert check_debit(1.31, 0.400, 100, 2, 3, 1).verdict == "discrepant"


def test_the_audit_runs_the_new_check_beside_the_first():
    audit = run_audit()
    assert audit.loc["t2.gender.sd:debit", ["verdict", "check"]].tolist() == ["consistent", "debit"]
    assert audit.loc["t2.gender.sd", "check"] == "table2_sd"
"""

#: The existing tests that read the ledger, the audit or their counts; they run unchanged in the copy.
EXISTING = (
    "test_audit.py",
    "test_checks.py",
    "test_published.py",
    "test_ledger_ids.py",
    "test_findings.py",
    "test_chapters_intro.py",
    "test_chapters_audit.py",
    "test_chapters_summary.py",
    "test_chapters_conclusions.py",
)


def _insert_after(path: Path, anchor: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{path.name}: the recipe's anchor moved"
    path.write_text(text.replace(anchor, anchor + addition), encoding="utf-8")


def _insert_before(path: Path, anchor: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{path.name}: the recipe's anchor moved"
    path.write_text(text.replace(anchor, addition + anchor), encoding="utf-8")


def _scratch(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", "bookbuild")
    for part in ("lib", "data", "tests"):
        shutil.copytree(ROOT / part, copy / part, ignore=ignore)
    for name in ("pyproject.toml", "references.bib"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def _add_the_check(copy: Path) -> None:
    lib = copy / "lib" / "ridersurvey"
    _insert_after(lib / "data" / "ledger.py", MEMBER, '    DEBIT = "debit"\n')
    with (lib / "audit" / "checks.py").open("a", encoding="utf-8") as fh:
        fh.write(FUNCTION)
    _insert_before(lib / "audit" / "ledger_audit.py", "@dataclass(frozen=True)\nclass Registered:", ADAPTER)
    _insert_after(
        lib / "audit" / "ledger_audit.py",
        ENTRY,
        '    Check.DEBIT: _entry(_debit, "ledger", "counts", identity=True),\n',
    )
    _insert_after(lib / "audit" / "ledger_audit.py", "    check_coefficient,\n", "    check_debit,\n")
    ledger = copy / "data" / "published" / "ledger.csv"
    row = next(r for r in ledger.read_text(encoding="utf-8").splitlines() if r.startswith("t2.gender.sd,"))
    further = row.replace("t2.gender.sd,", "t2.gender.sd:debit,", 1).replace(",table2_sd,", ",debit,", 1)
    with ledger.open("a", encoding="utf-8") as fh:
        fh.write(further + "\n")
    (copy / "tests" / "test_check_debit.py").write_text(OWN_TEST, encoding="utf-8")


def test_a_new_check_needs_its_function_registry_entry_ledger_row_and_test(tmp_path):
    copy = _scratch(tmp_path)
    _add_the_check(copy)
    env = {**os.environ, "PYTHONPATH": str(copy / "lib"), "RIDERSURVEY_DATA": str(copy / "data")}
    tests = ["tests/test_check_debit.py", *(f"tests/{name}" for name in EXISTING)]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *tests],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    probe = "import ridersurvey.data.ledger as c; print(c.__file__, c.Check('debit'))"
    where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(copy / "lib")), where.stdout  # the copy ran, not the project
