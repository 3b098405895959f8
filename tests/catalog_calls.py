"""The catalog keys a package's code asks for, read from its source, for the tests that hold them to the catalog."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterable
from pathlib import Path

#: Names under which the code calls a catalog: ``text(...)`` or ``messages.text(...)``.
CALL_NAMES = ("text",)


def fields(template: str) -> set[str]:
    """The names of a template's replacement fields."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def calls(paths: Iterable[Path]) -> list[tuple[str, str, set[str] | None]]:
    """Every catalog call with a literal key: (where, key, keyword names, or None when ``**fields`` is passed)."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            key = node.args[0]
            if name in CALL_NAMES and isinstance(key, ast.Constant) and isinstance(key.value, str):
                names = {k.arg for k in node.keywords}
                found.append((f"{path.name}:{node.lineno}", key.value, None if None in names else names))
    return found


def label_calls(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """Every short-label lookup with a literal English label: ``label("...")`` or ``messages.label("...")``
    (where, label)."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            key = node.args[0]
            if name == "label" and isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.append((f"{path.name}:{node.lineno}", key.value))
    return found
