"""The tablecheck package as a whole: its public names, and that it knows nothing of this paper."""

from __future__ import annotations

import ast
from pathlib import Path

import tablecheck

PACKAGE = Path(tablecheck.__file__).parent


def test_the_package_imports_nothing_of_ridersurvey():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "ridersurvey" for n in names), path.name
        assert "ledger" not in path.read_text(encoding="utf-8").lower(), path.name


def test_public_names_are_exported():
    for name in tablecheck.__all__:
        assert hasattr(tablecheck, name), name
    assert (PACKAGE / "py.typed").exists()
