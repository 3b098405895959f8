"""No function in the project's Python is ranked D or worse by radon's cyclomatic complexity (issue 21)."""

from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for folder in ("lib", "tools") for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts)


def _ranked(source: str) -> list[tuple[str, int, str]]:
    return [(block.fullname, block.complexity, cc_rank(block.complexity)) for block in cc_visit(source)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_ranks_d_or_worse(path):
    worst = [(name, score) for name, score, rank in _ranked(path.read_text(encoding="utf-8")) if rank >= "D"]
    assert not worst, f"{path.relative_to(ROOT)}: radon ranks D or worse: {worst}"


def test_the_rank_catches_a_branchy_function():
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(25))
    assert _ranked(f"def f(x):\n{branches}\n    return -1\n")[0][2] == "D"
