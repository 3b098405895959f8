"""The chapters narrate and call: no function or class defined in a chapter, little hidden code, and each
table's producing call visible."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))
HIDING = {"remove-cell", "remove-input"}


def _code_cells(path: Path):
    nb = jupytext.read(path, fmt="md:myst")
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_function_or_class_is_defined_in_a_chapter(path):
    for cell in _code_cells(path):
        tree = ast.parse(cell.source)
        defined = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
        assert not defined, f"{path.name}: a code cell defines {type(defined[0]).__name__}"


def test_hidden_code_is_at_most_250_lines_in_all():
    hidden = 0
    for path in CHAPTERS:
        for cell in _code_cells(path):
            if HIDING & set(cell.metadata.get("tags", [])):
                hidden += sum(
                    1 for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")
                )
    assert hidden <= 250, f"{hidden} lines of hidden code"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_hidden_cells_do_not_make_tables_or_figures(path):
    for cell in _code_cells(path):
        if HIDING & set(cell.metadata.get("tags", [])):
            assert "_table(" not in cell.source and "plot(" not in cell.source, f"{path.name}: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", [p for p in CHAPTERS if _code_cells(p)], ids=lambda p: p.stem)
def test_every_executed_chapter_declares_its_data(path):
    """Without ``ridersurvey: depends`` the execution cache re-runs a chapter on every data change."""
    from bookbuild.cache import declared_depends

    assert declared_depends(path.read_text(encoding="utf-8")) is not None, path.name
