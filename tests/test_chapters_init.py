"""The chapter modules (ridersurvey.presentation.chapters): each reviewable on its own, beside its chapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ridersurvey.presentation.chapters

MODULES = sorted(
    p for p in Path(ridersurvey.presentation.chapters.__file__).parent.glob("*.py") if p.name != "__init__.py"
)
#: The longest function a chapter module may hold, in lines (docstring included).
MAX_LINES = 60


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_no_chapter_module_imports_another(path):
    imported = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name.startswith("ridersurvey.presentation.chapters.")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_no_chapter_module_function_exceeds_the_limit(path):
    long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > MAX_LINES
    }
    assert not long


def test_the_checks_catch_what_they_forbid(tmp_path):
    """The two rules above, on a module that breaks both."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    bad = tmp_path / "bad.py"
    bad.write_text(f"from ridersurvey.presentation.chapters import audit\n\n\ndef f():\n{body}\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        test_no_chapter_module_imports_another(bad)
    with pytest.raises(AssertionError):
        test_no_chapter_module_function_exceeds_the_limit(bad)
