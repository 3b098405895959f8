"""The import-layer rule of ``ridersurvey``: each module imports only its own layer or the layers below it.

Layers from the bottom up: base (``messages``, ``lazy``), ``data``, ``model``, ``audit``, ``reconstruction``,
``robustness``, ``presentation``, then the entry points (``cli``, ``__main__``). The package root (its
``__init__``) counts as data. Imports are read from the syntax tree, at module top and inside functions
alike (``if TYPE_CHECKING:`` blocks, which never run, are left out).
"""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "ridersurvey"

LAYERS = ("base", "data", "model", "audit", "reconstruction", "robustness", "presentation", "entry")
#: Modules and packages outside the layer packages, and the layer each counts as.
OUTSIDE = {
    "ridersurvey.messages": "base",
    "ridersurvey.lazy": "base",
    "ridersurvey": "data",
    "ridersurvey.__main__": "entry",
    "ridersurvey.cli": "entry",
}
LAYER_PACKAGES = ("data", "model", "audit", "robustness", "presentation")
MAX_FUNCTION_IMPORTS = 20


def _name(path: Path) -> str:
    parts = ("ridersurvey",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    for prefix in (module, ".".join(module.split(".")[:2])):
        if prefix in OUTSIDE:
            return OUTSIDE[prefix]
    first = module.split(".")[1]
    return first if first in LAYERS else "none"


def _resolve(module: str, name: str | None) -> str | None:
    for candidate in (f"{module}.{name}" if name else None, module):
        while candidate:
            if candidate in MODULES:
                return candidate
            candidate = candidate.rpartition(".")[0]
    return None


def _imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for each import of the package's own modules."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
                continue
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                targets = [_resolve(a.name, None) for a in child.names if a.name.split(".")[0] == "ridersurvey"]
            elif (
                isinstance(child, ast.ImportFrom)
                and child.level == 0
                and (child.module or "").startswith("ridersurvey")
            ):
                targets = [_resolve(child.module, a.name) for a in child.names]
            else:
                targets = []
            found.extend((t, inside) for t in targets if t and t != module)
            visit(child, inside)

    visit(tree, False)
    return found


EDGES = {(m, t, inside) for m in MODULES for t, inside in _imports(m)}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer(m) == "none"] == []


def test_imports_point_down():
    rank = {name: i for i, name in enumerate(LAYERS)}
    assert sorted({(m, t) for m, t, _ in EDGES if rank[layer(t)] > rank[layer(m)]}) == []


def test_no_import_cycles():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for m, t, _ in EDGES:
        graph[m].add(t)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    assert cycles == []


def test_few_imports_inside_functions():
    inside = sorted((m, t) for m, t, i in EDGES if i)
    assert len(inside) <= MAX_FUNCTION_IMPORTS, inside


def test_layer_api_is_declared_and_resolves():
    import importlib

    for name in LAYER_PACKAGES:
        package = importlib.import_module(f"ridersurvey.{name}")
        assert package.__all__, name
        for exported in package.__all__:
            assert getattr(package, exported) is not None, f"ridersurvey.{name}.{exported}"


def test_layer_packages_import_light():
    code = (
        "import sys, ridersurvey, " + ", ".join(f"ridersurvey.{n}" for n in LAYER_PACKAGES) + "; "
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'statsmodels', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
